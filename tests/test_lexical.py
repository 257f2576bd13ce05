"""BM25 keyword search finds passages by the words users actually type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replikasi.lexical import BM25Index

PASSAGES = {
    "skck": "Inovasi SKCK Online telah ditetapkan untuk direplikasi secara nasional.",
    "hub": "Saat ini terdapat 54 Hub Inovasi JIPP: 18 provinsi dan 36 kabupaten/kota.",
    "kipp": "Pada tahun 2024 KIPP tidak diselenggarakan dan diganti dengan pemantauan.",
    "jippnas": "JIPPNas memuat 2.928 inovasi pelayanan publik dari berbagai instansi.",
    "scaleup": "Scale-up adalah perluasan inovasi daerah menjadi kebijakan nasional.",
    "pedoman": "Pedoman Menteri PANRB Nomor 6 Tahun 2024 mengatur mekanisme replikasi.",
}


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build(list(PASSAGES), list(PASSAGES.values()))


def top_ids(results: list[tuple[str, float]]) -> list[str]:
    return [chunk_id for chunk_id, _ in results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("inovasi apa aja yg udh pernah direplikasi nasional?", "skck"),
        ("brp jumlah hub inovasi skrg?", "hub"),
        ("How many innovations does JIPPNas hold?", "jippnas"),
        ("ada 2,928 inovasi ya?", "jippnas"),
        ("apa yg dimaksud scaling up?", "scaleup"),
        ("isi permenpanrb 6/2024 apa?", "pedoman"),
    ],
)
def test_informal_question_finds_the_right_passage_first(
    index: BM25Index, query: str, expected: str
) -> None:
    assert top_ids(index.search(query, k=3))[0] == expected


def test_results_are_positive_and_best_first(index: BM25Index) -> None:
    results = index.search("inovasi nasional", k=100)
    scores = [score for _, score in results]
    assert 0 < len(results) <= len(index)
    assert all(score > 0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert len(index.search("inovasi", k=2)) == 2
    assert index.search("inovasi", k=0) == []


@pytest.mark.parametrize("container", [set, list, frozenset])
def test_allowed_ids_restrict_results(index: BM25Index, container: type) -> None:
    allowed = container(["hub", "jippnas", "not-in-index"])
    results = index.search("inovasi nasional", k=10, allowed_ids=allowed)
    assert set(top_ids(results)) == {"hub", "jippnas"}
    assert index.search("inovasi", k=10, allowed_ids=set()) == []


def test_query_without_known_terms_finds_nothing(index: BM25Index) -> None:
    assert index.search("apa yang itu?", k=5) == []
    assert index.search("zzzqqq", k=5) == []
    assert index.search("", k=5) == []


def test_empty_corpus_finds_nothing(tmp_path: Path) -> None:
    empty = BM25Index.build([], [])
    assert len(empty) == 0
    assert empty.search("inovasi", k=5) == []
    empty.save(tmp_path / "bm25", "gen-1")
    loaded = BM25Index.load(tmp_path / "bm25", "gen-1")
    assert loaded is not None and len(loaded) == 0


def test_corpus_of_stopwords_finds_nothing() -> None:
    assert BM25Index.build(["a"], ["yang dan di"]).search("yang", k=5) == []


def test_save_and_load_round_trip(index: BM25Index, tmp_path: Path) -> None:
    index.save(tmp_path / "bm25", "gen-1")
    loaded = BM25Index.load(tmp_path / "bm25", "gen-1")
    assert loaded is not None
    assert len(loaded) == len(index)
    for query in ("inovasi nasional", "hub inovasi", "2928"):
        assert loaded.search(query, k=5) == index.search(query, k=5)


def test_load_rejects_other_fingerprint_missing_and_corrupt(
    index: BM25Index, tmp_path: Path
) -> None:
    assert BM25Index.load(tmp_path / "missing", "gen-1") is None
    index.save(tmp_path / "bm25", "gen-1")
    assert BM25Index.load(tmp_path / "bm25", "gen-2") is None
    (tmp_path / "bm25" / "meta.json").write_text("{not json", "utf-8")
    assert BM25Index.load(tmp_path / "bm25", "gen-1") is None


def test_load_rejects_index_from_another_tokenizer(index: BM25Index, tmp_path: Path) -> None:
    index.save(tmp_path / "bm25", "gen-1")
    meta_path = tmp_path / "bm25" / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["tokenizer"] = "old"
    meta_path.write_text(json.dumps(meta), "utf-8")
    assert BM25Index.load(tmp_path / "bm25", "gen-1") is None


def test_save_replaces_previous_index_without_leftovers(tmp_path: Path) -> None:
    BM25Index.build(["old"], ["inovasi lama"]).save(tmp_path / "bm25", "gen-1")
    BM25Index.build(["new"], ["inovasi baru"]).save(tmp_path / "bm25", "gen-2")
    loaded = BM25Index.load(tmp_path / "bm25", "gen-2")
    assert loaded is not None
    assert top_ids(loaded.search("inovasi", k=5)) == ["new"]
    assert [path.name for path in tmp_path.iterdir()] == ["bm25"]


def test_build_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        BM25Index.build(["a", "a"], ["satu", "dua"])
    with pytest.raises(ValueError):
        BM25Index.build(["a"], ["satu", "dua"])
