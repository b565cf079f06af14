"""Run a benchmark suite in CI, compare it with a baseline, and write what CI tools read.

    python examples/ci_benchmark.py --suite examples/performance_suite.json \\
        --output-dir benchmark-results --baseline baseline/results.json --threshold 5

Writes to ``--output-dir``: ``results.json`` (the run), ``comparison.json`` (with a baseline),
``summary.md`` (a headline and warnings, then benchmig's Markdown comparison and results
reports; also appended to ``$GITHUB_STEP_SUMMARY`` when that is set), ``bmf.json``
(Bencher Metric Format) and ``github-action-benchmark-smaller.json`` /
``github-action-benchmark-bigger.json`` (latency and memory / throughput, for the
``customSmallerIsBetter`` / ``customBiggerIsBetter`` tools of github-action-benchmark).

A ``--baseline`` path that does not exist is "no baseline yet" (the first run on a branch): the
run is recorded and exported, nothing is compared, and the exit code says only whether it ran.

Exit codes: 0 no regression (an inconclusive comparison, a change within the run-to-run noise,
is a warning: rerun rather than fail); 1 a regression; 2 bad input (suite, baseline, options);
3 some benchmarks failed or timed out (this wins over 1: the comparison is incomplete).
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmig._io import atomic_write_text
from benchmig.errors import EXIT_FINDING, EXIT_OK, EXIT_PARTIAL, BenchmigError
from benchmig.framework._compare import Comparison, format_comparison_table
from benchmig.framework._export import export_text
from benchmig.framework._results import RunResults
from benchmig.framework._runner import RunProgress
from benchmig.framework._session import RunOutcome, RunRequest, run_benchmarks
from benchmig.reports.results_markdown import render_comparison_markdown, render_results_markdown
from benchmig.reports.results_text import format_results_table

HERE = Path(__file__).resolve().parent
EXPORTS = {
    "bmf.json": ("bmf", "customSmallerIsBetter"),
    "github-action-benchmark-smaller.json": ("github-action-benchmark", "customSmallerIsBetter"),
    "github-action-benchmark-bigger.json": ("github-action-benchmark", "customBiggerIsBetter"),
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line (argparse exits 2 on a usage error, like the rest of benchmig)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=HERE / "performance_suite.json")
    parser.add_argument("--output-dir", type=Path, default=Path("benchmark-results"))
    parser.add_argument("--baseline", type=Path, help="results.json (or its folder) to compare")
    parser.add_argument(
        "--threshold", type=float, default=5.0, help="smallest change that counts, in percent"
    )
    parser.add_argument("--history", type=Path, help="history store (default: benchmig's)")
    parser.add_argument("--no-history", action="store_true", help="do not record this run")
    parser.add_argument("--title", default="Benchmark results", help="heading of summary.md")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if not 0 <= args.threshold < 1000:
        parser.error(f"--threshold must be a percentage in [0, 1000), got {args.threshold}")
    return args


def _progress(event: RunProgress) -> None:
    params = " ".join(f"{k}={v}" for k, v in event.case.params.items())
    print(
        f"[{event.done}/{event.total}] {event.case.spec.name} {params} {event.case.hardware}: "
        f"{event.outcome.status}",
        file=sys.stderr,
        flush=True,
    )


def _notes(outcome: RunOutcome, baseline_missing: Path | None) -> list[str]:
    """Warnings for the summary: no baseline, inconclusive comparisons, failures."""
    notes = [f"load error: {error}" for error in outcome.load_errors]
    if baseline_missing is not None:
        notes.append(
            f"No baseline at {baseline_missing}: nothing was compared (first run on this "
            "branch?). This run's results.json can be the next baseline."
        )
    comparison = outcome.comparison
    inconclusive = comparison.counts().get("inconclusive", 0) if comparison else 0
    if inconclusive:
        notes.append(
            f"{inconclusive} comparison(s) are inconclusive: the change is within the "
            "run-to-run noise of this machine. Rerun to confirm; this does not fail the job."
        )
    if outcome.failed:
        notes.append(f"{outcome.failed} case(s) failed or timed out: see the results table.")
    return notes


def summary_markdown(outcome: RunOutcome, notes: Sequence[str], title: str) -> str:
    """The job summary: a headline, the warnings, then benchmig's comparison and results reports."""
    parts = [f"# {html.escape(title)}", f"Run `{outcome.run.run_id}`: {_headline(outcome)}."]
    if notes:
        parts.append("\n>\n".join(f"> {html.escape(note)}" for note in notes))
    if outcome.comparison is not None:
        parts.append(render_comparison_markdown(outcome.comparison).strip())
    parts.append(render_results_markdown(outcome.run).strip())
    return "\n\n".join(parts) + "\n"


def _headline(outcome: RunOutcome) -> str:
    parts = []
    if outcome.comparison is not None:
        rows = outcome.comparison.rows
        regressed = len({row.key for row in rows if row.verdict == "regression"})
        parts.append(f"**{regressed} case(s) regressed**" if regressed else "no regression")
    if outcome.failed:
        parts.append(f"**{outcome.failed} case(s) failed**")
    return ", ".join(parts) or "all cases ran"


def _annotate(comparison: Comparison | None, notes: Sequence[str]) -> None:
    """GitHub Actions annotations (shown on the run page) when running there."""
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    for note in notes:
        print(f"::warning title=Benchmarks::{_escape_annotation(note)}")
    for row in comparison.rows if comparison else ():
        if row.verdict == "regression" and row.change is not None:
            text = (
                f"{row.benchmark} {dict(row.params)} {row.hardware} {row.metric}: {row.change:+.1%}"
            )
            print(f"::error title=Benchmark regression::{_escape_annotation(text)}")


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def write_outputs(
    run: RunResults, comparison: Comparison | None, out_dir: Path, summary: str
) -> list[Path]:
    """comparison.json, summary.md and the exports beside results.json; their paths."""
    written = []
    if comparison is not None:
        path = out_dir / "comparison.json"
        atomic_write_text(path, json.dumps(comparison.to_dict(), indent=2) + "\n")
        written.append(path)
    atomic_write_text(out_dir / "summary.md", summary)
    written.append(out_dir / "summary.md")
    for name, (fmt, tool) in EXPORTS.items():
        atomic_write_text(out_dir / name, export_text(run, fmt, tool=tool))
        written.append(out_dir / name)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(summary + "\n")
    return written


def exit_code(outcome: RunOutcome) -> int:
    """3 when cases failed (or files did not load), else 1 on a regression, else 0."""
    if outcome.failed or outcome.load_errors:
        return EXIT_PARTIAL
    if outcome.comparison is not None and outcome.comparison.has_regression:
        return EXIT_FINDING
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run the suite, compare, write everything; the exit code."""
    missing = args.baseline if args.baseline is not None and not args.baseline.exists() else None
    request = RunRequest(
        suite=args.suite,
        output_dir=args.output_dir,
        baseline=None if missing else args.baseline,
        threshold=args.threshold / 100.0,
        history=args.history,
        record_history=not args.no_history,
        keep_going=True,
    )
    outcome = run_benchmarks(request, progress=None if args.quiet else _progress)
    print(format_results_table(outcome.run))
    if outcome.comparison is not None:
        print()
        print(format_comparison_table(outcome.comparison))
    notes = _notes(outcome, missing)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    summary = summary_markdown(outcome, notes, args.title)
    written = write_outputs(outcome.run, outcome.comparison, args.output_dir, summary)
    _annotate(outcome.comparison, notes)
    print(f"wrote {outcome.results_path} and {', '.join(p.name for p in written)}", file=sys.stderr)
    return exit_code(outcome)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: library errors become their exit code (2 for bad input)."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return run(args)
    except BenchmigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"interrupted: finished results are in {args.output_dir}", file=sys.stderr)
        return EXIT_PARTIAL


if __name__ == "__main__":
    raise SystemExit(main())
