"""`replikasi calibrate`: fit the sentence scorer and the answerability models on the TUNING
part of the question bank, and nothing else.

1. Sentence scorer: every candidate unit of every answerable tuning question is labelled by
   whether it holds one of the question's `must_mention` facts (in a document the question
   names as a source); a logistic regression over the unit features learns how lexical,
   semantic and kind evidence combine.
2. With that scorer, every tuning question yields its question-level signals; two logistic
   regressions learn `answer` (expect = answer) and `relevant` (expect ≠ abstain).
   Besides the evidence, the decisions read where the question sits among the tuning
   questions (bot.question_space: the leading principal components of their embeddings).
3. Thresholds are chosen on out-of-fold probabilities (folds grouped by fact, so a fact is
   never judged by a model that saw it), then the models are refitted on all tuning
   questions. The holdout part is never read here.

`--keep-scorer` refits the decisions only, with the sentence scorer of the calibration in
use: a sentence scorer is judged by the answers it composes, a decision by its threshold.
`--keep-answer` also keeps the answer decision (and the question basis it reads) and refits
the relevance decision alone, e.g. after questions were relabelled between "not known" and
"abstain", which the answer decision does not read.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.answerability import (
    ANSWER_SIGNS,
    CALIBRATION_VERSION,
    LEXICAL_QUESTION_FEATURES,
    LEXICAL_UNIT_FEATURES,
    QUESTION_FEATURES,
    RELEVANT_SIGNS,
    Calibration,
    default_calibration,
)
from bot.engine import AnswerEngine, Finding
from bot.evaluation import EvalQuestion, mention_coverage
from bot.linear import LinearModel, fit_conditional_logit, fit_logistic
from bot.query import analyse
from bot.question_space import COMPONENT_FEATURES, COMPONENT_L2, QuestionBasis, fit_basis
from bot.scoring import UNIT_FEATURES, LinearSentenceScorer
from replikasi.errors import ReplikasiError
from replikasi.language import detect_language
from replikasi.records import Turn

FOLDS = 5
L2 = 1.0
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Example:
    question: EvalQuestion
    finding: Finding
    vector: np.ndarray | None = None  # the question's embedding, as searched


def collect(
    engine: AnswerEngine, questions: Sequence[EvalQuestion], on_progress: Progress | None = None
) -> list[Example]:
    """Each question through the pipeline as the bot would see it (history asked first)."""
    examples = []
    for i, question in enumerate(questions, start=1):
        if on_progress:
            on_progress(i, len(questions))
        history: list[Turn] = []
        for earlier in question.history:
            history.append(Turn.of(engine.answer(earlier, history)))
        text = " ".join(question.question.split())
        query = analyse(text, detect_language(text), history)
        if "personal" in query.kinds:
            continue  # refused by policy before any evidence is weighed
        finding = engine.find(query, engine.settings.retrieval_k)
        vector = engine.retriever.query_vector(finding.query.dense_text) if finding.chunks else None
        examples.append(Example(question, finding, vector))
    return examples


def with_coordinates(examples: Sequence[Example], basis: QuestionBasis) -> list[Example]:
    """The examples with the question's coordinates in `basis` among their signals."""
    return [
        replace(
            e, finding=replace(e.finding, signals={**e.finding.signals, **basis.project(e.vector)})
        )
        for e in examples
    ]


def fit_unit_scorer(
    examples: Sequence[Example], features: Sequence[str] = UNIT_FEATURES
) -> LinearModel:
    """Rank units so that one holding the answer comes first (conditional logit over the
    candidate units of each answerable tuning question)."""
    groups = []
    for example in examples:
        question = example.question
        if not question.answerable or not question.must_mention:
            continue
        units = example.finding.scored
        marks = [
            int(
                unit.chunk.doc_id in question.sources
                and mention_coverage(unit.text, question.must_mention) > 0
            )
            for unit in units
        ]
        groups.append(([u.features for u in units], marks))
    try:
        return fit_conditional_logit(groups, features, l2=L2)
    except ValueError as exc:
        raise ReplikasiError(
            "No tuning question has a unit holding its answer; nothing to fit."
        ) from exc


@dataclass(frozen=True)
class Decision:
    model: LinearModel
    rates: dict[str, float]  # out-of-fold rates at the chosen threshold
    oof: list[float]  # each example's probability from the fold that did not see it

    def refuses(self) -> list[bool]:
        """Which examples the decision says no to out of fold, as it would to an unseen one."""
        return [p < self.model.threshold for p in self.oof]


def fit_decision(
    examples: Sequence[Example],
    label: Callable[[EvalQuestion], bool],
    balance: Callable[[float, float], float],
    features: Sequence[str] = QUESTION_FEATURES,
    signs: Mapping[str, int] | None = None,
) -> Decision:
    """A logistic model over question signals, its threshold chosen out of fold (the
    question's coordinates, if among `features`, under their own penalty; the weights
    `signs` names held to their sign)."""
    penalties = {f: COMPONENT_L2 for f in COMPONENT_FEATURES}
    rows = [e.finding.signals for e in examples]
    labels = [int(label(e.question)) for e in examples]
    groups = [_group(e.question) for e in examples]
    oof = [0.0] * len(rows)
    for fold in range(FOLDS):
        train = [i for i, g in enumerate(groups) if g % FOLDS != fold]
        test = [i for i, g in enumerate(groups) if g % FOLDS == fold]
        if not test or len({labels[i] for i in train}) < 2:
            continue
        model = fit_logistic(
            [rows[i] for i in train],
            [labels[i] for i in train],
            features,
            l2=L2,
            l2_by_feature=penalties,
            signs=signs,
        )
        for i in test:
            oof[i] = model.probability(rows[i])
    threshold, rates = choose_threshold(oof, labels, balance)
    final = fit_logistic(rows, labels, features, l2=L2, l2_by_feature=penalties, signs=signs)
    return Decision(replace(final, threshold=threshold), rates, oof)


def choose_threshold(
    probabilities: Sequence[float], labels: Sequence[int], balance: Callable[[float, float], float]
) -> tuple[float, dict[str, float]]:
    """The threshold maximising `balance(true positive rate, true negative rate)`; among
    equally good ones, the middle."""
    positives = [p for p, y in zip(probabilities, labels, strict=True) if y]
    negatives = [p for p, y in zip(probabilities, labels, strict=True) if not y]
    candidates = sorted(set(probabilities) | {0.5})
    best_value, best = -1.0, [0.5]
    for t in candidates:
        tpr = sum(p >= t for p in positives) / len(positives) if positives else 1.0
        tnr = sum(p < t for p in negatives) / len(negatives) if negatives else 1.0
        value = round(balance(tpr, tnr), 9)
        if value > best_value:
            best_value, best = value, [t]
        elif value == best_value:
            best.append(t)
    threshold = best[len(best) // 2]
    tpr = sum(p >= threshold for p in positives) / len(positives) if positives else 1.0
    tnr = sum(p < threshold for p in negatives) / len(negatives) if negatives else 1.0
    return threshold, {"oof_tpr": round(tpr, 4), "oof_tnr": round(tnr, 4)}


def answer_balance(tpr: float, tnr: float) -> float:
    """Both targets at once: answered ≥ 0.95 of answerable, abstained ≥ 0.90 of the rest."""
    return min(tpr / 0.95, tnr / 0.90) + 0.01 * (tpr + tnr)


def youden(tpr: float, tnr: float) -> float:
    return tpr + tnr - 1


QuestionSet = tuple[AnswerEngine, Sequence[EvalQuestion]]


def calibrate(
    sets: Sequence[QuestionSet],
    sources: Sequence[Path],
    on_progress: Progress | None = None,
    keep_scorer: Calibration | None = None,
    keep_answer: bool = False,
) -> Calibration:
    """Fit on the tuning questions of each set as its engine (one per index) answers them:
    e.g. the bank on the knowledge base alone and with a large innovation catalogue, so the
    decisions hold whatever else an admin has added, and the questions on a test regulation
    on an index that holds it, so article evidence is learnt too. `sources`: the question
    files, recorded in the calibration. With `keep_scorer`, its sentence scorers (with and
    without embeddings) are kept and only the decisions are fitted; with `keep_answer` too,
    its answer decisions and question basis are kept and only the relevance is fitted."""
    if keep_answer and keep_scorer is None:
        raise ReplikasiError("Keeping the answer decision needs the calibration it is kept from.")
    tuned = [(engine, [q for q in questions if q.split == "tune"]) for engine, questions in sets]
    if not any(tune for _, tune in tuned):
        names = ", ".join(str(s) for s in sources)
        raise ReplikasiError(f"{names}: no questions with split 'tune'.")
    started = time.perf_counter()
    base = default_calibration()

    def collect_all(calibration: Calibration, scorer: LinearModel) -> list[Example]:
        examples: list[Example] = []
        for engine, tune in tuned:
            engine.calibration = calibration
            engine.scorer = LinearSentenceScorer(scorer)
            examples += collect(engine, tune, on_progress)
        return examples

    first: list[Example] = []
    if keep_scorer is None:
        first = collect_all(base, base.unit_scorer)
        unit_scorer = fit_unit_scorer(first)
    else:
        unit_scorer = keep_scorer.unit_scorer
    examples = collect_all(replace(base, unit_scorer=unit_scorer), unit_scorer)
    kept = keep_scorer if keep_answer else None
    if kept is not None and kept.question_basis is not None:
        basis = kept.question_basis
    else:
        basis = fit_basis([e.vector for e in examples if e.vector is not None])
    full = replace(
        decide(
            base,
            unit_scorer,
            with_coordinates(examples, basis),
            (*QUESTION_FEATURES, *COMPONENT_FEATURES),
            kept,
        ),
        question_basis=basis,
    )
    # The same, blind to embeddings, for indexes built with another embedding model.
    if keep_scorer is not None and keep_scorer.lexical is not None:
        lexical_scorer = keep_scorer.lexical.unit_scorer
    else:
        lexical_scorer = fit_unit_scorer(
            first or collect_all(base, base.unit_scorer), LEXICAL_UNIT_FEATURES
        )
    blind = replace(base, unit_scorer=lexical_scorer, answer=_blind(base.answer))
    lexical_examples = collect_all(blind, lexical_scorer)
    lexical = decide(
        base,
        lexical_scorer,
        lexical_examples,
        LEXICAL_QUESTION_FEATURES,
        kept.lexical if kept is not None else None,
    )
    model_id = sets[0][0].retriever.embedding.model_id
    calibration = replace(
        full,
        embedding_model=model_id,
        lexical=lexical,
        info={
            "fitted_on": [source.as_posix() for source in sources],
            "sha256": {
                source.as_posix(): hashlib.sha256(source.read_bytes()).hexdigest()[:16]
                for source in sources
            },
            "embedding_model": model_id,
            "tune_questions": sum(len(tune) for _, tune in tuned),
            "question_sets": len(sets),
            "question_components": len(basis.components),
            "sentence_scorer": "kept" if keep_scorer is not None else "fitted",
            "answer_decision": "kept" if keep_answer else "fitted",
            **full.info,
            "lexical": lexical.info,
            "seconds": round(time.perf_counter() - started, 1),
            "fitted_at": time.strftime("%Y-%m-%d"),
        },
    )
    for engine, _ in sets:
        engine.calibration = calibration
        engine.scorer = LinearSentenceScorer(unit_scorer)
    return calibration


def decide(
    base: Calibration,
    unit_scorer: LinearModel,
    examples: Sequence[Example],
    features: Sequence[str],
    kept: Calibration | None = None,
) -> Calibration:
    """The answer and relevance decisions over `features` of the examples' signals; the
    answer decision of `kept` (with the rates it was chosen by) instead of a new one.

    The relevance decision is read only when the answer decision says no, so it is fitted on
    the questions the answer decision refuses out of fold (as it refuses a question it never
    saw): among those, an answerable or a "not known" question should get what is known, an
    off-topic one a plain abstention."""
    fitted = fit_decision(examples, lambda q: q.answerable, answer_balance, features, ANSWER_SIGNS)
    if kept is not None:
        answer, answer_rates = kept.answer, dict(kept.info.get("answer", {}))
    else:
        answer, answer_rates = fitted.model, fitted.rates
    refused = [e for e, no in zip(examples, fitted.refuses(), strict=True) if no]
    if len({_relevant(e.question) for e in refused}) < 2:
        refused = list(examples)  # too few refused questions to learn from: all of them
    relevant = fit_decision(refused, _relevant, youden, features, RELEVANT_SIGNS)
    return Calibration(
        CALIBRATION_VERSION,
        unit_scorer,
        answer,
        relevant.model,
        {"answer": answer_rates, "relevant": {**relevant.rates, "fitted_on": len(refused)}},
    )


def _relevant(question: EvalQuestion) -> bool:
    """Something relevant to it is known: an answer, or "not known, here is what is known"."""
    return question.expected != "abstain"


def _blind(model: LinearModel) -> LinearModel:
    """`model` without its embedding features, so an engine collecting the lexical
    examples does not bridge words by embeddings (Calibration.uses_embeddings)."""
    keep = [i for i, f in enumerate(model.features) if f in LEXICAL_QUESTION_FEATURES]
    return replace(
        model,
        features=tuple(model.features[i] for i in keep),
        weights=tuple(model.weights[i] for i in keep),
        means=tuple(model.means[i] for i in keep),
        scales=tuple(model.scales[i] for i in keep),
    )


def _group(question: EvalQuestion) -> int:
    key = question.facts[0] if question.facts else question.id
    return int(hashlib.sha256(key.encode()).hexdigest(), 16)


def describe(calibration: Calibration) -> str:
    return json.dumps(calibration.info, ensure_ascii=False)
