"""Hand-built analyses and runs for report tests: fixed values, independent of the analyzer.

``hostile_analysis()`` is a small tree whose names, messages and idiom details try to be
markup (HTML, Markdown, DOT); ``big_analysis(n)`` is a synthetic tree of ``n`` files spread
over many folders, with a few cycles, for scale tests.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from benchmig.analyzer._classify import Blocker, Migration
from benchmig.analyzer._clusters import Cluster
from benchmig.analyzer._facts import FileError, FileFacts, Idiom, ImportRecord
from benchmig.analyzer._graph import Edge, GraphFacts, ImportResolution, MigrationStep, Unresolved
from benchmig.analyzer._model import Analysis, FileReport
from benchmig.framework._results import CaseResult, RunResults, SampleStats
from benchmig.framework._stats import summarize

SVG_NAME = 'bench/"><svg onload=alert(1)>.py'
MD_NAME = "tools/[link](javascript:alert(5))|*bold*_x_.py"
TICK_NAME = "odd/`tick` <b>.py"
SCRIPT_REASON = "</script><script>alert(2)</script>"
IMG_DETAIL = "<img src=x onerror=alert(3)>"
MARKUP_MODULE = "<script>alert(4)</script>"
COMMENT_MESSAGE = "--><!-- <style>body{display:none}</style> ]]>"
HOSTILE_STRINGS = (SVG_NAME, MD_NAME, TICK_NAME, SCRIPT_REASON, IMG_DETAIL, MARKUP_MODULE)


def report(
    path: str,
    role: str = "other",
    *,
    unit: str = "none",
    strategy: str = "native",
    confidence: float = 0.9,
    idioms: Sequence[Idiom] = (),
    blockers: Sequence[tuple[int | None, str, str]] = (),
    codemods: Sequence[str] = (),
    status: str = "ok",
    error: FileError | None = None,
    imports: Sequence[tuple[ImportRecord, ImportResolution]] = (),
    cluster: str | None = None,
    fan: tuple[int, int] = (0, 0),
    lines: int = 40,
) -> FileReport:
    """One file report with explicit values."""
    facts = FileFacts(
        path=path,
        module=path.removesuffix(".py").replace("/", "."),
        status=status,  # type: ignore[arg-type]
        sha256="0" * 64,
        size_bytes=lines * 30,
        lines=lines,
        error=error,
        imports=tuple(i for i, _ in imports),
        idioms=tuple(idioms),
        complexity=lines // 8,
        max_function_complexity=lines // 16,
        has_main_guard=role == "benchmark",
    )
    migration = Migration(
        strategy,
        confidence,
        tuple(codemods),
        tuple(Blocker(path, line, kind, reason) for line, kind, reason in blockers),
    )
    return FileReport(
        facts=facts,
        role=role,
        unit=unit,
        migration=migration,
        imports=tuple(r for _, r in imports),
        cluster=cluster,
        fan_in=fan[0],
        fan_out=fan[1],
    )


def _exact(module: str, line: int, target: str) -> tuple[ImportRecord, ImportResolution]:
    return ImportRecord(module, line=line), ImportResolution("exact", (target,))


def hostile_files() -> list[FileReport]:
    """The files of :func:`hostile_analysis`, sorted by path."""
    timer = Idiom("timer", 10, detail="time.perf_counter()", scope="run")
    files = [
        report(
            "bench/bert_latency.py",
            "benchmark",
            unit="function",
            confidence=0.85,
            idioms=[
                Idiom("argparse_option", 5, detail="--batch-size"),
                timer,
                Idiom("repeat_loop", 12, detail="for _ in range(100)", scope="run"),
            ],
            blockers=[(2, "unresolved_import", f"no module named {MARKUP_MODULE}")],
            codemods=["register-benchmark", "replace-timers", "argparse-to-params"],
            imports=[_exact("common.timers", 3, "common/timers.py")],
            fan=(1, 1),
        ),
        report(
            SVG_NAME,
            "benchmark",
            unit="module",
            strategy="manual",
            confidence=0.75,
            idioms=[Idiom("simulation", 3, detail=IMG_DETAIL), timer],
            blockers=[(3, "simulation", SCRIPT_REASON), (None, "no_unit", COMMENT_MESSAGE)],
            fan=(0, 1),
        ),
        report("common/a.py", "helper", fan=(2, 1)),
        report("common/b.py", "helper", fan=(1, 1)),
        report("common/hw.py", "helper", idioms=[Idiom("hardware_check", 4)], fan=(1, 0)),
        report("common/timers.py", "helper", fan=(2, 1)),
        report(
            "legacy/py2_script.py",
            "other",
            strategy="manual",
            confidence=0.95,
            status="parse_error",
            error=FileError("python2", "Missing parentheses in call to 'print'", 4, 7),
            blockers=[(4, "parse_error", "python2: Missing parentheses in call to 'print'")],
        ),
        report("models/bench_bert.py", "benchmark", unit="class", cluster="bench_near", fan=(0, 1)),
        report("models/bench_gpt.py", "benchmark", unit="class", cluster="bench_near"),
        report(TICK_NAME, "test"),
        report(MD_NAME, "other"),
        report("tools/run_all.py", "benchmark", unit="orchestrator", fan=(0, 1)),
    ]
    return sorted(files, key=lambda f: f.path)


def hostile_analysis() -> Analysis:
    """A dozen files with hostile names, a cycle, a parse failure, a cluster, odd imports."""
    files = tuple(hostile_files())
    edges = (
        Edge("bench/bert_latency.py", "common/timers.py", "import", 3, "exact"),
        Edge("bench/bert_latency.py", "external:torch", "import", 1, "external"),
        Edge(SVG_NAME, "common/timers.py", "import", 1, "exact"),
        Edge("common/a.py", "common/b.py", "import", 1, "exact"),
        Edge("common/b.py", "common/a.py", "import", 2, "exact"),
        Edge("common/timers.py", "common/a.py", "import", 1, "exact"),
        Edge("models/bench_bert.py", "common/hw.py", "import", 2, "ambiguous"),
        Edge("tools/run_all.py", "bench/bert_latency.py", "subprocess", 9, "exact"),
    )
    order = [
        ("common/a.py", "common/b.py"),
        ("common/hw.py",),
        ("common/timers.py",),
        ("bench/bert_latency.py",),
        (SVG_NAME,),
        ("models/bench_bert.py",),
        ("models/bench_gpt.py",),
        (TICK_NAME,),
        ("tools/run_all.py",),
        (MD_NAME,),
    ]
    graph = GraphFacts(
        edges=edges,
        externals=("external:torch",),
        unresolved=(
            Unresolved("bench/bert_latency.py", MARKUP_MODULE, "import", 2, "no such module"),
            Unresolved(
                "models/bench_gpt.py", "missing_helpers", "import", 4, "no such module", True
            ),
        ),
        cycles=(("common/a.py", "common/b.py"),),
        orphans=(TICK_NAME, MD_NAME),
        fan_in={f.path: f.fan_in for f in files},
        fan_out={f.path: f.fan_out for f in files},
        migration_order=tuple(MigrationStep(s, len(s) > 1) for s in order),
        imports={f.path: f.imports for f in files},
    )
    clusters = (
        Cluster(
            "bench_near",
            ("models/bench_bert.py", "models/bench_gpt.py"),
            "models/bench_bert.py",
            0.93,
            False,
        ),
    )
    return Analysis("/work/legacy <root>", "0.1.0", files, graph, clusters, {"gitignored": 3})


def _folders(n: int) -> Iterable[str]:
    for i in range(n):
        yield f"pkg{i % 7}/sub{i % 13}/deep{i % 5}/"


def big_analysis(n: int) -> Analysis:
    """``n`` files over ~450 folders; every 10th imports a shared helper; a few 3-file cycles."""
    folders = list(_folders(n))
    paths = sorted(f"{folder}file_{i:05d}.py" for i, folder in enumerate(folders))
    helper = paths[0]
    edges = [Edge(p, helper, "import", 3, "exact") for p in paths[10::10]]
    cycles = [tuple(sorted(paths[i : i + 3])) for i in range(1, min(n - 3, 40), 10)]
    for cycle in cycles:
        edges += [
            Edge(a, b, "import", 1, "exact")
            for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)
        ]
    edges.sort(key=lambda e: (e.source, e.target))
    in_cycle = {p for c in cycles for p in c}
    roles = ("benchmark", "helper", "test", "other")
    files = tuple(
        report(
            p,
            roles[i % 4],
            unit="function" if i % 4 == 0 else "none",
            strategy=("native", "adapter", "manual")[i % 3],
            idioms=[Idiom("timer", 10 + k, detail="time.perf_counter()") for k in range(i % 6)],
            blockers=[(7, "dynamic_code", "dynamic code (exec)")] if i % 9 == 0 else [],
            status="parse_error" if i % 97 == 5 else "ok",
            error=FileError("syntax_error", "invalid syntax", 3, 1) if i % 97 == 5 else None,
        )
        for i, p in enumerate(paths)
    )
    steps = [MigrationStep((helper,))] + [MigrationStep(c, True) for c in cycles]
    steps += [MigrationStep((p,)) for p in paths[1:] if p not in in_cycle]
    graph = GraphFacts(
        edges=tuple(edges),
        cycles=tuple(cycles),
        migration_order=tuple(steps),
        fan_in={helper: len(paths[10::10])},
    )
    return Analysis("/big", "0.1.0", files, graph)


def stats(median: float, spread: float = 0.05, n: int = 30) -> SampleStats:
    """Plausible statistics around ``median``."""
    return SampleStats(
        median=median,
        mean=median * 1.01,
        stdev=median * spread,
        min=median * (1 - 2 * spread),
        max=median * (1 + 3 * spread),
        p90=median * (1 + spread),
        p99=median * (1 + 2 * spread),
        iqr=median * spread,
        ci95=(median * (1 - spread / 2), median * (1 + spread / 2)),
        n=n,
    )


def _timed(median: float, seed: int) -> tuple[SampleStats, tuple[float, ...]]:
    rng = random.Random(seed)
    samples = tuple(median * (1 + rng.gauss(0, 0.01)) for _ in range(30))
    return summarize(samples), samples


def case(
    name: str, params: dict[str, object], latency_ms: float, *, seed: int, throughput: bool = False
) -> CaseResult:
    """An ok case with 30 latency samples in 3 worker groups (and throughput if asked)."""
    latency, samples = _timed(latency_ms, seed)
    metrics: dict[str, SampleStats | float] = {"latency_ms": latency, "peak_memory_mb": 310.0}
    all_samples = {"latency_ms": samples}
    if throughput:
        rate = tuple(8000.0 / s for s in samples)
        metrics["throughput_per_s"] = summarize(rate)
        all_samples["throughput_per_s"] = rate
    return CaseResult(
        name,
        params,
        "cpu",
        "ok",
        "inference",
        metrics,
        all_samples,
        sample_groups=tuple(i // 10 for i in range(30)),
    )


def run(scale: float = 1.0, run_id: str = "run-a", seed: int = 1) -> RunResults:
    """A small run: three timed cases (one with a hostile name), a failure and a skip.

    ``scale`` multiplies the latency of ``mlp_latency`` (batch 8): 1.3 makes it a regression.
    """
    cases = (
        case("mlp_latency", {"batch_size": 8}, 2.5 * scale, seed=seed, throughput=True),
        case("mlp_latency", {"batch_size": 1}, 0.9, seed=seed + 1),
        case(SVG_NAME, {"x": MARKUP_MODULE}, 0.05, seed=seed + 2),
        CaseResult("broken", {}, "cpu", "failed", "micro", error=SCRIPT_REASON),
        CaseResult("gpu_only", {}, "cuda", "skipped", "hardware", error="cuda not available"),
    )
    environment = {
        "hardware": {"cpu": "Test CPU <8 cores>"},
        "python": "3.11.9",
        "torch": None,
        "git": {"commit": "abc1234", "branch": "main", "dirty": False},
    }
    return RunResults(
        run_id, "2025-01-01T10:00:00+00:00", "2025-01-01T10:01:00+00:00", environment, cases
    )
