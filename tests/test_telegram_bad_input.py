"""Bad input through the bot: odd messages, commands without arguments, and broken or
unwanted documents from admins. Each gets one clear, polite reply (never a traceback, never
silence, never HTML Telegram refuses: the fake Bot API parses it like Telegram), nothing
broken is kept, and the next question is still answered.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from pydantic import SecretStr

from bot.engine import AnswerEngine
from bot.retrieval import HybridRetriever
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel
from replikasi.index import KnowledgeIndex
from replikasi.settings import Settings
from tests.fakes import HashEmbeddings
from tests.telegram_fakes import BOT_USERNAME, Harness, message_update, run

ADMIN = 900
USER = 1
GROUP = -100500
QUESTION = "Apa itu KIPP?"
GENERIC_ERROR = "terjadi kendala"


@pytest.fixture
def bot_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TEST"),
            "admin_ids": [ADMIN],
            "max_upload_mb": 1,
        }
    )


def _assert_clean(h: Harness) -> None:
    """Every message reached the chat (Telegram refused nothing) and none is an error."""
    assert len(h.telegram.delivered_texts) == len(h.telegram.sent_texts)
    for text in h.telegram.sent_texts:
        assert GENERIC_ERROR not in text and "Traceback" not in text


# -- messages ------------------------------------------------------------------------------
OTHER_SCRIPT = "hanya dapat menjawab pertanyaan dalam bahasa Indonesia atau bahasa Inggris"
EMPTY = "Pertanyaannya kosong"
SYMBOLS = "hanya berisi emoji atau simbol"


@pytest.mark.parametrize(
    ("text", "language_code", "expected"),
    [
        ("   \n\t  ", "id", EMPTY),
        ("🤔🙏👍", "id", SYMBOLS),
        ("🤔🙏👍", "en", "The question has only emoji or symbols"),
        ("_*[]`", "id", SYMBOLS),
        (("Replikasi inovasi? " * 600)[:10_000], "id", "terlalu panjang (10000 karakter)"),
        ("ما هي أشكال تكرار الابتكار؟", "ar", OTHER_SCRIPT),
        ("什么是创新复制？", "zh-hans", OTHER_SCRIPT),
        ("Что такое репликация инноваций?", "ru", OTHER_SCRIPT),
        ("Что такое репликация инноваций?", "en", "I can only answer questions in Indonesian"),
        ("", "id", "hanya dapat membaca pesan teks"),
    ],
    ids=[
        "whitespace",
        "emoji",
        "emoji-en",
        "markdown-only",
        "10000-chars",
        "arabic",
        "chinese",
        "cyrillic",
        "cyrillic-en",
        "empty",
    ],
)
def test_odd_message_gets_a_clear_reply_and_the_next_question_is_answered(
    bot_settings: Settings,
    starter_engine: AnswerEngine,
    text: str,
    language_code: str,
    expected: str,
) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update(text, language_code=language_code))
        await h.send(message_update(QUESTION))

    h = run(bot_settings, scenario, starter_engine)
    reply, answer = h.telegram.sent_texts
    assert expected in reply
    assert "KIPP" in answer and "<b>Sumber:</b>" in answer
    _assert_clean(h)


def test_html_and_markdown_characters_are_shown_as_text(
    bot_settings: Settings, starter_engine: AnswerEngine
) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("<b>Apa itu KIPP?</b> & _*[]"))
        await h.send(message_update("/inovasi <b>&amp; _*[]"))
        await h.send(message_update("/inovasi </i>disabilitas"))

    h = run(bot_settings, scenario, starter_engine)
    answer, nothing_found, found = h.telegram.sent_texts
    assert "Kompetisi Inovasi Pelayanan Publik" in answer and "<b>Sumber:</b>" in answer
    assert "“&lt;b&gt;&amp;amp; _*[]”" in nothing_found  # the keyword exactly as typed
    assert "“&lt;/i&gt;disabilitas”" in found
    _assert_clean(h)


@pytest.mark.parametrize(
    ("text", "chat_id", "language_code", "expected"),
    [
        ("/tanya", None, "id", "<code>/tanya Apa saja bentuk replikasi inovasi?</code>"),
        ("/tanya   ", None, "en", "<code>/tanya What is JIPPNas?</code>"),
        (f"/tanya@{BOT_USERNAME}", GROUP, "id", "Tuliskan pertanyaannya setelah perintah"),
        (f"@{BOT_USERNAME}", GROUP, "id", "Tuliskan pertanyaannya setelah perintah"),
        ("/inovasi", None, "en", "Put a keyword after the command"),
        (f"/inovasi@{BOT_USERNAME}", GROUP, "id", "<code>/inovasi disabilitas</code>"),
    ],
)
def test_command_without_its_argument_explains_how_to_use_it(
    bot_settings: Settings,
    starter_engine: AnswerEngine,
    text: str,
    chat_id: int | None,
    language_code: str,
    expected: str,
) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update(text, chat_id=chat_id, language_code=language_code))
        await h.send(message_update(f"/tanya {QUESTION}", chat_id=chat_id))

    h = run(bot_settings, scenario, starter_engine)
    usage, answer = h.telegram.sent_texts
    assert expected in usage
    assert "KIPP" in answer and "<b>Sumber:</b>" in answer
    _assert_clean(h)


# -- documents from admins -----------------------------------------------------------------
BASICS = (
    "---\ntitle: Dasar Replikasi\ntype: guideline\n---\n# Dasar Replikasi\n\n"
    "Replikasi inovasi memiliki tiga bentuk: adopsi, adaptasi, dan modifikasi.\n"
)


@pytest.fixture
def indexed(bot_settings: Settings, fake_embedding: EmbeddingModel) -> Settings:
    """A knowledge folder with one document, indexed with the fast fake embedder."""
    bot_settings.knowledge_dir.mkdir(parents=True)
    (bot_settings.knowledge_dir / "dasar.md").write_text(BASICS)
    assert run_ingest(bot_settings, embedding=fake_embedding).ok
    return bot_settings


@pytest.fixture
def engine(indexed: Settings, fake_embedding: EmbeddingModel) -> AnswerEngine:
    return AnswerEngine(indexed, retriever=HybridRetriever(indexed, embedding=fake_embedding))


def _document(name: str, data: bytes, *, declared: bool = True) -> dict[str, Any]:
    document: dict[str, Any] = {"file_id": name, "file_unique_id": f"u-{name}", "file_name": name}
    if declared:  # Telegram usually, but not always, tells the size up front
        document["file_size"] = len(data)
    return document


def scanned_pdf() -> bytes:
    """A one-page PDF with a drawn box and no text layer, like a scan."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    pdf.rect(20, 20, 120, 80, style="F")
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    """A zip that is a Word document in name only, enough to tell it from a PDF."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def _upload_and_ask(
    indexed: Settings, engine: AnswerEngine, name: str, data: bytes, *, declared: bool = True
) -> Harness:
    async def scenario(h: Harness) -> None:
        h.telegram.files[name] = data
        await h.send(
            message_update(user_id=ADMIN, document=_document(name, data, declared=declared))
        )
        await h.settle()
        await h.send(message_update("Apa saja bentuk replikasi?", user_id=USER))

    return run(indexed, scenario, engine)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "rusak.pdf",
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage",
            "not a readable PDF",
        ),
        ("pindaian.pdf", scanned_pdf(), "PDF has no text layer"),
        ("kosong.md", b"", "file is empty"),
        ("laporan.docx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not a readable Word document"),
        ("laporan.pdf", docx_bytes(), "not a readable PDF"),
        (
            "katalog.csv",
            b"instansi,daerah\nDinas Sosial,Jambi\n",
            "CSV has no 'name' column (columns found: 'instansi', 'daerah')",
        ),
    ],
    ids=["corrupt-pdf", "scanned-pdf", "zero-bytes", "pdf-as-docx", "docx-as-pdf", "csv-no-name"],
)
def test_unreadable_upload_is_refused_with_the_reason_and_nothing_is_kept(
    indexed: Settings, engine: AnswerEngine, name: str, data: bytes, reason: str
) -> None:
    before = KnowledgeIndex.open(indexed).active_name()
    h = _upload_and_ask(indexed, engine, name, data)
    received, outcome, answer = h.telegram.sent_texts
    assert f"Menyimpan dan memproses <b>{name}</b>" in received
    assert f"❌ <b>{name}</b> tidak dapat dibaca, jadi tidak ditambahkan." in outcome
    assert reason in outcome
    assert _names(indexed.knowledge_dir) == ["dasar.md"]
    assert KnowledgeIndex.open(indexed).active_name() == before
    assert "adopsi" in answer and "<b>Sumber:</b>" in answer
    _assert_clean(h)


def test_oversized_upload_without_a_declared_size_is_refused_after_download(
    indexed: Settings, engine: AnswerEngine
) -> None:
    data = b"# Besar\n\n" + b"Replikasi inovasi. " * 70_000  # 1.3 MB, the limit is 1 MB
    h = _upload_and_ask(indexed, engine, "besar.md", data, declared=False)
    _, outcome, answer = h.telegram.sent_texts
    assert "<b>besar.md</b> terlalu besar (1.3 MB). Batas unggahan adalah 1 MB" in outcome
    assert _names(indexed.knowledge_dir) == ["dasar.md"]
    assert "adopsi" in answer
    _assert_clean(h)


def test_duplicate_upload_is_recognised_and_nothing_is_embedded_again(
    indexed: Settings, engine: AnswerEngine, fake_embedding: EmbeddingModel
) -> None:
    note = b"# Catatan Rapat\n\nRapat membahas replikasi inovasi SWP di Temanggung.\n"
    embedder = fake_embedding.embeddings
    assert isinstance(embedder, HashEmbeddings)
    calls: list[int] = []

    async def scenario(h: Harness) -> None:
        for name in ("catatan.md", "catatan.md", "catatan-lagi.md", "dasar-salinan.md"):
            data = BASICS.encode() if name == "dasar-salinan.md" else note
            h.telegram.files[name] = data
            await h.send(message_update(user_id=ADMIN, document=_document(name, data)))
            await h.settle()
            calls.append(embedder.calls)
        await h.send(message_update("Di mana replikasi SWP dibahas?"))

    h = run(indexed, scenario, engine)
    outcomes = h.telegram.sent_texts[1:8:2]
    assert "✅ <b>catatan.md</b> disimpan" in outcomes[0]
    assert "ℹ️ <b>catatan.md</b> sudah ada di folder pengetahuan dengan isi yang sama" in outcomes[1]
    assert "sama persis dengan <b>catatan.md</b>" in outcomes[2]
    assert "sama persis dengan <b>dasar.md</b>" in outcomes[3]
    assert calls[0] > 0 and calls[1:] == [calls[0]] * 3  # embedded once, never again
    assert _names(indexed.knowledge_dir) == ["catatan.md", "dasar.md"]
    assert "Temanggung" in h.telegram.sent_texts[-1]
    _assert_clean(h)


def test_upload_whose_ingest_crashes_is_removed_and_reported(
    indexed: Settings, engine: AnswerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def out_of_memory(texts: list[str]) -> list[list[float]]:
        raise MemoryError("no RAM left")

    monkeypatch.setattr(engine.retriever.embedding.embeddings, "embed_documents", out_of_memory)
    h = _upload_and_ask(indexed, engine, "catatan.md", b"# Catatan\n\nIsi catatan rapat.\n")
    _, outcome, answer = h.telegram.sent_texts
    assert "❌ <b>catatan.md</b> tidak dapat ditambahkan karena pemrosesannya gagal" in outcome
    assert "Alasan: MemoryError: no RAM left" in outcome
    assert _names(indexed.knowledge_dir) == ["dasar.md"]
    assert "adopsi" in answer
    _assert_clean(h)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
