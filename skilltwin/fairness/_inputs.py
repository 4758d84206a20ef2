"""Checks of the inputs of fairness reports: one value per employee, a group label for each."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, TypeAlias

import pandas as pd

from skilltwin._validation import check_unique
from skilltwin.errors import InputValidationError

__all__ = ["Labels", "label_text", "labels_for", "one_column", "scores_and_decisions"]

Labels: TypeAlias = "pd.Series | pd.DataFrame"


def one_column(values: pd.Series | pd.DataFrame, name: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise InputValidationError(
                f"{name} has {values.shape[1]} columns; give one (e.g. scores['profile-id']), "
                "or one report per profile: {p: FairnessReport(scores[p], groups, "
                "threshold=...) for p in scores}.",
                field=name,
            )
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series):
        raise InputValidationError(
            f"{name} must be a pandas Series indexed by employee id, not {type(values).__name__}.",
            field=name,
        )
    if values.empty:
        raise InputValidationError(f"{name} is empty; give at least one employee.", field=name)
    _require_unique(values.index, name)
    return values


def _require_unique(index: pd.Index, name: str) -> None:
    check_unique(index, name, hint="Keep one row per employee.")


def labels_for(ids: pd.Index, groups: Labels) -> pd.DataFrame:
    """The group labels of ``ids``, as a DataFrame with one column per attribute."""
    if isinstance(groups, pd.Series):
        groups = groups.to_frame(name=groups.name if groups.name is not None else "group")
    if not isinstance(groups, pd.DataFrame) or groups.shape[1] == 0:
        raise InputValidationError(
            "groups must be a pandas Series or DataFrame of group labels indexed by employee id.",
            field="groups",
        )
    _require_unique(groups.index, "groups")
    missing = ids.difference(groups.index)
    if len(missing):
        raise InputValidationError(
            f"{len(missing)} of {len(ids)} employees have no group label (e.g. "
            f"{_examples(missing)}); add them to the group table, or leave them out of the "
            "scores (e.g. scores.loc[scores.index.isin(groups.index)]).",
            field="groups",
        )
    labels = groups.loc[ids]
    unlabelled = labels.index[labels.isna().any(axis=1)]
    if len(unlabelled):
        raise InputValidationError(
            f"{len(unlabelled)} of {len(ids)} employees have an empty group label (e.g. "
            f"{_examples(unlabelled)}); label them explicitly, e.g. groups.fillna('unknown').",
            field="groups",
        )
    return labels


def scores_and_decisions(
    values: pd.Series, threshold: float | None, selected: pd.Series | None
) -> tuple[pd.Series | None, pd.Series]:
    """Split the input into (scores or None, boolean decisions), checking both."""
    if threshold is None and selected is None and _is_binary(values):
        return None, _as_decisions(values, "values")
    if pd.api.types.is_bool_dtype(values):
        raise InputValidationError(
            "values are already decisions (True/False); leave out threshold and selected, "
            "or pass scores as values.",
            field="values",
        )
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise InputValidationError(
            f"values must be numeric scores or True/False decisions; found {values.dtype} "
            f"values such as {_examples(values.unique())}. Turn outcomes into decisions first, "
            "e.g. outcomes == 'shortlist'.",
            field="values",
        )
    if values.isna().any():
        raise InputValidationError(
            f"{int(values.isna().sum())} scores are missing (e.g. for "
            f"{_examples(values.index[values.isna()])}); score every employee or drop them.",
            field="values",
        )
    scores = values.astype(float)
    if (threshold is None) == (selected is None):
        raise InputValidationError(
            "values are scores: pass threshold=... (select employees scoring at least that) "
            "or selected=... (the decisions taken), exactly one of them.",
            field="threshold",
        )
    if threshold is not None:
        return scores, (scores >= threshold).rename("selected")
    assert selected is not None
    _require_unique(selected.index, "selected")
    missing = scores.index.difference(selected.index)
    if len(missing):
        raise InputValidationError(
            f"{len(missing)} scored employees have no decision in selected (e.g. "
            f"{_examples(missing)}); give a decision for each scored employee.",
            field="selected",
        )
    return scores, _as_decisions(selected.loc[scores.index], "selected")


def _is_binary(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return True
    return bool(values.notna().all()) and set(values.unique()).issubset({0, 1})


def _as_decisions(values: pd.Series, name: str) -> pd.Series:
    if not _is_binary(values):
        odd = values[~values.isin([0, 1])]
        raise InputValidationError(
            f"{name} must hold decisions, True/False or 1/0; found {len(odd)} other value(s) "
            f"such as {_examples(odd.unique())}. For scores, pass threshold=... instead.",
            field=name,
        )
    return values.astype(bool).rename("selected")


def _examples(items: Any, limit: int = 3) -> str:
    values = items.tolist() if hasattr(items, "tolist") else list(items)
    shown = [repr(item) for item in values[:limit]]
    return ", ".join(shown) + (", ..." if len(items) > limit else "")


def label_text(key: Hashable) -> str:
    return " / ".join(map(str, key)) if isinstance(key, tuple) else str(key)


