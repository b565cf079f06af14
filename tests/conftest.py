"""Shared test configuration: CI refuses to skip the torch tests silently."""

from __future__ import annotations

import importlib.util
import os

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    """With BENCHMIG_REQUIRE_TORCH=1 (set by .ci/run), a missing torch is an error, not a skip."""
    if (
        os.environ.get("BENCHMIG_REQUIRE_TORCH") == "1"
        and importlib.util.find_spec("torch") is None
    ):
        pytest.exit("BENCHMIG_REQUIRE_TORCH=1 but torch is not installed", returncode=2)
