"""The fixed text of the worker notice, in English and Dutch (see ``notice.py``).

``steps`` describes every :class:`~skilltwin.audit.Action` in words a worker understands;
``tests/test_audit_actions.py`` fails when an action lacks a description in a language.
"""

from __future__ import annotations

from typing import Any

from skilltwin.audit.actions import Action

__all__ = ["TEXTS"]

TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "# Notice to workers: skills-based analysis at {organisation}",
        "date": "Date: {date}",
        "intro": (
            "{organisation} uses skilltwin, a system that compares employees' skills with the "
            "skills that jobs require, to support decisions about work. This notice informs "
            "you and your representatives before the system is used (EU AI Act, article "
            "26(7))."
        ),
        "h_purposes": "## What the system is used for",
        "no_purposes": "- (no purpose recorded yet)",
        "unregistered": (
            "- {count} earlier step(s) with a purpose that is not registered (recorded before "
            "purposes were registered; register it with store.configure(purposes=[...]))"
        ),
        "steps_so_far": "Recorded so far:",
        "step": "{count} × {step}",
        "steps": {
            Action.MATCH: "match score of an employee against a job profile",
            Action.GAP: "skills gap report",
            Action.MATCH_BATCH: "batch of match scores",
            Action.INFER_SKILLS: "skills suggested from a CV, awaiting confirmation",
            Action.PROFILE_FROM_SKILLS: "job profile drafted from a list of skills",
            Action.PROFILE_FROM_TEXT: "job profile drafted from a job advertisement",
            Action.STEP_REFUSED: "automated step stopped by a rule of the organisation",
            Action.OVERRIDE: "score changed by a person",
            Action.OVERRIDE_REFUSED: "change of a score refused (no named person or reason)",
            Action.DECISION: "decision taken by a person",
            Action.FAIRNESS_CHECK: "check for unequal treatment of groups",
            Action.REVIEWER_ADDED: "person registered as a reviewer",
            Action.REVIEWER_DEACTIVATED: "person removed from the reviewers",
            Action.DECISION_REFUSED: "decision refused (no named person, or a rule not met)",
            Action.ERASURE: "personal data erased from the log (on request or after the "
                            "retention period)",
            Action.KEYED_CHAIN: "log secured with a key, so that entries cannot be forged",
            Action.CHAIN_KEY_ROTATION: "key that secures the log renewed",
        },
        "h_data": "## Which data about you it uses",
        "data_skills": (
            "- Your skills, named with the European ESCO classification, each with a level "
            "(0-4), the date it applied and its source ({sources})."
        ),
        "data_attributes": (
            "- Other HR data, kept apart from the skills and never used in a score: {names}."
        ),
        "data_scores": (
            "- The scores and gap reports computed from your skills, and the decisions taken "
            "with them."
        ),
        "data_log": (
            "- Every step is written to a tamper-evident audit log under a pseudonym, not "
            "your name; free texts such as CVs are not kept in the log."
        ),
        "h_people": "## People decide",
        "people": (
            "The system does not take decisions. {decision_maker} decides and is responsible "
            "for the decisions taken with it."
        ),
        "reviewers": (
            "Reviewers check and can change every score, and must give a reason. Their roles: "
            "{roles}."
        ),
        "people_so_far": (
            "So far {decisions} decision(s) and {overrides} change(s) of a score were recorded, "
            "each with the name of the person who made it."
        ),
        "h_retention": "## How long data is kept",
        "retention": (
            "The audit log is kept for at least six months (EU AI Act, article 26(6)). "
            "Personal content of log entries and recorded scores are removed after {months} "
            "months; the entries themselves stay, without personal data, so the log can still "
            "be checked."
        ),
        "h_rights": "## Your rights",
        "rights": (
            "You may ask for an explanation of any score about you (every score lists the "
            "skills that counted, were missing or below the required level), and for "
            "correction or erasure of your data (GDPR articles 15-17). Contact: {contact}. "
            "Erasure removes your skills, HR data and scores, and the personal content of "
            "the log entries about you."
        ),
        "sources": {"self": "yourself", "manager": "your manager", "certificate": "certificates",
                    "assessment": "assessments", "inferred": "suggested from a CV"},
        "missing": "**[not set: store.configure({name}=...)]**",
    },
    "nl": {
        "title": "# Informatie voor medewerkers: analyse van vaardigheden bij {organisation}",
        "date": "Datum: {date}",
        "intro": (
            "{organisation} gebruikt skilltwin, een systeem dat de vaardigheden van "
            "medewerkers vergelijkt met wat functies vragen, ter ondersteuning van besluiten "
            "over werk. Met dit bericht informeren wij u en uw vertegenwoordigers voordat het "
            "systeem wordt gebruikt (AI-verordening, artikel 26, lid 7)."
        ),
        "h_purposes": "## Waarvoor het systeem wordt gebruikt",
        "no_purposes": "- (nog geen doel vastgelegd)",
        "unregistered": (
            "- {count} eerdere stap(pen) met een doel dat niet is geregistreerd (vastgelegd "
            "voordat doelen werden geregistreerd; registreer het met "
            "store.configure(purposes=[...]))"
        ),
        "steps_so_far": "Tot nu toe vastgelegd:",
        "step": "{count} × {step}",
        "steps": {
            Action.MATCH: "matchscore van een medewerker op een functieprofiel",
            Action.GAP: "overzicht van ontbrekende vaardigheden",
            Action.MATCH_BATCH: "reeks matchscores",
            Action.INFER_SKILLS: "vaardigheden voorgesteld uit een cv, nog te bevestigen",
            Action.PROFILE_FROM_SKILLS: "functieprofiel opgesteld uit een lijst vaardigheden",
            Action.PROFILE_FROM_TEXT: "functieprofiel opgesteld uit een vacaturetekst",
            Action.STEP_REFUSED: "automatische stap tegengehouden door een regel van de "
                                 "organisatie",
            Action.OVERRIDE: "score aangepast door een persoon",
            Action.OVERRIDE_REFUSED: "aanpassing van een score geweigerd (geen persoon of "
                                     "reden genoemd)",
            Action.DECISION: "besluit genomen door een persoon",
            Action.FAIRNESS_CHECK: "toets op ongelijke behandeling van groepen",
            Action.REVIEWER_ADDED: "persoon aangemeld als beoordelaar",
            Action.REVIEWER_DEACTIVATED: "persoon afgemeld als beoordelaar",
            Action.DECISION_REFUSED: "besluit geweigerd (geen persoon genoemd, of niet aan een "
                                     "regel voldaan)",
            Action.ERASURE: "persoonsgegevens uit het logboek gewist (op verzoek of na de "
                            "bewaartermijn)",
            Action.KEYED_CHAIN: "logboek beveiligd met een sleutel, zodat regels niet "
                                "vervalst kunnen worden",
            Action.CHAIN_KEY_ROTATION: "sleutel die het logboek beveiligt vernieuwd",
        },
        "h_data": "## Welke gegevens over u het gebruikt",
        "data_skills": (
            "- Uw vaardigheden, benoemd volgens de Europese ESCO-classificatie, elk met een "
            "niveau (0-4), de datum waarop het gold en de bron ({sources})."
        ),
        "data_attributes": (
            "- Andere HR-gegevens, apart bewaard en nooit gebruikt in een score: {names}."
        ),
        "data_scores": (
            "- De scores en overzichten die uit uw vaardigheden zijn berekend, en de besluiten "
            "die ermee zijn genomen."
        ),
        "data_log": (
            "- Elke stap wordt vastgelegd in een beveiligd logboek onder een pseudoniem, niet "
            "onder uw naam; vrije teksten zoals cv's worden niet in het logboek bewaard."
        ),
        "h_people": "## Mensen beslissen",
        "people": (
            "Het systeem neemt geen besluiten. {decision_maker} beslist en is verantwoordelijk "
            "voor de besluiten die ermee worden genomen."
        ),
        "reviewers": (
            "Beoordelaars controleren elke score, kunnen die aanpassen en moeten dat "
            "motiveren. Hun rollen: {roles}."
        ),
        "people_so_far": (
            "Tot nu toe zijn {decisions} besluit(en) en {overrides} aanpassing(en) van een "
            "score vastgelegd, elk met de naam van wie het deed."
        ),
        "h_retention": "## Hoe lang gegevens worden bewaard",
        "retention": (
            "Het logboek wordt minstens zes maanden bewaard (AI-verordening, artikel 26, lid "
            "6). Persoonlijke inhoud van logregels en vastgelegde scores worden na {months} "
            "maanden verwijderd; de regels zelf blijven, zonder persoonsgegevens, zodat het "
            "logboek controleerbaar blijft."
        ),
        "h_rights": "## Uw rechten",
        "rights": (
            "U kunt uitleg vragen over elke score over u (elke score vermeldt welke "
            "vaardigheden meetelden, ontbraken of onder het gevraagde niveau lagen), en "
            "correctie of verwijdering van uw gegevens (AVG, artikelen 15-17). Contact: "
            "{contact}. Verwijdering wist uw vaardigheden, HR-gegevens en scores, en de "
            "persoonlijke inhoud van de logregels over u."
        ),
        "sources": {"self": "uzelf", "manager": "uw leidinggevende",
                    "certificate": "certificaten", "assessment": "assessments",
                    "inferred": "voorgesteld uit een cv"},
        "missing": "**[niet ingesteld: store.configure({name}=...)]**",
    },
}
