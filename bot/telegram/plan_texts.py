"""What the bot says while building a replication plan, in Indonesian and English.

Telegram HTML written by us; `say` escapes every value put into a template (an agency name
typed by the user can never inject markup)."""

from __future__ import annotations

from bot.messages import Language
from bot.telegram.phrasebook import Phrasebook

_TEXT: dict[str, dict[Language, str]] = {
    "private_only": {
        "id": "Rencana replikasi disusun lewat chat pribadi dengan saya: buka @{bot} lalu "
        "ketik /rencana.",
        "en": "Replication plans are made in a private chat with me: open @{bot} and type "
        "/rencana.",
    },
    "ask_innovation": {
        "id": "📝 <b>Rencana replikasi</b> — langkah 1 dari 4\n\n"
        "Inovasi apa yang ingin Anda replikasi? Tulis namanya, atau masalah yang ingin "
        "diatasi, misalnya <i>antrean panjang di puskesmas</i>.",
        "en": "📝 <b>Replication plan</b> — step 1 of 4\n\n"
        "Which innovation would you like to replicate? Type its name, or the problem you "
        "want to solve, e.g. <i>long queues at the health centre</i>.",
    },
    "choices": {
        "id": "📝 <b>Rencana replikasi</b> — langkah 1 dari 4\n\n"
        "Profil inovasi yang cocok dengan “{query}”. Pilih salah satu:",
        "en": "📝 <b>Replication plan</b> — step 1 of 4\n\n"
        "Innovation profiles matching “{query}”. Pick one:",
    },
    "choices_from_answer": {
        "id": "📝 <b>Rencana replikasi</b> — langkah 1 dari 4\n\n"
        "Profil inovasi yang dirujuk jawaban tadi. Pilih salah satu:",
        "en": "📝 <b>Replication plan</b> — step 1 of 4\n\n"
        "Innovation profiles the answer cites. Pick one:",
    },
    "no_choices": {
        "id": "Tidak ada profil inovasi yang cocok dengan “{query}”. Coba nama inovasi lain, "
        "nama instansi atau daerahnya, atau kata kunci masalahnya.",
        "en": "No innovation profile matches “{query}”. Try another name, the agency or "
        "region running it, or a keyword of the problem.",
    },
    "ask_agency": {
        "id": "📝 <b>Rencana replikasi</b> — langkah 2 dari 4\n\n"
        "Inovasi: <b>{innovation}</b>\n\n"
        "Apa nama instansi Anda? Misalnya <i>Dinas Kesehatan Kabupaten Sleman</i>.",
        "en": "📝 <b>Replication plan</b> — step 2 of 4\n\n"
        "Innovation: <b>{innovation}</b>\n\n"
        "What is the name of your agency? E.g. <i>Dinas Kesehatan Kabupaten Sleman</i>.",
    },
    "ask_region": {
        "id": "📝 <b>Rencana replikasi</b> — langkah 3 dari 4\n\n"
        "Instansi: <b>{agency}</b>\n\n"
        "Di wilayah mana inovasi ini akan diterapkan? Tulis kabupaten/kota dan provinsinya, "
        "misalnya <i>Kabupaten Sleman, DI Yogyakarta</i>.",
        "en": "📝 <b>Replication plan</b> — step 3 of 4\n\n"
        "Agency: <b>{agency}</b>\n\n"
        "Where will the innovation be put in place? Type the regency or city and the "
        "province, e.g. <i>Kabupaten Sleman, DI Yogyakarta</i>.",
    },
    "region_unmatched": {
        "id": "Saya belum menemukan provinsi untuk “{region}”. Tulis juga nama provinsinya, "
        "misalnya <i>Kota Semarang, Jawa Tengah</i>, atau lanjutkan tanpa provinsi.",
        "en": "I could not find the province of “{region}”. Add the province, e.g. "
        "<i>Kota Semarang, Jawa Tengah</i>, or continue without it.",
    },
    "ask_form": {
        "id": "📝 <b>Rencana replikasi</b> — langkah 4 dari 4\n\nWilayah: <b>{region}</b>",
        "en": "📝 <b>Replication plan</b> — step 4 of 4\n\nRegion: <b>{region}</b>",
    },
    "hub_found": {
        "id": "🏛️ Menurut basis pengetahuan, {province} adalah hub inovasi:",
        "en": "🏛️ According to the knowledge base, {province} is an innovation hub:",
    },
    "form_question": {
        "id": "Pilih bentuk replikasi:",
        "en": "Choose the form of replication:",
    },
    "form_unexplained": {
        "id": "(basis pengetahuan belum memuat penjelasannya)",
        "en": "(the knowledge base does not explain it yet)",
    },
    "form_hint": {
        "id": "💡 Konteks Anda berbeda dengan instansi asal ({theirs} → {yours}); bentuk "
        "bertanda 💡 memberi ruang penyesuaian. Sumber menyebut:",
        "en": "💡 Your context differs from the originator's ({theirs} → {yours}); the forms "
        "marked 💡 leave room to adjust. The sources say:",
    },
    "composing": {
        "id": "⏳ Bentuk: <b>{form}</b>. Menyusun rencana…",
        "en": "⏳ Form: <b>{form}</b>. Composing the plan…",
    },
    "summary_more": {
        "id": "📄 Rencana lengkap ada di dokumen terlampir. Tandai langkah yang sudah "
        "selesai dengan tombol di bawah.",
        "en": "📄 The full plan is in the attached document. Tick the steps you have done "
        "with the buttons below.",
    },
    "summary_steps": {"id": "Langkah", "en": "Steps"},
    "document_caption": {"id": "📄 {title}", "en": "📄 {title}"},
    "cancelled": {
        "id": "Penyusunan rencana dibatalkan. Ketik /rencana untuk memulai lagi.",
        "en": "The plan was cancelled. Type /rencana to start again.",
    },
    "list_header": {
        "id": "📋 <b>Rencana replikasi Anda</b>",
        "en": "📋 <b>Your replication plans</b>",
    },
    "list_plan": {
        "id": "{n}. <b>{title}</b> — {done} dari {total} langkah selesai",
        "en": "{n}. <b>{title}</b> — {done} of {total} steps done",
    },
    "list_draft": {
        "id": "{n}. <i>Draf</i>: {title}",
        "en": "{n}. <i>Draft</i>: {title}",
    },
    "draft_untitled": {"id": "belum memilih inovasi", "en": "no innovation chosen yet"},
    "list_footer": {
        "id": "Buka 📂 atau lanjutkan ▶️ sebuah rencana, hapus dengan 🗑, atau mulai yang baru.",
        "en": "Open 📂 or continue ▶️ a plan, delete one with 🗑, or start a new one.",
    },
    "too_many": {
        "id": "Anda sudah menyimpan {count} rencana. Hapus salah satu lewat /rencana sebelum "
        "membuat yang baru.",
        "en": "You already keep {count} plans. Delete one through /rencana before making a "
        "new one.",
    },
    "confirm_delete": {
        "id": "Hapus rencana “{title}”? Tindakan ini tidak dapat dibatalkan.",
        "en": "Delete the plan “{title}”? This cannot be undone.",
    },
    "deleted": {"id": "Rencana dihapus.", "en": "The plan was deleted."},
    # Callback answers (plain text).
    "gone": {
        "id": "Rencana ini sudah tidak ada. Ketik /rencana untuk melihat rencana Anda.",
        "en": "This plan no longer exists. Type /rencana to see your plans.",
    },
    "stale": {
        "id": "Langkah ini sudah lewat; saya tampilkan langkah terkini.",
        "en": "That step is over; here is the current one.",
    },
    "answer_gone": {
        "id": "Jawaban ini sudah tidak tersimpan. Ketik /rencana untuk memulai rencana.",
        "en": "This answer is no longer stored. Type /rencana to start a plan.",
    },
    "no_profile_in_answer": {
        "id": "Jawaban ini tidak merujuk profil inovasi. Ketik /rencana untuk memulai.",
        "en": "This answer cites no innovation profile. Type /rencana to start.",
    },
    # Buttons (plain text).
    "button_back": {"id": "⬅️ Kembali", "en": "⬅️ Back"},
    "button_cancel": {"id": "✖️ Batal", "en": "✖️ Cancel"},
    "button_search_again": {"id": "🔎 Cari lagi", "en": "🔎 Search again"},
    "button_no_province": {"id": "➡️ Lanjut tanpa provinsi", "en": "➡️ Continue without it"},
    "button_docx": {"id": "📄 Kirim DOCX", "en": "📄 Send DOCX"},
    "button_list": {"id": "📋 Rencana saya", "en": "📋 My plans"},
    "button_new": {"id": "➕ Rencana baru", "en": "➕ New plan"},
    "button_delete_yes": {"id": "🗑 Ya, hapus", "en": "🗑 Yes, delete"},
    "button_delete_no": {"id": "Batal", "en": "Keep it"},
    "button_plan": {"id": "📝 Buat rencana replikasi", "en": "📝 Make a replication plan"},
}


_BOOK = Phrasebook(_TEXT)
say = _BOOK.say
say_plain = _BOOK.say_plain
