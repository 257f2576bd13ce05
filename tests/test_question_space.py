"""Where a question sits among the tuning questions (bot.question_space)."""

from __future__ import annotations

import json

import numpy as np

from bot.answerability import Calibration, default_calibration
from bot.linear import LinearModel, fit_logistic
from bot.question_space import (
    COMPONENT_FEATURES,
    QUESTION_COMPONENTS,
    QuestionBasis,
    fit_basis,
    shape_contribution,
)


def _vectors(n: int = 80, dimensions: int = 48, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, dimensions))


def test_a_question_gets_one_coordinate_per_component() -> None:
    basis = fit_basis(_vectors())
    coordinates = basis.project(_vectors(1, seed=9)[0])
    assert list(coordinates) == list(COMPONENT_FEATURES)
    assert len(coordinates) == QUESTION_COMPONENTS


def test_the_leading_component_follows_where_the_questions_differ_most() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(scale=0.01, size=(60, 10)) + 1.0
    vectors[:30, 4] += 1.0  # two kinds of question, apart along dimension 4
    basis = fit_basis(vectors, k=3)
    assert int(np.argmax(np.abs(basis.components[0]))) == 4
    kind_a, kind_b = basis.project(vectors[0]), basis.project(vectors[-1])
    assert abs(kind_a["question_pc1"] - kind_b["question_pc1"]) > 0.2


def test_another_model_s_vector_or_none_gives_no_coordinates() -> None:
    basis = fit_basis(_vectors())
    assert basis.project(None) == {}
    assert basis.project(np.ones(12)) == {}  # another embedding model's length
    assert basis.project(np.zeros(48)) == {}


def test_the_basis_round_trips_through_the_calibration_file(tmp_path) -> None:
    basis = fit_basis(_vectors())
    base = default_calibration()
    saved = Calibration(2, base.unit_scorer, base.answer, base.relevant, {}, question_basis=basis)
    path = tmp_path / "calibration.json"
    saved.save(path)
    loaded = Calibration.from_dict(json.loads(path.read_text("utf-8")))
    assert loaded.question_basis is not None
    vector = _vectors(1, seed=5)[0]
    want, got = basis.project(vector), loaded.question_features(vector)
    assert max(abs(want[k] - got[k]) for k in want) < 1e-5  # stored as float32
    assert path.stat().st_size < 100_000 + 2 * 48 * 4 * QUESTION_COMPONENTS
    assert (
        Calibration(2, base.unit_scorer, base.answer, base.relevant, {}).question_features(vector)
        == {}
    )


def test_a_feature_with_its_own_penalty_is_shrunk_more() -> None:
    rows = [{"a": float(i % 2) + 0.1 * (i % 5), "b": float(i % 2)} for i in range(80)]
    labels = [i % 2 for i in range(80)]
    same = fit_logistic(rows, labels, ["a", "b"], l2=1.0)
    shrunk = fit_logistic(rows, labels, ["a", "b"], l2=1.0, l2_by_feature={"b": 50.0})
    assert abs(shrunk.weights[1]) < abs(same.weights[1]) / 2


def test_the_shape_is_what_the_components_add_to_the_score() -> None:
    model = LinearModel(
        features=("best_sem", "question_pc1", "question_pc2"),
        weights=(2.0, 1.0, -0.5),
        bias=0.0,
        means=(0.0, 0.0, 0.0),
        scales=(1.0, 1.0, 2.0),
    )
    signals = {"best_sem": 0.9, "question_pc1": 0.3, "question_pc2": 0.4}
    assert abs(shape_contribution(signals, model) - (0.3 - 0.1)) < 1e-9
    assert shape_contribution({"best_sem": 0.9}, model) == 0.0


def test_the_shipped_calibration_reads_the_question_s_shape() -> None:
    """Fitted with the offline model's 384-dimensional vectors; the lexical twin, for
    indexes of another embedding model, reads no coordinate."""
    from bot.answerability import load_calibration

    calibration = load_calibration()
    basis = calibration.question_basis
    assert isinstance(basis, QuestionBasis)
    assert basis.components.shape == (QUESTION_COMPONENTS, 384)
    assert set(COMPONENT_FEATURES) <= set(calibration.answer.features)
    assert set(COMPONENT_FEATURES) <= set(calibration.relevant.features)
    assert calibration.lexical is not None and calibration.lexical.question_basis is None
    assert not set(COMPONENT_FEATURES) & set(calibration.lexical.answer.features)
