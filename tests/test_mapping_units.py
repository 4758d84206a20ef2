"""SkillMapper machinery without the language model: a word-hashing encoder stands in.

Covers the lexical signals, document splitting, mention merging, the on-disk index cache and
the mapper's contract (shapes, blanks, errors, provenance). Real-model behaviour is in
tests/test_mapping.py.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence

import numpy as np
import pytest
import scipy.sparse as sp

from skilltwin._text import tokenize
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.mapping import BaseEncoder, ConceptMatch, EmbeddingIndex, SkillMapper
from skilltwin.mapping import index as index_module
from skilltwin.mapping._fusion import MULTILINGUAL, add_lexical
from skilltwin.mapping._label_max import SlotLayout
from skilltwin.mapping._lexical import LexicalIndex, LexicalScores
from skilltwin.mapping._titles import strip_title_noise
from skilltwin.mapping.encoder import resolve_encoder
from skilltwin.mapping.extraction import candidate_spans, merge_mentions
from skilltwin.mapping.index import LabelTable
from skilltwin.provenance import Provenance


class HashingEncoder(BaseEncoder):
    """Bag of hashed words: texts sharing words get similar vectors. Counts its calls."""

    name = "test/hashing-encoder"

    def __init__(self) -> None:
        self.encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded += len(texts)
        vectors = np.zeros((len(texts), 256), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                vectors[row, zlib.crc32(token.encode()) % 256] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


@pytest.fixture(scope="module")
def small(esco):
    """Two ICT occupations and a nurse occupation with their skills."""
    return esco.subset(["database administrator", "software developer",
                        "nurse responsible for general care"])


@pytest.fixture(scope="module")
def mapper(small):
    return SkillMapper(small, model=HashingEncoder(), progress=False)


# -- lexical signals --------------------------------------------------------------------------
def test_coverage_is_full_when_every_label_word_is_in_a_long_sentence():
    index = LexicalIndex(["SQL", "project management", "use spreadsheets software"])
    scores = index.score(["Five years of SQL and project management in a big bank"])
    coverage = scores.coverage.toarray()[0]
    assert coverage[0] == pytest.approx(1.0)
    assert coverage[1] == pytest.approx(1.0)
    assert coverage[2] == 0.0
    assert scores.word.toarray()[0, 0] < 0.5  # symmetric cosine stays low for a long text


def test_misspelt_words_still_match_their_label():
    index = LexicalIndex(["project management", "manage staff"])
    word = index.score(["project managment"]).word.toarray()[0]
    assert word[0] > 0.8
    assert word[1] == 0.0


def test_unknown_words_lower_the_word_cosine():
    index = LexicalIndex(["SQL"])
    exact, padded = index.score(["SQL", "SQL zyxwvut"]).word.toarray()[:, 0]
    assert exact == pytest.approx(1.0)
    assert 0 < padded < exact


@pytest.mark.parametrize("chars", [False, True])
def test_a_saved_lexical_index_scores_as_the_one_built(chars, tmp_path):
    labels = ["project management", "manage staff", "SQL", "wijkverpleegkundige"]
    built = LexicalIndex(labels, chars=chars)
    np.savez(tmp_path / "lexical.npz", **built.arrays())
    with np.load(tmp_path / "lexical.npz", allow_pickle=False) as arrays:
        loaded = LexicalIndex.from_arrays(arrays)
    queries = ["project managment with SQL", "verpleegkundige", ""]
    expected, got = built.score(queries), loaded.score(queries)
    for name in ("word", "coverage", "chars"):
        if getattr(expected, name) is None:
            assert getattr(got, name) is None
            continue
        np.testing.assert_array_equal(getattr(got, name).toarray(),
                                      getattr(expected, name).toarray())


def test_the_mapper_keeps_its_lexical_index_beside_the_cached_index(small, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(tmp_path))
    first = SkillMapper(small, model=HashingEncoder(), progress=False)
    expected = first.map_skills(["managing databases with SQL"], top_k=3)
    (saved,) = tmp_path.glob("index/skill-*/lexical-words-*.npz")
    again = SkillMapper(small, model=HashingEncoder(), progress=False)
    assert again.map_skills(["managing databases with SQL"], top_k=3) == expected
    assert list(tmp_path.glob("index/skill-*/lexical-words-*.npz")) == [saved]


# -- document splitting and merging -----------------------------------------------------------
def test_slot_layout_gives_each_concepts_best_label_score():
    rng = np.random.default_rng(0)
    for _ in range(20):
        counts = rng.integers(1, 9, size=int(rng.integers(1, 40)))
        owners = np.repeat(np.arange(len(counts)), counts)
        layout = SlotLayout(owners)
        assert sorted(layout.columns) == list(range(len(owners)))
        assert np.array_equal(layout.columns[layout.position], np.arange(len(owners)))
        scores = rng.normal(size=(3, len(owners))).astype(np.float32)
        best = layout.concept_max(scores[:, layout.columns])
        expected = [[row[owners == concept].max() for concept in range(len(counts))]
                    for row in scores]
        assert np.array_equal(best, np.asarray(expected))


@pytest.mark.parametrize("contiguous", [True, False])
def test_lexical_signals_add_their_weighted_sum_to_the_label_scores(contiguous):
    rng = np.random.default_rng(1)

    def signal() -> sp.csr_matrix:
        return sp.random(5, 40, density=0.3, format="csr", dtype=np.float32, random_state=rng)

    lexical = LexicalScores(word=signal(), coverage=signal(), chars=signal())
    base = rng.random((5, 80), dtype=np.float32)
    scores = base[:, :40].copy() if contiguous else base[:, ::2]  # a strided view: same path
    expected = scores + (0.03 * lexical.coverage + 0.02 * lexical.word
                         + 0.05 * lexical.chars).toarray()
    add_lexical(scores, lexical, MULTILINGUAL)
    np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize(("title", "expected"), [
    ("Senior Java Developer (m/f/d)", "Java Developer"),
    ("Junior HR officer (m/v)", "HR officer"),
    ("Sr. Accountant", "Accountant"),
    ("Medewerker klantcontact (M/V/X)", "Medewerker klantcontact"),
    ("Internship - Marketing", "Marketing"),
    ("Mobile (iOS/Android) developer", "Mobile (iOS/Android) developer"),
    ("seniority analyst", "seniority analyst"),
    ("Senior", "Senior"),
])
def test_title_noise_is_gender_markers_and_seniority_words(title, expected):
    assert strip_title_noise(title) == expected


def test_candidate_spans_cover_sentences_and_phrases_with_exact_offsets():
    document = "We want a nurse.\n* Experience with SQL, Python and Excel\n• Team player!"
    spans = candidate_spans(document)
    texts = [document[start:end] for start, end in spans]
    assert "We want a nurse" in texts
    assert "Experience with SQL, Python and Excel" in texts
    assert {"Experience", "SQL", "Python", "Excel"} <= set(texts)
    assert "Team player" in texts
    assert all(not text.startswith(("*", " ", "•")) for text in texts)


def test_candidate_spans_ignore_blank_and_punctuation_only_documents():
    assert candidate_spans("") == []
    assert candidate_spans(" \n * - ;") == []


def _match(uri: str, score: float) -> ConceptMatch:
    return ConceptMatch(uri=uri, label=uri, kind="skill", score=score, matched_label=uri,
                        matched_role="preferred", signals={},
                        provenance=Provenance(taxonomy_release="test"))


def test_merge_keeps_each_concept_once_where_it_scored_best():
    document = "SQL and Excel"
    spans = [(0, 13), (0, 3), (8, 13)]
    matches = [[_match("sql", 0.7), _match("excel", 0.6)], [_match("sql", 0.9)],
               [_match("excel", 0.8), _match("noise", 0.2)]]
    mentions = merge_mentions(document, spans, matches, threshold=0.5)
    assert [(m.text, m.best.uri) for m in mentions] == [("SQL", "sql"), ("Excel", "excel")]
    assert all(document[m.start:m.end] == m.text for m in mentions)
    assert all(len(m.matches) == 1 for m in mentions)  # "noise" is below the threshold


# -- the cached index -------------------------------------------------------------------------
def test_label_table_puts_preferred_labels_first_and_descriptions_last(small):
    table = LabelTable.from_taxonomy(small, "skill")
    first: dict[int, int] = {}
    for row, owner in enumerate(table.owners[:table.label_count].tolist()):
        first.setdefault(owner, row)
    assert all(table.roles[row] == 0 for row in first.values())
    assert set(table.roles[table.label_count:].tolist()) <= {3}
    assert len(table.uris) == small.count("skill")


def test_index_is_cached_on_disk_with_a_model_card(small):
    encoder = HashingEncoder()
    built = EmbeddingIndex.for_taxonomy(small, "skill", encoder, progress=False)
    distinct = len(set(built.table.texts))
    assert distinct < len(built.table.texts)  # "SQL" is a label of two skills...
    assert encoder.encoded == distinct  # ...and embedded once
    sql = [row for row, text in enumerate(built.table.texts) if text == "SQL"]
    assert len(set(built.table.owners[sql].tolist())) == 2
    np.testing.assert_array_equal(built.vectors[sql[0]], built.vectors[sql[1]])
    again = EmbeddingIndex.for_taxonomy(small, "skill", encoder, progress=False)
    assert encoder.encoded == distinct  # nothing re-embedded
    np.testing.assert_allclose(again.vectors, built.vectors, atol=1e-3)
    assert again.card.model_name == encoder.name
    assert again.card.taxonomy_release == small.release
    assert again.card.concepts == small.count("skill")
    assert "rebuild" in again.card.rebuild.lower()


def test_a_different_slice_of_the_taxonomy_gets_its_own_index(small, esco):
    other = esco.subset(["database administrator"])
    assert (LabelTable.from_taxonomy(other, "skill").fingerprint()
            != LabelTable.from_taxonomy(small, "skill").fingerprint())


def test_damaged_cache_is_rebuilt(small, tmp_path, monkeypatch):
    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(tmp_path))
    encoder = HashingEncoder()
    EmbeddingIndex.for_taxonomy(small, "occupation", encoder, progress=False)
    (card,) = tmp_path.glob("index/*/card.json")
    card.write_text("{not json", encoding="utf-8")
    rebuilt = EmbeddingIndex.for_taxonomy(small, "occupation", encoder, progress=False)
    assert encoder.encoded == 2 * len(rebuilt.table.texts)
    assert json.loads(card.read_text(encoding="utf-8"))["model_name"] == encoder.name


def test_a_read_only_cache_is_read_and_what_is_missing_is_built_in_memory(small, tmp_path,
                                                                          monkeypatch):
    from skilltwin import _staging

    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(tmp_path))
    encoder = HashingEncoder()
    prepared = EmbeddingIndex.for_taxonomy(small, "occupation", encoder, progress=False)
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))

    def refused(*args, **kwargs):  # what creating a file in a read-only folder does
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_staging.tempfile, "mkdtemp", refused)
    reader = HashingEncoder()
    found = EmbeddingIndex.for_taxonomy(small, "occupation", reader, progress=False)
    assert reader.encoded == 0  # read from the cache as prepared
    np.testing.assert_allclose(found.vectors, prepared.vectors, atol=1e-3)  # float16 on disk
    with pytest.warns(UserWarning, match="cannot be written.*skilltwin index build"):
        built = EmbeddingIndex.for_taxonomy(small, "skill", reader, progress=False)
    assert len(built.table.texts) > 0 and reader.encoded > 0
    assert sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*")) == before


def test_build_progress_counts_texts_and_weighs_long_texts_more(small, capsys):
    EmbeddingIndex.build(LabelTable.from_taxonomy(small, "skill"), HashingEncoder(),
                         taxonomy_release="test", progress=True)
    table = LabelTable.from_taxonomy(small, "skill")
    distinct = len(set(table.texts))
    final = capsys.readouterr().err.replace("\r", "\n").strip().splitlines()[-1]
    assert "100%" in final and f"{distinct:,}/{distinct:,} texts" in final
    label, description = index_module._costs(np.array([20, 400]))
    assert description > 10 * label  # the estimate allows for descriptions taking longer


# -- the mapper's contract --------------------------------------------------------------------
def test_results_come_in_input_order_with_blank_texts_unmatched(mapper):
    results = mapper.map_skills(["SQL", "", "   ", "manage database"], top_k=3)
    assert [len(r) for r in results] == [3, 0, 0, 3]
    assert results[0][0].matched_label == "SQL"  # "SQL" is also a label of another skill
    assert results[3][0].label == "manage database"
    scores = [m.score for m in results[3]]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_each_match_explains_itself_and_carries_provenance(mapper, small):
    (best, *_), = mapper.map_skills(["MySQL"], top_k=2)
    assert best.matched_label in small.skill(best.uri).labels
    assert set(best.signals) == {"semantic", "description", "coverage", "word", "preferred"}
    for value in (best.score, *best.signals.values()):  # 4 decimals, no float32 residue
        assert value == round(value, 4) and len(repr(value)) <= 6
    assert best.provenance.model_name == "test/hashing-encoder"
    assert best.provenance.taxonomy_release == small.release


def test_top_k_larger_than_the_taxonomy_returns_every_concept(mapper, small):
    (matches,) = mapper.map_occupations(["developer"], top_k=50)
    assert len(matches) == small.count("occupation")
    assert len({m.uri for m in matches}) == len(matches)


def test_frame_view_has_one_row_per_match(mapper):
    frame = mapper.map_skills_frame(["SQL", "nursing"], top_k=2)
    assert list(frame.columns) == ["text", "rank", "uri", "label", "score", "matched_label",
                                   "matched_role"]
    assert frame["text"].tolist() == ["SQL", "SQL", "nursing", "nursing"]
    assert frame["rank"].tolist() == [1, 2, 1, 2]


@pytest.mark.parametrize("texts", ["SQL", ["SQL", 3]])
def test_wrong_text_arguments_raise_configuration_error(mapper, texts):
    with pytest.raises(ConfigurationError):
        mapper.map_skills(texts)


@pytest.mark.parametrize("top_k", [0, -1, 2.5, True])
def test_wrong_top_k_raises_configuration_error(mapper, top_k):
    with pytest.raises(ConfigurationError, match="top_k"):
        mapper.map_skills(["SQL"], top_k=top_k)


def test_extract_skills_reports_spans_inside_the_document(mapper):
    document = "Our database team needs SQL.\n- MySQL and Oracle\n- manage staff"
    mentions = mapper.extract_skills(document, threshold=0.3)
    assert mentions
    assert all(document[m.start:m.end] == m.text for m in mentions)
    uris = [match.uri for m in mentions for match in m.matches]
    assert len(uris) == len(set(uris))
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


def test_extract_skills_rejects_bad_arguments(mapper):
    with pytest.raises(ConfigurationError):
        mapper.extract_skills(["a list"])
    with pytest.raises(ConfigurationError, match="threshold"):
        mapper.extract_skills("SQL", threshold=2)


def test_model_argument_must_be_a_name_path_or_encoder():
    with pytest.raises(InputValidationError, match="Encoder") as raised:
        resolve_encoder(42)  # type: ignore[arg-type]
    assert raised.value.field == "model"
    assert resolve_encoder(HashingEncoder()).name == "test/hashing-encoder"


def test_only_longer_texts_with_several_phrases_get_a_phrase_signal(mapper):
    single, short, several = mapper.map_skills(
        ["MySQL", "MySQL, Oracle", "We use MySQL, Oracle and manage database servers"], top_k=2)
    assert all("phrase" not in match.signals for match in short)
    assert all("phrase" not in match.signals for match in single)
    assert all(0 <= match.signals["phrase"] <= 1 for match in several)


def test_a_text_with_very_many_phrases_is_still_mapped(mapper):
    long_line = ", ".join(["SQL", "MySQL", "Oracle", "manage database"] * 60)
    (matches,) = mapper.map_skills([long_line], top_k=3)
    assert len(matches) == 3


def test_a_declared_calibration_calibrates_semantic_and_description(small):
    from skilltwin.mapping import CosineCalibration, EncoderCapabilities
    from skilltwin.mapping._calibration import REFERENCE
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.taxonomy._data import TaxonomyData

    class Scaled(HashingEncoder):
        name = "test/scaled-hashing-encoder"
        # a zero cosine maps to a positive value: a concept without a description must
        # still get 0, not that value
        capabilities = EncoderCapabilities(calibration=CosineCalibration(mean=0.05, std=0.1))

    concepts = small.concepts_frame()
    nurse = small.occupation("nurse responsible for general care").uri
    concepts.loc[nurse, "description"] = None
    taxonomy = Taxonomy(TaxonomyData(version=small.version, language="en", concepts=concepts,
                                     relations=small.relations_frame()))
    plain = SkillMapper(taxonomy, model=HashingEncoder(), cache=False, progress=False)
    scaled = SkillMapper(taxonomy, model=Scaled(), cache=False, progress=False)
    slope = REFERENCE.std / 0.1
    assert REFERENCE.mean - slope * 0.05 > 0.1
    titles = ["database administrator", "nurse", "general care nurse"]
    seen_nurse = False
    for got, raw in zip(scaled.map_occupations(titles, top_k=3),
                        plain.map_occupations(titles, top_k=3), strict=True):
        raw_by_uri = {match.uri: match for match in raw}
        for match in got:
            cosine = raw_by_uri[match.uri].signals["semantic"]
            calibrated = REFERENCE.mean + slope * (cosine - 0.05)
            assert match.signals["semantic"] == pytest.approx(min(calibrated, 1.0), abs=2e-3)
            if match.uri == nurse:
                seen_nurse = True
                assert match.signals["description"] == 0.0
            else:
                assert match.signals["description"] > 0.0
    assert seen_nurse


# -- what encoders and mappers declare ---------------------------------------------------------
def test_a_minimal_user_encoder_works_and_gets_default_capabilities(small):
    from skilltwin.mapping import EncoderCapabilities

    encoder = HashingEncoder()  # a BaseEncoder with only `name` and `encode`
    defaults = encoder.capabilities
    assert defaults == EncoderCapabilities()
    assert (defaults.multilingual, defaults.calibration, defaults.cross_language_gap,
            defaults.dimension, defaults.description_view) == (False, None, None, None, None)
    mapper = SkillMapper(small, model=encoder, cache=False, progress=False)
    assert "fallback" not in mapper.signal_weights and "chars" not in mapper.signal_weights
    (matches,) = mapper.map_skills(["manage databases"], top_k=3)
    assert len(matches) == 3 and matches[0].provenance.model_name == "test/hashing-encoder"


def test_an_encoder_without_capabilities_is_told_what_to_add(small):
    from skilltwin.mapping import CombinedEncoder, EncoderCapabilities

    class Bare:  # `name` and `encode` only: no silent defaults
        name = "test/bare-encoder"
        encode = HashingEncoder.encode

    with pytest.raises(InputValidationError, match=r"EncoderCapabilities\(\)") as raised:
        SkillMapper(small, model=Bare(), cache=False, progress=False)
    assert raised.value.field == "model" and "`capabilities`" in str(raised.value)
    assert "BaseEncoder" in str(raised.value)
    with pytest.raises(InputValidationError) as raised:
        CombinedEncoder([(HashingEncoder(), 1.0), (Bare(), 1.0)])
    assert raised.value.field == "parts[1]"
    Bare.capabilities = EncoderCapabilities()  # type: ignore[attr-defined]
    assert SkillMapper(small, model=Bare(), cache=False, progress=False).encoder.name == Bare.name


def test_an_encoder_declares_what_it_can_in_its_capabilities(small):
    from skilltwin.mapping import EncoderCapabilities

    class Multilingual(HashingEncoder):
        name = "test/multilingual-hashing-encoder"
        capabilities = EncoderCapabilities(multilingual=True, cross_language_gap=0.1)

    weights = SkillMapper(small, model=Multilingual(), cache=False,
                          progress=False).signal_weights
    assert weights["fallback"] == 0.1 and weights["chars"] > 0

    class Undeclared(HashingEncoder):
        capabilities = ("multilingual", True)

    with pytest.raises(InputValidationError, match="EncoderCapabilities") as raised:
        SkillMapper(small, model=Undeclared(), cache=False, progress=False)
    assert raised.value.field == "model.capabilities"
    with pytest.raises(ConfigurationError, match="cross_language_gap"):
        EncoderCapabilities(cross_language_gap=1.5)
    with pytest.raises(ConfigurationError, match="dimension"):
        EncoderCapabilities(dimension=0)


def test_a_mapper_of_ones_own_needs_no_provenance(small, mapper):
    from skilltwin.mapping.protocol import provenance_of

    class Own:
        taxonomy = small

        def extract_skills(self, document: str) -> list[object]:
            return []

    assert provenance_of(Own()) == Provenance(taxonomy_release=small.release,
                                              language=small.language)
    assert provenance_of(Own()).model_name is None
    assert provenance_of(mapper).model_name == "test/hashing-encoder"
