"""Issue 10 end to end: an admin uploads the test regulation through the Telegram emulator as
a born-digital PDF, a DOCX, a TXT and a scan (the PDF rasterised), each into a fresh bot over
the starter knowledge base with the real offline engine. Checked strictly: the upload's reply
(title, type, passages, OCR pages and the scan's progress), `/sumber`, and the confirmation
flows (same name with other content, another version of the regulation, cancel, a stale
button). Measured: the share of questions on its articles answered with the right Pasal named
in the answer's text (issue 10's target: 90%; `python -m scripts.regulation_upload_eval`
prints the same per format).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from telegram_emulator import EmulatorUser, RunBot, TelegramEmulator

from bot.engine import AnswerEngine
from bot.retrieval import HybridRetriever
from bot.telegram.app import build_application
from bot.telegram.state import BotStore
from replikasi.embeddings import EmbeddingModel, make_embedding_model
from replikasi.settings import Settings
from scripts.regulation_upload_eval import (
    ADMIN,
    FORMATS,
    TARGET_SHARE,
    UploadRun,
    base_settings,
    load_article_questions,
    load_harness,
    regulation_files,
    upload_and_ask,
)
from tests.ci import skip_or_fail
from tests.regulation_fixtures import source_text

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TITLE = (
    "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026 tentang Replikasi Inovasi Pelayanan Publik "
    "di Lingkungan Pemerintah Kota Fiktif"
)
KIND = "Peraturan Wali Kota (Perwal Fiktif 3/2026)"
TIMEOUT = 120.0
# Measured on 1 December 2026 (python -m scripts.regulation_upload_eval): 37 of 40 in every
# format, the scan included; the misses are a question the knowledge base's own criteria
# answer, a deadline in an article search does not reach, and an English question refused.


def _require_tesseract() -> None:
    from ingest.ocr import OcrSettings, OcrUnavailable, check_ocr

    try:
        check_ocr(OcrSettings())
    except OcrUnavailable as exc:
        skip_or_fail(f"scanned PDFs cannot be read here: {exc}")


@pytest.fixture(scope="module")
def embedding() -> EmbeddingModel:
    return make_embedding_model(base_settings(Path("unused")))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return regulation_files(tmp_path_factory.mktemp("perwal-files"))


@pytest.fixture(scope="module", params=FORMATS)
def uploaded(
    request: pytest.FixtureRequest,
    emulator: TelegramEmulator,
    starter_index: Settings,
    files: dict[str, Path],
    embedding: EmbeddingModel,
    tmp_path_factory: pytest.TempPathFactory,
) -> UploadRun:
    """The regulation in one format uploaded by an admin, then every article question."""
    fmt = str(request.param)
    if fmt == "scan":
        _require_tesseract()
    return upload_and_ask(
        load_harness(),
        emulator,
        starter_index.data_dir.parent,
        tmp_path_factory.mktemp(f"bots-{fmt}"),
        fmt,
        files[fmt],
        load_article_questions(),
        embedding,
    )


def test_the_upload_reply_names_title_type_passages_and_ocr(
    uploaded: UploadRun, files: dict[str, Path]
) -> None:
    assert uploaded.ack.startswith("⏳ Menyimpan dan memproses")
    assert "disimpan di folder pengetahuan dan ditambahkan ke indeks" in uploaded.reply
    assert uploaded.title == TITLE
    assert uploaded.kind == KIND
    assert uploaded.passages > 20
    if uploaded.format != "scan":
        assert uploaded.ocr_pages == 0 and "OCR" not in uploaded.reply
        return
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(str(files["scan"])))
    assert uploaded.ocr_pages == pages
    assert f"Teks dibaca dengan OCR ({pages} halaman)." in uploaded.reply
    # The acknowledgement is edited while the scan is read: "halaman k/N", never faster
    # than every 2 seconds (the time from the first to the last edit bounds their number).
    shown = [
        re.search(r"Membaca pindaian: halaman (\d+)/(\d+) …", text) for text in uploaded.progress
    ]
    read = [(int(m.group(1)), int(m.group(2))) for m in shown if m]
    assert read and all(total == pages and 1 <= page <= pages for page, total in read)
    assert [page for page, _ in read] == sorted(page for page, _ in read)
    assert len(uploaded.progress) <= uploaded.upload_seconds / 2 + 1


def test_sources_list_the_regulation_under_its_type(uploaded: UploadRun) -> None:
    blocks = uploaded.sources.split("\n\n")
    [regulations] = [block for block in blocks if block.startswith("<b>Regulasi</b>")]
    assert f"• {html.escape(TITLE, quote=False)}" in regulations.splitlines()
    assert "(anonymous)" not in uploaded.sources and "• BAB I" not in uploaded.sources


def test_questions_on_articles_name_the_right_pasal(uploaded: UploadRun) -> None:
    """Issue 10's target: at least 90% of the questions on the regulation's articles are
    answered with the right Pasal named in the answer's text (not only in its sources)."""
    missed = sorted(set(uploaded.answers) - set(uploaded.named))
    assert uploaded.share >= TARGET_SHARE, (
        f"{uploaded.format}: {len(uploaded.named)}/{len(uploaded.answers)}; missed {missed}"
    )


# -- replacing, keeping both, cancelling --------------------------------------------------------
def _bot(
    emulator: TelegramEmulator,
    token: str,
    run_bot: RunBot,
    starter_index: Settings,
    embedding: EmbeddingModel,
    base: Path,
) -> Settings:
    shutil.copytree(starter_index.data_dir.parent, base)
    settings = base_settings(
        base,
        telegram_bot_token=token,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        admin_ids=[ADMIN],
    )
    engine = AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=embedding))
    store = BotStore.open(settings)
    run_bot(build_application(settings, engine=engine, store=store))
    return settings


def _next_message(user: EmulatorUser, timeout: float = TIMEOUT) -> dict[str, Any]:
    """The next new message (edits of earlier ones, such as progress, are skipped)."""
    while True:
        [message] = user.wait_for_replies(1, timeout=timeout)
        if not message.get("edit_date"):
            return message


def _upload(user: EmulatorUser, name: str, data: bytes) -> dict[str, Any]:
    user.send_document(name, data, "application/octet-stream")
    received = _next_message(user)
    assert received["text"].startswith("⏳ Menyimpan dan memproses")
    return _next_message(user)


def _button(message: dict[str, Any], label: str) -> str:
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if label in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(f"no {label!r} button under {message.get('text')!r}")


def _press(user: EmulatorUser, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Press a button under the upload question; the question is edited in place (its
    buttons gone), then comes the outcome."""
    user.press_button(message, _button(message, label))
    [edited] = user.wait_for_replies(1, timeout=TIMEOUT)
    assert edited["message_id"] == message["message_id"] and not edited.get("reply_markup")
    return edited


def test_replace_keep_and_cancel_through_telegram(
    emulator: TelegramEmulator,
    bot_token: str,
    run_bot: RunBot,
    starter_index: Settings,
    embedding: EmbeddingModel,
    files: dict[str, Path],
    tmp_path: Path,
) -> None:
    settings = _bot(emulator, bot_token, run_bot, starter_index, embedding, tmp_path / "bot")
    folder = settings.knowledge_dir
    admin = EmulatorUser(emulator, bot_token, user_id=ADMIN)
    text = source_text()
    revised = text.replace("14 (empat belas) hari kerja", "10 (sepuluh) hari kerja")
    assert revised != text

    added = _upload(admin, "perwal.txt", text.encode())
    assert "ditambahkan ke indeks" in added["text"] and KIND in added["text"]

    # The same name with other content: asked first, nothing saved until "Ganti".
    question = _upload(admin, "perwal.txt", revised.encode())
    assert "⚠️ <b>perwal.txt</b> akan menggantikan" in question["text"]
    assert "berkas dengan nama yang sama, isinya berbeda" in question["text"]
    assert (folder / "perwal.txt").read_text(encoding="utf-8") == text
    assert "Ganti: memproses" in _press(admin, question, "Ganti")["text"]
    replaced = _next_message(admin, timeout=300)
    assert "<b>perwal.txt</b> sudah ada dengan isi berbeda; berkas lama diganti" in replaced["text"]
    assert (folder / "perwal.txt").read_text(encoding="utf-8") == revised

    # The same regulation as a PDF under another name: a new version, replacing the TXT.
    pdf_question = _upload(admin, "perwal.pdf", files["pdf"].read_bytes())
    assert "versi lain dari peraturan yang sama (Perwal Fiktif 3/2026)" in pdf_question["text"]
    assert "(<code>perwal.txt</code>)" in pdf_question["text"]
    _press(admin, pdf_question, "Ganti")
    new_version = _next_message(admin, timeout=300)
    assert f"♻️ Menggantikan <b>{html.escape(TITLE, quote=False)}</b>" in new_version["text"]
    assert (
        "Berkas lama dihapus dari folder pengetahuan: <code>perwal.txt</code>"
        in (new_version["text"])
    )
    assert not (folder / "perwal.txt").exists() and (folder / "perwal.pdf").is_file()

    # A button of a choice already made is answered, and nothing happens.
    admin.press_button(question, _button(question, "Ganti"))
    admin.expect_no_replies(within=1.5)
    alerts = [
        c["params"].get("text", "") for c in emulator.bot_calls(bot_token, "answerCallbackQuery")
    ]
    assert any("sudah tidak berlaku" in str(alert) for alert in alerts)

    # The DOCX, cancelled: the file is forgotten.
    docx_question = _upload(admin, "perwal.docx", files["docx"].read_bytes())
    cancelled = _press(admin, docx_question, "Batal")
    assert cancelled["text"].startswith("✖️ Dibatalkan: <b>perwal.docx</b> tidak disimpan")
    assert not (folder / "perwal.docx").exists()

    admin.send_command("sumber")
    listing = _next_message(admin)["text"]
    assert listing.count(html.escape(TITLE, quote=False)) == 1
