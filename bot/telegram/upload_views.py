"""Telegram views of an admin's upload: the progress line, the question when an upload would
replace something (with Ganti / Simpan berdampingan / Batal), and the summary once it is in
the index (title, type, passages, OCR, what it replaced, text flagged as instructions).

Callback data of the choice buttons (64 bytes at most):

    u:<upload id>:r    replace what the upload would replace
    u:<upload id>:b    keep both (the upload under a name of its own)
    u:<upload id>:x    cancel: the upload is forgotten
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Language
from bot.telegram import texts, upload_texts
from bot.telegram.render import escape, render_ingest_report, render_upload_outcome
from bot.telegram.splitting import split_message
from bot.telegram.upload_store import PENDING_UPLOAD_HOURS
from bot.telegram.uploads import UploadInspection, UploadOutcome
from ingest.ocr import PageProgress
from ingest.regulation_names import title_case
from replikasi.index import IndexedDocument
from replikasi.records import MetaKey

Choice = Literal["replace", "beside", "cancel"]
_CHOICES: dict[str, Choice] = {"r": "replace", "b": "beside", "x": "cancel"}


@dataclass(frozen=True)
class ChoicePress:
    upload_id: str
    choice: Choice


# -- progress ------------------------------------------------------------------------------
def progress_ocr(name: str, progress: PageProgress, language: Language) -> str:
    return upload_texts.say(
        "progress_ocr", language, name=name, page=progress.page, pages=progress.pages
    )


def progress_embed(name: str, done: int, total: int, language: Language) -> str:
    return upload_texts.say("progress_embed", language, name=name, done=done, total=total)


# -- what a document is ----------------------------------------------------------------------
def kind_of(doc_type: str, metadata: dict[str, Any], language: Language) -> str:
    """ "Peraturan Wali Kota (Perwal Fiktif 3/2026)" for a regulation, else "Dokumen" etc."""
    reg_kind = str(metadata.get(MetaKey.REG_KIND) or "")
    label = str(metadata.get(MetaKey.REG_LABEL) or "")
    if reg_kind:
        kind = title_case(reg_kind)
        return f"{kind} ({label})" if label else kind
    names = upload_texts.DOC_TYPE_NAMES[language]
    return names.get(doc_type, doc_type.title() or names["document"])


def _ocr_line(pages: int, language: Language) -> str:
    word = "page" if pages == 1 else "pages"
    return upload_texts.say("ocr_used", language, pages=pages, page_word=word)


# -- the question: replace, keep both, or cancel ---------------------------------------------
def plan_record(inspection: UploadInspection) -> dict[str, Any]:
    """What the store keeps of an upload's preview (JSON), to ask and later to answer."""
    preview = inspection.preview
    assert preview is not None
    return {
        "conflicts": [asdict(conflict) for conflict in preview.plan.conflicts],
        "free_name": preview.plan.free_name,
        "documents": [
            {"title": doc.title, "doc_type": doc.doc_type, "metadata": _scalars(doc.metadata)}
            for doc in preview.documents
        ],
        "ocr_pages": inspection.ocr_pages,
    }


def _scalars(metadata: dict[str, Any]) -> dict[str, Any]:
    keys = (MetaKey.REG_KIND, MetaKey.REG_LABEL)
    return {key: metadata[key] for key in keys if isinstance(metadata.get(key), str)}


def render_confirmation(name: str, record: dict[str, Any], language: Language) -> str:
    lines = [upload_texts.say("confirm_head", language, name=name)]
    for conflict in record.get("conflicts", []):
        reason = conflict.get("reason")
        key = "conflict_same_name" if reason == "same_name" else "conflict_same_regulation"
        label = f" ({conflict['label']})" if conflict.get("label") else ""
        lines.append(
            upload_texts.say(
                key,
                language,
                title=conflict.get("title") or conflict.get("path") or name,
                path=conflict.get("path") or name,
                label=label,
            )
        )
    documents = record.get("documents", [])
    if documents:
        lines += ["", upload_texts.say("confirm_new", language)]
        for doc in documents[:3]:
            lines.append(upload_texts.say("document_line", language, title=doc.get("title", "")))
            kind = kind_of(str(doc.get("doc_type", "")), doc.get("metadata", {}), language)
            lines.append(upload_texts.say("document_kind", language, kind=kind))
    if record.get("ocr_pages"):
        lines.append(_ocr_line(int(record["ocr_pages"]), language))
    beside = record.get("free_name") or name
    lines += [
        "",
        upload_texts.say("confirm_choices", language, beside=beside, hours=PENDING_UPLOAD_HOURS),
    ]
    return "\n".join(lines)


def confirmation_keyboard(upload_id: str, language: Language) -> InlineKeyboardMarkup:
    def button(key: str, code: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            upload_texts.say_plain(key, language), callback_data=f"u:{upload_id}:{code}"
        )

    return InlineKeyboardMarkup(
        [
            [button("button_replace", "r"), button("button_beside", "b")],
            [button("button_cancel", "x")],
        ]
    )


def parse_choice(data: str | None) -> ChoicePress | None:
    match (data or "").split(":"):
        case ["u", upload_id, code] if upload_id and code in _CHOICES:
            return ChoicePress(upload_id, _CHOICES[code])
    return None


# -- the summary once it is in --------------------------------------------------------------
def render_upload_summary(
    outcome: UploadOutcome,
    documents: Sequence[IndexedDocument],
    language: Language,
    ocr_pages: int = 0,
) -> list[str]:
    """The outcome line, then for each document of the upload its title, type and passages,
    OCR, what it replaced and text flagged as instructions, then the index report."""
    report = outcome.report
    if report is None or outcome.status in {"failed", "failed_kept", "error", "duplicate"}:
        return render_upload_outcome(outcome, language)
    head = texts.say(_HEADS[outcome.status], language, name=outcome.name, reason=outcome.reason)
    if outcome.status in {"added", "updated"}:
        head += " " + texts.say("upload_ready", language)
    blocks = [head]
    mine = set(report.added + report.updated + report.unchanged)
    ocr = dict(report.ocr)
    for doc in documents:
        if doc.doc_id not in mine:
            continue
        lines = [
            upload_texts.say("document_line", language, title=doc.title),
            upload_texts.say(
                "document_facts",
                language,
                kind=kind_of(doc.doc_type, doc.metadata, language),
                passages=doc.chunks,
            ),
        ]
        pages = int(doc.metadata.get(MetaKey.OCR_PAGES) or ocr.get(doc.doc_id) or ocr_pages)
        if pages:
            lines.append(_ocr_line(pages, language))
        blocks.append("\n".join(lines))
    notes = [
        upload_texts.say("replaced_one", language, title=r.old_title, doc_id=r.old_id)
        for r in report.replaced
    ]
    if outcome.removed_files:
        files = ", ".join(f"<code>{escape(name)}</code>" for name in outcome.removed_files)
        notes.append(upload_texts.say_plain("replaced_files", language, files=files))
    if outcome.beside:
        notes.append(upload_texts.say("kept_beside", language, name=outcome.name))
    notes += [
        upload_texts.say("flagged", language, document=document, sentence=sentence)
        for document, sentence in report.flagged
    ]
    if notes:
        blocks.append("\n".join(notes))
    blocks.append(render_ingest_report(report, language))
    return split_message("\n\n".join(blocks))


_HEADS = {"added": "upload_added", "updated": "upload_updated", "same": "upload_same"}
