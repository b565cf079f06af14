"""A ``<verb> N/M files`` progress line on stderr, for the commands that walk a tree."""

from __future__ import annotations

import sys
import time

import click

__all__ = ["ProgressLine"]


class ProgressLine:
    """At most twice a second, rewritten in place on a terminal; elsewhere (a CI log, a pipe)
    a line of its own at most every half minute, and the final count, instead of a run of
    carriage returns."""

    LOG_INTERVAL_S = 30.0

    def __init__(self, verb: str, quiet: bool) -> None:
        self.verb = verb
        self.quiet = quiet
        self.terminal = sys.stderr.isatty()
        self.last = 0.0 if self.terminal else time.monotonic()  # a log: no line at the start

    def update(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` (the last call has ``done == total``)."""
        final = done == total
        now = time.monotonic()
        interval = 0.5 if self.terminal else self.LOG_INTERVAL_S
        if self.quiet or (not final and now - self.last < interval):
            return
        self.last = now
        prefix = "\r" if self.terminal else ""
        text = f"{prefix}{self.verb} {done}/{total} files"
        click.echo(text, err=True, nl=final or not self.terminal)

    def message(self, text: str) -> None:
        """A line of its own (an error), starting at the left margin even mid-progress."""
        click.echo(("\r" if self.terminal else "") + text, err=True)
