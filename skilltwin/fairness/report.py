"""Selection rates and score distributions per group: :class:`FairnessReport`."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from skilltwin._validation import check_choice, check_count, check_number
from skilltwin.errors import InputValidationError
from skilltwin.fairness._inputs import (
    Labels,
    label_text,
    labels_for,
    one_column,
    scores_and_decisions,
)

__all__ = ["DEFAULT_MIN_GROUP_SIZE", "FOUR_FIFTHS", "FairnessReport", "selection_rates"]

DEFAULT_MIN_GROUP_SIZE = 30
"""Groups with fewer employees are marked ``small_group``: their rates are too noisy to judge
(one person moves a rate of 30 by over 3 points) and reporting them can single people out."""

FOUR_FIFTHS = 0.8
"""A group whose selection rate is below this share of the highest group's rate is flagged."""

class FairnessReport:
    """Selection rates and score distributions per group, with adverse-impact ratios.

    Args:
        values: Per employee (index: employee ids), either scores (numbers) or decisions
            (``True``/``False`` or 1/0). A one-column DataFrame is taken as a Series.
        groups: Group labels per employee (index: employee ids), kept apart from scoring: a
            Series (one attribute) or a DataFrame (each combination of its columns is a
            group). Employees in ``groups`` but not in ``values`` are ignored.
        threshold: With scores: employees scoring at least this are *selected*.
        selected: With scores: the decisions taken (booleans per employee), instead of a
            threshold.
        min_group_size: Groups with fewer employees are marked ``small_group`` and are not
            used as the reference group or in :meth:`difference` and :meth:`ratio`.

    Raises:
        ConfigurationError: empty input, duplicate ids, employees without a group label,
            missing or non-numeric scores, non-binary decisions, or scores with neither a
            ``threshold`` nor ``selected``.
    """

    def __init__(
        self,
        values: pd.Series | pd.DataFrame,
        groups: Labels,
        *,
        threshold: float | None = None,
        selected: pd.Series | None = None,
        min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    ):
        check_count(min_group_size, "min_group_size", minimum=1,
                    hint="Give the smallest group size worth judging.")
        if threshold is not None:
            check_number(threshold, "threshold", hint="Give the score from which an employee "
                         "counts as selected.")
        series = one_column(values, "values")
        labels = labels_for(series.index, groups)
        self.threshold = threshold
        self.min_group_size = min_group_size
        self.scores, self.selected = scores_and_decisions(series, threshold, selected)
        self.group_names: list[str] = [str(c) for c in labels.columns]
        self._keys = [labels[c] for c in labels.columns]
        self.by_group: pd.DataFrame = self._metrics()
        """Per group: ``headcount``, ``selected``, ``selection_rate``, ``small_group`` and, with
        scores, ``mean_score``, ``median_score``, ``mean_score_difference`` (group mean minus
        everyone else's) and the two-sample Kolmogorov-Smirnov ``ks_statistic`` and
        ``ks_pvalue`` (group versus everyone else)."""

    # -- computing ---------------------------------------------------------------------------

    def _metrics(self) -> pd.DataFrame:
        chosen = self.selected.astype(int)
        grouped = chosen.groupby(self._keys, sort=True, dropna=False)
        frame = pd.DataFrame({"headcount": grouped.size(), "selected": grouped.sum()})
        frame["selection_rate"] = frame["selected"] / frame["headcount"]
        if self.scores is not None:
            scores = self.scores.groupby(self._keys, sort=True, dropna=False)
            frame["mean_score"] = scores.mean()
            frame["median_score"] = scores.median()
            frame = frame.join(self._versus_rest(), how="left")
        frame["small_group"] = frame["headcount"] < self.min_group_size
        return frame

    def _versus_rest(self) -> pd.DataFrame:
        """Each group's scores against everyone else's: mean difference and KS test."""
        assert self.scores is not None
        scores = self.scores.to_numpy(dtype=float)
        rows = {}
        grouped = self.scores.groupby(self._keys, sort=True, dropna=False)
        for key, positions in grouped.indices.items():
            inside = np.zeros(len(scores), dtype=bool)
            inside[positions] = True
            rest = scores[~inside]
            if len(rest) == 0:
                rows[key] = (np.nan, np.nan, np.nan)
                continue
            test = stats.ks_2samp(scores[inside], rest)
            rows[key] = (scores[inside].mean() - rest.mean(), test.statistic, test.pvalue)
        index = self._index(list(rows))
        return pd.DataFrame(
            list(rows.values()), index=index,
            columns=["mean_score_difference", "ks_statistic", "ks_pvalue"],
        )

    def _index(self, keys: list[Any]) -> pd.Index:
        """An index for group ``keys`` named like the group columns."""
        if len(self.group_names) == 1:
            index: pd.Index = pd.Index([k[0] if isinstance(k, tuple) else k for k in keys],
                                       name=self.group_names[0])
            return index
        return pd.MultiIndex.from_tuples(keys, names=self.group_names)

    # -- results -----------------------------------------------------------------------------

    @property
    def overall(self) -> pd.Series:
        """The same metrics for everyone together."""
        values: dict[str, Any] = {
            "headcount": len(self.selected),
            "selected": int(self.selected.sum()),
            "selection_rate": float(self.selected.mean()),
        }
        if self.scores is not None:
            values["mean_score"] = float(self.scores.mean())
            values["median_score"] = float(self.scores.median())
        return pd.Series(values, dtype=object)

    def _judged(self, include_small: bool) -> pd.DataFrame:
        """The groups to compare: those large enough, or all when none is (or when asked)."""
        large = self.by_group[~self.by_group["small_group"]]
        return self.by_group if include_small or large.empty else large

    @property
    def reference_group(self) -> Any:
        """The group with the highest selection rate among groups large enough to judge."""
        return self._judged(include_small=False)["selection_rate"].idxmax()

    def adverse_impact_ratio(self) -> pd.Series:
        """Each group's selection rate divided by the :attr:`reference_group`'s rate.

        ``NaN`` when nobody in the reference group was selected.
        """
        highest = self.by_group.loc[self.reference_group, "selection_rate"]
        rates = self.by_group["selection_rate"]
        ratio = rates / highest if highest > 0 else rates * np.nan
        return ratio.rename("adverse_impact_ratio")

    def flagged_groups(self) -> list[Hashable]:
        """Groups large enough to judge whose ratio is below :data:`FOUR_FIFTHS`."""
        frame = self.to_frame()
        return list(frame.index[frame["below_four_fifths"] & ~frame["small_group"]])

    def difference(self, metric: str = "selection_rate", *, include_small: bool = False) -> float:
        """Largest minus smallest value of ``metric`` across groups."""
        column = self._metric(metric, include_small)
        return float(column.max() - column.min())

    def ratio(self, metric: str = "selection_rate", *, include_small: bool = False) -> float:
        """Smallest divided by largest value of ``metric`` across groups (NaN if largest is 0)."""
        column = self._metric(metric, include_small)
        largest = column.max()
        return float(column.min() / largest) if largest > 0 else float("nan")

    def _metric(self, metric: str, include_small: bool) -> pd.Series:
        numeric = ["selection_rate", "mean_score", "median_score"]
        available = [m for m in numeric if m in self.by_group]
        if metric in numeric and metric not in available:
            raise InputValidationError(
                f"{metric!r} is a score metric and score metrics need scores; this report "
                f"holds decisions only: use {', '.join(available)}.", field="metric")
        check_choice(metric, "metric", available)
        return self._judged(include_small)[metric]

    def to_frame(self) -> pd.DataFrame:
        """:attr:`by_group` with ``adverse_impact_ratio`` and ``below_four_fifths`` added."""
        frame = self.by_group.copy()
        frame["adverse_impact_ratio"] = self.adverse_impact_ratio()
        frame["below_four_fifths"] = frame["adverse_impact_ratio"] < FOUR_FIFTHS
        return frame

    def summary(self) -> str:
        """The findings in plain language, one group per line."""
        frame = self.to_frame()
        overall = self.overall
        how = (f"score at least {self.threshold:g}" if self.threshold is not None
               else "decisions as given")
        lines = [
            f"Selection by {' / '.join(self.group_names)} ({how}): {overall['selected']} of "
            f"{overall['headcount']} employees selected ({overall['selection_rate']:.1%}), "
            f"{len(frame)} groups.",
        ]
        reference = self.reference_group
        ref_rate = frame.loc[reference, "selection_rate"]
        if ref_rate > 0:
            lines.append(f"Reference: {label_text(reference)}, the highest selection rate "
                         f"({ref_rate:.1%}) among groups large enough to judge.")
        else:
            lines.append("Nobody in the reference group was selected, so ratios are undefined.")
        for key, row in frame.iterrows():
            lines.append("- " + self._describe(key, row))
        flagged = self.flagged_groups()
        if flagged:
            lines.append(
                f"{len(flagged)} group(s) below the four-fifths guideline: "
                f"{', '.join(label_text(k) for k in flagged)}. Look closer at how these selections "
                "came about before relying on them."
            )
        else:
            lines.append("No group large enough to judge is below the four-fifths guideline.")
        lines.append(
            "The four-fifths rule is a rule of thumb for spotting possible adverse impact, not "
            "a legal test; a flag calls for a human review, and its absence proves no fairness."
        )
        return "\n".join(lines)

    def _describe(self, key: Hashable, row: pd.Series) -> str:
        text = (f"{label_text(key)}: {int(row['selected'])} of {int(row['headcount'])} selected "
                f"({row['selection_rate']:.1%})")
        ratio = row["adverse_impact_ratio"]
        if not np.isnan(ratio):
            text += f", {ratio:.2f} of the reference rate"
        if "mean_score" in row:
            text += f"; mean score {row['mean_score']:.3f}"
            if not np.isnan(row["mean_score_difference"]):
                text += (f" ({row['mean_score_difference']:+.3f} versus everyone else, "
                         f"KS distance {row['ks_statistic']:.2f}, p={row['ks_pvalue']:.3g})")
        if row["small_group"]:
            text += (f". Too few employees to judge ({int(row['headcount'])} < "
                     f"{self.min_group_size}): treat these figures with great caution")
        elif row["below_four_fifths"]:
            text += f". Below the four-fifths ({FOUR_FIFTHS:.0%}) guideline"
        return text + "."

    def __repr__(self) -> str:
        return (f"FairnessReport(groups={self.group_names}, headcount={len(self.selected)}, "
                f"flagged={[label_text(k) for k in self.flagged_groups()]})")

    def _repr_html_(self) -> str:
        from skilltwin._html import bullets, card, escape, table

        lines = self.summary().splitlines()
        prose = [line for line in lines if line and not line.startswith("- ")]
        notes = "".join(f"<p>{escape(line)}</p>" for line in prose[2:])
        return card(prose[0] if prose else "", " ".join(prose[1:2]),
                    bullets(line[2:] for line in lines if line.startswith("- ")) + notes
                    + table(self.to_frame(), max_rows=100, float_format=".3f"))


def selection_rates(
    selected: pd.Series | pd.DataFrame,
    groups: Labels,
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Per group: ``headcount``, ``selected``, ``selection_rate``, ``adverse_impact_ratio``,
    ``below_four_fifths`` and ``small_group``, from decisions (booleans per employee).

    A shortcut for ``FairnessReport(selected, groups).to_frame()``.
    """
    frame = FairnessReport(selected, groups, min_group_size=min_group_size).to_frame()
    return frame[["headcount", "selected", "selection_rate", "adverse_impact_ratio",
                  "below_four_fifths", "small_group"]]
