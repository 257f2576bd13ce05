"""What sort of question this is, read from its embedding.

The answer decision weighs evidence: how close and how well covered the best passages are.
A question about a fact next to one the knowledge base holds ("which minister signed the
circular?", "who won the digital category?") meets that evidence as well as the question
the knowledge base answers, so the evidence alone cannot tell them apart. What such
questions share is what they ask for (a signatory, a winner, an address, a person's post),
whatever their words and language; the embedding model places them near each other.

`QuestionBasis` is the leading principal components of the tuning questions' embeddings
(fitted by `replikasi calibrate`, stored in the calibration). A question's coordinates in
it (`question_pc1` … `question_pc32`) enter the answer and relevance decisions with a
stronger penalty than the evidence signals (`COMPONENT_L2`), so they shift a decision
rather than make it. They belong to the embedding model the basis was fitted with; an index
built with another model gets the calibration without them.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.linear import LinearModel

QUESTION_COMPONENTS = 32
COMPONENT_FEATURES = tuple(f"question_pc{i}" for i in range(1, QUESTION_COMPONENTS + 1))
# The components' penalty relative to the evidence signals' (L2 = 1 on standardised
# features): chosen out of fold on the tuning questions, folds grouped by fact.
COMPONENT_L2 = 16.0


@dataclass(frozen=True)
class QuestionBasis:
    mean: np.ndarray  # (dimensions,)
    components: np.ndarray  # (QUESTION_COMPONENTS, dimensions), orthonormal rows

    def project(self, vector: Sequence[float] | np.ndarray | None) -> dict[str, float]:
        """The question's coordinates, by feature name; none for a vector of another
        model (another length) or no vector at all."""
        if vector is None:
            return {}
        v = np.asarray(vector, dtype=np.float64)
        norm = float(np.linalg.norm(v))
        if v.shape != self.mean.shape or not norm:
            return {}
        coordinates = self.components @ (v / norm - self.mean)
        return {name: float(c) for name, c in zip(COMPONENT_FEATURES, coordinates, strict=False)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimensions": int(self.mean.shape[0]),
            "mean": _pack(self.mean),
            "components": [_pack(row) for row in self.components],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionBasis:
        mean = _unpack(str(data["mean"]))
        components = np.array([_unpack(str(row)) for row in data["components"]])
        if components.ndim != 2 or components.shape[1] != mean.shape[0]:
            raise ValueError("a question basis needs components as long as its mean")
        return cls(mean, components)


def fit_basis(
    vectors: Sequence[Sequence[float] | np.ndarray], k: int = QUESTION_COMPONENTS
) -> QuestionBasis:
    """The `k` leading principal components of the (unit-normalised) question vectors."""
    x = np.asarray(vectors, dtype=np.float64)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    return QuestionBasis(mean, vt[:k])


def shape_contribution(signals: Mapping[str, float], model: LinearModel) -> float:
    """How much the question's coordinates move `model`'s score: one number for
    `replikasi eval --explain` and the question log instead of 32."""
    return sum(
        term
        for name, term in model.terms(signals)
        if name in signals and name in COMPONENT_FEATURES
    )


def _pack(values: np.ndarray) -> str:
    """float32, little-endian, base64: 32 components of 384 numbers stay a small file."""
    return base64.b64encode(np.asarray(values, dtype="<f4").tobytes()).decode("ascii")


def _unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float64)
