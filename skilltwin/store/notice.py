"""The notice to workers (EU AI Act art. 26(7)), written from a store's settings and log.

Before a high-risk AI system is used at work, the deployer informs the workers concerned and
their representatives. :func:`worker_notice` drafts that notice in English or Dutch from what
the store knows: the registered purposes used on its audit log (and configured), the
categories of data it holds, the named person who decides, the reviewers' roles, the retention
period and whom to ask for an explanation or erasure. Settings that are missing are marked in
the text (and listed by :func:`missing_settings`) so that nobody publishes an incomplete
notice. Every value taken from the store is escaped (:func:`~skilltwin._markdown.
escape_markdown`): a setting cannot add a heading, a link or HTML to the notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from skilltwin._legal import ai_act_dates
from skilltwin._markdown import escape_markdown
from skilltwin.errors import ConfigurationError
from skilltwin.store._notice_facts import NoticeFacts, notice_facts
from skilltwin.store._notice_text import TEXTS

if TYPE_CHECKING:
    from skilltwin.store.store import Store

__all__ = ["LANGUAGES", "missing_settings", "retention_months", "setting_text",
           "worker_notice"]

LANGUAGES = tuple(TEXTS)
_REQUIRED = ("organisation", "decision_maker", "reviewer_roles", "contact")
_WORKS_COUNCIL = (*_REQUIRED, "retention_months", "purposes")


def missing_settings(store: Store, *, works_council: bool = False) -> list[str]:
    """The settings a complete notice (or, with ``works_council``, a complete request to the
    works council) needs that the store lacks (see ``Store.configure``); for the request
    also ``"fairness_check"`` while no check is recorded (``store.record_fairness_check``)."""
    settings = store.settings()
    settings["retention_months"] = retention_months(settings)
    missing = [name for name in (_WORKS_COUNCIL if works_council else _REQUIRED)
               if not settings.get(name)]
    if works_council and not notice_facts(store).fairness:
        missing.append("fairness_check")
    return missing


def retention_months(settings: Mapping[str, Any]) -> int | None:
    """The retention period saved, in months, or ``None`` when it is not set or is not a valid
    one (a value saved by an earlier version that did not check it): a notice never states a
    period :meth:`Store.apply_retention` would refuse."""
    from skilltwin.store._retention import MIN_MONTHS

    value = settings.get("retention_months")
    valid = isinstance(value, int) and not isinstance(value, bool) and value >= MIN_MONTHS
    return value if valid else None


def check_language(language: str, texts: Mapping[str, Any], what: str) -> dict[str, Any]:
    """The texts of ``language``; an unknown language is a ConfigurationError."""
    if language not in texts:
        raise ConfigurationError(
            f"no {what} in {language!r}; choose one of {', '.join(texts)}.")
    return dict(texts[language])


def setting_text(settings: Mapping[str, Any], missing: str) -> Callable[[str], str]:
    """A function giving a setting as escaped Markdown, or the ``missing`` marker."""
    def setting(name: str) -> str:
        value = settings.get(name)
        if isinstance(value, (list, tuple)):
            value = ", ".join(escape_markdown(v) for v in value)
        elif value not in (None, ""):
            value = escape_markdown(value)
        return str(value) if value else missing.format(name=name)
    return setting


def step_lines(t: Mapping[str, Any], facts: NoticeFacts) -> list[str]:
    """One bullet per kind of step recorded (only steps the texts name)."""
    return [f"- {t['step'].format(count=n, step=t['steps'][a])}"
            for a, n in sorted(facts.actions.items()) if a in t["steps"]]


def data_lines(t: Mapping[str, Any], facts: NoticeFacts) -> list[str]:
    """The bullets on the data used: skills and their sources, attributes, scores, log."""
    sources = ", ".join(t["sources"].get(s) or escape_markdown(s) for s in facts.sources)
    return [
        t["data_skills"].format(sources=sources or "-"),
        t["data_attributes"].format(
            names=", ".join(escape_markdown(a) for a in facts.attributes) or "-"),
        t["data_scores"],
        t["data_log"],
    ]


def worker_notice(store: Store, *, language: str = "en", today: dt.date | None = None) -> str:
    """The Markdown notice to workers for ``store``, in ``language`` (``en`` or ``nl``)."""
    t = check_language(language, TEXTS, "worker notice")
    settings = store.settings()
    facts = notice_facts(store)
    setting = setting_text(settings, t["missing"])
    purposes = [f"- {escape_markdown(p)}" for p in facts.purposes]
    if facts.unregistered:
        purposes.append(t["unregistered"].format(count=facts.unregistered))
    steps = step_lines(t, facts)
    retention = retention_months(settings)
    lines = [
        t["title"].format(organisation=setting("organisation")),
        "",
        t["date"].format(date=(today or dt.date.today()).isoformat()),
        "",
        t["intro"].format(organisation=setting("organisation")),
        "",
        ai_act_dates(language),
        "",
        t["h_purposes"],
        "",
        *(purposes or [t["no_purposes"]]),
        "",
        *([t["steps_so_far"], "", *steps, ""] if steps else []),
        t["h_data"],
        "",
        *data_lines(t, facts),
        "",
        t["h_people"],
        "",
        t["people"].format(decision_maker=setting("decision_maker")),
        t["reviewers"].format(roles=setting("reviewer_roles")),
        t["people_so_far"].format(decisions=facts.actions.get("decision", 0),
                                  overrides=facts.actions.get("override", 0)),
        "",
        t["h_retention"],
        "",
        t["retention"].format(months=escape_markdown(retention) if retention else
                              t["missing"].format(name="retention_months")),
        "",
        t["h_rights"],
        "",
        t["rights"].format(contact=setting("contact")),
        "",
    ]
    return "\n".join(lines)
