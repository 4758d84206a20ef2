"""Lexical signals between free text and taxonomy labels, as sparse matrix products.

Two signals, each in [0, 1], for every (query, label) pair that shares a word, and an optional
third:

* ``word`` — cosine between TF-IDF vectors of word tokens (symmetric: a short query matching a
  short label scores high, a long sentence matching a short label scores low);
* ``coverage`` — the share of the label's TF-IDF mass whose words occur in the query: 1 when
  every word of "SQL" or "project management" appears in a long job-ad sentence;
* ``chars`` (when asked for) — cosine between TF-IDF vectors of the character 3- to 5-grams of
  the words: parts of compounds and inflected forms match ("wijkverpleegkundige" and
  "verpleegkundige"), which whole words miss.

Misspelt words count too: a query word that no label uses is replaced by the label word closest
in character trigrams ("managment" → "management"), weighted by that similarity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from skilltwin._text import tokenize

__all__ = ["LexicalIndex", "LexicalScores", "char_ngrams", "word_ngrams"]

_NGRAM = 3
_CHAR_NGRAMS = (3, 4, 5)  # sizes of the word n-grams of the ``chars`` signal
_SPELLING_MIN = 0.6  # trigram cosine from which an unknown word counts as a misspelling
_SPELLING_MIN_LENGTH = 4  # shorter unknown words are left alone


def char_ngrams(word: str, n: int = _NGRAM) -> list[str]:
    """Character n-grams of a word padded with spaces: ``"sql"`` gives ``" sq"``, ``"sql"``
    and ``"ql "``."""
    padded = f" {word} "
    if len(padded) <= n:
        return [padded]
    return [padded[i:i + n] for i in range(len(padded) - n + 1)]


def word_ngrams(text: str) -> list[str]:
    """The character 3- to 5-grams of every word of ``text``, each word padded with spaces."""
    grams: list[str] = []
    for word in tokenize(text):
        for size in _CHAR_NGRAMS:
            grams += char_ngrams(word, size)
    return grams


class LexicalScores:
    """Label-level lexical signals of a batch of queries: sparse ``(queries, labels)`` matrices
    with values in [0, 1] (``chars`` is ``None`` when the index does not compute it)."""

    def __init__(self, word: sp.csr_matrix, coverage: sp.csr_matrix,
                 chars: sp.csr_matrix | None = None):
        self.word = word
        self.coverage = coverage
        self.chars = chars


class _TfidfSpace:
    """TF-IDF vectors of texts over a vocabulary fixed by the labels (smoothed IDF, l2 rows)."""

    def __init__(self, documents: Sequence[Sequence[str]]):
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, terms in enumerate(documents):
            for term in terms:
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
        self.vocabulary = vocabulary
        width = max(len(vocabulary), 1)
        counts = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(documents), width)
        )
        counts.sum_duplicates()
        document_frequency = np.bincount(counts.indices, minlength=width)
        self.idf = (np.log((1 + len(documents)) / (1 + document_frequency)) + 1).astype(
            np.float32
        )
        self.unseen_idf = float(np.log(1 + len(documents)) + 1)
        self.matrix = _l2_rows(counts.multiply(self.idf[None, :]).tocsr())

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The space as plain arrays (no pickle), keys starting with ``prefix``."""
        matrix = sp.csr_matrix(self.matrix)
        return {f"{prefix}terms": np.asarray(list(self.vocabulary), dtype=str),
                f"{prefix}idf": self.idf, f"{prefix}unseen": np.asarray(self.unseen_idf),
                f"{prefix}data": matrix.data, f"{prefix}indices": matrix.indices,
                f"{prefix}indptr": matrix.indptr, f"{prefix}shape": np.asarray(matrix.shape)}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> _TfidfSpace:
        """The space :meth:`arrays` saved."""
        space = cls.__new__(cls)
        terms = arrays[f"{prefix}terms"].tolist()
        space.vocabulary = {term: column for column, term in enumerate(terms)}
        space.idf = np.asarray(arrays[f"{prefix}idf"], dtype=np.float32)
        space.unseen_idf = float(arrays[f"{prefix}unseen"])
        shape = tuple(int(value) for value in arrays[f"{prefix}shape"])
        space.matrix = sp.csr_matrix((arrays[f"{prefix}data"], arrays[f"{prefix}indices"],
                                      arrays[f"{prefix}indptr"]), shape=shape)
        return space

    def transform(self, documents: Iterable[Mapping[str, float]]) -> sp.csr_matrix:
        """L2-normalised vectors of texts given as ``{term: count}``; terms the labels never
        use still count in the norm (so they lower the cosine)."""
        rows: list[int] = []
        cols: list[int] = []
        values: list[float] = []
        norms: list[float] = []
        for row, terms in enumerate(documents):
            squared = 0.0
            for term, count in terms.items():
                column = self.vocabulary.get(term)
                weight = count * (self.unseen_idf if column is None else float(self.idf[column]))
                squared += weight * weight
                if column is not None:
                    rows.append(row)
                    cols.append(column)
                    values.append(weight)
            norms.append(float(np.sqrt(squared)) or 1.0)
        matrix = sp.csr_matrix(
            (np.asarray(values, dtype=np.float32), (rows, cols)),
            shape=(len(norms), self.matrix.shape[1]),
        )
        return sp.csr_matrix(sp.diags(1 / np.asarray(norms, dtype=np.float32)) @ matrix)


class LexicalIndex:
    """Word TF-IDF over a fixed list of labels, with spelling-tolerant query words.

    Args:
        labels: The label texts, one column of the scores each.
        chars: Also compute the ``chars`` signal (character n-grams of words).
    """

    def __init__(self, labels: Sequence[str], *, chars: bool = False):
        self._size = len(labels)
        chars_space = (_TfidfSpace([word_ngrams(label) for label in labels]) if chars
                       else None)
        words = _TfidfSpace([sorted(set(tokenize(label))) for label in labels])
        spelling = _TfidfSpace([char_ngrams(word) for word in words.vocabulary])
        self._set_spaces(words, spelling, chars_space)

    def _set_spaces(self, words: _TfidfSpace, spelling: _TfidfSpace,
                    chars: _TfidfSpace | None) -> None:
        # the character n-gram space and its transposed label matrix (None: not computed)
        self._chars: tuple[_TfidfSpace, sp.csr_matrix] | None = (
            None if chars is None else (chars, chars.matrix.T.tocsr()))
        self._words = words
        self._words_t = self._words.matrix.T.tocsr()
        # squared unit-row weights: each label's weights sum to 1
        self._coverage_t = self._words.matrix.multiply(self._words.matrix).T.tocsr()
        self._vocabulary = list(self._words.vocabulary)
        self._spelling = spelling
        self._spelling_t = self._spelling.matrix.T.tocsr()

    def arrays(self) -> dict[str, np.ndarray]:
        """Everything the index holds, as plain arrays (for ``numpy.savez``: no pickle)."""
        arrays = {"size": np.asarray(self._size), **self._words.arrays("words."),
                  **self._spelling.arrays("spelling.")}
        if self._chars is not None:
            arrays.update(self._chars[0].arrays("chars."))
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> LexicalIndex:
        """The index :meth:`arrays` saved (the same scores as the one built from the
        labels)."""
        index = cls.__new__(cls)
        index._size = int(arrays["size"])
        chars = (_TfidfSpace.from_arrays(arrays, "chars.") if "chars.terms" in arrays
                 else None)
        index._set_spaces(_TfidfSpace.from_arrays(arrays, "words."),
                          _TfidfSpace.from_arrays(arrays, "spelling."), chars)
        return index

    @property
    def has_chars(self) -> bool:
        """Whether the index computes the ``chars`` signal."""
        return self._chars is not None

    def __len__(self) -> int:
        return self._size

    def score(self, queries: Sequence[str]) -> LexicalScores:
        """The ``word``, ``coverage`` (and ``chars``) signals between each query and each
        label."""
        tokens = [tokenize(query) for query in queries]
        corrections = self._corrections({t for words in tokens for t in words})
        terms = [_terms(words, corrections) for words in tokens]
        vectors = self._words.transform(terms)
        presence = self._presence(terms)
        chars = None
        if self._chars is not None:
            space, labels_t = self._chars
            chars = _clipped(space.transform(_counts(word_ngrams(q)) for q in queries) @ labels_t)
        return LexicalScores(
            word=_clipped(vectors @ self._words_t),
            coverage=_clipped(presence @ self._coverage_t),
            chars=chars,
        )

    def _presence(self, terms: Sequence[Mapping[str, float]]) -> sp.csr_matrix:
        """``(queries, vocabulary)``: the weight of each known term present in each query."""
        vocabulary = self._words.vocabulary
        cells = [(row, vocabulary[term], strength) for row, query in enumerate(terms)
                 for term, strength in query.items() if term in vocabulary]
        rows, cols, values = zip(*cells, strict=True) if cells else ((), (), ())
        return sp.csr_matrix((np.asarray(values, dtype=np.float32), (rows, cols)),
                             shape=(len(terms), self._words.matrix.shape[1]))

    def _corrections(self, words: set[str]) -> dict[str, tuple[str, float]]:
        unknown = sorted(w for w in words if w not in self._words.vocabulary
                         and len(w) >= _SPELLING_MIN_LENGTH and w.isalpha())
        if not unknown:
            return {}
        grams = self._spelling.transform(_counts(char_ngrams(w)) for w in unknown)
        similarity = (grams @ self._spelling_t).tocsr()
        corrections = {}
        for row, word in enumerate(unknown):
            start, end = similarity.indptr[row], similarity.indptr[row + 1]
            if start == end:
                continue
            best = start + int(np.argmax(similarity.data[start:end]))
            if similarity.data[best] >= _SPELLING_MIN:
                corrections[word] = (self._vocabulary[similarity.indices[best]],
                                     float(similarity.data[best]))
        return corrections


def _terms(words: Sequence[str], corrections: Mapping[str, tuple[str, float]]
           ) -> dict[str, float]:
    """``{term: weight}`` of a query: known words count 1, corrected ones their similarity."""
    terms: dict[str, float] = {}
    for word in words:
        term, strength = corrections.get(word, (word, 1.0))
        terms[term] = max(terms.get(term, 0.0), strength)
    return terms


def _counts(items: Iterable[str]) -> dict[str, float]:
    counts: dict[str, float] = {}
    for item in items:
        counts[item] = counts.get(item, 0.0) + 1.0
    return counts


def _clipped(matrix: sp.csr_matrix) -> sp.csr_matrix:
    result = sp.csr_matrix(matrix, dtype=np.float32)
    np.clip(result.data, 0.0, 1.0, out=result.data)
    return result


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags(1 / norms) @ matrix)
