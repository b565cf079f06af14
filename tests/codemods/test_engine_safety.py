"""The checks every rewrite passes before it is written, and the tree walk of ``--out``."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from benchmig.codemods._safety import check_output, newline_style
from benchmig.codemods._writer import copy_tree, text_diff, tree_files
from tests.codemods.trees import write_tree


def test_newline_styles() -> None:
    assert newline_style(b"a\r\nb\r\n") == "crlf"
    assert newline_style(b"a\nb\n") == "lf"
    assert newline_style(b"a\rb\r") == "cr"
    assert newline_style(b"a\r\nb\n") == "mixed"
    assert newline_style(b"a") == "none"


@given(st.lists(st.sampled_from(["x = 1", "y = 2", "pass", "# c"]), min_size=1), st.booleans())
def test_a_file_is_safe_against_itself(lines: list[str], crlf: bool) -> None:
    newline = "\r\n" if crlf else "\n"
    data = (newline.join(lines) + newline).encode()
    assert check_output("f.py", data, data, "utf-8") is None


def test_unsafe_outputs_say_why() -> None:
    original = b"x = 1\r\n"
    assert "does not parse" in (check_output("f.py", original, b"x = (\r\n", "utf-8") or "")
    assert "does not compile" in (check_output("f.py", original, b"return 1\r\n", "utf-8") or "")
    changed = check_output("f.py", original, b"x = 1\r\ny = 2\n", "utf-8")
    assert changed == "the rewrite changed the newline style from crlf to mixed"
    latin = b"# -*- coding: latin-1 -*-\nx = 1\n"
    assert "encoding" in (check_output("f.py", latin, b"x = 1\n", "iso-8859-1") or "")


def test_diff_marks_new_files_and_missing_final_newlines() -> None:
    assert text_diff("s.json", None, b"{}").startswith("--- /dev/null\n+++ b/s.json\n")
    assert text_diff("a.py", b"x = 1\n", b"x = 2").endswith(
        "+x = 2\n\\ No newline at end of file\n"
    )


def test_tree_walk_skips_caches_vcs_and_virtualenvs(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "t",
        {
            "a.py": "x = 1\n",
            "pkg/b.txt": "b\n",
            ".git/config": "[core]\n",
            "pkg/__pycache__/b.cpython-311.pyc": b"\0",
            "venv/pyvenv.cfg": "home = /usr\n",
            "venv/lib/c.py": "y = 2\n",
        },
    )
    assert list(tree_files([root], root)) == ["a.py", "pkg/b.txt"]


def test_copy_tree_reports_what_it_cannot_write(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "t", {"a.py": "x = 1\n", "b/c.py": "y = 2\n"})
    out = tmp_path / "out"
    write_tree(out, {"b": "a file where a folder must go"})
    problems = copy_tree(root, out, ["a.py", "b/c.py"], {"a.py": b"x = 2\n"})
    assert (out / "a.py").read_bytes() == b"x = 2\n"
    assert len(problems) == 1 and problems[0].startswith("b/c.py")
