"""A ``<verb> N/M files`` progress line on stderr, for the commands that walk a tree."""

from __future__ import annotations

import sys
import time

import click

__all__ = ["ProgressLine"]


class ProgressLine:
    """At most twice a second, rewritten in place on a terminal; elsewhere (a CI log, a pipe)
    only the final count, on a line of its own, instead of a run of carriage returns."""

    def __init__(self, verb: str, quiet: bool) -> None:
        self.verb = verb
        self.quiet = quiet
        self.last = 0.0
        self.terminal = sys.stderr.isatty()

    def update(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` (the last call has ``done == total``)."""
        final = done == total
        now = time.monotonic()
        if self.quiet or (not final and (not self.terminal or now - self.last < 0.5)):
            return
        self.last = now
        prefix = "\r" if self.terminal else ""
        click.echo(f"{prefix}{self.verb} {done}/{total} files", err=True, nl=final)

    def message(self, text: str) -> None:
        """A line of its own (an error), starting at the left margin even mid-progress."""
        click.echo(("\r" if self.terminal else "") + text, err=True)
