"""Importing claims from an HR system's export (CSV, Excel, Parquet or a DataFrame).

Every row is either stored, recognised as a claim the store already holds, or rejected with
its reason in the report: nothing is dropped silently. The whole import is one transaction,
and claims are keyed by their content, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from skilltwin.errors import ConfigurationError, UnknownConceptError
from skilltwin.store._claims import (
    ensure_employees,
    insert_claims,
    now_text,
    set_attributes,
    stored_spellings,
)
from skilltwin.store._keys import claim_keys
from skilltwin.store._schema import tables
from skilltwin.twin.claims import CLAIM_COLUMNS
from skilltwin.twin.rows import check_claim_frame
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["ImportReport", "read_claims_file", "run_import"]

_REQUIRED = ("employee_id", "skill", "level", "observed")
_BATCH = 50_000


@dataclass
class ImportReport:
    """What an import did with every row of its input.

    Attributes:
        source: The file imported (or ``"<DataFrame>"``).
        import_id: The import's number in the store.
        rows: Rows in the input.
        accepted: Claims added to the store.
        duplicates: Valid rows the store already held (or that repeat an earlier row of the
            same input); they add nothing.
        rejected: One row per rejected input row: ``row`` (1 for the first data row),
            ``employee_id``, ``skill`` and ``reason``.
        employees_added: Employees the import added to the store.
    """

    source: str
    import_id: int
    rows: int
    accepted: int
    duplicates: int
    rejected: pd.DataFrame = field(repr=False)
    employees_added: int = 0

    def __str__(self) -> str:
        text = (f"{self.source}: {self.rows} rows, {self.accepted} claims added, "
                f"{self.duplicates} already in the store, {len(self.rejected)} rejected")
        if len(self.rejected):
            reasons = self.rejected["reason"].str.split(":").str[0].value_counts()
            text += " (" + ", ".join(f"{n} {r}" for r, n in reasons.items()) + ")"
        return text


def read_claims_file(path: str | os.PathLike[str], *, sheet: str | int = 0) -> pd.DataFrame:
    """Read an export as text columns: ``.csv``, ``.xlsx``/``.xlsm`` or ``.parquet``."""
    file = Path(path)
    if not file.is_file():
        raise ConfigurationError(f"{file}: no such file; check the path of the export.")
    suffix = file.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(file, sheet_name=sheet, dtype=object)
        if suffix == ".parquet":
            return pd.read_parquet(file)
    except (ValueError, OSError, ImportError) as exc:
        raise ConfigurationError(f"{file}: cannot read the export ({exc}).") from None
    raise ConfigurationError(
        f"{file}: unknown file type {suffix!r}; import .csv, .xlsx or .parquet files (or a "
        "pandas DataFrame)."
    )


def content_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's content (what an import of it is recognised by)."""
    hashed = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    digest = hashlib.sha256(",".join(map(str, frame.columns)).encode("utf-8"))
    digest.update(hashed.tobytes())
    return digest.hexdigest()


def validate(frame: pd.DataFrame, taxonomy: Taxonomy, scale: ProficiencyScale,
             today: dt.date) -> tuple[pd.DataFrame, pd.Series]:
    """Normalised claim columns and, per row, the reason it is rejected ("" when valid).

    The values are checked by the claim check every input path shares
    (:func:`skilltwin.twin.rows.check_claim_frame`); then the skills are resolved.
    """
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise ConfigurationError(
            f"the export lacks column(s) {missing}; it needs one row per claim with "
            f"{', '.join(_REQUIRED)} (and optionally source, confidence, evidence)."
        )
    checked, reasons = check_claim_frame(frame.loc[:, [c for c in CLAIM_COLUMNS
                                                       if c in frame.columns]],
                                         scale=scale, today=today)
    reason = reasons.to_numpy(dtype=object).copy()
    skill_in = checked["skill"].where(reason == "", "").astype(object).fillna("")
    uri, label, company = _resolve(skill_in, taxonomy)
    unknown = (reason == "") & (uri == "").to_numpy()
    if unknown.any():
        reason[unknown] = ("unknown skill: " + skill_in[unknown]
                           + f" is no ESCO skill of {taxonomy.release}").to_numpy()
    shown = pd.Series([str(v).strip() if isinstance(v, str) else ("" if v is None else str(v))
                       for v in frame["employee_id"].to_numpy(dtype=object)],
                      index=frame.index, dtype=object)
    claims = pd.DataFrame({
        "employee_id": checked["employee_id"].where(reason == "", shown),
        "skill_uri": uri, "skill_label": label,
        "level": checked["level"].astype(float), "source": checked["source"],
        "evidence": checked["evidence"], "observed": checked["observed"],
        "confidence": checked["confidence"].astype(float), "company_skill": company,
    })
    return claims, pd.Series(reason, index=frame.index)


def _resolve(skills: pd.Series, taxonomy: Taxonomy
             ) -> tuple[pd.Series, pd.Series, pd.Series]:
    """ESCO URI, label and company skill id per row ("" / None where unknown).

    ESCO URIs are looked up in one vectorised step; other values (labels, company skill ids)
    are resolved once per distinct value.
    """
    labels = taxonomy.skills_frame()["label"]
    label = skills.map(labels)
    uri = skills.where(label.notna(), "")
    company = pd.Series(None, index=skills.index, dtype=object)
    others = skills[label.isna() & (skills != "")]
    for value in others.unique():
        if value not in taxonomy:
            continue
        try:
            best = taxonomy.resolve_skill(value)[0]
        except (UnknownConceptError, ConfigurationError):
            continue
        rows = (others == value).reindex(skills.index, fill_value=False).to_numpy()
        uri[rows], label[rows] = best.skill.uri, best.skill.label
        company[rows] = best.company_skill
    return uri, label.fillna(""), company


def run_import(
    conn: sa.Connection,
    frame: pd.DataFrame,
    *,
    source_name: str,
    taxonomy: Taxonomy,
    scale: ProficiencyScale,
    actor: str,
    attribute_columns: Iterable[str] = (),
) -> ImportReport:
    """Validate and store ``frame`` inside the caller's transaction; return the report."""
    attributes = list(attribute_columns)
    absent = [c for c in attributes if c not in frame.columns]
    if absent:
        raise ConfigurationError(f"attribute column(s) {absent} not in the export.")
    frame = frame.reset_index(drop=True)
    claims, reason = validate(frame, taxonomy, scale, dt.date.today())
    now = now_text()
    imports = tables["imports"]
    import_id = conn.execute(imports.insert().values(
        source=source_name, content_hash=content_hash(frame), actor=actor, started=now,
        rows=len(frame), accepted=0, duplicates=0, rejected=0,
    ).returning(imports.c.import_id)).scalar_one()

    valid = claims[(reason == "").to_numpy()].copy()
    # one employee per identity key: the spelling the store holds, else the first in the file
    valid["employee_id"] = valid["employee_id"].map(
        stored_spellings(conn, valid["employee_id"].unique()))
    employees_added = ensure_employees(conn, valid["employee_id"].unique(), now)
    if attributes:
        firsts = frame.loc[valid.index].groupby(valid["employee_id"], sort=False).head(1)
        for employee_id, row in zip(valid.loc[firsts.index, "employee_id"],
                                    firsts.to_dict("records"), strict=True):
            set_attributes(conn, employee_id, {c: _plain(row[c]) for c in attributes}, now)
    valid = valid.assign(recorded=now, import_id=import_id)
    valid["row_key"] = claim_keys(valid)
    accepted = 0
    for start in range(0, len(valid), _BATCH):
        accepted += insert_claims(conn, valid.iloc[start:start + _BATCH])
    rejected = pd.DataFrame({
        "row": (reason.index[reason != ""] + 1).astype(int),
        "employee_id": claims.loc[reason != "", "employee_id"].to_numpy(),
        "skill": frame.loc[reason != "", "skill"].astype(str).to_numpy(),
        "reason": reason[reason != ""].to_numpy(),
    }).reset_index(drop=True)
    report = ImportReport(source=source_name, import_id=import_id, rows=len(frame),
                          accepted=accepted, duplicates=len(valid) - accepted,
                          rejected=rejected, employees_added=employees_added)
    conn.execute(imports.update().where(imports.c.import_id == import_id),
                 {"accepted": report.accepted, "duplicates": report.duplicates,
                  "rejected": len(rejected)})
    return report


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value
