"""Group-level fairness checks of scores and decisions, and invariance checks of scorers.

Group labels (gender, age band, nationality...) come in a *separate* table indexed by employee
id; they are never an input to scoring, only to these checks. :class:`FairnessReport` compares
groups on selection rates (the four-fifths rule of thumb) and on score distributions, and marks
groups too small to judge. :func:`check_invariance` re-runs a scorer on twins whose attributes
(name, age, gender, past job titles...) were changed and lists every score that moved.

See ``docs/oversight.md`` for what the numbers mean and do not mean.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import numpy as np
import pandas as pd
from scipy import stats

from skilltwin.errors import ConfigurationError, OversightError

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

DEFAULT_MIN_GROUP_SIZE = 30
"""Groups with fewer employees are marked ``small_group``: their rates are too noisy to judge
(one person moves a rate of 30 by over 3 points) and reporting them can single people out."""

FOUR_FIFTHS = 0.8
"""A group whose selection rate is below this share of the highest group's rate is flagged."""

_Labels: TypeAlias = "pd.Series | pd.DataFrame"


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
        groups: _Labels,
        *,
        threshold: float | None = None,
        selected: pd.Series | None = None,
        min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    ):
        if min_group_size < 1:
            raise ConfigurationError(f"min_group_size must be at least 1, not {min_group_size}.")
        series = _one_column(values, "values")
        labels = _labels_for(series.index, groups)
        self.threshold = threshold
        self.min_group_size = min_group_size
        self.scores, self.selected = _scores_and_decisions(series, threshold, selected)
        self.group_names: list[str] = [str(c) for c in labels.columns]
        self._keys = [labels[c] for c in labels.columns]
        self.by_group: pd.DataFrame = self._metrics()
        """Per group: ``n``, ``selected``, ``selection_rate``, ``small_group`` and, with
        scores, ``mean_score``, ``median_score``, ``mean_score_difference`` (group mean minus
        everyone else's) and the two-sample Kolmogorov-Smirnov ``ks_statistic`` and
        ``ks_pvalue`` (group versus everyone else)."""

    # -- computing ---------------------------------------------------------------------------

    def _metrics(self) -> pd.DataFrame:
        chosen = self.selected.astype(int)
        grouped = chosen.groupby(self._keys, sort=True, dropna=False)
        frame = pd.DataFrame({"n": grouped.size(), "selected": grouped.sum()})
        frame["selection_rate"] = frame["selected"] / frame["n"]
        if self.scores is not None:
            scores = self.scores.groupby(self._keys, sort=True, dropna=False)
            frame["mean_score"] = scores.mean()
            frame["median_score"] = scores.median()
            frame = frame.join(self._versus_rest(), how="left")
        frame["small_group"] = frame["n"] < self.min_group_size
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
            return pd.Index([k[0] if isinstance(k, tuple) else k for k in keys],
                            name=self.group_names[0])
        return pd.MultiIndex.from_tuples(keys, names=self.group_names)

    # -- results -----------------------------------------------------------------------------

    @property
    def overall(self) -> pd.Series:
        """The same metrics for everyone together."""
        values: dict[str, Any] = {
            "n": len(self.selected),
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
        if metric not in numeric or metric not in self.by_group:
            available = [m for m in numeric if m in self.by_group]
            raise ConfigurationError(
                f"cannot compare groups on {metric!r}; choose one of {available}"
                + ("" if self.scores is not None else " (score metrics need scores)")
                + "."
            )
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
            f"{overall['n']} employees selected ({overall['selection_rate']:.1%}), "
            f"{len(frame)} groups.",
        ]
        reference = self.reference_group
        ref_rate = frame.loc[reference, "selection_rate"]
        if ref_rate > 0:
            lines.append(f"Reference: {_label(reference)}, the highest selection rate "
                         f"({ref_rate:.1%}) among groups large enough to judge.")
        else:
            lines.append("Nobody in the reference group was selected, so ratios are undefined.")
        for key, row in frame.iterrows():
            lines.append("- " + self._describe(key, row))
        flagged = self.flagged_groups()
        if flagged:
            lines.append(
                f"{len(flagged)} group(s) below the four-fifths guideline: "
                f"{', '.join(_label(k) for k in flagged)}. Look closer at how these selections "
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
        text = (f"{_label(key)}: {int(row['selected'])} of {int(row['n'])} selected "
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
            text += (f". Too few employees to judge ({int(row['n'])} < {self.min_group_size}): "
                     "treat these figures with great caution")
        elif row["below_four_fifths"]:
            text += f". Below the four-fifths ({FOUR_FIFTHS:.0%}) guideline"
        return text + "."

    def __repr__(self) -> str:
        return (f"FairnessReport(groups={self.group_names}, n={len(self.selected)}, "
                f"flagged={[_label(k) for k in self.flagged_groups()]})")

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
    groups: _Labels,
    *,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> pd.DataFrame:
    """Per group: ``n``, ``selected``, ``selection_rate``, ``adverse_impact_ratio``,
    ``below_four_fifths`` and ``small_group``, from decisions (booleans per employee).

    A shortcut for ``FairnessReport(selected, groups).to_frame()``.
    """
    frame = FairnessReport(selected, groups, min_group_size=min_group_size).to_frame()
    return frame[["n", "selected", "selection_rate", "adverse_impact_ratio",
                  "below_four_fifths", "small_group"]]


# -- input checks ------------------------------------------------------------------------------


def _one_column(values: pd.Series | pd.DataFrame, name: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ConfigurationError(
                f"{name} has {values.shape[1]} columns; give one (e.g. scores['profile-id']), "
                "or one report per profile: {p: FairnessReport(scores[p], groups, "
                "threshold=...) for p in scores}."
            )
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series):
        raise ConfigurationError(
            f"{name} must be a pandas Series indexed by employee id, not {type(values).__name__}."
        )
    if values.empty:
        raise ConfigurationError(f"{name} is empty; give at least one employee.")
    _require_unique(values.index, name)
    return values


def _require_unique(index: pd.Index, name: str) -> None:
    duplicated = index[index.duplicated()].unique()
    if len(duplicated):
        raise ConfigurationError(
            f"{name} lists {len(duplicated)} employee id(s) more than once (e.g. "
            f"{_examples(duplicated)}); keep one row per employee."
        )


def _labels_for(ids: pd.Index, groups: _Labels) -> pd.DataFrame:
    """The group labels of ``ids``, as a DataFrame with one column per attribute."""
    if isinstance(groups, pd.Series):
        groups = groups.to_frame(name=groups.name if groups.name is not None else "group")
    if not isinstance(groups, pd.DataFrame) or groups.shape[1] == 0:
        raise ConfigurationError(
            "groups must be a pandas Series or DataFrame of group labels indexed by employee id."
        )
    _require_unique(groups.index, "groups")
    missing = ids.difference(groups.index)
    if len(missing):
        raise ConfigurationError(
            f"{len(missing)} of {len(ids)} employees have no group label (e.g. "
            f"{_examples(missing)}); add them to the group table, or leave them out of the "
            "scores (e.g. scores.loc[scores.index.isin(groups.index)])."
        )
    labels = groups.loc[ids]
    unlabelled = labels.index[labels.isna().any(axis=1)]
    if len(unlabelled):
        raise ConfigurationError(
            f"{len(unlabelled)} of {len(ids)} employees have an empty group label (e.g. "
            f"{_examples(unlabelled)}); label them explicitly, e.g. groups.fillna('unknown')."
        )
    return labels


def _scores_and_decisions(
    values: pd.Series, threshold: float | None, selected: pd.Series | None
) -> tuple[pd.Series | None, pd.Series]:
    """Split the input into (scores or None, boolean decisions), checking both."""
    if threshold is None and selected is None and _is_binary(values):
        return None, _as_decisions(values, "values")
    if pd.api.types.is_bool_dtype(values):
        raise ConfigurationError(
            "values are already decisions (True/False); leave out threshold and selected, "
            "or pass scores as values."
        )
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ConfigurationError(
            f"values must be numeric scores or True/False decisions; found {values.dtype} "
            f"values such as {_examples(values.unique())}. Turn outcomes into decisions first, "
            "e.g. outcomes == 'shortlist'."
        )
    if values.isna().any():
        raise ConfigurationError(
            f"{int(values.isna().sum())} scores are missing (e.g. for "
            f"{_examples(values.index[values.isna()])}); score every employee or drop them."
        )
    scores = values.astype(float)
    if (threshold is None) == (selected is None):
        raise ConfigurationError(
            "values are scores: pass threshold=... (select employees scoring at least that) "
            "or selected=... (the decisions taken), exactly one of them."
        )
    if threshold is not None:
        return scores, (scores >= threshold).rename("selected")
    assert selected is not None
    _require_unique(selected.index, "selected")
    missing = scores.index.difference(selected.index)
    if len(missing):
        raise ConfigurationError(
            f"{len(missing)} scored employees have no decision in selected (e.g. "
            f"{_examples(missing)}); give a decision for each scored employee."
        )
    return scores, _as_decisions(selected.loc[scores.index], "selected")


def _is_binary(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return True
    return bool(values.notna().all()) and set(values.unique()).issubset({0, 1})


def _as_decisions(values: pd.Series, name: str) -> pd.Series:
    if not _is_binary(values):
        odd = values[~values.isin([0, 1])]
        raise ConfigurationError(
            f"{name} must hold decisions, True/False or 1/0; found {len(odd)} other value(s) "
            f"such as {_examples(odd.unique())}. For scores, pass threshold=... instead."
        )
    return values.astype(bool).rename("selected")


def _examples(items: Any, limit: int = 3) -> str:
    values = items.tolist() if hasattr(items, "tolist") else list(items)
    shown = [repr(item) for item in values[:limit]]
    return ", ".join(shown) + (", ..." if len(items) > limit else "")


def _label(key: Hashable) -> str:
    return " / ".join(map(str, key)) if isinstance(key, tuple) else str(key)


# -- invariance --------------------------------------------------------------------------------

T = TypeVar("T")
Perturbation = Callable[[dict[str, Any]], Mapping[str, Any]]


def _other(current: Any, choices: Sequence[Any]) -> Any:
    return next(choice for choice in choices if choice != current)


DEFAULT_PERTURBATIONS: dict[str, Perturbation] = {
    "name": lambda a: {**a, "name": _other(a.get("name"), ["Alex Example", "Sam Sample"])},
    "age": lambda a: {**a, "age": _other(a.get("age"), [63, 24])},
    "gender": lambda a: {**a, "gender": _other(a.get("gender"), ["female", "male", "non-binary"])},
    "past_job_titles": lambda a: {
        **a, "past_job_titles": _other(a.get("past_job_titles"),
                                       [["Chief Executive Officer"], ["Warehouse assistant"]]),
    },
    "no_attributes": lambda a: {},
}
"""Changes a score must not notice: each sets one attribute to another value (whether or not
the twin had it), and ``no_attributes`` removes them all."""


def with_attributes(twin: T, attributes: Mapping[str, Any]) -> T:
    """A copy of ``twin`` with other ``attributes``; the original is left alone.

    Uses pydantic's ``model_copy(update=...)`` when the object has it, else a shallow copy.
    """
    if hasattr(twin, "model_copy"):
        return twin.model_copy(update={"attributes": dict(attributes)})
    twin_copy = copy.copy(twin)
    twin_copy.attributes = dict(attributes)  # type: ignore[attr-defined]
    return twin_copy


@dataclass(frozen=True)
class InvarianceResult:
    """The outcome of :func:`check_invariance`.

    Attributes:
        perturbations: The names of the changes tried.
        changes: One row per score that moved: ``perturbation``, ``employee_id``,
            ``column``, ``before``, ``after`` (empty when nothing moved).
    """

    perturbations: tuple[str, ...]
    changes: pd.DataFrame

    @property
    def ok(self) -> bool:
        """``True`` when no score moved under any perturbation."""
        return self.changes.empty

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        """What was tried and what moved, in plain language."""
        tried = ", ".join(self.perturbations)
        if self.ok:
            return f"No score changed when these attributes were changed: {tried}."
        moved = self.changes.groupby("perturbation", sort=False).size()
        parts = [f"{name} ({count} score(s))" for name, count in moved.items()]
        return (f"Scores changed when attributes were changed, so the scorer uses them: "
                f"{', '.join(parts)}. Tried: {tried}.")

    def raise_if_changed(self) -> None:
        """Raise :class:`~skilltwin.OversightError` when any score moved."""
        if not self.ok:
            raise OversightError(
                self.summary() + " Remove these attributes from the scoring inputs."
            )


def check_invariance(
    score: Callable[[Sequence[T]], pd.DataFrame | pd.Series],
    twins: Sequence[T],
    *,
    perturb: Mapping[str, Perturbation] | None = None,
    copy_with: Callable[[T, Mapping[str, Any]], T] = with_attributes,
    atol: float = 1e-9,
) -> InvarianceResult:
    """Check that scores ignore the twins' attributes (name, age, gender, past job titles...).

    ``score`` is run on the twins as they are and once per perturbation on copies whose
    ``attributes`` were changed; every score that differs by more than ``atol`` is listed.

    Args:
        score: Scores twins, e.g. ``lambda t: skilltwin.match_frame(t, profiles, taxonomy=esco)``
            (rows: employees; columns: profiles; a Series is one column).
        twins: Objects with an ``attributes`` dict, such as :class:`~skilltwin.EmployeeTwin`.
        perturb: Named changes, each taking a twin's attributes (a copy) and returning new
            ones. Default: :data:`DEFAULT_PERTURBATIONS`.
        copy_with: Makes a twin copy with given attributes (default :func:`with_attributes`).
        atol: Largest difference still counted as unchanged.

    Raises:
        ConfigurationError: no twins, or twins without an ``attributes`` dict.
    """
    if not twins:
        raise ConfigurationError("check_invariance needs at least one twin.")
    for twin in twins:
        if not isinstance(getattr(twin, "attributes", None), Mapping):
            raise ConfigurationError(
                f"check_invariance needs objects with an `attributes` dict (like EmployeeTwin); "
                f"got a {type(twin).__name__} without one."
            )
    perturbations = dict(DEFAULT_PERTURBATIONS if perturb is None else perturb)
    before = _as_frame(score(twins))
    found = []
    for name, change in perturbations.items():
        changed = [copy_with(t, change(dict(t.attributes))) for t in twins]  # type: ignore[attr-defined]
        after = _as_frame(score(changed)).reindex(index=before.index, columns=before.columns)
        found.append(_moved(name, before, after, atol))
    return InvarianceResult(tuple(perturbations), pd.concat(found, ignore_index=True))


def _as_frame(scores: pd.DataFrame | pd.Series) -> pd.DataFrame:
    return scores.to_frame() if isinstance(scores, pd.Series) else scores


def _moved(name: str, before: pd.DataFrame, after: pd.DataFrame, atol: float) -> pd.DataFrame:
    old = before.to_numpy(dtype=float)
    new = after.to_numpy(dtype=float)
    same = np.isclose(old, new, rtol=0.0, atol=atol, equal_nan=True)
    rows, cols = np.nonzero(~same)
    return pd.DataFrame({
        "perturbation": [name] * len(rows),
        "employee_id": before.index[rows],
        "column": before.columns[cols],
        "before": old[rows, cols],
        "after": new[rows, cols],
    })
