"""The learned extraction step: its artefact, its confidence, the mentions it makes, and the
builders that turn low-confidence mentions into suggestions (docs/mapping.md, "Extraction")."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skilltwin.errors import ConfigurationError
from skilltwin.mapping import ConceptMatch, Mention
from skilltwin.mapping._extractor import (
    FEATURES,
    SENTENCE_FEATURES,
    Candidate,
    ExtractionModel,
    Trees,
    model_for,
    packaged_model,
    sentence_candidates,
)
from skilltwin.mapping.encoder import resolve_encoder
from skilltwin.mapping.extraction import assemble_mentions
from skilltwin.profiles import JobProfile
from skilltwin.provenance import Provenance
from skilltwin.twin import EmployeeTwin
from skilltwin.twin.builders import CLAIM_FROM

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "skilltwin" / "mapping" / "artefacts"
DUTCH = ROOT / "benchmarks" / "data" / "dutch_dev.csv"


def _match(uri: str, score: float, label: str | None = None) -> ConceptMatch:
    return ConceptMatch(uri=uri, label=label or uri, kind="skill", score=score,
                        matched_label=label or uri, matched_role="preferred",
                        signals={"semantic": score}, provenance=Provenance(taxonomy_release="t"))


# -- the artefact ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["extraction-minilm", "extraction-multilingual"])
def test_each_shipped_artefact_is_small_has_a_card_and_says_what_it_was_trained_on(name):
    artefact = ARTEFACTS / f"{name}.json"
    assert artefact.stat().st_size < 2 * 2**20
    card = (ARTEFACTS / f"{name}.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in card and "Zhang et al." in card and "Decorte et al." in card
    model = packaged_model(artefact.name)
    assert model.name == name and model.model
    assert model.mention.names == FEATURES
    assert model.sentence.names == SENTENCE_FEATURES
    assert 0 < model.threshold < 1 and 0 <= model.sentence_threshold < 1


def test_the_extraction_model_is_chosen_by_the_name_of_the_mapper_model():
    multilingual = resolve_encoder("multilingual").name  # names only: no model is loaded
    assert model_for(multilingual).name == "extraction-multilingual"
    assert model_for(resolve_encoder("minilm").name).name == "extraction-minilm"
    # a model without an artefact of its own (USE alone, e5 alone, a model of the user's)
    # keeps all-MiniLM-L6-v2's
    for name in (resolve_encoder("use").name, resolve_encoder("e5").name, "my-own-model"):
        assert model_for(name) is packaged_model()


def test_confidence_is_a_probability_that_rises_with_the_model_score():
    model = packaged_model()
    logits = np.linspace(-20, 20, 401)
    confidence = model.confidence(logits)
    assert ((confidence >= 0) & (confidence <= 1)).all()
    assert (np.diff(confidence) >= 0).all() and confidence[-1] > confidence[0]


def test_confidence_of_real_candidate_rows_is_in_range_and_follows_the_trees():
    model = packaged_model()
    rows = np.random.default_rng(0).uniform(0, 1, size=(200, len(FEATURES)))
    logits = model.logits(rows)
    confidence = model.confidence(logits)
    assert ((confidence >= 0) & (confidence <= 1)).all()
    order = np.argsort(logits)
    assert (np.diff(confidence[order]) >= -1e-12).all()


def test_the_artefact_loads_and_scores_without_torch():
    code = (
        "import sys; sys.modules['torch'] = None; sys.modules['sentence_transformers'] = None\n"
        "import numpy as np\n"
        "from skilltwin.mapping._extractor import FEATURES, packaged_model\n"
        "m = packaged_model()\n"
        "p = m.confidence(m.logits(np.zeros((3, len(FEATURES)))))\n"
        "assert ((p >= 0) & (p <= 1)).all()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_trees_follow_their_thresholds():
    # one stump: feature 1 at most 0.5 goes left (-1), else right (+2); baseline 0.25
    trees = Trees(("a", "b"), 0.25, (Trees.of({"features": ["a", "b"], "baseline": 0, "trees": [
        {"feature": [1, 0, 0], "threshold": [0.5, 0, 0], "left": [1, 0, 0],
         "right": [2, 0, 0], "leaf": [0, 1, 1], "value": [0, -1.0, 2.0]}]}, ("a", "b")
    ).trees[0],))
    logits = trees.logit(np.asarray([[9.0, 0.1], [9.0, 0.5], [0.0, 0.51]]))
    assert logits.tolist() == [-0.75, -0.75, 2.25]


def test_a_damaged_artefact_says_how_to_rebuild_it():
    with pytest.raises(ConfigurationError, match="train_extraction"):
        ExtractionModel.from_dict({"name": "x"})
    data = {"features": ["other"], "baseline": 0, "trees": []}
    with pytest.raises(ConfigurationError, match="other features"):
        Trees.of(data, FEATURES)


# -- candidates and mentions ---------------------------------------------------------------
def test_a_concept_ranked_for_several_spans_is_one_candidate_in_its_best_span():
    document = "SQL and Excel"
    spans = [(0, 13), (0, 3), (8, 13)]
    matches = [[_match("sql", 0.7), _match("excel", 0.6)], [_match("sql", 0.9, "SQL")],
               [_match("excel", 0.8, "Excel"), _match("noise", 0.2)]]
    candidates, rows = sentence_candidates(document, spans, matches, lambda uri: (0.0,) * 4)
    assert rows.shape == (3, len(FEATURES))
    where = {c.match.uri: document[c.span[0]:c.span[1]] for c in candidates}
    assert where == {"sql": "SQL", "excel": "Excel", "noise": "Excel"}
    exact = rows[:, FEATURES.index("exact")]
    assert exact.tolist() == [1.0, 1.0, 0.0]  # best score first: sql, excel, noise


def test_mentions_keep_each_concept_once_with_its_confidence_and_alternatives():
    document = "javascript reactjs java"
    span = (0, len(document))
    js, java, other = _match("js", 0.8), _match("java", 0.7), _match("other", 0.5)
    scored = [(Candidate(span, js, (java, other)), 0.9),
              (Candidate(span, java, (js, other)), 0.6),
              (Candidate(span, other, (js, java)), 0.1)]
    mentions = assemble_mentions(document, scored, threshold=0.5, top_k=5)
    assert [(m.best.uri, m.confidence) for m in mentions] == [("js", 0.9), ("java", 0.6)]
    assert all(m.best.confidence == m.confidence for m in mentions)
    listed = [match.uri for m in mentions for match in m.matches]
    assert len(listed) == len(set(listed))  # "other" is an alternative once
    assert mentions[0].matches[1].uri == "other" and mentions[0].matches[1].confidence == 0.1
    assert assemble_mentions(document, scored, threshold=0.95, top_k=5) == []


@pytest.mark.model
def test_extract_skills_gives_calibrated_mentions_and_drops_sentences_without_skills(
        small_mapper):
    text = ("We are a friendly company in the centre of town.\n"
            "You write SQL queries and manage budgets.")
    everything = small_mapper.extract_skills(text, threshold=0.0)
    assert everything and all(0 <= m.confidence <= 1 for m in everything)
    assert all(text[m.start:m.end] == m.text for m in everything)
    kept = small_mapper.extract_skills(text)
    assert all(m.confidence >= small_mapper.extraction_threshold for m in kept)
    assert {m.best.label for m in kept} >= {"SQL"}
    assert all(m.start > text.index("\n") for m in kept)  # the first sentence names nothing
    with pytest.raises(ConfigurationError, match="threshold"):
        small_mapper.extract_skills(text, threshold=1.5)


# -- builders --------------------------------------------------------------------------------
@dataclass
class _FixedMapper:
    """A mapper whose extract_skills returns given mentions (the Mapper protocol)."""

    taxonomy: object
    mentions: list[Mention]

    def extract_skills(self, document: str) -> list[Mention]:
        return self.mentions


def _mentions(esco, text: str, found: dict[str, float | None]) -> list[Mention]:
    mentions = []
    for label, confidence in found.items():
        start = text.index(label)
        skill = esco.skill(label)
        match = _match(skill.uri, 0.8, skill.label)
        mentions.append(Mention(text=label, start=start, end=start + len(label),
                                matches=(match,), confidence=confidence))
    return mentions


def test_from_cv_claims_confident_mentions_and_suggests_the_others(esco):
    text = "SQL every day; some statistics; a little accounting"
    mapper = _FixedMapper(esco, _mentions(esco, text, {"SQL": 0.92, "statistics": 0.45,
                                                       "accounting": None}))
    twin = EmployeeTwin.from_cv(mapper, text, employee_id="E1")
    assert [(c.skill_label, c.confidence, c.evidence, c.source) for c in twin.claims] == [
        ("SQL", 0.92, "SQL (paragraph 1, characters 0-3)", "inferred"),
        ("accounting", pytest.approx(0.3 * 0.8), "accounting (paragraph 1, characters 41-51)",
         "inferred"),  # no calibration
    ]
    [pending] = twin.suggestions
    assert (pending.skill_label, pending.confidence, pending.decision) == (
        "statistics", 0.45, "pending")
    assert text[pending.start:pending.end] == pending.evidence == "statistics"
    assert esco.skill("statistics").uri not in twin.levels()  # suggestions count for nothing

    claim = twin.accept("statistics")
    assert claim.source == "self" and claim.confidence == 1.0 and "statistics" in claim.evidence
    assert esco.skill("statistics").uri in twin.levels()
    with pytest.raises(ConfigurationError, match="pending suggestions"):
        twin.accept("statistics")
    again = EmployeeTwin.from_json(twin.to_json(), taxonomy=esco)
    assert again.suggestions == twin.suggestions and again.claims == twin.claims


def test_a_rejected_suggestion_never_becomes_a_claim(esco):
    text = "some statistics"
    mapper = _FixedMapper(esco, _mentions(esco, text, {"statistics": 0.2}))
    twin = EmployeeTwin.from_cv(mapper, text, employee_id="E1")
    twin.reject("statistics")
    assert twin.claims == [] and twin.suggestions[0].decision == "rejected"
    with pytest.raises(ConfigurationError, match="pending suggestions"):
        twin.accept("statistics")


def test_from_cv_threshold_is_documented_and_adjustable(esco):
    text = "SQL every day"
    mapper = _FixedMapper(esco, _mentions(esco, text, {"SQL": 0.45}))
    assert CLAIM_FROM == 0.5
    assert EmployeeTwin.from_cv(mapper, text, employee_id="E1").claims == []
    assert len(EmployeeTwin.from_cv(mapper, text, employee_id="E1", claim_from=0.4).claims) == 1


def test_profile_from_text_keeps_confidence_and_evidence_and_drafts_the_rest(esco):
    text = "You write SQL. Some statistics would help."
    mapper = _FixedMapper(esco, _mentions(esco, text, {"SQL": 0.8, "statistics": 0.3}))
    profile = JobProfile.from_text(mapper, text, title="Analyst")
    assert [(r.label, r.confidence, r.evidence) for r in profile.requirements] == [
        ("SQL", 0.8, "SQL (paragraph 1, characters 10-13)")]
    draft = JobProfile.draft_from_text(mapper, text, title="Analyst")
    assert [(s.label, s.score, s.decision) for s in draft.suggestions] == [
        ("statistics", 0.3, "pending")]
    assert "statistics" in draft.suggestions[0].reason
    draft.accept("statistics")
    assert {r.label for r in draft.to_profile().requirements} == {"SQL", "statistics"}


# -- the team's Dutch dev set ---------------------------------------------------------------
def test_every_uri_of_the_dutch_dev_set_is_an_esco_skill_with_that_label(esco):
    frame = pd.read_csv(DUTCH, keep_default_na=False)
    assert frame["sentence"].nunique() >= 150
    assert set(frame["region"]) == {"NL", "BE"}
    annotated = frame[frame["uri"] != ""]
    assert (frame.groupby("sentence")["uri"].apply(lambda u: (u == "").all())).sum() >= 30
    for uri, label in zip(annotated["uri"], annotated["label"], strict=True):
        assert esco.skill(uri).label == label
