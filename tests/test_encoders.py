"""The packaged encoders: USE multilingual, multilingual-e5-small, their calibrated
combination (the multilingual default), MiniLM+USE and the ONNX backend.

All load offline from site-packages; the ONNX export goes to the session's temporary cache.
Rankings are checked on a small slice of real ESCO labels (English and Dutch).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.mapping import (
    BaseEncoder,
    CombinedEncoder,
    CosineCalibration,
    MultilingualE5Encoder,
    SentenceTransformerEncoder,
    SkillMapper,
    UniversalSentenceEncoder,
)
from skilltwin.mapping._calibration import REFERENCE, calibration_for
from skilltwin.mapping.encoder import AUTO_INT8, resolve_encoder
from skilltwin.taxonomy import Taxonomy
from skilltwin.taxonomy._data import TaxonomyData

pytestmark = pytest.mark.model

LABELS = ["nurse responsible for general care", "software developer", "accountant",
          "cook", "lorry driver", "primary school teacher", "electrician", "pharmacist",
          "data analyst", "receptionist"]
DUTCH = ["verpleegkundige", "softwareontwikkelaar", "boekhouder", "kok", "vrachtwagenchauffeur",
         "leraar basisonderwijs", "elektricien", "apotheker", "data-analist", "receptionist"]
ENGLISH_QUERIES = ["registered nurse", "Java programmer", "chartered accountant", "chef",
                   "truck driver", "teacher in a primary school", "electrical installer",
                   "chemist in a pharmacy", "business data analyst", "front desk clerk"]


def _top1(queries: np.ndarray, labels: np.ndarray) -> list[int]:
    return (queries @ labels.T).argmax(axis=1).tolist()


@pytest.mark.parametrize(("model", "dimension"), [(UniversalSentenceEncoder, 512),
                                                  (MultilingualE5Encoder, 384)])
def test_packaged_models_are_multilingual_dutch_titles_find_their_english_occupation(
        model, dimension):
    encoder = model()
    labels, dutch = encoder.encode(LABELS), encoder.encode(DUTCH)
    assert labels.shape == (10, dimension) and labels.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(dutch, axis=1), 1.0, atol=1e-5)
    assert sum(top == i for i, top in enumerate(_top1(dutch, labels))) >= 9
    assert encoder.encode([]).shape == (0, dimension)
    assert encoder.capabilities.multilingual and encoder.capabilities.calibration is not None
    assert encoder.capabilities.dimension == dimension


def test_combined_encoder_gives_the_weighted_mean_of_the_models_cosines():
    minilm, use = SentenceTransformerEncoder(backend="torch"), UniversalSentenceEncoder()
    combined = CombinedEncoder([(minilm, 1.0), (use, 3.0)])
    texts = ["SQL", "databasebeheer", "manage databases"]
    vectors = combined.encode(texts)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    a, b = minilm.encode(texts), use.encode(texts)
    np.testing.assert_allclose(vectors @ vectors.T, 0.25 * (a @ a.T) + 0.75 * (b @ b.T),
                               atol=1e-5)
    assert "all-MiniLM-L6-v2*0.25" in combined.name and "multilingual-3*0.75" in combined.name


def test_e5_declares_its_narrow_cosine_calibration():
    encoder = MultilingualE5Encoder()
    labels = encoder.encode(LABELS)
    # unrelated pairs sit near the declared mean, far above USE's: why calibration is needed
    cosines = labels @ labels.T
    unrelated = cosines[~np.eye(10, dtype=bool)]
    declared = encoder.capabilities.calibration
    assert declared is not None
    assert abs(unrelated.mean() - declared.mean) < 3 * declared.std
    assert unrelated.min() > 0.6


def test_calibrated_combination_averages_the_calibrated_cosines():
    use, e5 = UniversalSentenceEncoder(), MultilingualE5Encoder()
    combined = CombinedEncoder([(use, 1.0), (e5, 1.0)])
    assert combined.name.endswith("#calibrated")
    assert combined.capabilities.calibration is not None
    assert combined.capabilities.dimension == 512 + 384
    texts = ["SQL", "databasebeheer", "manage databases", "kok"]
    vectors = combined.encode(texts)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    on_scale = calibration_for(combined).apply(vectors @ vectors.T)
    by_hand = 0.5 * calibration_for(use).apply(use.encode(texts) @ use.encode(texts).T) \
        + 0.5 * calibration_for(e5).apply(e5.encode(texts) @ e5.encode(texts).T)
    different = ~np.eye(len(texts), dtype=bool)  # a text with itself is capped at 1
    np.testing.assert_allclose(on_scale[different], by_hand[different], atol=1e-4)
    assert np.all(on_scale <= 1.0) and np.allclose(np.diag(on_scale), 1.0)
    # the narrow model gets the larger mixing weight: by the ratio of the spreads
    (_, w_use), (_, w_e5) = combined.parts
    assert w_e5 / w_use == pytest.approx(0.119 / 0.023)  # the declared standard deviations
    # a model at the mean of its spread lands at the reference mean
    at_mean = calibration_for(e5).apply(np.array([0.808], dtype=np.float32))  # e5's mean
    assert at_mean[0] == pytest.approx(REFERENCE.mean)
    for mean, std, field in ((0.5, 0.0, "std"), (float("nan"), 0.1, "mean"), (0.5, -0.1, "std")):
        with pytest.raises(InputValidationError) as refused:
            CosineCalibration(mean=mean, std=std)
        assert refused.value.field == field


def test_descriptions_can_weigh_the_models_otherwise():
    use, e5 = UniversalSentenceEncoder(), MultilingualE5Encoder()
    combined = CombinedEncoder([(use, 1.0), (e5, 1.0)], description_weights=(3, 7))
    assert combined.description_weights == pytest.approx([0.3, 0.7])
    assert combined.name.endswith("#calibrated#descriptions*0.30/0.70")
    queries = ["verpleegkundige", "softwareontwikkelaar"]
    paragraphs = ["Nurses care for the sick and injured in hospitals.",
                  "Software developers write, test and maintain computer programs."]
    view = combined.capabilities.description_view
    assert view is not None
    factors, calibration = view
    raw = combined.encode(queries) @ (combined.encode(paragraphs) * factors).T
    on_scale = calibration_for(CombinedEncoder([(use, 3), (e5, 7)])).apply(raw)
    assert calibration == CombinedEncoder([(use, 3), (e5, 7)]).capabilities.calibration
    by_hand = 0.3 * calibration_for(use).apply(use.encode(queries) @ use.encode(paragraphs).T) \
        + 0.7 * calibration_for(e5).apply(e5.encode(queries) @ e5.encode(paragraphs).T)
    np.testing.assert_allclose(on_scale, by_hand, atol=1e-4)
    assert resolve_encoder("multilingual").description_weights == pytest.approx([0.3, 0.7])
    assert resolve_encoder("use+e5").name == resolve_encoder("multilingual").name
    # same weights throughout
    assert resolve_encoder("minilm+use").capabilities.description_view is None
    for bad in ((1.0,), (1.0, 0.0)):
        with pytest.raises(ConfigurationError, match="one positive weight per part"):
            CombinedEncoder([(use, 1.0), (e5, 1.0)], description_weights=bad)
    with pytest.raises(ConfigurationError, match="declare their `dimension`"):
        CombinedEncoder([(SentenceTransformerEncoder(), 1.0), (use, 1.0)],
                        description_weights=(1, 1))


def test_fallback_labels_are_corrected_by_each_models_cross_language_gap():
    from skilltwin.mapping._fusion import weights_for

    use, e5 = UniversalSentenceEncoder(), MultilingualE5Encoder()
    # USE was trained on translation pairs: its cross-language cosines run only a little lower
    assert weights_for(use).fallback == 0.03 and weights_for(e5).fallback == 0.2
    assert weights_for(resolve_encoder("multilingual")).fallback == 0.15  # chosen for the pair
    assert CombinedEncoder([(use, 1.0), (e5, 3.0)]).capabilities.cross_language_gap == \
        pytest.approx(0.25 * 0.03 + 0.75 * 0.2)
    minilm_use = resolve_encoder("minilm+use")
    # MiniLM declares none: no correction
    assert minilm_use.capabilities.cross_language_gap is None
    assert weights_for(minilm_use).fallback == 0.0
    assert "fallback" not in weights_for(minilm_use).signals
    assert weights_for(SentenceTransformerEncoder()).name == "monolingual"
    # (a numeric string such as "0.1" is read as the number, by the one number rule of
    # skilltwin._validation.check_number)
    for bad in (-0.1, 2.0, float("nan"), "a tenth", True):
        with pytest.raises(InputValidationError) as refused:
            CombinedEncoder([(use, 1.0), (e5, 1.0)], cross_language_gap=bad)
        assert refused.value.field == "cross_language_gap"


@pytest.mark.parametrize("quantize", [False, True])
def test_onnx_backend_ranks_like_torch(quantize):
    torch_encoder = SentenceTransformerEncoder(backend="torch")
    onnx_encoder = SentenceTransformerEncoder(backend="onnx", quantize=quantize)
    texts = LABELS + ENGLISH_QUERIES
    expected, got = torch_encoder.encode(texts), onnx_encoder.encode(texts)
    assert got.shape == expected.shape and got.dtype == np.float32
    agreement = (expected * got).sum(axis=1)
    assert agreement.min() > (0.95 if quantize else 0.9999)
    assert _top1(got[10:], got[:10]) == _top1(expected[10:], expected[:10])
    assert onnx_encoder.name.endswith("#onnx-int8" if quantize else "#onnx")


def test_onnx_export_is_cached_with_a_card(tmp_path, monkeypatch):
    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(tmp_path))
    SentenceTransformerEncoder(backend="onnx").encode(["SQL"])
    (card_path,) = (tmp_path / "onnx").glob("*/card.json")
    card = json.loads(card_path.read_text())
    assert card["quantization"].startswith("int8") and card["model_type"] == "bert"
    assert (card_path.parent / "model.onnx").stat().st_size > 1_000_000
    # the tokenizer and its settings travel with the export: running it needs no transformers
    assert (card_path.parent / "tokenizer.json").is_file()
    assert (card["max_length"], card["pad_token"], card["pad_id"]) == (256, "[PAD]", 0)


def test_unknown_backend_and_onnx_of_a_missing_folder_are_clear_errors(tmp_path):
    with pytest.raises(ConfigurationError, match="'auto', 'torch' or 'onnx'"):
        SentenceTransformerEncoder(backend="tensorflow")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="folder"):
        SentenceTransformerEncoder(tmp_path / "nothing", backend="onnx").encode(["SQL"])


def test_model_names_and_the_language_choose_the_encoder():
    # ONNX Runtime by default (no torch); int8 only while within a point of PyTorch
    assert resolve_encoder(None).name == "sentence-transformers/all-MiniLM-L6-v2" + (
        "#onnx-int8" if AUTO_INT8 else "#onnx")
    assert resolve_encoder(None, backend="onnx").name.endswith("#onnx-int8")
    assert resolve_encoder(None, backend="torch").name == "sentence-transformers/all-MiniLM-L6-v2"
    multilingual = resolve_encoder("multilingual")
    assert isinstance(multilingual, CombinedEncoder)
    assert [type(part) for part, _ in multilingual.parts] == [UniversalSentenceEncoder,
                                                              MultilingualE5Encoder]
    assert resolve_encoder(None, language="nl").name == multilingual.name
    assert resolve_encoder("use+multilingual").name == multilingual.name  # no part twice
    assert isinstance(resolve_encoder("use"), UniversalSentenceEncoder)
    assert isinstance(resolve_encoder("E5"), MultilingualE5Encoder)
    with pytest.raises(ConfigurationError, match="packaged model: minilm, use, e5, multilingual"):
        resolve_encoder("e5x").encode(["SQL"])  # a typo is not sent to a hub
    assert isinstance(resolve_encoder("MiniLM+USE"), CombinedEncoder)
    assert resolve_encoder("minilm", backend="onnx").name.endswith("#onnx-int8")
    # ONNX runs small batches side by side; PyTorch keeps sentence-transformers' usual size
    assert (SentenceTransformerEncoder().batch_size,
            SentenceTransformerEncoder(backend="torch").batch_size) == (32, 128)
    # the default model is the reference scale; a user's model can declare its own
    assert calibration_for(resolve_encoder(None)) == calibration_for(BaseEncoder())
    assert calibration_for(resolve_encoder(None, backend="torch")) == calibration_for(BaseEncoder())
    own = SentenceTransformerEncoder("some/model", calibration=CosineCalibration(0.5, 0.05))
    assert calibration_for(own).slope == pytest.approx(REFERENCE.std / 0.05)


def test_auto_backend_runs_onnx_where_it_can_and_torch_elsewhere(tmp_path):
    assert SentenceTransformerEncoder().backend == "onnx"
    assert SentenceTransformerEncoder().quantize is AUTO_INT8
    assert SentenceTransformerEncoder(backend="onnx").quantize
    # a model ONNX cannot run here: a hub name (nothing local to export), or no mean pooling
    assert SentenceTransformerEncoder("some/hub-model").backend == "torch"
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        json.dumps({"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}))
    assert SentenceTransformerEncoder(tmp_path).backend == "torch"
    (tmp_path / "1_Pooling" / "config.json").write_text(
        json.dumps({"pooling_mode_mean_tokens": True}))
    assert SentenceTransformerEncoder(tmp_path).backend == "onnx"
    assert SentenceTransformerEncoder(tmp_path, backend="torch").backend == "torch"


def test_index_card_records_model_and_language_and_dutch_labels_are_fused(esco):
    slice_ = esco.subset(LABELS, include_occupation_skills=False)
    concepts = slice_.concepts_frame()
    english = {uri: (row["label"], *row["alt_labels"]) for uri, row in concepts.iterrows()}
    dutch_label = {esco.occupation(label).uri: nl for label, nl in zip(LABELS, DUTCH, strict=True)}
    concepts["fallback_labels"] = [english[uri] for uri in concepts.index]
    concepts["label"] = [dutch_label[uri] for uri in concepts.index]
    concepts["alt_labels"] = [()] * len(concepts)
    dutch = Taxonomy(TaxonomyData(version=esco.version, language="nl", concepts=concepts,
                                  relations=slice_.relations_frame()))
    mapper = SkillMapper(dutch, model="use", progress=False)
    index = mapper.index("occupation")
    assert index.card.language == "nl"
    assert index.card.model_name == "google/universal-sentence-encoder-multilingual-3"
    assert "nurse responsible for general care" in index.table.texts  # English, fused
    (matches,) = mapper.map_occupations(["Senior verpleegkundige (m/v)"], top_k=1)
    assert matches[0].label == "verpleegkundige"
    english_mapper = SkillMapper(slice_, model="use", progress=False)
    assert english_mapper.index("occupation").card.language == "en"
    (matches,) = english_mapper.map_occupations(["Ervaren vrachtwagenchauffeur"], top_k=1)
    assert matches[0].uri == esco.occupation("lorry driver").uri


def test_a_read_only_cache_without_the_export_exports_into_a_temporary_folder(
        tmp_path, monkeypatch):
    from skilltwin.mapping import _onnx

    cache, model = tmp_path / "cache", tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(cache))
    monkeypatch.setattr(_onnx, "can_write", lambda folder: False)
    written = []

    def fake_export(source, folder, quantize):  # the real one needs minutes and torch
        written.append(folder)
        for name in _onnx._FILES:
            (folder / name).write_text("stand-in")

    monkeypatch.setattr(_onnx, "_write_export", fake_export)
    with pytest.warns(UserWarning, match="cannot be written.*temporary folder"):
        path = _onnx.exported_model(model, quantize=True)
    assert path == written[0] / "model.onnx" and path.is_file()
    assert cache not in path.parents  # nothing written into the shared cache
    assert not any(cache.rglob("*.onnx"))


def test_the_export_folder_follows_what_the_model_holds_not_where_it_is(tmp_path):
    import os
    import shutil

    from skilltwin.mapping import _onnx

    here = tmp_path / "env1" / "package" / "model"
    here.mkdir(parents=True)
    (here / "config.json").write_text('{"model_type": "bert"}')
    (here / "model.safetensors").write_bytes(bytes(range(256)) * 8192)  # 2 MiB: sampled
    elsewhere = tmp_path / "env2" / "package" / "model"
    shutil.copytree(here, elsewhere)  # the same package in another environment
    os.utime(elsewhere / "model.safetensors", (0, 0))  # another install: other times
    assert _onnx._folder_name(here, True) == _onnx._folder_name(elsewhere, True)
    assert _onnx._folder_name(here, True) != _onnx._folder_name(here, False)
    weights = bytearray((elsewhere / "model.safetensors").read_bytes())
    weights[1::4096] = bytes(len(weights[1::4096]))  # fine-tuning moves weights everywhere
    (elsewhere / "model.safetensors").write_bytes(bytes(weights))
    assert _onnx._folder_name(here, True) != _onnx._folder_name(elsewhere, True)
