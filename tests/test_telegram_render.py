"""Telegram HTML rendering: escaping, message splitting, passages and listings."""

from __future__ import annotations

import re

import pytest

from bot.telegram.render import (
    excerpt,
    render_answer_html,
    render_documents,
    render_ingest_report,
    render_innovations,
    render_passage_html,
    render_stats,
    split_message,
)
from bot.telegram.splitting import utf16_len
from bot.telegram.state import PeriodStats, UsageStats
from ingest.pipeline import IngestReport
from replikasi.index import IndexedDocument
from replikasi.records import Answer, RetrievedChunk
from tests.telegram_fakes import citation

ALLOWED_TAGS = {"b", "i", "a", "code", "blockquote"}
_TOKEN = re.compile(r"<(/?)([a-z]+)([^<>]*)>|&(?:lt|gt|amp|quot|#\d+);|[<>&]")


def assert_valid_html(html: str) -> None:
    """What Telegram's HTML parser insists on: known, balanced tags and no stray < > &."""
    stack: list[str] = []
    for match in _TOKEN.finditer(html):
        token = match.group(0)
        if token in "<>&":
            raise AssertionError(f"unescaped {token!r} in {html!r}")
        if token.startswith("&"):
            continue
        closing, name, attributes = match.groups()
        assert name in ALLOWED_TAGS, f"tag <{name}> not allowed"
        if closing:
            assert stack and stack.pop() == name, f"unbalanced </{name}> in {html!r}"
        else:
            assert name == "a" or not attributes.strip(), f"attributes on <{name}>"
            stack.append(name)
    assert not stack, f"unclosed {stack} in {html!r}"
    assert visible(html).strip(), "empty message"


def visible(html: str) -> str:
    return (
        re.sub(r"<[^<>]*>", "", html)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def answer(text: str, **fields: object) -> Answer:
    return Answer(question="q", language="id", text=text, **fields)  # type: ignore[arg-type]


# -- escaping ------------------------------------------------------------------------------
def test_answer_text_and_titles_are_escaped() -> None:
    tricky = answer(
        "Gunakan <b>format</b> & tanda _*[]` seperti biasa. [1]",
        citations=[citation(1, title="Judul <i>miring</i> & _garis_ [x]", section="A & B")],
    )
    [html] = render_answer_html(tricky)
    assert_valid_html(html)
    assert "Gunakan &lt;b&gt;format&lt;/b&gt; &amp; tanda _*[]` seperti biasa. [1]" in html
    assert "Judul &lt;i&gt;miring&lt;/i&gt; &amp; _garis_ [x]</a> — A &amp; B" in html
    assert "<b>Sumber:</b>\n[1] " in html


def test_markdown_from_a_model_becomes_our_tags() -> None:
    [html] = render_answer_html(answer("## Bentuk\n**Adopsi** dan *adaptasi*\n* satu\n- dua"))
    assert_valid_html(html)
    assert html.splitlines() == ["<b>Bentuk</b>", "<b>Adopsi</b> dan *adaptasi*", "• satu", "• dua"]


def test_links_only_for_http_urls_and_quotes_escaped() -> None:
    citations = [
        citation(1, source_url='https://x.go.id/a?b=1&c="2"'),
        citation(2, source_url="javascript:alert(1)"),
        citation(3, source_url=""),
    ]
    [html] = render_answer_html(answer("Teks. [1] [2] [3]", citations=citations))
    assert_valid_html(html)
    assert '<a href="https://x.go.id/a?b=1&amp;c=&quot;2&quot;">' in html
    assert "javascript" not in html
    assert html.count("<a ") == 1


def test_english_answers_get_english_labels() -> None:
    [html] = render_answer_html(
        Answer(question="q", language="en", text="Text. [1]", citations=[citation(1)])
    )
    assert "<b>Sources:</b>" in html


def test_abstention_without_citations_has_no_sources_block() -> None:
    [html] = render_answer_html(
        answer("Maaf, basis pengetahuan saya belum memuat jawaban.", outcome="abstained")
    )
    assert "Sumber" not in html


# -- splitting -----------------------------------------------------------------------------
def test_short_messages_are_not_split() -> None:
    assert split_message("<b>halo</b>") == ["<b>halo</b>"]


def test_long_answer_split_at_paragraphs() -> None:
    paragraphs = [f"Paragraf {i}: " + "kalimat biasa yang cukup panjang. " * 25 for i in range(12)]
    parts = split_message("\n\n".join(paragraphs))
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) < 4096
        assert_valid_html(part)
        assert part.startswith("Paragraf")  # every part starts at a paragraph
    assert " ".join(visible(p) for p in parts).split() == " ".join(paragraphs).split()


def test_one_huge_paragraph_split_at_sentences() -> None:
    sentences = [f"Kalimat nomor {i} menjelaskan replikasi inovasi. [1]" for i in range(200)]
    parts = split_message(" ".join(sentences), limit=1000)
    assert len(parts) > 5
    for part in parts:
        assert utf16_len(part) < 1000
        assert part.startswith("Kalimat nomor") and part.endswith("[1]")


def test_split_keeps_tags_balanced_and_never_cuts_entities_or_tags() -> None:
    link = '<a href="https://menpan.go.id/site/berita?id=1&amp;x=2">tautan sumber panjang</a>'
    body = " ".join(f"Kata &amp; {link} lagi &lt;x&gt;" for _ in range(300))
    html = f"<blockquote><b>{body}</b></blockquote>"
    parts = split_message(html, limit=1500)
    assert len(parts) > 3
    for part in parts:
        assert utf16_len(part) < 1500
        assert_valid_html(part)
        assert part.startswith("<blockquote><b>") and part.endswith("</b></blockquote>")
    assert visible("".join(parts)).count("tautan sumber panjang") == 300


def test_emoji_count_as_two_units_towards_the_limit() -> None:
    text = "👍 " * 1500  # 3,000 characters, but 4,500 UTF-16 units
    assert len(text) < 4096
    parts = split_message(text)
    assert len(parts) == 2 and all(utf16_len(p) < 4096 for p in parts)


def test_unbroken_text_is_cut_hard_but_validly() -> None:
    parts = split_message("&amp;" + "x" * 9000 + "&lt;", limit=4096)
    assert all(utf16_len(p) < 4096 for p in parts)
    for part in parts:
        assert_valid_html(part)


# -- passages ------------------------------------------------------------------------------
def test_passage_shows_title_section_snippet_and_link() -> None:
    cited = citation(2, title="SE <16>", section="Tahap 1", snippet="Isi & detail.\n**Penting**")
    html = render_passage_html(cited, "id")
    assert_valid_html(html)
    assert html.startswith("📄 <b>[2] SE &lt;16&gt;</b>\n<i>Tahap 1</i>\n<blockquote>")
    assert "Isi &amp; detail.\n<b>Penting</b></blockquote>" in html
    assert html.endswith('🔗 <a href="https://menpan.go.id/pedoman">Buka sumber</a>')


def test_passage_excerpt_is_short_and_starts_where_the_answer_quoted() -> None:
    snippet = (
        "Pembuka. " * 100
        + "\nReplikasi memiliki tiga bentuk: adopsi dan adaptasi. "
        + "Isi. " * 200
    )
    quoted = excerpt(snippet, ["Replikasi memiliki tiga bentuk: adopsi dan adaptasi."])
    assert quoted.startswith("… Replikasi memiliki tiga bentuk")
    assert len(quoted) <= 710 and quoted.endswith("…")
    assert excerpt("Pendek saja.") == "Pendek saja."


# -- listings and reports ------------------------------------------------------------------
def test_documents_grouped_by_type() -> None:
    docs = [
        IndexedDocument("se", "SE 16/2023 & lampiran", "regulation", "2024-01-02", "", "", "", 3),
        IndexedDocument("swp", "Sheltered Workshop", "innovation", "", "", "", "", 2),
    ]
    [html] = render_documents(docs, "id")
    assert_valid_html(html)
    assert html.startswith("<b>Basis pengetahuan: 2 dokumen</b>\n\n<b>Regulasi</b>\n")
    assert "• SE 16/2023 &amp; lampiran <i>(diperbarui 2024-01-02)</i>" in html
    assert "<b>Profil inovasi</b>\n• Sheltered Workshop" in html


def test_many_documents_are_split() -> None:
    docs = [
        IndexedDocument(f"d{i}", f"Inovasi daerah nomor {i} " * 3, "innovation", "", "", "", "", 1)
        for i in range(300)
    ]
    parts = render_documents(docs, "en")
    assert len(parts) > 1 and all(utf16_len(p) < 4096 for p in parts)


def _chunk(doc_id: str, title: str, section: str = "", **metadata: object) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=f"{doc_id}#0",
        doc_id=doc_id,
        title=title,
        section=section,
        text="…",
        doc_type="innovation",
        source_url="https://jippnas.menpan.go.id/x",
        metadata=dict(metadata),
    )


def test_innovations_listed_once_each_with_metadata() -> None:
    chunks = [
        _chunk(
            "a", "Katalog", name="Pesona Surga", agency="PSAA Alyatama", region="Jambi", year=2022
        ),
        _chunk("a", "Katalog", name="Pesona Surga"),
        _chunk("b", "BARIS DITEBAS (Barista Disabilitas) – Sentra Wyata Guna", "Profil"),
    ]
    html = render_innovations("disabilitas", chunks, "id")
    assert_valid_html(html)
    assert html.count("Pesona Surga") == 2  # the entry, and the example question
    assert "PSAA Alyatama · Jambi · 2022" in html
    assert (
        "<b>BARIS DITEBAS (Barista Disabilitas) – Sentra Wyata Guna</b>\n   <i>Profil</i>" in html
    )
    assert "<i>Apa itu Pesona Surga?</i>" in html
    assert "Tidak ada profil" in render_innovations("<x>", [], "id")


def test_ingest_report_rendering() -> None:
    report = IngestReport(
        added=["a", "b"], unchanged=["c"], failed=[("rusak.pdf", "no text layer <scan>")], chunks=9
    )
    html = render_ingest_report(report, "id")
    assert_valid_html(html)
    assert "Ditambahkan: 2 · Diperbarui: 0 · Dihapus: 0 · Tidak berubah: 1 · Gagal: 1" in html
    assert "<code>rusak.pdf</code>: no text layer &lt;scan&gt;" in html
    assert "sudah mutakhir" in render_ingest_report(IngestReport(unchanged=["c"]), "id")


@pytest.mark.parametrize("language", ["id", "en"])
def test_stats_rendering(language: str) -> None:
    stats = UsageStats(
        periods=[PeriodStats(7, 3, 0, 1), PeriodStats(30, 5, 2, 3)],
        feedback_up=3,
        feedback_down=1,
        recent_unanswered=[(0.0, "Resep <rendang>?")],
    )
    [html] = render_stats(stats, [("rendang", 2)], language)  # type: ignore[arg-type]
    assert_valid_html(html)
    assert "25%" in html and "50%" in html and "Resep &lt;rendang&gt;?" in html
    assert "rendang (2)" in html
    assert ("2 tidak diketahui, 3 tidak terjawab" if language == "id" else "2 not known") in html
