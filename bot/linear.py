"""Small linear models: a weighted sum of named features, and a logistic regression to fit one.

Both the sentence scorer and the answerability decision are such models. They are fitted by
`replikasi calibrate` on the tuning part of the question bank and saved as a small JSON file
(`bot/data/calibration.json`), so every weight has a recorded origin and a version.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LinearModel:
    """score = bias + sum(weight * (feature - mean) / scale); probability = sigmoid(score)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float = 0.5  # decision threshold on the probability

    def score(self, values: Mapping[str, float]) -> float:
        return self.bias + sum(term for _, term in self.terms(values))

    def terms(self, values: Mapping[str, float]) -> Iterator[tuple[str, float]]:
        """Each feature's share of the score (a missing value counts as 0)."""
        for name, weight, mean, scale in zip(
            self.features, self.weights, self.means, self.scales, strict=True
        ):
            yield name, weight * (float(values.get(name, 0.0)) - mean) / scale

    def probability(self, values: Mapping[str, float]) -> float:
        return sigmoid(self.score(values))

    def decide(self, values: Mapping[str, float]) -> bool:
        return self.probability(values) >= self.threshold

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "means": [round(m, 6) for m in self.means],
            "scales": [round(s, 6) for s in self.scales],
            "threshold": round(self.threshold, 6),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LinearModel:
        def floats(key: str) -> tuple[float, ...]:
            value = data.get(key) or []
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        features = data.get("features") or []
        assert isinstance(features, list)
        model = cls(
            features=tuple(str(f) for f in features),
            weights=floats("weights"),
            bias=float(data.get("bias", 0.0)),  # type: ignore[arg-type]
            means=floats("means"),
            scales=floats("scales"),
            threshold=float(data.get("threshold", 0.5)),  # type: ignore[arg-type]
        )
        if not (len(model.weights) == len(model.means) == len(model.scales) == len(features)):
            raise ValueError("a linear model needs one weight, mean and scale per feature")
        return model


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def fit_logistic(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    features: Sequence[str],
    *,
    l2: float = 1.0,
    l2_by_feature: Mapping[str, float] | None = None,
    sample_weights: Sequence[float] | None = None,
    signs: Mapping[str, int] | None = None,
    iterations: int = 50,
) -> LinearModel:
    """L2-regularised logistic regression by Newton's method on standardised features
    (`l2_by_feature` overrides the penalty of the features it names).

    `signs` constrains the weights of the features it names: +1 not below zero, -1 not
    above. A feature whose fitted weight has the wrong sign is held at zero and the rest
    refitted, the worst offender first, until every weight keeps its sign (an active set:
    evidence that should only ever count for a decision cannot count against it because
    it happens to move with a stronger signal in the tuning questions)."""
    x = np.array([[float(r.get(f, 0.0)) for f in features] for r in rows], dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w_sample = (
        np.ones(len(y)) if sample_weights is None else np.asarray(sample_weights, dtype=float)
    )
    means = x.mean(axis=0) if len(x) else np.zeros(len(features))
    scales = x.std(axis=0) if len(x) else np.ones(len(features))
    scales[scales < 1e-9] = 1.0
    z = (x - means) / scales
    design = np.hstack([np.ones((len(z), 1)), z])
    # the bias (first) is not shrunk
    penalty = np.array([0.0] + [(l2_by_feature or {}).get(f, l2) for f in features])
    sign = np.array([0] + [int((signs or {}).get(f, 0)) for f in features])
    free = np.ones(design.shape[1], dtype=bool)
    while True:
        beta = _newton(design, y, w_sample, penalty, free, iterations)
        wrong = np.nonzero(sign * beta < 0)[0]
        if not len(wrong):
            break
        free[wrong[np.argmax(np.abs(beta[wrong]))]] = False
    return LinearModel(
        features=tuple(features),
        weights=tuple(float(b) for b in beta[1:]),
        bias=float(beta[0]),
        means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in scales),
    )


def _newton(
    design: np.ndarray,
    y: np.ndarray,
    w_sample: np.ndarray,
    penalty: np.ndarray,
    free: np.ndarray,
    iterations: int,
) -> np.ndarray:
    """The penalised logistic fit over the `free` columns of `design` (the rest stay 0)."""
    columns = np.nonzero(free)[0]
    x = design[:, columns]
    shrink = penalty[columns]
    fitted = np.zeros(len(columns))
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ fitted, -30, 30)))
        gradient = x.T @ (w_sample * (p - y)) + shrink * fitted
        hessian = (x * (w_sample * p * (1 - p))[:, None]).T @ x + np.diag(shrink)
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(fitted)), gradient)
        fitted -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    beta = np.zeros(design.shape[1])
    beta[columns] = fitted
    return beta


def fit_conditional_logit(
    groups: Sequence[tuple[Sequence[Mapping[str, float]], Sequence[int]]],
    features: Sequence[str],
    *,
    l2: float = 1.0,
    iterations: int = 400,
    learning_rate: float = 0.5,
) -> LinearModel:
    """Weights that make the right candidates of each group score highest: maximises, per
    group, the softmax probability of its positive rows (McFadden's conditional logit).
    Used to rank the units of one question against each other."""
    matrices = [
        (np.array([[float(r.get(f, 0.0)) for f in features] for r in rows]), np.asarray(y, float))
        for rows, y in groups
        if len(rows) and 0 < sum(y) < len(y)
    ]
    if not matrices:
        raise ValueError("no group has both right and wrong candidates")
    stacked = np.vstack([x for x, _ in matrices])
    means = stacked.mean(axis=0)
    scales = stacked.std(axis=0)
    scales[scales < 1e-9] = 1.0
    standardised = [((x - means) / scales, y) for x, y in matrices]
    w = np.zeros(len(features))
    for _ in range(iterations):
        gradient = l2 * w
        for x, y in standardised:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            target = p * y
            target /= target.sum()
            gradient += x.T @ (p - target)
        w -= learning_rate * gradient / len(standardised)
    return LinearModel(
        features=tuple(features),
        weights=tuple(float(v) for v in w),
        bias=0.0,
        means=tuple(float(m) for m in means),
        scales=tuple(float(v) for v in scales),
    )
