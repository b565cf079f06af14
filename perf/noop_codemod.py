"""A codemod that changes nothing: the baseline of perf/apply_throughput.py.

``python -m libcst.tool codemod -x noop_codemod.NoopCommand`` with ``perf/`` on ``PYTHONPATH``
parses each file with LibCST, visits every node, and writes nothing back.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand


class NoopCommand(VisitorBasedCodemodCommand):
    """Visit every node, change nothing."""

    DESCRIPTION = "Visit every node and change nothing (a timing baseline)."

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        """Return the module as parsed."""
        return original_node
