"""Report rendering at scale: time and size of report.html / report.md of a saved analysis.

Usage::

    python perf/report_render.py ANALYSIS_JSON [--repeat 3] [--browser] [--json OUT]

Measures, in one run, the median of ``--repeat`` rounds of:

* ``json.loads`` of the same file: the baseline every other figure is a ratio to;
* ``load_analysis`` (JSON to dataclasses), ``render_analysis_html``, ``render_analysis_markdown``
  and ``to_dot``;
* the size of each output, and of the page's parts (inline JSON, graph SVG);
* with ``--browser``: headless Chromium's ``--dump-dom`` of the page (load, parse, our script
  drawing the first page of rows) against the same command on an empty page, and the number of
  elements in the DOM after scripts ran.

Each figure comes as wall time and as CPU time (``cpu_s``: this process plus its children,
Chromium included): on a shared machine the CPU figures are the steadier ones.

A plain script (not a registered benchmark): nothing runs at import.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CPU: dict[str, float] = {}  # CPU seconds (this process and its children) of the last timing


def _median_time(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls; the median CPU time goes to ``CPU["last"]``.

    On a shared machine wall time includes waiting for a core; CPU time does not.
    """
    times, cpu, result = [], [], None
    for _ in range(repeat):
        before = _cpu()
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - before)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times), result


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _chromium_seconds(page: Path, repeat: int) -> tuple[float, int]:
    """Median wall time of ``chromium --dump-dom page`` and the element count of the DOM."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("--browser needs chromium (apt-get install chromium)")

    def dump() -> str:
        with tempfile.TemporaryDirectory() as profile:
            done = subprocess.run(
                [binary, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                 f"--user-data-dir={profile}", page.resolve().as_uri()],
                capture_output=True, text=True, timeout=300, check=True,
            )  # fmt: skip
        return done.stdout

    seconds, dom = _median_time(dump, repeat)
    return seconds, len(re.findall(r"<[a-zA-Z]", dom))


def measure(path: Path, repeat: int, browser: bool) -> dict[str, Any]:
    """Every figure of one run, as a JSON-ready dict."""
    from benchmig.analyzer import load_analysis
    from benchmig.reports.analysis_html import render_analysis_html
    from benchmig.reports.analysis_markdown import render_analysis_markdown
    from benchmig.reports.graph_export import to_dot

    raw = path.read_bytes()
    cpu: dict[str, float] = {}
    baseline, _ = _median_time(lambda: json.loads(raw), repeat)
    cpu["json_loads"] = CPU["last"]
    load, analysis = _median_time(lambda: load_analysis(path), repeat)
    cpu["load_analysis"] = CPU["last"]
    html_s, html = _median_time(lambda: render_analysis_html(analysis), repeat)
    cpu["html"] = CPU["last"]
    md_s, md = _median_time(lambda: render_analysis_markdown(analysis), repeat)
    cpu["md"] = CPU["last"]
    dot_s, dot = _median_time(lambda: to_dot(analysis), repeat)
    cpu["dot"] = CPU["last"]
    blocks = re.findall(r'<script type="application/json" id="([a-z-]+)">(.*?)</script>', html)
    svg = re.search(r'<svg xmlns="[^"]+" class="depgraph".*?</svg>', html, re.S)
    figures: dict[str, Any] = {
        "files": len(analysis.files),
        "analysis_json_mb": round(len(raw) / 1e6, 1),
        "json_loads_s": round(baseline, 3),
        "load_analysis_s": round(load, 3),
        "html_s": round(html_s, 3),
        "md_s": round(md_s, 3),
        "dot_s": round(dot_s, 3),
        "html_vs_json_loads": round(html_s / baseline, 2),
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
        "html_vs_json_loads_cpu": round(cpu["html"] / cpu["json_loads"], 2),
        "html_mb": round(len(html.encode()) / 1e6, 2),
        "md_kb": round(len(md.encode()) / 1e3, 1),
        "dot_mb": round(len(dot.encode()) / 1e6, 2),
        "page_parts_kb": {k: round(len(v.encode()) / 1e3) for k, v in blocks},
        "graph_svg_kb": round(len(svg.group().encode()) / 1e3) if svg else 0,
    }
    if browser:
        with tempfile.TemporaryDirectory() as folder:
            page, empty = Path(folder, "report.html"), Path(folder, "empty.html")
            page.write_text(html, encoding="utf-8")
            empty.write_text("<!doctype html><title>empty</title>", encoding="utf-8")
            empty_s, _ = _chromium_seconds(empty, repeat)
            empty_cpu = CPU["last"]
            page_s, elements = _chromium_seconds(page, repeat)
            page_cpu = CPU["last"]
        figures.update(
            chromium_empty_s=round(empty_s, 2),
            chromium_report_s=round(page_s, 2),
            chromium_extra_s=round(page_s - empty_s, 2),
            chromium_extra_cpu_s=round(page_cpu - empty_cpu, 2),
            dom_elements=elements,
        )
    return figures


def main() -> int:
    """Parse the arguments, measure, print (and save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("analysis", type=Path, help="an analysis.json written by migrate analyze")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time headless Chromium")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    figures = measure(args.analysis, max(1, args.repeat), args.browser)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
