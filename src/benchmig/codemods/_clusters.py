"""Duplicate clusters: one decision, taken on the representative, applied to every member.

The analysis groups near-identical files (211 generated copies of one template are one
cluster). The representative is rewritten first; its strategy and reasons are the cluster's
decision, handed to each member's rewrite (``DECISION_KEY``). Each member's own code is still
transformed; a member whose outcome does not match the decision is named in the cluster's
report (and warned about in its own), so a person checks the odd one out, not all 211.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from benchmig.codemods._outcome import FileOutcome
from benchmig.codemods._plan import ApplyPlan

__all__ = ["ClusterOutcome", "decide_clusters"]


@dataclass(frozen=True)
class ClusterOutcome:
    """The decision for one duplicate cluster, reported once."""

    id: str
    representative: str
    members: tuple[str, ...]
    strategy: str
    reasons: tuple[str, ...] = ()
    misfits: tuple[tuple[str, str], ...] = ()  # (path, how it differs from the decision)
    similarity: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``migrate apply --report``)."""
        return {
            "id": self.id,
            "representative": self.representative,
            "members": list(self.members),
            "size": len(self.members),
            "similarity": self.similarity,
            "strategy": self.strategy,
            "reasons": list(self.reasons),
            "misfits": [{"path": p, "why": why} for p, why in self.misfits],
        }


def _misfit(outcome: FileOutcome, decision: FileOutcome) -> str | None:
    if outcome.status == "error" and decision.status != "error":
        return f"its rewrite failed: {outcome.error}"
    if outcome.strategy != decision.strategy:
        return f"became {outcome.strategy}, the cluster's decision is {decision.strategy}"
    counts = (len(outcome.units), len(decision.units))
    if counts[0] != counts[1]:
        return f"{counts[0]} migrated unit(s), the representative has {counts[1]}"
    return None


def decide_clusters(
    plan: ApplyPlan, outcomes: Mapping[str, FileOutcome]
) -> tuple[tuple[ClusterOutcome, ...], dict[str, FileOutcome]]:
    """The report of every cluster (members present in ``outcomes``) and the outcomes with a
    warning on each misfit."""
    updated = dict(outcomes)
    reports = []
    for cluster in plan.clusters:
        members = tuple(m for m in cluster.members if m in outcomes)
        decision = outcomes.get(cluster.representative)
        if decision is None or len(members) < 2:
            continue
        misfits = []
        for member in members:
            if member == cluster.representative:
                continue
            why = _misfit(outcomes[member], decision)
            if why is not None:
                misfits.append((member, why))
                note = (
                    f"{member}: duplicate of {cluster.representative} (cluster {cluster.id}) "
                    f"but {why}"
                )
                updated[member] = replace(
                    updated[member], warnings=(*updated[member].warnings, note)
                )
        reasons = tuple(dict.fromkeys(r for u in decision.units for r in u.reasons))
        if decision.error:
            reasons = (*reasons, decision.error)
        reports.append(
            ClusterOutcome(
                cluster.id,
                cluster.representative,
                members,
                decision.strategy,
                reasons,
                tuple(misfits),
                cluster.similarity,
            )
        )
    return tuple(reports), updated
