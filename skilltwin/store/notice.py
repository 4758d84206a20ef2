"""The notice to workers (EU AI Act art. 26(7)), written from a store's settings and log.

Before a high-risk AI system is used at work, the deployer informs the workers concerned and
their representatives. :func:`worker_notice` drafts that notice in English or Dutch from what
the store knows: the purposes recorded on its audit log (and configured), the categories of
data it holds, the named person who decides, the reviewers' roles, the retention period and
whom to ask for an explanation or erasure. Settings that are missing are marked in the text
(and listed by :func:`missing_settings`) so that nobody publishes an incomplete notice.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

import pandas as pd

from skilltwin.errors import ConfigurationError
from skilltwin.store._notice_text import TEXTS

if TYPE_CHECKING:
    from skilltwin.store.store import Store

__all__ = ["LANGUAGES", "missing_settings", "worker_notice"]

LANGUAGES = tuple(TEXTS)
_REQUIRED = ("organisation", "decision_maker", "reviewer_roles", "contact")


def missing_settings(store: Store) -> list[str]:
    """The settings a complete notice needs that the store lacks (see ``Store.configure``)."""
    settings = store.settings()
    return [name for name in _REQUIRED if not settings.get(name)]


def worker_notice(store: Store, *, language: str = "en", today: dt.date | None = None) -> str:
    """The Markdown notice to workers for ``store``, in ``language`` (``en`` or ``nl``)."""
    if language not in TEXTS:
        raise ConfigurationError(
            f"no worker notice in {language!r}; choose one of {', '.join(LANGUAGES)}.")
    t = TEXTS[language]
    settings = store.settings()
    facts = _facts(store)
    missing = t["missing"]

    def setting(name: str) -> str:
        value = settings.get(name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        return str(value) if value else missing.format(name=name)

    purposes = sorted({*facts["purposes"], *settings.get("purposes", [])})
    steps = [t["step"].format(count=n, step=t["steps"].get(a, a))
             for a, n in sorted(facts["actions"].items()) if a in t["steps"]]
    retention = settings.get("retention_months")
    lines = [
        t["title"].format(organisation=setting("organisation")),
        "",
        t["date"].format(date=(today or dt.date.today()).isoformat()),
        "",
        t["intro"].format(organisation=setting("organisation")),
        "",
        t["h_purposes"],
        "",
        *([f"- {p}" for p in purposes] or [t["no_purposes"]]),
        "",
        *([t["steps_so_far"], "", *[f"- {s}" for s in steps], ""] if steps else []),
        t["h_data"],
        "",
        t["data_skills"].format(sources=", ".join(t["sources"].get(s, s)
                                                  for s in facts["sources"]) or "-"),
        t["data_attributes"].format(names=", ".join(facts["attributes"]) or "-"),
        t["data_scores"],
        t["data_log"],
        "",
        t["h_people"],
        "",
        t["people"].format(decision_maker=setting("decision_maker")),
        t["reviewers"].format(roles=setting("reviewer_roles")),
        t["people_so_far"].format(decisions=facts["actions"].get("decision", 0),
                                  overrides=facts["actions"].get("override", 0)),
        "",
        t["h_retention"],
        "",
        t["retention"].format(months=retention if retention else missing.format(
            name="retention_months")),
        "",
        t["h_rights"],
        "",
        t["rights"].format(contact=setting("contact")),
        "",
    ]
    return "\n".join(lines)


def _facts(store: Store) -> dict[str, Any]:
    """What the store's data and log show: purposes, actions, claim sources, attributes."""
    log = store.audit_log(read_only=True)
    purposes: set[str] = set()
    actions: Counter[str] = Counter()
    for entry in log.entries():
        actions[entry.action] += 1
        if isinstance(entry.data, dict) and isinstance(entry.data.get("purpose"), str):
            purposes.add(entry.data["purpose"])
    claims = store.claims_frame()
    employees = store.employees()
    sources = sorted(pd.unique(claims["source"])) if len(claims) else []
    attributes = [c for c in employees.columns if c != "employee_id"]
    log.close()
    return {"purposes": purposes, "actions": actions, "sources": sources,
            "attributes": attributes}
