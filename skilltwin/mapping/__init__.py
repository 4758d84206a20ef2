"""Layer 2: map free text (skills, CV lines, job ads, vacancy titles) to ESCO concepts.

:class:`SkillMapper` is the entry point; :class:`Encoder` is the one interface to an embedding
model, and :class:`EmbeddingIndex` the cached taxonomy embeddings. See docs/mapping.md.
"""

from skilltwin.mapping.capabilities import CosineCalibration, EncoderCapabilities
from skilltwin.mapping.combined import CombinedEncoder
from skilltwin.mapping.e5 import MultilingualE5Encoder
from skilltwin.mapping.encoder import (
    DEFAULT_MODEL_NAME,
    MODEL_ALIASES,
    BaseEncoder,
    Encoder,
    SentenceTransformerEncoder,
)
from skilltwin.mapping.extraction import DEFAULT_THRESHOLD, MULTILINGUAL_THRESHOLD
from skilltwin.mapping.index import EmbeddingIndex, IndexCard
from skilltwin.mapping.mapper import SkillMapper
from skilltwin.mapping.protocol import Mapper
from skilltwin.mapping.results import Mention
from skilltwin.mapping.use import UniversalSentenceEncoder
from skilltwin.taxonomy.results import ConceptMatch

__all__ = [
    "DEFAULT_MODEL_NAME",
    "DEFAULT_THRESHOLD",
    "MODEL_ALIASES",
    "MULTILINGUAL_THRESHOLD",
    "BaseEncoder",
    "CombinedEncoder",
    "ConceptMatch",
    "CosineCalibration",
    "EmbeddingIndex",
    "Encoder",
    "EncoderCapabilities",
    "IndexCard",
    "Mapper",
    "Mention",
    "MultilingualE5Encoder",
    "SentenceTransformerEncoder",
    "SkillMapper",
    "UniversalSentenceEncoder",
]
