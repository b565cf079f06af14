"""The ``migrate`` command line: parse options, call the library, map outcomes to exit codes.

Exit codes (everywhere): 0 success; 1 a finding the user asked to fail on (a regression,
``--check`` would change files); 2 usage or input error; 3 partial failure (some benchmarks or
files failed, the rest completed and were written). Progress goes to stderr, data to stdout.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from benchmig import __version__
from benchmig.errors import EXIT_FINDING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, BenchmigError

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Decorator: turn library errors into one clear message and the documented exit code."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BenchmigError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="benchmig")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """Move legacy benchmark scripts onto one benchmark framework, and run them."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def run_main() -> None:
    """Console-script entry point."""
    main(prog_name="migrate")


# Each module adds its commands to `main`; imported last because they import `main` from here.
from benchmig.cli import _analyze as _analyze  # noqa: E402
from benchmig.cli import _apply as _apply  # noqa: E402
from benchmig.cli import _framework as _framework  # noqa: E402
from benchmig.cli import _history as _history  # noqa: E402
from benchmig.cli import _report as _report  # noqa: E402

__all__ = ["EXIT_FINDING", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "guarded", "main", "run_main"]
