"""Render a local HTML file in real headless Chromium (Debian package) for browser tests.

Two runs per page: ``--dump-dom`` (the DOM after scripts ran; console messages and uncaught
errors come on stderr with ``--enable-logging=stderr``) and, when asked, ``--screenshot``.
No CDP client, no browser downloads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
)
_CONSOLE = re.compile(r':CONSOLE[^\]]*\] "(?P<message>.*)", source: (?P<source>.*)$')


@dataclass(frozen=True)
class PageRender:
    """What Chromium made of a page: the DOM after scripts ran and the console output."""

    dom: str
    console: tuple[str, ...]

    @property
    def errors(self) -> tuple[str, ...]:
        """Uncaught exceptions and console errors."""
        return tuple(m for m in self.console if "Uncaught" in m or "Error" in m.split(":")[0])


def chromium_executable() -> str | None:
    """The Chromium binary, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """The binary, or skip the test (fail instead under BENCHMIG_REQUIRE_CHROMIUM=1, as in CI)."""
    executable = chromium_executable()
    if executable is None:
        if os.environ.get("BENCHMIG_REQUIRE_CHROMIUM") == "1":
            pytest.fail("BENCHMIG_REQUIRE_CHROMIUM=1 but chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return executable


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="benchmig-chromium-") as profile:
        return subprocess.run(
            [require_chromium(), *_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def render(
    page: Path,
    *,
    screenshot: Path | None = None,
    window: tuple[int, int] = (1400, 1000),
    timeout: float = 90.0,
) -> PageRender:
    """Load ``page`` in headless Chromium; optionally save a PNG screenshot of the viewport."""
    url = page.resolve().as_uri()
    done = _run(["--enable-logging=stderr", "--v=0", "--dump-dom", url], timeout)
    console = tuple(
        match.group("message")
        for line in done.stderr.splitlines()
        if (match := _CONSOLE.search(line)) is not None
    )
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        _run([f"--screenshot={screenshot}", f"--window-size={window[0]},{window[1]}", url], timeout)
    return PageRender(dom=done.stdout, console=console)
