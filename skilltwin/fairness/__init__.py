"""Layer 5: group-level fairness checks of scores and decisions, and invariance checks of
scorers.

Group labels (gender, age band, nationality...) come in a *separate* table indexed by employee
id; they are never an input to scoring, only to these checks. :class:`FairnessReport` compares
groups on selection rates (the four-fifths rule of thumb) and on score distributions, and marks
groups too small to judge. :func:`check_invariance` re-runs a scorer on twins whose attributes
(name, age, gender, past job titles...) were changed and lists every score that moved.

See ``docs/oversight.md`` for what the numbers mean and do not mean.
"""

from skilltwin.fairness.invariance import (
    DEFAULT_PERTURBATIONS,
    InvarianceResult,
    check_invariance,
    with_attributes,
)
from skilltwin.fairness.report import (
    DEFAULT_MIN_GROUP_SIZE,
    FOUR_FIFTHS,
    FairnessReport,
    selection_rates,
)

__all__ = [
    "DEFAULT_MIN_GROUP_SIZE",
    "DEFAULT_PERTURBATIONS",
    "FOUR_FIFTHS",
    "FairnessReport",
    "InvarianceResult",
    "check_invariance",
    "selection_rates",
    "with_attributes",
]
