"""Fairness checks as the store's audit log records them (``store.record_fairness_check``).

The works council request states which checks were run and what they found, so each check is
recorded as one ``fairness_check`` entry without a subject. The entry holds counts and
rates only — never group labels, employee ids or scores of a person: a label of a group
(which could be an employee id when someone groups by id) would be personal data outside
every subject's entries, and survive their erasure.
"""

from __future__ import annotations

import math
from typing import Any

from skilltwin.errors import ConfigurationError
from skilltwin.fairness import FOUR_FIFTHS, FairnessReport, InvarianceResult

__all__ = ["fairness_record"]


def fairness_record(check: FairnessReport | InvarianceResult) -> dict[str, Any]:
    """What the log keeps of ``check``: its kind, what was compared and the outcome in
    numbers."""
    if isinstance(check, FairnessReport):
        frame = check.to_frame()
        judged = frame[~frame["small_group"]]
        ratios = [float(r) for r in judged["adverse_impact_ratio"] if not math.isnan(r)]
        return {
            "check": "selection_rates",
            "attributes": list(check.group_names),
            "employees": len(check.selected),
            "groups": len(frame),
            "small_groups": int(frame["small_group"].sum()),
            "min_group_size": int(check.min_group_size),
            "threshold": check.threshold,
            "selection_rate": round(float(check.selected.mean()), 6),
            "flagged_groups": len(check.flagged_groups()),
            "lowest_ratio": round(min(ratios), 6) if ratios else None,
            "guideline": FOUR_FIFTHS,
        }
    if isinstance(check, InvarianceResult):
        return {
            "check": "invariance",
            "perturbations": [str(p) for p in check.perturbations],
            "scores_moved": len(check.changes),
            "ok": bool(check.ok),
        }
    raise ConfigurationError(
        f"record_fairness_check takes a FairnessReport or an InvarianceResult (from "
        f"skilltwin.fairness), not {type(check).__name__}.")
