"""The fixed text of the request for the works council's consent, in Dutch and English
(see ``works_council.py``). Placeholders in braces are filled with escaped values."""

from __future__ import annotations

from typing import Any

__all__ = ["TEXTS"]

TEXTS: dict[str, dict[str, Any]] = {
    "nl": {
        "title": "# Verzoek om instemming: gebruik van skilltwin bij {organisation}",
        "header": [
            "- Aan: de ondernemingsraad van {organisation}",
            "- Van: de bestuurder van {organisation}",
            "- Datum: {date}",
            "- Onderwerp: instemmingsaanvraag op grond van artikel 27, eerste lid, onder k en "
            "l, van de Wet op de ondernemingsraden (WOR)",
        ],
        "h_decision": "## 1. Voorgenomen besluit",
        "decision": (
            "{organisation} is voornemens skilltwin in gebruik te nemen: een systeem dat de "
            "vaardigheden van medewerkers, vastgelegd volgens de Europese ESCO-classificatie, "
            "vergelijkt met de vaardigheden die functies vragen. Het systeem berekent "
            "matchscores en overzichten van ontbrekende vaardigheden ter ondersteuning van "
            "besluiten over werk; het neemt zelf geen besluiten. Omdat het systeem "
            "persoonsgegevens van medewerkers verwerkt (artikel 27, eerste lid, onder k, WOR) "
            "en geschikt is voor waarneming van of controle op de prestaties van medewerkers "
            "(artikel 27, eerste lid, onder l, WOR), leggen wij dit voorgenomen besluit ter "
            "instemming aan u voor."
        ),
        "h_purposes": "## 2. Doelen",
        "purposes_intro": (
            "Het systeem wordt uitsluitend gebruikt voor de volgende, vooraf geregistreerde "
            "doelen. De software weigert elke stap met een doel dat niet is geregistreerd; "
            "vrije tekst bij een stap wordt alleen bewaard als een met een geheime sleutel "
            "berekende controlewaarde. "
            "Een uitbreiding van deze lijst leggen wij opnieuw aan u voor."
        ),
        "purpose": "- {purpose} ({count} keer gebruikt)",
        "unregistered": (
            "- {count} eerdere stap(pen) met een doel dat niet is geregistreerd (vastgelegd "
            "voordat doelen werden geregistreerd)"
        ),
        "no_purposes": "**[nog geen doelen: store.configure(purposes=[...])]**",
        "h_reasons": "## 3. Beweegredenen en gevolgen voor de medewerkers",
        "reasons": (
            "Het systeem maakt zichtbaar welke vaardigheden medewerkers hebben en welke "
            "vaardigheden functies vragen, zodat kansen voor medewerkers en "
            "opleidingsbehoeften eerder en op een consistente manier worden herkend. Voor "
            "medewerkers betekent dit dat hun vastgelegde vaardigheden worden gebruikt om "
            "scores te berekenen. Een score is nooit op zichzelf een besluit: elke score "
            "vermeldt welke vaardigheden meetelden, ontbraken of onder het gevraagde niveau "
            "lagen, en een medewerker kan erom vragen en ertegen opkomen (zie punt 7)."
        ),
        "h_data": "## 4. Welke gegevens worden verwerkt",
        "data_skills": (
            "- Vaardigheden van medewerkers, benoemd volgens de ESCO-classificatie, elk met "
            "een niveau (0-4), de datum waarop het gold en de bron ({sources})."
        ),
        "data_attributes": (
            "- Overige HR-gegevens, apart bewaard en nooit gebruikt in een score: {names}."
        ),
        "data_scores": (
            "- De berekende scores en overzichten, en de besluiten die ermee zijn genomen."
        ),
        "data_log": (
            "- Een beveiligd logboek van elke stap, onder een pseudoniem in plaats van de naam "
            "van de medewerker; vrije teksten zoals cv's worden niet in het logboek bewaard."
        ),
        "steps_so_far": "Tot nu toe vastgelegd in het logboek:",
        "h_people": "## 5. Wie beslist en wie controleert",
        "people": (
            "Het systeem neemt geen besluiten. {decision_maker} beslist en is verantwoordelijk "
            "voor de besluiten die met het systeem worden genomen. Beoordelaars controleren "
            "elke score, kunnen die aanpassen en moeten dat motiveren; elke aanpassing en elk "
            "besluit wordt met de naam van de betrokkene vastgelegd. Rollen van de "
            "beoordelaars: {roles}."
        ),
        "people_so_far": (
            "Tot nu toe zijn {decisions} besluit(en) en {overrides} aanpassing(en) van een "
            "score vastgelegd."
        ),
        "h_retention": "## 6. Bewaartermijnen",
        "retention": (
            "Het logboek wordt minstens zes maanden bewaard (AI-verordening, artikel 26, lid "
            "6). Persoonlijke inhoud van logregels en vastgelegde scores worden na {months} "
            "maanden verwijderd; de regels zelf blijven, zonder persoonsgegevens, zodat het "
            "logboek controleerbaar blijft."
        ),
        "h_rights": "## 7. Rechten van medewerkers",
        "rights": [
            "- Uitleg: een medewerker kan uitleg vragen over elke score en elk besluit over "
            "hem of haar (AVG, artikel 15; AI-verordening, artikel 86).",
            "- Bezwaar: een medewerker kan bezwaar maken tegen de verwerking van zijn of haar "
            "gegevens (AVG, artikel 21) en tegen een besluit dat met het systeem is genomen.",
            "- Inzage, correctie en verwijdering (AVG, artikelen 15 tot en met 17): "
            "verwijdering wist de vaardigheden, HR-gegevens en scores van de medewerker, en "
            "de persoonlijke inhoud van de logregels over hem of haar.",
            "- Contact voor al deze verzoeken: {contact}.",
        ],
        "h_fairness": "## 8. Toetsing op ongelijke behandeling",
        "fairness_intro": "Uitgevoerde en in het logboek vastgelegde toetsen:",
        "no_fairness": (
            "**[nog geen toets vastgelegd: voer een toets uit met skilltwin.fairness en leg "
            "de uitkomst vast met store.record_fairness_check(...)]**"
        ),
        "selection": (
            "- {date}: selectiepercentages naar {attributes} ({how}): {employees} "
            "medewerkers in {groups} groepen, waarvan {small} te klein om te beoordelen "
            "(minder dan {min_size}); {flagged} groep(en) onder de vier-vijfderegel{lowest}."
        ),
        "how_threshold": "score van ten minste {threshold}",
        "how_decisions": "genomen besluiten",
        "lowest": " (laagste verhouding {ratio})",
        "invariance": (
            "- {date}: invariantietoets: {outcome} bij wijziging van {perturbations}."
        ),
        "invariance_ok": "geen enkele score veranderde",
        "invariance_moved": "{moved} score(s) veranderden",
        "fairness_note": (
            "De vier-vijfderegel is een vuistregel om mogelijke benadeling op te sporen, geen "
            "juridische toets: een signaal vraagt om menselijke beoordeling, en het "
            "ontbreken ervan bewijst geen gelijke behandeling."
        ),
        "h_law": "## 9. Wettelijk kader",
        "law": (
            "De instemmingsplicht op grond van artikel 27 WOR geldt nu, los van de data van "
            "de AI-verordening. Wij informeren medewerkers en hun vertegenwoordigers "
            "daarnaast met een afzonderlijke informatiebrief (AI-verordening, artikel 26, "
            "lid 7)."
        ),
        "h_request": "## 10. Verzoek",
        "request": (
            "Wij verzoeken de ondernemingsraad om instemming met het voorgenomen besluit zoals "
            "hierboven beschreven. Wij lichten het voorstel graag toe in een "
            "overlegvergadering (artikel 27, tweede lid, WOR) en zien uw besluit, schriftelijk "
            "en met redenen omkleed, met belangstelling tegemoet."
        ),
        "sources": {"self": "de medewerker zelf", "manager": "de leidinggevende",
                    "certificate": "certificaten", "assessment": "assessments",
                    "inferred": "voorgesteld uit een cv, nog te bevestigen"},
        "missing": "**[niet ingesteld: store.configure({name}=...)]**",
    },
    "en": {
        "title": "# Request for consent: use of skilltwin at {organisation}",
        "header": [
            "- To: the works council (ondernemingsraad) of {organisation}",
            "- From: the management of {organisation}",
            "- Date: {date}",
            "- Subject: request for consent (instemmingsaanvraag) under article 27(1)(k) and "
            "(l) of the Dutch Works Councils Act (Wet op de ondernemingsraden, WOR)",
        ],
        "h_decision": "## 1. Proposed decision",
        "decision": (
            "{organisation} proposes to use skilltwin, a system that compares employees' "
            "skills, recorded with the European ESCO classification, with the skills that jobs "
            "require. It computes match scores and skills gap reports to support decisions "
            "about work; it takes no decisions itself. Because the system processes "
            "employees' personal data (WOR article 27(1)(k)) and is suitable for observing or "
            "monitoring employees' performance (WOR article 27(1)(l)), we submit this "
            "proposed decision for your consent."
        ),
        "h_purposes": "## 2. Purposes",
        "purposes_intro": (
            "The system is used only for the following purposes, registered in advance. The "
            "software refuses any step whose purpose is not registered; free text about a "
            "step is kept only as a keyed hash. We will submit any extension of this list to "
            "you again."
        ),
        "purpose": "- {purpose} (used {count} time(s))",
        "unregistered": (
            "- {count} earlier step(s) with a purpose that is not registered (recorded before "
            "purposes were registered)"
        ),
        "no_purposes": "**[no purposes yet: store.configure(purposes=[...])]**",
        "h_reasons": "## 3. Reasons and consequences for employees",
        "reasons": (
            "The system shows which skills employees have and which skills jobs require, so "
            "that opportunities for employees and training needs are recognised earlier and "
            "consistently. For employees this means that their recorded skills are used to "
            "compute scores. A score is never a decision in itself: every score lists the "
            "skills that counted, were missing or below the required level, and an employee "
            "can ask about it and contest it (see section 7)."
        ),
        "h_data": "## 4. Which data is processed",
        "data_skills": (
            "- Employees' skills, named with the ESCO classification, each with a level "
            "(0-4), the date it applied and its source ({sources})."
        ),
        "data_attributes": (
            "- Other HR data, kept apart and never used in a score: {names}."
        ),
        "data_scores": (
            "- The scores and gap reports computed, and the decisions taken with them."
        ),
        "data_log": (
            "- A tamper-evident log of every step, under a pseudonym instead of the employee's "
            "name; free texts such as CVs are not kept in the log."
        ),
        "steps_so_far": "Recorded on the log so far:",
        "h_people": "## 5. Who decides and who reviews",
        "people": (
            "The system takes no decisions. {decision_maker} decides and is responsible for "
            "the decisions taken with it. Reviewers check every score, can change it and must "
            "give a reason; every change and every decision is recorded with the name of the "
            "person who made it. Reviewers' roles: {roles}."
        ),
        "people_so_far": (
            "So far {decisions} decision(s) and {overrides} change(s) of a score were "
            "recorded."
        ),
        "h_retention": "## 6. Retention",
        "retention": (
            "The log is kept for at least six months (EU AI Act, article 26(6)). Personal "
            "content of log entries and recorded scores are removed after {months} months; "
            "the entries themselves stay, without personal data, so the log can still be "
            "checked."
        ),
        "h_rights": "## 7. Employees' rights",
        "rights": [
            "- Explanation: an employee may ask for an explanation of any score or decision "
            "about them (GDPR article 15; EU AI Act article 86).",
            "- Objection: an employee may object to the processing of their data (GDPR "
            "article 21) and to a decision taken with the system.",
            "- Access, correction and erasure (GDPR articles 15-17): erasure removes the "
            "employee's skills, HR data and scores, and the personal content of the log "
            "entries about them.",
            "- Contact for all of these requests: {contact}.",
        ],
        "h_fairness": "## 8. Checks for unequal treatment",
        "fairness_intro": "Checks run and recorded on the log:",
        "no_fairness": (
            "**[no check recorded yet: run one with skilltwin.fairness and record its outcome "
            "with store.record_fairness_check(...)]**"
        ),
        "selection": (
            "- {date}: selection rates by {attributes} ({how}): {employees} employees in "
            "{groups} groups, {small} of them too small to judge (fewer than {min_size}); "
            "{flagged} group(s) below the four-fifths guideline{lowest}."
        ),
        "how_threshold": "score of at least {threshold}",
        "how_decisions": "decisions taken",
        "lowest": " (lowest ratio {ratio})",
        "invariance": "- {date}: invariance check: {outcome} when {perturbations} changed.",
        "invariance_ok": "no score changed",
        "invariance_moved": "{moved} score(s) changed",
        "fairness_note": (
            "The four-fifths rule is a rule of thumb for spotting possible adverse impact, "
            "not a legal test: a flag calls for a human review, and its absence proves no "
            "fairness."
        ),
        "h_law": "## 9. Legal framework",
        "law": (
            "The duty to ask for consent under WOR article 27 applies now, whatever the AI "
            "Act's dates. We also inform employees and their representatives with a separate "
            "notice (EU AI Act, article 26(7))."
        ),
        "h_request": "## 10. Request",
        "request": (
            "We ask the works council to consent to the proposed decision described above. We "
            "will gladly explain the proposal in a consultation meeting (WOR article 27(2)) "
            "and look forward to your decision, in writing and with reasons."
        ),
        "sources": {"self": "the employee", "manager": "the manager",
                    "certificate": "certificates", "assessment": "assessments",
                    "inferred": "suggested from a CV, awaiting confirmation"},
        "missing": "**[not set: store.configure({name}=...)]**",
    },
}
