"""Telegram HTML for everything the bot shows: answers, source passages, listings, reports.

Every piece of text that did not come from this file is escaped with `escape`; the only
markup is ours (<b>, <i>, <a href>, <code>, <blockquote>). Model output is never passed
through as Markdown: the little Markdown an answer may carry (**bold**, # headings, "* "
bullets) is turned into our own tags after escaping.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.messages import Language, say
from bot.telegram import texts
from bot.telegram.splitting import split_message, utf16_len
from bot.telegram.state import UsageStats
from bot.telegram.uploads import UploadOutcome
from ingest.pipeline import IngestReport
from replikasi.index import IndexedDocument
from replikasi.records import Answer, Citation, RetrievedChunk
from replikasi.untrusted import withhold_untrusted

__all__ = [
    "escape",
    "render_answer_html",
    "render_documents",
    "render_ingest_report",
    "render_innovations",
    "render_passage_html",
    "render_stats",
    "render_upload_outcome",
    "split_message",
]

PASSAGE_CHARS = 700
_MAX_URL = 2000
_BOLD = re.compile(r"\*\*([^\n*][^\n]*?)\*\*")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_BULLET = re.compile(r"^([ \t]*)[*-][ \t]+", re.M)
_CITED = re.compile(r"([^\[\]]*?)\s*\[(\d+)\]")


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def safe_url(url: str) -> str | None:
    """A URL we are willing to link: http(s), no spaces, sane length."""
    url = url.strip()
    if not url or len(url) > _MAX_URL or any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in {"http", "https"} and parts.netloc else None


def link(url: str, label: str) -> str:
    """`label` linked to `url`, or just the escaped label when the URL is unusable."""
    checked = safe_url(url)
    if checked is None:
        return escape(label)
    return f'<a href="{html.escape(checked, quote=True)}">{escape(label)}</a>'


def format_text(text: str) -> str:
    """Escape plain answer/passage text and turn its bits of Markdown into our tags."""
    escaped = escape(text.strip())
    escaped = _HEADING.sub(r"<b>\1</b>", escaped)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return _BULLET.sub(r"\1• ", escaped)


# -- answers -------------------------------------------------------------------------------
def render_answer_html(answer: Answer, *, heading: str | None = None) -> list[str]:
    """The answer and its numbered sources, as one or more messages below 4,096 chars."""
    blocks = []
    if heading:
        blocks.append(f"❓ <b>{escape(heading)}</b>")
    blocks.append(format_text(answer.text) or "…")  # Telegram refuses empty messages
    if answer.citations:
        blocks.append(render_sources_list(answer.citations, answer.language))
    return split_message("\n\n".join(blocks))


def render_sources_list(citations: Sequence[Citation], language: Language) -> str:
    lines = [f"<b>{texts.say('sources_label', language)}:</b>"]
    for citation in citations:
        title = link(citation.source_url, citation.title) if citation.title else ""
        section = f" — {escape(citation.section)}" if citation.section else ""
        lines.append(f"[{citation.number}] {title}{section}")
    return "\n".join(lines)


def render_passage_html(citation: Citation, language: Language, answer_text: str = "") -> str:
    """One source in place of the answer: title, section, the cited passage, link."""
    lines = [f"📄 <b>[{citation.number}] {escape(citation.title)}</b>"]
    if citation.section:
        lines.append(f"<i>{escape(citation.section)}</i>")
    focus = cited_sentences(answer_text, citation.number)
    # Sentences aimed at the assistant and foreign links are document text, never shown.
    shown = withhold_untrusted(citation.snippet, say("withheld", language), [citation.source_url])
    passage = excerpt(shown, focus)
    if passage:
        lines.append(f"<blockquote>{format_text(passage)}</blockquote>")
    if safe_url(citation.source_url):
        lines.append("🔗 " + link(citation.source_url, texts.say_plain("open_source", language)))
    return "\n".join(lines)


def cited_sentences(answer_text: str, number: int) -> list[str]:
    """The stretches of the answer that cite [number], to find them in the passage."""
    return [m.group(1).strip() for m in _CITED.finditer(answer_text) if int(m.group(2)) == number]


def excerpt(text: str, focus: Sequence[str] = (), limit: int = PASSAGE_CHARS) -> str:
    """At most ~`limit` characters of `text`, starting where the answer quoted it."""
    text = text.strip()
    start = _focus_start(text, focus)
    piece = text[start:]
    if len(piece) > limit:
        cut = piece[:limit]
        sentence_end = max(cut.rfind(". "), cut.rfind(".\n"), cut.rfind("\n"))
        end = sentence_end + 1 if sentence_end >= limit // 2 else cut.rfind(" ")
        piece = cut[: end if end > 0 else limit].rstrip() + " …"
    return ("… " if start else "") + piece


def _focus_start(text: str, focus: Sequence[str]) -> int:
    for sentence in focus:
        words = re.findall(r"\w+", sentence)[:6]
        if len(words) < 2:
            continue
        found = re.search(r"\W+".join(map(re.escape, words)), text)
        if found is None:
            continue
        line_start = text.rfind("\n", 0, found.start()) + 1
        return line_start if found.start() - line_start <= 300 else found.start()
    return 0


# -- listings ------------------------------------------------------------------------------
def render_documents(documents: Sequence[IndexedDocument], language: Language) -> list[str]:
    """/sumber: the indexed documents grouped by type, with their last update."""
    if not documents:
        return [texts.say("sources_empty", language)]
    labels = texts.DOC_TYPE_LABELS[language]
    order = {doc_type: i for i, doc_type in enumerate(labels)}
    blocks = [texts.say("sources_header", language, count=len(documents))]
    by_type: dict[str, list[IndexedDocument]] = {}
    for doc in documents:
        by_type.setdefault(doc.doc_type, []).append(doc)
    for doc_type in sorted(by_type, key=lambda t: (order.get(t, len(order)), t)):
        lines = [f"<b>{escape(labels.get(doc_type, doc_type.title()))}</b>"]
        for doc in sorted(by_type[doc_type], key=lambda d: d.title.casefold()):
            updated = (
                f" <i>({texts.say('updated_on', language, date=doc.updated)})</i>"
                if doc.updated
                else ""
            )
            lines.append(f"• {escape(doc.title)}{updated}")
        blocks.append("\n".join(lines))
    return split_message("\n\n".join(blocks))


def render_innovations(
    query: str, chunks: Sequence[RetrievedChunk], language: Language, limit: int = 8
) -> str:
    """/inovasi: one line per matching innovation profile (best match first)."""
    seen: dict[str, RetrievedChunk] = {}
    for chunk in chunks:
        seen.setdefault(chunk.doc_id, chunk)
    if not seen:
        return texts.say("inovasi_none", language, query=query)
    lines = [texts.say("inovasi_header", language, query=query), ""]
    names = []
    for chunk in list(seen.values())[:limit]:
        meta = chunk.metadata
        name = str(meta.get("name") or chunk.title)
        names.append(name)
        details = [str(meta[key]) for key in ("agency", "region", "year") if meta.get(key)]
        line = f"• <b>{link(chunk.source_url, name) if meta.get('name') else escape(name)}</b>"
        if details:
            line += "\n   " + escape(" · ".join(details))
        elif chunk.section and chunk.section != name:
            line += f"\n   <i>{escape(chunk.section)}</i>"
        lines.append(line)
    lines += ["", texts.say("inovasi_footer", language, example=_short_name(names[0]))]
    return "\n".join(lines)


def _short_name(name: str) -> str:
    # "BARIS DITEBAS (Barista …) – Sentra Wyata Guna" → "BARIS DITEBAS"
    return re.split(r"\s+[(–—-]\s*|\s+\(", name, maxsplit=1)[0].strip() or name


# -- admin reports -------------------------------------------------------------------------
def render_ingest_report(report: IngestReport, language: Language) -> str:
    """/reindex and uploads: what changed in the index, and what could not be read."""
    seconds = f"{report.seconds:.1f}".replace(".", "," if language == "id" else ".")
    head = (
        texts.say("ingest_done", language, seconds=seconds)
        if report.changed
        else texts.say("ingest_unchanged", language)
    )
    lines = [
        head,
        texts.say(
            "ingest_counts",
            language,
            added=len(report.added),
            updated=len(report.updated),
            removed=len(report.removed),
            unchanged=len(report.unchanged),
            failed=len(report.failed),
            chunks=report.chunks,
        ),
    ]
    for key, ids in (
        ("label_added", report.added),
        ("label_updated", report.updated),
        ("label_removed", report.removed),
    ):
        if ids:
            lines.append(f"<b>{texts.say(key, language)}:</b> {code_list(ids, language)}")
    if report.failed:
        lines.append(f"<b>{texts.say('label_failed', language)}:</b>")
        lines += [f"• <code>{escape(path)}</code>: {escape(why)}" for path, why in report.failed]
    return "\n".join(lines)


def render_upload_outcome(outcome: UploadOutcome, language: Language) -> list[str]:
    """What happened to an admin's upload: added, updated, already there, or why not."""
    key = {
        "added": "upload_added",
        "updated": "upload_updated",
        "same": "upload_same",
        "duplicate": "upload_duplicate",
        "failed": "upload_failed",
        "failed_kept": "upload_failed_kept",
        "error": "upload_error",
    }[outcome.status]
    blocks = [texts.say(key, language, name=outcome.name, reason=outcome.reason)]
    if outcome.status in {"added", "updated"}:
        blocks[0] += " " + texts.say("upload_ready", language)
    if outcome.report is not None and outcome.status not in {"failed", "failed_kept", "error"}:
        blocks.append(render_ingest_report(outcome.report, language))
    return split_message("\n\n".join(blocks))


def code_list(items: Sequence[str], language: Language, limit: int = 10) -> str:
    if not items:
        return texts.say("none", language)
    shown = ", ".join(f"<code>{escape(item)}</code>" for item in items[:limit])
    if len(items) > limit:
        shown += " " + texts.say("and_more", language, count=len(items) - limit)
    return shown


def render_stats(
    stats: UsageStats, topics: Sequence[tuple[str, int]], language: Language
) -> list[str]:
    """The text summary beside the /stats chart."""
    lines = [texts.say("stats_title", language), ""]
    for period in stats.periods:
        lines.append(
            texts.say(
                "stats_period",
                language,
                days=period.days,
                questions=period.questions,
                answered=period.answered,
                not_known=period.not_known,
                abstained=period.abstained,
                share=f"{period.unanswered_share * 100:.0f}%",
            )
        )
    lines.append(
        texts.say("stats_feedback", language, up=stats.feedback_up, down=stats.feedback_down)
    )
    if topics:
        listed = ", ".join(f"{word} ({count})" for word, count in topics)
        lines.append(texts.say("stats_topics", language, topics=listed))
    lines.append("")
    if stats.recent_unanswered:
        lines.append(texts.say("stats_unanswered", language))
        for asked, question in stats.recent_unanswered:
            when = time.strftime("%d-%m-%Y %H:%M", time.localtime(asked))
            lines.append(f"• <i>{when}</i> — {escape(_clip(question, 300))}")
    else:
        lines.append(texts.say("stats_no_unanswered", language))
    return split_message("\n".join(lines))


def _clip(text: str, limit: int) -> str:
    return text if utf16_len(text) <= limit else text[: limit - 1].rstrip() + "…"
