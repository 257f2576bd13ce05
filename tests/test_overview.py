"""Broad how-to questions ("gimana cara replikasi inovasi?") get an overview of the passages
that lay out steps; a question naming anything narrower is answered as before."""

from __future__ import annotations

import pytest

from bot.overview import asks_broadly, lays_out_steps, overview_passages, topic_terms
from bot.query import analyse, procedure_words
from replikasi.records import RetrievedChunk

TOPIC = frozenset({"replikasi", "inovasi", "layan", "publik", "pedoman", "kipp"})


def _chunk(chunk_id: str, section: str, text: str, **metadata: str) -> RetrievedChunk:
    doc_id = chunk_id.split("#")[0]
    return RetrievedChunk(
        chunk_id=chunk_id,
        doc_id=doc_id,
        title=doc_id,
        section=section,
        text=text,
        doc_type="guideline",
        source_url="",
        metadata={"doc_id": doc_id, **metadata},
    )


@pytest.mark.parametrize(
    "question",
    [
        "gimana cara replikasi inovasi?",
        "Bagaimana prosedur replikasi inovasi pelayanan publik?",
        "langkah-langkah mereplikasi inovasi apa saja?",
        "What are the steps to replicate a public service innovation?",
    ],
)
def test_a_how_to_question_on_the_topic_itself_is_broad(question: str) -> None:
    assert asks_broadly(analyse(question, "en" if "What" in question else "id"), TOPIC)


@pytest.mark.parametrize(
    "question",
    [
        "Bagaimana tahapan replikasi DataGO dengan model mandiri?",  # names an innovation
        "Bagaimana cara reset password akun SINOVIK?",  # words beyond the topic
        "Bagaimana tahapan replikasi menurut Pedoman 6/2024?",  # names a regulation
        "Bagaimana tahapan replikasi inovasi menurut pedoman?",  # asks what the guideline says
        "Apa itu replikasi inovasi?",  # asks what, not how
        "gimana caranya?",  # names nothing at all
    ],
)
def test_a_narrower_question_is_not_broad(question: str) -> None:
    assert not asks_broadly(analyse(question, "id"), TOPIC)


def test_no_topic_no_broad_question() -> None:
    assert not asks_broadly(analyse("gimana cara replikasi inovasi?", "id"), frozenset())


def test_the_words_that_ask_how_are_not_what_the_question_is_about() -> None:
    words = procedure_words("gimana sih langkah-langkah dan tahapan replikasi?")
    assert {"langkah", "tahap"} <= words and "replikasi" not in words


def test_the_topic_is_what_many_document_passages_share_and_rows_do_not_count() -> None:
    documents = [
        _chunk(f"doc#{i}", "", f"replikasi inovasi bagian {'khusus' if i == 0 else 'umum'}")
        for i in range(30)
    ]
    rows = [
        _chunk(f"row{i}#0", "", "profil kopi susu gula aren", name=f"Inovasi {i}")
        for i in range(200)
    ]
    topic = topic_terms(documents + rows)
    assert {"replikasi", "inovasi"} <= topic
    assert "khusus" not in topic and "kopi" not in topic
    assert topic_terms(documents[:5]) == frozenset()  # too few passages to tell


def test_passages_that_lay_out_steps_by_heading_or_by_a_lists_lead_in() -> None:
    by_heading = _chunk("a#1", "Prinsip ATM: amati, tiru, modifikasi", "Amati, tiru, lalu ubah.")
    by_lead_in = _chunk(
        "b#1",
        "Panduan DataGO",
        "Replikasi berjalan melalui empat tahap:\n1. Persiapan;\n2. Evaluasi.",
    )
    plain = _chunk("c#1", "Pengertian replikasi", "Replikasi berarti menyebarkan inovasi.")
    other_list = _chunk("d#1", "Delapan inovasi", "Inovasi nasional:\n1. Rumah Belajar;\n2. SKCK.")
    assert lays_out_steps(by_heading) and lays_out_steps(by_lead_in)
    assert not lays_out_steps(plain) and not lays_out_steps(other_list)


def test_an_overview_takes_one_passage_per_section_in_rank_order() -> None:
    steps = [
        _chunk("a#1", "Tahapan model mandiri", "1. Persiapan"),
        _chunk("a#2", "Tahapan model mandiri", "2. Evaluasi"),  # same section: skipped
        _chunk("b#1", "Pengertian", "Replikasi berarti …"),  # no steps: skipped
        _chunk("c#1", "Jalur replikasi Kemendagri", "Surat minat, lalu MoU."),
        _chunk("d#1", "Prinsip ATM", "Amati, tiru, modifikasi."),
        _chunk("e#1", "Alur pendaftaran", "Daftar, lalu verifikasi."),
    ]
    assert [c.chunk_id for c in overview_passages(steps)] == ["a#1", "c#1", "d#1"]
    assert overview_passages(steps[:3]) == []  # one passage is no overview
