"""The request for the works council's consent (Dutch WOR art. 27(1)(k) and (l)).

Before a system like skilltwin is used on staff in the Netherlands, the employer asks the
works council (ondernemingsraad) for consent, beside the notice to workers
(:func:`~skilltwin.store.worker_notice`). :func:`works_council_request` drafts that request
(instemmingsaanvraag) in Dutch or English from the store's settings and log: the proposed
decision, the registered purposes and how often each was used, the reasons and consequences,
the data categories, who decides and the reviewers' roles, retention, how employees can ask
for an explanation, object or ask for erasure, the fairness checks recorded with
``store.record_fairness_check`` and their results, and the EU AI Act dates with their
source. Missing settings and checks are marked in the text (and listed by
``missing_settings(store, works_council=True)``). Every value from the store is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from skilltwin._i18n import decimal
from skilltwin._legal import ai_act_dates, long_date
from skilltwin._markdown import escape_markdown
from skilltwin.store._notice_facts import NoticeFacts, notice_facts
from skilltwin.store._notice_text import TEXTS as NOTICE_TEXTS
from skilltwin.store._works_council_text import TEXTS
from skilltwin.store.notice import (
    check_language,
    data_lines,
    retention_months,
    setting_text,
    step_lines,
)

if TYPE_CHECKING:
    from skilltwin.store.store import Store

__all__ = ["works_council_request"]


def works_council_request(store: Store, *, language: str = "nl",
                          today: dt.date | None = None) -> str:
    """The Markdown request for the works council's consent for ``store``, in ``language``
    (``nl``, the default, or ``en``)."""
    t = check_language(language, TEXTS, "works council request")
    t.update(steps=NOTICE_TEXTS[language]["steps"], step=NOTICE_TEXTS[language]["step"])
    settings = store.settings()
    facts = notice_facts(store)
    setting = setting_text(settings, t["missing"])
    organisation = setting("organisation")
    date = long_date(today or dt.date.today(), language)
    steps = step_lines(t, facts)
    retention = retention_months(settings)
    lines = [
        t["title"].format(organisation=organisation),
        "",
        *[line.format(organisation=organisation, date=date) for line in t["header"]],
        "",
        t["h_decision"], "", t["decision"].format(organisation=organisation), "",
        t["h_purposes"], "", t["purposes_intro"], "",
        *_purpose_lines(t, facts),
        "",
        t["h_reasons"], "", t["reasons"], "",
        t["h_data"], "", *data_lines(t, facts), "",
        *([t["steps_so_far"], "", *steps, ""] if steps else []),
        t["h_people"], "",
        t["people"].format(decision_maker=setting("decision_maker"),
                           roles=setting("reviewer_roles")),
        "",
        t["people_so_far"].format(decisions=facts.actions.get("decision", 0),
                                  overrides=facts.actions.get("override", 0)),
        "",
        t["h_retention"], "",
        t["retention"].format(months=escape_markdown(retention) if retention else
                              t["missing"].format(name="retention_months")),
        "",
        t["h_rights"], "",
        *[line.format(contact=setting("contact")) for line in t["rights"]],
        "",
        t["h_fairness"], "",
        *_fairness_lines(t, facts, language),
        "",
        t["h_law"], "", t["law"], "", ai_act_dates(language), "",
        t["h_request"], "", t["request"], "",
    ]
    return "\n".join(lines)


def _purpose_lines(t: Mapping[str, Any], facts: NoticeFacts) -> list[str]:
    lines = [t["purpose"].format(purpose=escape_markdown(name), count=count)
             for name, count in facts.purposes.items()]
    if facts.unregistered:
        lines.append(t["unregistered"].format(count=facts.unregistered))
    return lines or [t["no_purposes"]]


def _fairness_lines(t: Mapping[str, Any], facts: NoticeFacts, language: str) -> list[str]:
    if not facts.fairness:
        return [t["no_fairness"]]
    lines = [t["fairness_intro"], ""]
    for when, data in facts.fairness:
        date = long_date(when.date(), language)
        if data.get("check") == "invariance":
            moved = int(data.get("scores_moved") or 0)
            outcome = t["invariance_ok"] if not moved else \
                t["invariance_moved"].format(moved=moved)
            lines.append(t["invariance"].format(
                date=date, outcome=outcome,
                perturbations=", ".join(escape_markdown(p)
                                        for p in data.get("perturbations", []))))
            continue
        threshold = data.get("threshold")
        how = t["how_decisions"] if threshold is None else \
            t["how_threshold"].format(threshold=_number(threshold, language))
        ratio = data.get("lowest_ratio")
        lines.append(t["selection"].format(
            date=date, how=how,
            attributes=" / ".join(escape_markdown(a) for a in data.get("attributes", [])),
            employees=data.get("employees"), groups=data.get("groups"),
            small=data.get("small_groups"), min_size=data.get("min_group_size"),
            flagged=data.get("flagged_groups"),
            lowest="" if ratio is None else t["lowest"].format(
                ratio=_number(ratio, language))))
    return [*lines, "", t["fairness_note"]]


def _number(value: Any, language: str) -> str:
    return decimal(float(value), "g", language)
