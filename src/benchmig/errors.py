"""The one exception root of benchmig and the exit codes the CLI maps errors to.

Exit codes, everywhere (see docs/architecture.md):

* ``0`` success;
* ``1`` a finding the user asked to fail on (a regression, ``--check`` would change files);
* ``2`` usage or input error;
* ``3`` partial failure (some benchmarks or files failed, the rest completed and were written).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


class BenchmigError(Exception):
    """Root of every error benchmig raises on purpose.

    The message says what went wrong, where, and what to do; the CLI exits with ``exit_code``.
    """

    exit_code: int = EXIT_USAGE


class InputError(BenchmigError):
    """A file, option or argument given by the user cannot be used (exit 2)."""


class DuplicateBenchmarkError(InputError):
    """Two benchmarks were registered under one name."""


class UnknownBenchmarkError(InputError):
    """A benchmark name that no registry holds."""


class BenchmarkLoadError(InputError):
    """A benchmark file, folder or module could not be imported."""


class SchemaVersionError(InputError):
    """A JSON document of an unknown or future schema version."""
