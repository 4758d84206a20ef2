"""The best label of every concept, as one pass over the label scores.

A concept's score starts from its best-scoring label, so every query needs the maximum of its
label scores within each concept. The label columns are laid out slot by slot: first the first
label of every concept, then the second label of every concept that has at least two, and so
on, with the concepts ordered by their number of labels, most first. The concepts that have a
j-th label are then a prefix of that order, and the per-concept maximum is a running
elementwise maximum over ever narrower column blocks (numpy, in place). On two cores this was
about 2.5 times faster than ``torch.segment_reduce`` over the same scores.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SlotLayout"]


class SlotLayout:
    """Slot-by-slot order of label columns, for labels grouped by concept.

    Args:
        owners: The concept of each label, non-decreasing (labels are grouped by concept and
            every concept from 0 to ``owners.max()`` has at least one label).

    Attributes:
        starts: Each concept's first label (position in ``owners``); ``ends`` one past its last.
        columns: ``columns[c]`` is the label (position in ``owners``) in column ``c``.
        position: The column of each label: the inverse of ``columns``.
    """

    def __init__(self, owners: np.ndarray):
        owners = np.asarray(owners)
        starts = np.flatnonzero(np.r_[True, np.diff(owners) != 0]) if len(owners) else owners
        self.starts = starts.astype(np.int64)
        self.ends = np.r_[starts[1:], len(owners)].astype(np.int64)
        counts = self.ends - self.starts
        order = np.argsort(-counts, kind="stable")  # concepts, most labels first
        # widths[j]: how many concepts have a (j+1)-th label; they are a prefix of `order`
        self._widths = [int(np.count_nonzero(counts > slot))
                        for slot in range(int(counts.max(initial=0)))]
        self.columns = np.concatenate(
            [np.zeros(0, dtype=np.int64)]
            + [starts[order[:width]] + slot for slot, width in enumerate(self._widths)]
        ).astype(np.int64)
        self.position = np.empty_like(self.columns)
        self.position[self.columns] = np.arange(len(self.columns))
        self._back = np.argsort(order)  # each concept's first column

    def concept_max(self, scores: np.ndarray) -> np.ndarray:
        """Per-concept maximum of ``scores`` (``(queries, labels)`` in column order): an array
        ``(queries, concepts)`` with concepts in their original order."""
        if not self._widths:
            return scores[:, :0].copy()
        best = scores[:, :self._widths[0]].copy()
        offset = self._widths[0]
        for width in self._widths[1:]:
            np.maximum(best[:, :width], scores[:, offset:offset + width], out=best[:, :width])
            offset += width
        return best[:, self._back]
