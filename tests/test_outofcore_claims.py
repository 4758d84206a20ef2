"""Claims tables: levels equal to EmployeeTwin's, and clear errors for bad rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from skilltwin.errors import ConfigurationError
from skilltwin.outofcore import UnknownSkillsWarning, claim_levels
from skilltwin.twin import EmployeeTwin, LevelPolicy

AS_OF = dt.date(2025, 6, 1)
SOURCES = ["self", "manager", "certificate", "assessment", "inferred"]


def random_claims(taxonomy, *, employees: int, per_employee: int, seed: int) -> pd.DataFrame:
    """Claims with repeated skills, several sources, same-day ties and future dates."""
    rng = np.random.default_rng(seed)
    skills = taxonomy.skills_frame()
    uris = skills.index.to_numpy()[rng.choice(len(skills), size=40, replace=False)]
    labels = skills.loc[uris, "label"].to_numpy()
    rows = []
    for number in range(employees):
        for _ in range(per_employee):
            pick = int(rng.integers(0, 12))  # few skills: many claims per skill
            rows.append({
                "employee_id": f"E{number:03d}",
                "skill": uris[pick] if rng.random() < 0.7 else labels[pick],
                "level": float(rng.choice([0, 1, 1.5, 2, 3, 4, 2.7])),
                "source": str(rng.choice(SOURCES)),
                "observed": (dt.date(2023, 1, 1)
                             + dt.timedelta(days=int(rng.integers(0, 1000)))).isoformat(),
                "confidence": float(rng.choice([1.0, 0.9, 0.35, 0.7, 0.0])),
            })
    return pd.DataFrame(rows)


def twin_levels(frame, taxonomy, policy) -> dict[tuple[str, str], float]:
    twins = EmployeeTwin.from_frame(frame, taxonomy=taxonomy, level_policy=policy)
    return {(t.employee_id, uri): level for t in twins
            for uri, level in t.levels(as_of=AS_OF).items()}


@pytest.mark.parametrize("policy", [
    LevelPolicy(),
    LevelPolicy(half_life_years=1.5),
    LevelPolicy(trust={"self": 0.55, "manager": 0.8, "assessment": 1.0, "certificate": 0.0}),
])
def test_table_levels_are_identical_to_employee_twin_levels(esco, policy):
    frame = random_claims(esco, employees=60, per_employee=25, seed=3)
    expected = twin_levels(frame, esco, policy)
    table = claim_levels(frame, esco, level_policy=policy, as_of=AS_OF)
    got = {(e, u): lv for e, u, lv in table.itertuples(index=False)}
    assert len(expected) > 300
    assert got == expected  # exact float equality, not approximate


def test_missing_optional_columns_take_the_twin_defaults(esco):
    frame = pd.DataFrame({"employee_id": ["a", "a", "b"],
                          "skill": ["SQL", "manage budgets", "SQL"]})
    table = claim_levels(frame, esco, as_of=dt.date.today())
    twins = EmployeeTwin.from_frame(frame, taxonomy=esco)
    expected = {(t.employee_id, u): v for t in twins for u, v in t.levels().items()}
    assert {(e, u): v for e, u, v in table.itertuples(index=False)} == expected
    assert set(table["level"]) == {2.0}


def test_a_blank_level_is_rejected_not_the_default(esco):
    frame = pd.DataFrame({"employee_id": ["a", "a", "b"],
                          "skill": ["SQL", "manage budgets", "SQL"],
                          "level": [3, None, 1]})
    with pytest.raises(ConfigurationError, match=r"claims row 2 \(employee 'a', skill 'manage "
                                                 r"budgets'\) rejected: level is blank"):
        claim_levels(frame, esco, as_of=dt.date.today())


def test_a_table_without_employee_id_names_the_column(esco):
    with pytest.raises(ConfigurationError, match="no column 'employee_id'"):
        claim_levels(pd.DataFrame({"person": ["a"], "skill": ["SQL"]}), esco)


def test_a_level_outside_the_scale_names_the_row(esco):
    frame = pd.DataFrame({"employee_id": ["a", "b"], "skill": ["SQL", "SQL"], "level": [2, 7]})
    with pytest.raises(ConfigurationError, match=r"row 2 \(employee 'b', skill 'SQL'\).*level "
                                                 r"outside the scale .*: 7"):
        claim_levels(frame, esco)


def test_a_claim_without_employee_names_the_row(esco):
    frame = pd.DataFrame({"employee_id": ["a", None], "skill": ["SQL", "SQL"]})
    with pytest.raises(ConfigurationError, match=r"row 2 .*rejected: missing employee id"):
        claim_levels(frame, esco)


def test_unknown_skills_raise_with_counts_or_are_skipped_and_reported(esco):
    frame = pd.DataFrame({"employee_id": ["a", "a", "b", "b"],
                          "skill": ["SQL", "juggling fire", "juggling fire", "SQL"]})
    with pytest.raises(ConfigurationError, match=r"2 claim\(s\) name 1 skill.*'juggling fire' "
                                                 r"\(row 2\)"):
        claim_levels(frame, esco)
    with pytest.warns(UnknownSkillsWarning, match="2 claim"):
        table = claim_levels(frame, esco, on_unknown="skip")
    assert table.attrs["unknown_skills"] == {"juggling fire": 2}
    assert sorted(table["employee_id"]) == ["a", "b"]


@pytest.mark.parametrize(("column", "value", "message"), [
    ("level", "high", "level is not a number: high"),
    ("level", True, "level is a yes/no value, not a number: True"),
    ("level", -1, r"level outside the scale skilltwin 0-4 \(0-4\): -1"),
    ("confidence", 1.5, "confidence outside 0-1: 1.5"),
    ("source", "boss", "source is not one of self, manager, .*: boss"),
    ("observed", "last week", r"observed date missing or not an ISO date \(YYYY-MM-DD\): "
                              "last week"),
])
def test_bad_values_name_the_row_and_the_field(esco, column, value, message):
    frame = pd.DataFrame({"employee_id": ["a", "b", "c"], "skill": ["SQL"] * 3})
    good = {"level": 2, "confidence": 1, "source": "self", "observed": "2024-01-01"}[column]
    frame[column] = pd.Series([good, value, good], dtype=object)
    with pytest.raises(ConfigurationError, match=rf"claims row 2 \(employee 'b'.*{message}"):
        claim_levels(frame, esco)


def test_importing_skilltwin_and_its_scale_package_does_not_load_dask():
    import subprocess
    import sys

    code = ("import sys, skilltwin, skilltwin.outofcore, skilltwin.cli.main; "
            "skilltwin.cli.main.build_parser(); "
            "print(sorted(m for m in ('dask', 'distributed', 'torch') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
