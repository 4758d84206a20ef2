"""Job profiles: from occupations, from skills (reviewed drafts), rendering, similarity."""

from __future__ import annotations

import pytest

from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.profiles import JobProfile, Requirement, similar_occupations, similar_profiles


def test_from_occupation_uses_esco_skills(esco) -> None:
    occupation = esco.occupation("data scientist")
    profile = JobProfile.from_occupation(esco, "Data Scientist")
    assert profile.profile_id == occupation.uri
    assert {r.skill_uri for r in profile.essential} == set(occupation.essential_skills)
    assert {r.skill_uri for r in profile.optional} == set(occupation.optional_skills)
    assert {r.min_level for r in profile.essential} == {2}
    assert profile.provenance is not None
    assert profile.provenance.taxonomy_release == esco.release


def test_render_is_markdown_with_levels_and_release(esco) -> None:
    text = JobProfile.from_occupation(esco, "data scientist").render()
    assert text.startswith("# data scientist")
    assert "## Essential skills" in text and "## Optional skills" in text
    assert "- data mining — level 2 (Working)" in text
    assert esco.release in text


def test_json_round_trip(esco) -> None:
    profile = JobProfile.from_occupation(esco, "data scientist")
    assert JobProfile.from_json(profile.to_json()) == profile
    with pytest.raises(ConfigurationError, match="not a job profile"):
        JobProfile.from_json('{"title": "x"}')


def test_a_skill_listed_twice_is_refused() -> None:
    requirement = Requirement(skill_uri="u", label="x")
    with pytest.raises(InputValidationError) as caught:
        JobProfile(profile_id="p", title="t", requirements=(requirement, requirement))
    assert caught.value.field == "requirements"


def test_from_skills_suggests_and_only_keeps_accepted(esco) -> None:
    draft = JobProfile.from_skills(
        esco, ["Python (computer programming)", "data mining", "statistics"], title="Data analist"
    )
    labels = [match.label for match in draft.occupations]
    assert all(match.kind == "occupation" and 0 < match.score <= 1 for match in draft.occupations)
    assert "data analyst" in labels or "data scientist" in labels
    given = {r.skill_uri for r in draft.profile.requirements}
    assert draft.suggestions and not given & {s.skill_uri for s in draft.suggestions}
    first, second = draft.suggestions[0], draft.suggestions[1]
    draft.accept(first.skill_uri)
    draft.reject(second.label)
    profile = draft.to_profile()
    uris = {r.skill_uri for r in profile.requirements}
    assert first.skill_uri in uris and second.skill_uri not in uris
    assert len(uris) == len(given) + 1
    assert profile.source == "from skills"
    with pytest.raises(ConfigurationError, match="not among"):
        draft.accept("knit socks")


def test_similar_profiles_and_occupations(esco) -> None:
    scientist = JobProfile.from_occupation(esco, "data scientist")
    analyst = JobProfile.from_occupation(esco, "data analyst")
    baker = JobProfile.from_occupation(esco, "baker")
    ranked = similar_profiles(scientist, [baker, analyst], taxonomy=esco)
    assert list(ranked.index) == [analyst.profile_id, baker.profile_id]
    [nearest] = similar_occupations(scientist, taxonomy=esco, top_k=1)
    assert nearest.uri == scientist.profile_id and nearest.signals == {"skills": nearest.score}


def test_similar_profiles_with_an_encoder(esco) -> None:
    import numpy as np

    from skilltwin.mapping import BaseEncoder

    class KeywordEncoder(BaseEncoder):
        name = "keyword-test"

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.array([[t.count("data"), t.count("bread") + 0.01] for t in texts])

    scientist = JobProfile.from_occupation(esco, "data scientist")
    analyst = JobProfile.from_occupation(esco, "data analyst")
    baker = JobProfile.from_occupation(esco, "baker")
    ranked = similar_profiles(scientist, [baker, analyst], taxonomy=esco,
                              encoder=KeywordEncoder())
    assert ranked.index[0] == analyst.profile_id


@pytest.mark.model
def test_from_text_uses_the_mappers_skills(small_mapper) -> None:
    text = "We need someone who knows SQL and can manage budgets. SQL is a must."
    profile = JobProfile.from_text(small_mapper, text, title="Analist", require_from=0.3)
    labels = [r.label for r in profile.requirements]
    # both skills, in the order of their first confident mention (a subset of ESCO: which
    # "SQL" mention clears 0.3 depends on the model)
    assert sorted(labels[:2]) == ["SQL", "manage budgets"]
    assert len(labels) == len(set(labels))  # SQL named twice, required once
    assert all(r.importance == "essential" and r.min_level == 2 for r in profile.requirements)
    assert all(r.confidence >= 0.3 and r.evidence.split(" (paragraph ")[0] in text
               and "characters" in r.evidence for r in profile.requirements)
    assert profile.source == "from text"
    # at the default bar, what is less sure waits in a draft for a person's decision
    draft = JobProfile.draft_from_text(small_mapper, text, title="Analist")
    found = [r.label for r in draft.profile.requirements] + [s.label for s in draft.suggestions]
    assert {"SQL", "manage budgets"} <= set(found)
    assert all(r.confidence >= 0.5 for r in draft.profile.requirements)
    assert all(s.score < 0.5 and s.decision == "pending" for s in draft.suggestions)

