"""What scripts/regulation_upload_eval.py counts as an answer naming the right Pasal, and the
upload reply it reads title, type, passages and OCR pages from."""

from __future__ import annotations

import pytest

from bot.telegram.upload_views import render_upload_summary
from bot.telegram.uploads import UploadOutcome
from ingest.pipeline import IngestReport
from replikasi.index import IndexedDocument
from scripts.regulation_upload_eval import (
    QUESTIONS,
    UploadRun,
    answer_body,
    load_article_questions,
    names_article,
)

SOURCES = "\n\n<b>Sumber:</b>\n[1] Perwal Fiktif 3/2026 — BAB IV › Pasal 9"


@pytest.mark.parametrize(
    ("answer", "article", "named"),
    [
        ("Laporan disampaikan paling lambat 14 hari kerja (Pasal 9 ayat (2)) [1]", "Pasal 9", True),
        ("Menurut <b>pasal 9</b>, laporan disampaikan. [1]", "Pasal 9", True),
        ("Lihat Pasal 19 dan Pasal 90. [1]", "Pasal 9", False),
        ("Lihat Pasal 9A. [1]", "Pasal 9", False),
        ("Laporan disampaikan paling lambat 14 hari kerja. [1]", "Pasal 9", False),  # sources only
        ("Tim melapor setiap 6 (enam) bulan (Diktum KEEMPAT) [1]", "Diktum KEEMPAT", True),
        ("Tim melapor setiap 6 (enam) bulan (Diktum KEEMPAT) [1]", "Diktum KEDUA", False),
    ],
)
def test_only_the_answers_text_counts(answer: str, article: str, named: bool) -> None:
    assert names_article(answer + SOURCES, article) is named
    assert "Sumber" not in answer_body(answer + SOURCES)


def test_the_article_questions_of_the_test_regulation() -> None:
    questions = load_article_questions(QUESTIONS)
    assert len(questions) == 40 and all(q.article.startswith("Pasal ") for q in questions)
    assert {q.split for q in questions} == {"tune", "holdout"}
    assert len(load_article_questions(QUESTIONS, "holdout")) < 40


def test_the_upload_reply_is_read_back() -> None:
    doc = IndexedDocument(
        "perwal-scan.pdf",
        "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026 tentang Replikasi <Inovasi>",
        "regulation",
        "",
        "perwal-scan.pdf",
        "/k/perwal-scan.pdf",
        "h",
        31,
        {"reg_kind": "peraturan wali kota", "reg_label": "Perwal Fiktif 3/2026", "ocr_pages": 12},
    )
    report = IngestReport(added=["perwal-scan.pdf"], ocr=[("perwal-scan.pdf", 12)], chunks=40)
    [reply] = render_upload_summary(UploadOutcome("perwal-scan.pdf", "added", report), [doc], "id")
    run = UploadRun("scan", "perwal-scan.pdf", reply=reply)
    assert run.title == doc.title
    assert run.kind == "Peraturan Wali Kota (Perwal Fiktif 3/2026)"
    assert (run.passages, run.ocr_pages) == (31, 12)
    assert "📷 Teks dibaca dengan OCR (12 halaman)." in reply
