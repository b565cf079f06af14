"""The browser-test helper itself: it sees script errors and the DOM after scripts ran."""

from __future__ import annotations

from pathlib import Path

from tests.chromium import render, require_chromium


def test_render_reports_dom_and_uncaught_errors(tmp_path: Path) -> None:
    require_chromium()
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p id=p>before</p><script>"
        "document.getElementById('p').textContent='after'; missingFunction();"
        "</script></body></html>"
    )
    shot = tmp_path / "shot.png"
    result = render(page, screenshot=shot, window=(400, 300))
    assert ">after<" in result.dom
    assert any("missingFunction is not defined" in e for e in result.errors)
    assert shot.read_bytes().startswith(b"\x89PNG")
