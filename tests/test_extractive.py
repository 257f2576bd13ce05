"""The offline composer and fusion, on hand-made passages."""

from __future__ import annotations

import re

from bot.extractive import compose_extract
from bot.retrieval import reciprocal_rank_fusion
from bot.term_weights import TermWeights
from replikasi.indonesian import tokenize
from replikasi.records import RetrievedChunk

PASSAGES = {
    "hub": (
        "Hub Inovasi",
        "Jumlah hub",
        "Hub inovasi dibentuk untuk membina inovasi di daerah. Saat ini sudah terbentuk 54 hub, "
        "terdiri dari 18 hub pusat dan 36 hub daerah. Hub dipilih berdasarkan komitmen pimpinan.",
    ),
    "kipp": (
        "KIPP",
        "Sejarah",
        "Kompetisi Inovasi Pelayanan Publik diselenggarakan sejak 2014. Pada 2024 tidak ada KIPP.",
    ),
    "batik": (
        "Sheltered Workshop Peduli",
        "Batik ciprat",
        "Batik ciprat dijual sekitar Rp120.000 sampai Rp160.000 per lembar.",
    ),
}


def _chunks(order: list[str]) -> list[RetrievedChunk]:
    return [
        RetrievedChunk(
            chunk_id=f"{key}#0",
            doc_id=key,
            title=PASSAGES[key][0],
            section=PASSAGES[key][1],
            text=PASSAGES[key][2],
            doc_type="program",
            source_url="",
            rank=rank,
            score=1.0 / (60 + rank),
        )
        for rank, key in enumerate(order, start=1)
    ]


def _weights() -> TermWeights:
    return TermWeights({k: frozenset(tokenize(" ".join(v))) for k, v in PASSAGES.items()})


def test_picks_the_sentence_that_answers_not_the_whole_passage():
    extract = compose_extract(
        "Berapa jumlah hub inovasi saat ini?", _chunks(["hub", "kipp", "batik"]), _weights()
    )
    texts = [u.unit.text for u in extract.units]
    assert any("54 hub" in t for t in texts)
    assert all("Batik" not in t and "2014" not in t for t in texts)
    assert extract.best_coverage > 0.6


def test_sentences_keep_source_order_within_a_document():
    question = "Hub inovasi ada berapa dan dipilih berdasarkan apa?"
    extract = compose_extract(question, _chunks(["hub", "kipp"]), _weights())
    hub_units = [u.unit.order for u in extract.units if u.chunk.doc_id == "hub"]
    assert len(hub_units) >= 2 and hub_units == sorted(hub_units)


def test_budget_limits_answer_length():
    extract = compose_extract(
        "hub inovasi", _chunks(["hub", "kipp", "batik"]), _weights(), budget=120
    )
    assert sum(len(u.unit.text) for u in extract.units) <= 120 or len(extract.units) == 1


def test_unrelated_question_has_low_coverage():
    extract = compose_extract("resep rendang padang", _chunks(["hub", "kipp", "batik"]), _weights())
    assert extract.best_coverage < 0.3


def test_number_question_prefers_sentence_with_a_number():
    extract = compose_extract("Berapa harga batik ciprat?", _chunks(["batik", "hub"]), _weights())
    assert extract.best is not None and re.search(r"\d", extract.best.unit.text)
    assert not extract.missing_slots


def test_rrf_rewards_agreement_between_rankings():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])
    assert max(fused, key=fused.__getitem__) in {"a", "b"}
    assert fused["b"] > fused["c"] and fused["a"] > fused["d"]
    assert fused["b"] == 1 / 62 + 1 / 61
