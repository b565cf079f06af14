"""Timing helpers."""
import time
import logging

logger = logging.getLogger(__name__)


class Timer:
    """Context manager timing a block."""

    def __init__(self, name="block"):
        self.name = name
        self.start = None
        self.elapsed_ms = None

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.elapsed_ms = (time.perf_counter() - self.start) * 1000.0
        logger.info("%s took %.3f ms", self.name, self.elapsed_ms)
        return False
