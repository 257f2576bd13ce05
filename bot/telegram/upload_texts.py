"""What the bot says about admins' uploads beyond the basics in texts.py: progress, what an
upload holds, what it would replace and the admin's choice. Indonesian and English; `say`
escapes every value (file names and titles come from uploads)."""

from __future__ import annotations

from bot.messages import Language
from bot.telegram.phrasebook import Phrasebook

# One document's type, as the upload summary names it (texts.DOC_TYPE_LABELS are headings).
DOC_TYPE_NAMES: dict[Language, dict[str, str]] = {
    "id": {
        "regulation": "Regulasi",
        "program": "Program",
        "platform": "Platform",
        "guideline": "Pedoman",
        "innovation": "Profil inovasi",
        "overview": "Gambaran umum",
        "article": "Artikel",
        "document": "Dokumen",
    },
    "en": {
        "regulation": "Regulation",
        "program": "Programme",
        "platform": "Platform",
        "guideline": "Guideline",
        "innovation": "Innovation profile",
        "overview": "Overview",
        "article": "Article",
        "document": "Document",
    },
}

_TEXT: dict[str, dict[Language, str]] = {
    "progress_ocr": {
        "id": "⏳ <b>{name}</b>\nMembaca pindaian: halaman {page}/{pages} …",
        "en": "⏳ <b>{name}</b>\nReading the scan: page {page}/{pages} …",
    },
    "progress_embed": {
        "id": "⏳ <b>{name}</b>\nMenyimpan ke indeks: {done}/{total} potongan teks …",
        "en": "⏳ <b>{name}</b>\nAdding to the index: {done}/{total} passages …",
    },
    "document_line": {"id": "📄 <b>{title}</b>", "en": "📄 <b>{title}</b>"},
    "document_facts": {
        "id": "Jenis: {kind} · {passages} potongan teks",
        "en": "Type: {kind} · {passages} passages",
    },
    "document_kind": {"id": "Jenis: {kind}", "en": "Type: {kind}"},
    "ocr_used": {
        "id": "📷 Teks dibaca dengan OCR ({pages} halaman).",
        "en": "📷 Text read by OCR ({pages} {page_word}).",
    },
    "replaced_one": {
        "id": "♻️ Menggantikan <b>{title}</b> (<code>{doc_id}</code>).",
        "en": "♻️ Replaces <b>{title}</b> (<code>{doc_id}</code>).",
    },
    "replaced_files": {
        "id": "Berkas lama dihapus dari folder pengetahuan: {files}.",
        "en": "Old file removed from the knowledge folder: {files}.",
    },
    "kept_beside": {
        "id": "📎 Disimpan berdampingan sebagai <code>{name}</code>; dokumen lainnya tetap ada.",
        "en": "📎 Kept beside the other as <code>{name}</code>; both stay in the knowledge base.",
    },
    "flagged": {
        "id": "⚠️ <b>Perlu diperiksa:</b> <code>{document}</code> memuat teks yang tampak seperti "
        "perintah kepada asisten: “{sentence}”. Kalimat seperti itu tidak pernah dipakai dalam "
        "jawaban.",
        "en": "⚠️ <b>Please check:</b> <code>{document}</code> contains text that looks like an "
        "instruction to the assistant: “{sentence}”. Such sentences are never used in answers.",
    },
    # -- what an upload would replace, and the admin's choice --------------------------------
    "confirm_head": {
        "id": "⚠️ <b>{name}</b> akan menggantikan yang sudah ada di basis pengetahuan:",
        "en": "⚠️ <b>{name}</b> would replace what is already in the knowledge base:",
    },
    "conflict_same_name": {
        "id": "• <b>{title}</b> (<code>{path}</code>): berkas dengan nama yang sama, "
        "isinya berbeda",
        "en": "• <b>{title}</b> (<code>{path}</code>): a file of the same name with other content",
    },
    "conflict_same_regulation": {
        "id": "• <b>{title}</b> (<code>{path}</code>): versi lain dari peraturan yang sama{label}",
        "en": "• <b>{title}</b> (<code>{path}</code>): another version of the same "
        "regulation{label}",
    },
    "confirm_new": {"id": "Berkas baru:", "en": "The new file:"},
    "confirm_choices": {
        "id": "Pilih <b>Ganti</b> untuk mengganti yang lama (berkas lamanya dihapus), <b>Simpan "
        "berdampingan</b> untuk menyimpan keduanya (yang baru sebagai <code>{beside}</code>), "
        "atau <b>Batal</b>. Pilihan ini berlaku {hours} jam.",
        "en": "Choose <b>Replace</b> to replace the old one (its file is deleted), <b>Keep "
        "both</b> to keep both (the new one as <code>{beside}</code>), or <b>Cancel</b>. "
        "This choice is open for {hours} hours.",
    },
    "button_replace": {"id": "🔁 Ganti", "en": "🔁 Replace"},
    "button_beside": {"id": "📎 Simpan berdampingan", "en": "📎 Keep both"},
    "button_cancel": {"id": "✖️ Batal", "en": "✖️ Cancel"},
    "choice_replace": {
        "id": "⏳ Ganti: memproses <b>{name}</b>…",
        "en": "⏳ Replace: processing <b>{name}</b>…",
    },
    "choice_beside": {
        "id": "⏳ Simpan berdampingan: memproses <b>{name}</b>…",
        "en": "⏳ Keep both: processing <b>{name}</b>…",
    },
    "cancelled": {
        "id": "✖️ Dibatalkan: <b>{name}</b> tidak disimpan, dan berkas kirimannya sudah dihapus.",
        "en": "✖️ Cancelled: <b>{name}</b> was not saved, and the uploaded file was deleted.",
    },
    "choice_expired": {
        "id": "Pilihan untuk unggahan ini sudah tidak berlaku (sudah dipilih, dibatalkan, atau "
        "lewat {hours} jam). Kirim berkasnya lagi bila masih perlu.",
        "en": "This upload's choice is no longer open (already made, cancelled, or older than "
        "{hours} hours). Send the file again if you still need it.",
    },
    "choice_busy": {
        "id": "Pembaruan indeks lain sedang berjalan. Tunggu sebentar, lalu tekan lagi.",
        "en": "Another index update is running. Wait a moment, then press again.",
    },
}


_BOOK = Phrasebook(_TEXT)
say = _BOOK.say
say_plain = _BOOK.say_plain
