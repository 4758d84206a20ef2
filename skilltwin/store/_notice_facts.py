"""What a store's data and log show, for the notice to workers and the works council request.

Purposes are taken from the log only when they are registered (the defaults and the store's
own, see ``store.configure(purposes=[...])``): a purpose written before purposes were
registered is counted, never printed, since it may be free text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from skilltwin.audit import Action
from skilltwin.oversight.purposes import purpose_key

if TYPE_CHECKING:
    from skilltwin.store.store import Store

__all__ = ["NoticeFacts", "notice_facts"]


@dataclass
class NoticeFacts:
    """The facts a notice states."""

    purposes: dict[str, int]
    """Registered purposes (configured, or found on the log) and how many steps used each."""
    unregistered: int
    """Log entries whose purpose is not registered (written before purposes were)."""
    actions: Counter[str]
    sources: list[str]
    attributes: list[str]
    fairness: list[tuple[dt.datetime, dict[str, Any]]] = field(default_factory=list)
    """Recorded fairness checks: when, and what the entry holds (see ``_fairness``)."""


def notice_facts(store: Store) -> NoticeFacts:
    """Read the store's settings, data and log (read-only) into :class:`NoticeFacts`."""
    registered = {purpose_key(name): name for name in store.purposes()}
    saved = [purpose_key(str(p)) for p in store.settings().get("purposes") or []]
    configured = [registered[key] for key in saved if key in registered]
    used: Counter[str] = Counter()
    unregistered = 0
    actions: Counter[str] = Counter()
    fairness = []
    log = store.audit_log(read_only=True)
    try:
        for entry in log.entries():
            actions[entry.action] += 1
            data = entry.data if isinstance(entry.data, dict) else {}
            purpose = data.get("purpose")
            if isinstance(purpose, str):
                name = registered.get(purpose_key(purpose))
                if name is None:
                    unregistered += 1
                else:
                    used[name] += 1
            if entry.action == Action.FAIRNESS_CHECK and data:
                fairness.append((entry.timestamp, data))
    finally:
        log.close()
    claims = store.claims_frame()
    employees = store.employees()
    sources = sorted(pd.unique(claims["source"])) if len(claims) else []
    purposes = {name: used.get(name, 0) for name in sorted({*configured, *used})}
    return NoticeFacts(purposes=purposes, unregistered=unregistered, actions=actions,
                       sources=[str(s) for s in sources],
                       attributes=[str(c) for c in employees.columns if c != "employee_id"],
                       fairness=fairness)
