"""The fixed text of the worker notice, in English and Dutch (see ``notice.py``)."""

from __future__ import annotations

from typing import Any

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
            "match": "match score of an employee against a job profile",
            "gap": "skills gap report",
            "match_batch": "batch of match scores",
            "infer_skills": "skills suggested from a CV, awaiting confirmation",
            "generate_profile": "job profile drafted",
            "profile_from_skills": "job profile drafted from skills",
            "profile_from_text": "job profile drafted from a vacancy text",
            "fairness_check": "check for unequal treatment of groups",
            "override": "score changed by a person",
            "decision": "decision taken by a person",
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
            "match": "matchscore van een medewerker op een functieprofiel",
            "gap": "overzicht van ontbrekende vaardigheden",
            "match_batch": "reeks matchscores",
            "infer_skills": "vaardigheden voorgesteld uit een cv, nog te bevestigen",
            "generate_profile": "opgesteld functieprofiel",
            "profile_from_skills": "functieprofiel opgesteld uit vaardigheden",
            "profile_from_text": "functieprofiel opgesteld uit een vacaturetekst",
            "fairness_check": "toets op ongelijke behandeling van groepen",
            "override": "score aangepast door een persoon",
            "decision": "besluit genomen door een persoon",
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
