"""Mapping Dutch text: `map-occupations`/`map-skills` with `--language nl` and with
`--model multilingual` against the English taxonomy (cross-lingual), on small real slices of
ESCO v1.1.1 (English and the official Dutch files) with the packaged multilingual model."""

from __future__ import annotations

import io
import json
import sys

import numpy as np
import pytest

from skilltwin.cli import _document_commands, _mapping_commands
from skilltwin.cli.main import main
from skilltwin.mapping import (
    CombinedEncoder,
    MultilingualE5Encoder,
    SkillMapper,
    UniversalSentenceEncoder,
)
from skilltwin.mapping._calibration import calibration_for
from skilltwin.mapping.index import LabelTable

pytestmark = pytest.mark.model

OCCUPATIONS = ["software developer", "nurse responsible for general care", "accountant",
               "cook", "lorry driver", "primary school teacher", "electrician", "pharmacist",
               "data analyst", "receptionist", "customer service representative", "bookkeeper"]
SKILLS = ["Python (computer programming)", "SQL", "manage budgets", "speak Dutch",
          "teamwork principles", "use spreadsheets software", "drive vehicles"]


def _uris(taxonomy, labels):
    return [taxonomy.occupation(label).uri if label in OCCUPATIONS
            else taxonomy.skill(label).uri for label in labels]


@pytest.fixture(scope="module")
def slices(esco, esco_nl):
    keep = _uris(esco, OCCUPATIONS + SKILLS)
    return (esco.subset(keep, include_occupation_skills=False),
            esco_nl.subset(keep, include_occupation_skills=False))


def _run(monkeypatch, capsys, taxonomy, argv, lines):
    monkeypatch.setattr(_mapping_commands, "load_taxonomy", lambda args: (taxonomy, 0.0))
    data = "\n".join(lines).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert main(argv) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_dutch_titles_against_the_dutch_taxonomy_give_dutch_labels(monkeypatch, capsys, slices):
    english, dutch = slices
    out = _run(monkeypatch, capsys, dutch,
               ["map-occupations", "--language", "nl", "--top-k", "3"],
               ["Ervaren verpleegkundige (m/v/x)", "Medewerker/medewerkster klantenservice",
                "", "Senior softwareontwikkelaar", "vrachtwagenchauffeur"])
    best = [line["matches"][0]["uri"] if line["matches"] else None for line in out]
    expected = _uris(english, ["nurse responsible for general care",
                               "customer service representative", "software developer",
                               "lorry driver"])
    assert best == [*expected[:2], None, *expected[2:]]
    assert out[0]["matches"][0]["label"] == dutch.occupation(best[0]).label != \
        english.occupation(best[0]).label  # the Dutch label, not the English one


@pytest.mark.parametrize(("command", "lines", "expected"), [
    ("map-occupations", ["boekhouder", "apotheker", "leraar/lerares basisonderwijs"],
     ["bookkeeper", "pharmacist", "primary school teacher"]),
    ("map-skills", ["programmeren in Python", "budgetten beheren", "voertuigen besturen"],
     ["Python (computer programming)", "manage budgets", "drive vehicles"]),
], ids=["titles", "skill-phrases"])
def test_dutch_text_maps_cross_lingually_to_the_english_taxonomy(monkeypatch, capsys, slices,
                                                                 command, lines, expected):
    english, _ = slices
    out = _run(monkeypatch, capsys, english,
               [command, "--model", "multilingual", "--top-k", "2"], lines)
    assert [line["matches"][0]["label"] for line in out] == expected


def test_a_dutch_taxonomy_chooses_the_multilingual_model_and_extracts_dutch_skills(slices):
    _, dutch = slices
    mapper = SkillMapper(dutch, progress=False)
    assert isinstance(mapper.encoder, CombinedEncoder)
    assert [type(part) for part, _ in mapper.encoder.parts] == [UniversalSentenceEncoder,
                                                                MultilingualE5Encoder]
    assert mapper.index("skill").card.language == "nl"
    assert mapper.provenance.language == "nl"
    assert mapper.extraction_model.name == "extraction-multilingual"  # its own, by name
    assert 0 < mapper.extraction_threshold < 1
    text = ("Wij bieden een goed salaris en een leaseauto.\n"
            "Wij zoeken iemand die goed kan samenwerken en ervaring heeft met SQL en Python.")
    mentions = mapper.extract_skills(text, threshold=0.0)
    assert mentions and all(0 <= m.confidence <= 1 for m in mentions)
    assert all(text[m.start:m.end] == m.text and m.best.confidence == m.confidence
               for m in mentions)
    found = {m.best.uri: m for m in mentions}
    for label in ("SQL", "Python (computer programming)"):
        mention = found[dutch.skill(label).uri]
        assert mention.start > text.index("\n")  # in the sentence that names it
    kept = mapper.extract_skills(text)
    assert all(m.confidence >= mapper.extraction_threshold for m in kept)


def test_extract_with_language_nl_writes_dutch_mentions_with_confidence(
        monkeypatch, capsys, tmp_path, slices):
    _, dutch = slices
    languages = []

    def load(args):
        languages.append(args.language)
        return dutch, 0.0

    monkeypatch.setattr(_document_commands, "load_taxonomy", load)
    cv = tmp_path / "cv.txt"
    cv.write_text("Ervaring met SQL en Python.\nIk rijd graag auto.\n", encoding="utf-8")
    assert main(["extract", str(cv), "--language", "nl", "--threshold", "0"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert languages == ["nl"]
    assert lines and all(0 <= line["confidence"] <= 1 for line in lines)
    text = cv.read_text(encoding="utf-8")
    assert all(text[line["start"]:line["end"]] == line["text"] for line in lines)
    assert dutch.skill("SQL").uri in {line["uri"] for line in lines}


def test_a_multilingual_score_is_the_documented_weighted_mean_with_chars(slices):
    # docs/mapping.md: (semantic + 0.03 coverage + 0.02 word + 0.05 chars + 0.02 preferred
    #                   + 0.15 fallback + 0.5 description) / 1.62 with a multilingual model
    english, dutch = slices
    weights = {"semantic": 1.0, "description": 0.5, "coverage": 0.03, "word": 0.02,
               "chars": 0.05, "preferred": 0.02, "fallback": 0.15}
    english_model = SkillMapper(english, model="minilm", progress=False)
    assert english_model.signal_weights["word"] == 0.2
    assert "fallback" not in english_model.signal_weights
    fallback_seen = set()
    queries = ["softwareontwikkelaar", "verpleegkundige", "kok", "lorry driver", "truck driver"]
    for taxonomy in (english, dutch):
        mapper = SkillMapper(taxonomy, model="multilingual", progress=False)
        assert mapper.signal_weights == weights
        use, e5 = (part for part, _ in mapper.encoder.parts)
        for query, matches in zip(queries, mapper.map_occupations(queries, top_k=4),
                                  strict=True):
            # descriptions weigh USE 0.3 and e5 0.7 (calibrated cosines)
            description = [taxonomy.occupation(matches[0].uri).description]
            on_scale = [calibration_for(part).apply(part.encode([query]) @ part.encode(
                description).T)[0, 0] for part in (use, e5)]
            assert matches[0].signals["description"] == pytest.approx(
                max(0.3 * on_scale[0] + 0.7 * on_scale[1], 0.0), abs=2e-3)
            for match in matches:
                by_hand = sum(w * match.signals[name] for name, w in weights.items()) / 1.62
                assert match.score == pytest.approx(min(by_hand, 1.0), abs=5e-4)
                english_labels = english.occupation(match.uri).labels
                dutch_labels = dutch.occupation(match.uri).labels
                in_fallback = (taxonomy is dutch and match.matched_label in english_labels
                               and match.matched_label not in dutch_labels)
                assert match.signals["fallback"] == float(in_fallback)
                fallback_seen.add(in_fallback)
    assert fallback_seen == {True, False}  # English labels matched in the Dutch taxonomy


def test_the_label_table_flags_texts_in_the_fallback_language(slices):
    english, dutch = slices
    table = LabelTable.from_taxonomy(dutch, "skill")
    assert table.fingerprint() != LabelTable.from_taxonomy(english, "skill").fingerprint()
    for position, uri in enumerate(table.uris):
        concept = dutch.skill(uri)
        rows = np.flatnonzero(table.owners == position)
        flags = {table.texts[row]: bool(table.in_fallback_language[row]) for row in rows}
        if concept.language == "nl":  # its Dutch labels are not flagged, its English ones are
            assert flags[concept.label] is False
            assert all(flags[label] for label in english.skill(uri).labels
                       if label in flags and label not in concept.labels)
        else:  # a skill without a Dutch label: every text is in the fallback language
            assert all(flags.values())
    assert table.in_fallback_language.any() and not table.in_fallback_language.all()
    assert not LabelTable.from_taxonomy(english, "skill").in_fallback_language.any()


def test_character_ngrams_match_parts_of_dutch_compounds():
    from skilltwin.mapping._lexical import LexicalIndex

    labels = ["verpleegkundige", "software ontwikkelaar", "kok"]
    scores = LexicalIndex(labels, chars=True).score(["wijkverpleegkundige",
                                                     "softwareontwikkelaar"])
    chars = scores.chars.toarray()
    assert chars[0, 0] > 0.5 and chars[0, 0] > 3 * chars[0, 1] and chars[0, 2] == 0
    assert chars[1, 1] > 0.5 and chars[1, 1] > 3 * chars[1, 0]
    assert LexicalIndex(labels).score(["kok"]).chars is None  # only computed when asked for
