"""Job profiles with versions, and recorded scores that name the version they used."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import sqlalchemy as sa

from skilltwin.errors import ConfigurationError
from skilltwin.profiles.profile import JobProfile
from skilltwin.scoring.results import GapReport, MatchResult
from skilltwin.store._claims import now_text
from skilltwin.store._engine import is_postgresql
from skilltwin.store._schema import tables

__all__ = ["load_profile", "profile_versions", "record_score", "save_profile", "select_scores"]

_PROFILES = tables["profiles"]
_SCORES = tables["scores"]


def save_profile(conn: sa.Connection, profile: JobProfile, actor: str) -> int:
    """Store ``profile`` as a new version unless it equals the latest one; return its version."""
    document = profile.to_json(sort_keys=True)
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()
    if is_postgresql(conn):  # two writers must not both take the next version number
        conn.execute(sa.text("LOCK TABLE profiles IN SHARE ROW EXCLUSIVE MODE"))
    latest = conn.execute(
        sa.select(_PROFILES.c.version, _PROFILES.c.content_hash)
        .where(_PROFILES.c.profile_id == profile.profile_id)
        .order_by(_PROFILES.c.version.desc()).limit(1)
    ).first()
    if latest is not None and latest.content_hash == digest:
        return int(latest.version)
    version = 1 if latest is None else int(latest.version) + 1
    conn.execute(_PROFILES.insert().values(
        profile_id=profile.profile_id, version=version, title=profile.title,
        document=document, content_hash=digest, saved=now_text(), actor=actor,
    ))
    return version


def load_profile(conn: sa.Connection, profile_id: str, version: int | None) -> JobProfile:
    """A stored version of a profile (the latest when ``version`` is None)."""
    query = sa.select(_PROFILES.c.document).where(_PROFILES.c.profile_id == profile_id)
    if version is not None:
        query = query.where(_PROFILES.c.version == version)
    document = conn.execute(query.order_by(_PROFILES.c.version.desc()).limit(1)).scalar()
    if document is None:
        known = profile_versions(conn, profile_id)["version"].tolist()
        what = f"version {version} of profile" if version is not None else "profile"
        hint = (f"it has versions {known}" if known
                else "save it first with store.save_profile(profile, actor=...)")
        raise ConfigurationError(f"the store holds no {what} {profile_id!r}; {hint}.")
    return JobProfile.from_json(document)


def profile_versions(conn: sa.Connection, profile_id: str | None = None) -> pd.DataFrame:
    """One row per stored profile version: profile_id, version, title, saved, actor."""
    c = _PROFILES.c
    query = sa.select(c.profile_id, c.version, c.title, c.saved, c.actor).order_by(
        c.profile_id, c.version)
    if profile_id is not None:
        query = query.where(c.profile_id == profile_id)
    return pd.DataFrame(conn.execute(query).all(),
                        columns=["profile_id", "version", "title", "saved", "actor"])


def record_score(conn: sa.Connection, result: MatchResult | GapReport, version: int,
                 actor: str) -> int:
    """Store a match or gap result against profile ``version``; return the score's id."""
    exists = conn.execute(sa.select(_PROFILES.c.version).where(
        _PROFILES.c.profile_id == result.profile_id, _PROFILES.c.version == version)).first()
    if exists is None:
        raise ConfigurationError(
            f"profile {result.profile_id!r} version {version} is not in the store; save the "
            "profile the score was computed against with store.save_profile(...) first."
        )
    kind, score = _kind_and_score(result)
    return int(conn.execute(_SCORES.insert().values(
        employee_id=result.employee_id, profile_id=result.profile_id, profile_version=version,
        kind=kind, score=score, result=result.model_dump_json(), recorded=now_text(),
        actor=actor,
    ).returning(_SCORES.c.score_id)).scalar_one())


def _kind_and_score(result: Any) -> tuple[str, float | None]:
    if isinstance(result, MatchResult):
        return "match", float(result.score)
    if isinstance(result, GapReport):
        return "gap", None
    raise ConfigurationError(
        f"record a MatchResult or GapReport, not {type(result).__name__}."
    )


def select_scores(conn: sa.Connection, *, employee_id: str | None = None,
                  profile_id: str | None = None) -> pd.DataFrame:
    """Recorded scores: score_id, employee_id, profile_id, profile_version, kind, score,
    recorded, actor."""
    c = _SCORES.c
    query = sa.select(c.score_id, c.employee_id, c.profile_id, c.profile_version, c.kind,
                      c.score, c.recorded, c.actor).order_by(c.score_id)
    if employee_id is not None:
        query = query.where(c.employee_id == employee_id)
    if profile_id is not None:
        query = query.where(c.profile_id == profile_id)
    return pd.DataFrame(conn.execute(query).all(),
                        columns=["score_id", "employee_id", "profile_id", "profile_version",
                                 "kind", "score", "recorded", "actor"])
