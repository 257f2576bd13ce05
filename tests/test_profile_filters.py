"""Questions about innovation profiles are filtered by region, year and category metadata."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.engine import AnswerEngine
from bot.profile_filters import profile_filters
from bot.retrieval import HybridRetriever
from ingest.pipeline import run_ingest

PROFILES = [
    (
        "SEHAT CEPAT",
        "Dinas Kesehatan Kabupaten Temanggung",
        "Kabupaten Temanggung, Jawa Tengah",
        2023,
        "Penyediaan pelayanan kesehatan",
    ),
    (
        "POSYANDU DIGITAL",
        "Dinas Kesehatan Kota Semarang",
        "Kota Semarang, Jawa Tengah",
        2021,
        "Penyediaan pelayanan kesehatan",
    ),
    (
        "GIZI KITA",
        "Puskesmas Sleman",
        "Kabupaten Sleman, DI Yogyakarta",
        2023,
        "Pelaksanaan program makan bergizi",
    ),
    (
        "KLINIK DESA",
        "RSUD Blitar",
        "Kabupaten Blitar, Jawa Timur",
        2023,
        "Penyediaan pelayanan kesehatan",
    ),
    (
        "SI-UMKM",
        "Dinas Koperasi Solo",
        "Kota Surakarta, Jawa Tengah",
        2023,
        "Pemerataan ekonomi dan penguatan UMKM",
    ),
]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "inovasi kesehatan di Jawa Tengah tahun 2023",
            {
                "region": {"$contains": "Jawa Tengah"},
                "category": {"$contains": "kesehatan"},
                "year": 2023,
            },
        ),
        (
            "ada inovasi UMKM di jateng?",
            {"region": {"$contains": "Jawa Tengah"}, "category": {"$contains": "umkm"}},
        ),
        ("innovations in East Java", {}),  # English province names are not mapped
        ("KIPP 2025 punya berapa kategori?", {}),  # a year alone is not about profiles
        ("Apa saja bentuk replikasi inovasi?", {}),
        ("Inovasi di Papua Barat Daya", {"region": {"$contains": "Papua Barat Daya"}}),
    ],
)
def test_filters_read_from_questions(question: str, expected: dict) -> None:
    assert profile_filters(question) == expected


@pytest.fixture
def catalogue_engine(settings, knowledge_copy: Path, fake_embedding) -> AnswerEngine:
    catalogue = knowledge_copy / "katalog.csv"
    with catalogue.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "agency", "region", "year", "category", "summary"])
        for name, agency, region, year, category in PROFILES:
            writer.writerow(
                [name, agency, region, year, category, f"{name} melayani warga {region}."]
            )
    assert run_ingest(settings, [knowledge_copy], embedding=fake_embedding).ok
    return AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=fake_embedding))


def test_profile_question_lists_only_matching_profiles(catalogue_engine: AnswerEngine) -> None:
    answer = catalogue_engine.answer("inovasi kesehatan di Jawa Tengah tahun 2023")
    assert not answer.abstained
    assert "SEHAT CEPAT" in answer.text
    for other in ("POSYANDU DIGITAL", "GIZI KITA", "KLINIK DESA", "SI-UMKM"):
        assert other not in answer.text
    assert [c.title for c in answer.citations] == ["SEHAT CEPAT"]


def test_region_only_question(catalogue_engine: AnswerEngine) -> None:
    answer = catalogue_engine.answer("inovasi apa saja di Jawa Tengah?")
    names = {c.title for c in answer.citations}
    assert names == {"SEHAT CEPAT", "POSYANDU DIGITAL", "SI-UMKM"}


def test_no_matching_profile_falls_back_to_normal_answering(catalogue_engine: AnswerEngine) -> None:
    answer = catalogue_engine.answer("inovasi kesehatan di Papua tahun 2019")
    assert not any("profile filters" in note for note in answer.notes)


def test_region_named_in_a_question_about_a_document_gets_the_document_answer(
    catalogue_engine: AnswerEngine,
) -> None:
    """A province in the question does not make it a catalogue search when it asks what a
    document holds: which decision made Jawa Tengah a pilot innovation hub (the catalogue
    has Jawa Tengah profiles; they are not what was asked)."""
    answer = catalogue_engine.answer(
        "Jawa Tengah ditetapkan jadi hub inovasi percontohan lewat keputusan apa?"
    )
    assert not any("profile filters" in note for note in answer.notes)
    # the decree's number is quoted from the document (whether the fake-embedding twin of
    # the calibration is confident enough to call it an answer is not the point here)
    assert answer.outcome != "abstained"
    assert "94" in answer.text
    assert not any(
        c.title in {"SEHAT CEPAT", "POSYANDU DIGITAL", "SI-UMKM"} for c in answer.citations
    )


def test_documents_only_search_leaves_the_catalogue_out(catalogue_engine: AnswerEngine) -> None:
    everything = catalogue_engine.retriever.search("inovasi kesehatan Jawa Tengah", 20)
    documents = catalogue_engine.retriever.search(
        "inovasi kesehatan Jawa Tengah", 20, documents_only=True
    )
    assert any(c.is_profile_row for c in everything)
    assert documents and not any(c.is_profile_row for c in documents)
    assert all(c.dense is not None for c in documents)  # similarity within the documents
