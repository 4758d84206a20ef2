"""Label look-up tables: normalised label -> concept URIs, per kind, best claim first."""

from __future__ import annotations

import re

import pandas as pd

from skilltwin._text import normalize_label

__all__ = ["build_label_index", "compact_index", "compact_label"]

LabelIndex = dict[str, dict[str, tuple[str, ...]]]
_JOINERS = re.compile(r"[\s\-\u2010\u2011]+")


def build_label_index(concepts: pd.DataFrame) -> LabelIndex:
    """normalised label -> URIs, per kind, best claim first: preferred labels (in the taxonomy's
    language, then in the fallback language), then alternative labels (likewise), then hidden."""
    passes = (
        concepts["label"].map(lambda label: (label,)),
        concepts["fallback_labels"].map(lambda labels: tuple(labels[:1])),
        concepts["alt_labels"],
        concepts["fallback_labels"].map(lambda labels: tuple(labels[1:])),
        concepts["hidden_labels"],
    )
    index: dict[str, dict[str, list[str]]] = {}
    for values in passes:
        for uri, kind, labels in zip(concepts.index, concepts["kind"], values, strict=True):
            by_label = index.setdefault(kind, {})
            for label in labels:
                uris = by_label.setdefault(normalize_label(label), [])
                if uri not in uris:
                    uris.append(uri)
    return {kind: {k: tuple(v) for k, v in labels.items()} for kind, labels in index.items()}


def compact_label(text: str) -> str:
    """A normalised label without spaces and hyphens between its parts: ``"software
    ontwikkelaar"``, ``"software-ontwikkelaar"`` and ``"softwareontwikkelaar"`` share one key
    (Dutch and German write compounds either way)."""
    return _JOINERS.sub("", normalize_label(text))


def compact_index(index: LabelIndex) -> LabelIndex:
    """``index`` re-keyed by :func:`compact_label`; URIs keep their order of precedence."""
    compact: dict[str, dict[str, list[str]]] = {}
    for kind, labels in index.items():
        by_key = compact.setdefault(kind, {})
        for label, uris in labels.items():
            found = by_key.setdefault(compact_label(label), [])
            found.extend(uri for uri in uris if uri not in found)
    return {kind: {k: tuple(v) for k, v in labels.items()} for kind, labels in compact.items()}
