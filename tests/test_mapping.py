"""SkillMapper with the real model on a real slice of ESCO v1.1.1.

The slice holds four occupations with all their skills (two ICT, an accounting and a nursing
one: about 300 skills, so every expected match competes with related distractors) plus
two dozen further occupations for title mapping. Embedding it takes seconds.
"""

from __future__ import annotations

import numpy as np
import pytest

from skilltwin.errors import ConfigurationError
from skilltwin.mapping import DEFAULT_MODEL_NAME, SentenceTransformerEncoder, SkillMapper

pytestmark = pytest.mark.model

WITH_SKILLS = ["database administrator", "software developer", "accounting assistant",
               "nurse responsible for general care"]
MORE_OCCUPATIONS = [
    "ICT help desk agent", "data analyst", "web developer", "accountant", "bookkeeper",
    "nurse assistant", "midwife", "shop assistant", "ICT system administrator",
    "software analyst", "database designer", "financial analyst", "cook", "lorry driver",
    "human resources officer", "sales manager", "receptionist", "primary school teacher",
    "electrician", "mobile app developer", "ICT security administrator", "payroll clerk",
    "secretary", "pharmacist",
]


@pytest.fixture(scope="module")
def mapper(esco):
    keep = list(WITH_SKILLS)
    for title in WITH_SKILLS:
        occupation = esco.occupation(title)
        keep += [*occupation.essential_skills, *occupation.optional_skills]
    keep += MORE_OCCUPATIONS
    taxonomy = esco.subset(keep, include_occupation_skills=False)
    return SkillMapper(taxonomy, progress=False)


def _labels(matches) -> list[str]:
    return [match.label for match in matches]


def test_sql_maps_to_the_esco_skill_sql_first(mapper):
    (matches,) = mapper.map_skills(["SQL"], top_k=5)
    assert matches[0].label == "SQL"
    assert matches[0].score > 0.8


def test_excel_finds_use_spreadsheets_software_in_the_top_3(mapper):
    (matches,) = mapper.map_skills(["Excel"], top_k=3)
    assert "use spreadsheets software" in _labels(matches)


def test_self_reported_skill_phrases_find_their_skill(mapper):
    results = mapper.map_skills(["Python programming", "patient care", "bookkeeping"], top_k=3)
    assert "Python (computer programming)" in _labels(results[0])
    assert any("care" in label for label in _labels(results[1]))
    assert any("account" in label or "bookkeep" in label for label in _labels(results[2]))


def test_non_english_or_nonsense_input_scores_low(mapper):
    results = mapper.map_skills(["verpleegkundige", "boekhouder", "xqzvbnm plórk"], top_k=3)
    english = mapper.map_skills(["SQL"], top_k=1)[0][0].score
    for matches in results:
        assert len(matches) == 3
        assert matches[0].score < 0.45 < english


def test_vacancy_titles_find_their_occupation(mapper):
    results = mapper.map_occupations(
        ["Java Developer", "Registered Nurse (m/f)", "Senior Bookkeeper"], top_k=3)
    assert "software developer" in _labels(results[0])
    assert "nurse responsible for general care" in _labels(results[1])
    assert "bookkeeper" in _labels(results[2])


def test_seniority_and_gender_markers_do_not_steer_a_title(mapper):
    plain, marked = mapper.map_occupations(["Java Developer", "Senior Java Developer (m/f/d)"],
                                           top_k=3)
    assert marked[0].label == plain[0].label
    assert [m.score for m in marked] == [m.score for m in plain]


def test_extract_skills_finds_skills_with_their_spans(mapper):
    ad = ("Database administrator wanted.\n"
          "* At least 3 years of experience with SQL and Oracle\n"
          "* You report in Excel\n"
          "We offer a friendly team and a bicycle plan.")
    # a subset of ESCO: the confidence is not calibrated here (docs/mapping.md), so a low bar
    mentions = mapper.extract_skills(ad, threshold=0.1)
    found = {match.label: mention for mention in mentions for match in mention.matches}
    assert "SQL" in found and "SQL" in found["SQL"].text
    assert "use spreadsheets software" in found
    assert "Excel" in found["use spreadsheets software"].text
    for mention in mentions:
        assert ad[mention.start:mention.end] == mention.text


def test_default_encoder_is_the_packaged_minilm_and_gives_unit_vectors():
    encoder = SentenceTransformerEncoder()
    vectors = encoder.encode(["SQL", "verpleegkundige"])
    assert encoder.name.split("#")[0] == DEFAULT_MODEL_NAME  # "#onnx": the backend
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_model_that_is_not_on_this_machine_raises_configuration_error(tmp_path):
    encoder = SentenceTransformerEncoder(tmp_path / "no-such-model")
    with pytest.raises(ConfigurationError, match="model"):
        encoder.encode(["SQL"])


def test_a_skill_named_inside_a_long_sentence_ranks_high(mapper):
    sentence = ("You have at least five years of hands-on experience in SQL and you enjoy "
                "explaining data to colleagues")
    (matches,) = mapper.map_skills([sentence], top_k=3)
    assert "SQL" in _labels(matches)
    assert all("phrase" in match.signals for match in matches)


def test_a_match_score_is_the_documented_weighted_mean_of_its_signals(mapper):
    # docs/mapping.md: (semantic + 0.4 coverage + 0.2 word + 0.05 preferred
    #                   + 0.5 description) / 2.15, for texts mapped whole
    weights = {"semantic": 1.0, "coverage": 0.4, "word": 0.2, "preferred": 0.05,
               "description": 0.5}
    for matches in mapper.map_skills(["SQL", "Excel", "patient care"], top_k=5):
        for match in matches:
            by_hand = sum(w * match.signals[name] for name, w in weights.items()) / 2.15
            assert match.score == pytest.approx(min(by_hand, 1.0), abs=5e-4)
            assert match.signals["preferred"] == float(match.matched_label == match.label)
