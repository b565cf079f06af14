"""``python -m benchmig.cli``: the same as the ``migrate`` command."""

from benchmig.cli import run_main

run_main()
