"""Loading benchmark files, folders and modules: pytest-style roots, errors, fresh registries."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from benchmig.errors import BenchmarkLoadError, DuplicateBenchmarkError, InputError
from benchmig.framework import BenchmarkRegistry
from benchmig.framework._loader import load_targets, resolve_target

BENCH = """
from benchmig.framework import BenchmarkBase, BenchmarkRegistry
{imports}

@BenchmarkRegistry.register(name="{name}")
class B(BenchmarkBase):
    def execute(self):
        return {body}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def _load(target: str) -> BenchmarkRegistry:
    registry = BenchmarkRegistry()
    load_targets(resolve_target(target), registry)
    return registry


def test_folder_makes_sibling_and_package_imports_work(tmp_path: Path) -> None:
    root = tmp_path / "tree_a"
    _write(root / "helpers.py", "VALUE = 3\n")
    _write(root / "pkg" / "__init__.py", "")
    _write(root / "pkg" / "util.py", "def twice(x):\n    return 2 * x\n")
    _write(
        root / "bench_one.py",
        BENCH.format(imports="from helpers import VALUE", name="one", body="VALUE"),
    )
    _write(root / "sub" / "local.py", "LOCAL = 1\n")
    _write(
        root / "sub" / "bench_two.py",
        BENCH.format(
            imports="from local import LOCAL\nfrom pkg.util import twice",
            name="two",
            body="twice(LOCAL)",
        ),
    )
    _write(root / "legacy_script.py", "raise SystemExit('legacy code must not run on load')\n")
    registry = _load(str(root))
    assert registry.list_benchmarks() == ["one", "two"]
    assert registry.get("one").cls().execute() == 3
    assert registry.get("two").cls().execute() == 2


def test_worker_processes_load_folder_files_with_the_same_roots(tmp_path: Path) -> None:
    from benchmig.framework import BenchmarkRunner, RunnerSettings

    root = tmp_path / "tree_w"
    _write(root / "pkgw" / "__init__.py", "")
    _write(root / "pkgw" / "util.py", "def twice(x):\n    return 2 * x\n")
    _write(
        root / "sub" / "bench_w.py",
        BENCH.format(imports="from pkgw.util import twice", name="w", body="twice(1)"),
    )
    registry = _load(str(root))
    settings = RunnerSettings(warmup=1, max_time=0.1, min_time=0.01, processes=1)
    result = BenchmarkRunner(registry, settings=settings).execute("w")
    assert result.status == "ok", result.error


def test_same_file_name_in_two_folders_loads_both(tmp_path: Path) -> None:
    from benchmig.framework import BenchmarkRunner, RunnerSettings

    root = tmp_path / "tree_copies"
    _write(root / "a" / "twin_bench.py", BENCH.format(imports="", name="twin_a", body="1"))
    _write(root / "b" / "twin_bench.py", BENCH.format(imports="", name="twin_b", body="2"))
    registry = _load(str(root))
    assert registry.list_benchmarks() == ["twin_a", "twin_b"]
    settings = RunnerSettings(warmup=1, max_time=0.1, min_time=0.01, processes=1)
    result = BenchmarkRunner(registry, settings=settings).execute("twin_b")
    assert result.status == "ok", result.error


def test_loading_twice_into_fresh_registries_finds_the_benchmarks_again(tmp_path: Path) -> None:
    path = _write(tmp_path / "again_bench.py", BENCH.format(imports="", name="again", body="1"))
    assert _load(str(path)).list_benchmarks() == ["again"]
    assert _load(str(path)).list_benchmarks() == ["again"]


def test_hyphenated_file_names_load_from_the_path(tmp_path: Path) -> None:
    path = _write(tmp_path / "bench-hyphen.py", BENCH.format(imports="", name="hyph", body="2"))
    assert _load(str(path)).list_benchmarks() == ["hyph"]


def test_module_target_imports_package_submodules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "modpkg_x" / "__init__.py", "")
    _write(tmp_path / "modpkg_x" / "bench_a.py", BENCH.format(imports="", name="mod_a", body="1"))
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _load("modpkg_x").list_benchmarks() == ["mod_a"]


def test_import_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "broken_bench.py", "import benchmig\nx = 1\nraise RuntimeError('boom')\n"
    )
    with pytest.raises(BenchmarkLoadError) as info:
        _load(str(path))
    assert f"{path.resolve()}:3" in str(info.value)
    assert "RuntimeError: boom" in str(info.value)
    assert info.value.exit_code == 2


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "syntax_bench.py", "import benchmig\n\ndef f(:\n")
    with pytest.raises(BenchmarkLoadError, match=r"syntax_bench.py:3"):
        _load(str(path))


def test_keep_going_collects_errors(tmp_path: Path) -> None:
    root = tmp_path / "tree_b"
    _write(root / "ok_bench.py", BENCH.format(imports="", name="fine", body="1"))
    _write(root / "bad_bench.py", "import benchmig\nraise ValueError('no')\n")
    registry = BenchmarkRegistry()
    errors = load_targets(resolve_target(str(root)), registry, keep_going=True)
    assert registry.list_benchmarks() == ["fine"]
    assert len(errors) == 1 and "ValueError: no" in str(errors[0])


def test_duplicate_across_files_names_both(tmp_path: Path) -> None:
    root = tmp_path / "tree_c"
    _write(root / "first_bench.py", BENCH.format(imports="", name="dup", body="1"))
    _write(root / "second_bench.py", BENCH.format(imports="", name="dup", body="2"))
    with pytest.raises(DuplicateBenchmarkError) as info:
        _load(str(root))
    assert "first_bench.py" in str(info.value) and "second_bench.py" in str(info.value)


def test_missing_target_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no such file, folder or importable module"):
        resolve_target("does/not/exist.py")
