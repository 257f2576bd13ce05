"""Everything the bot itself says on Telegram, in Indonesian and English.

Templates are Telegram HTML written by us; `say` escapes every value put into them, so a
document title or a user's name can never inject markup. Answers themselves come from the
engine (`bot.messages` holds the engine's sentences).
"""

from __future__ import annotations

from telegram import User

from bot.messages import Language
from bot.telegram.phrasebook import Phrasebook
from replikasi.language import detect_language

DOC_TYPE_LABELS: dict[Language, dict[str, str]] = {
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
        "regulation": "Regulations",
        "program": "Programmes",
        "platform": "Platforms",
        "guideline": "Guidelines",
        "innovation": "Innovation profiles",
        "overview": "Overviews",
        "article": "Articles",
        "document": "Documents",
    },
}

_TEXT: dict[str, dict[Language, str]] = {
    # -- everyone ------------------------------------------------------------------------
    "welcome": {
        "id": "Halo, {name}! 👋\n\n"
        "Saya <b>Asisten Replikasi Inovasi</b>. Saya membantu menjawab pertanyaan seputar "
        "replikasi inovasi pelayanan publik: regulasi KemenPANRB, SINOVIK, KIPP, JIPPNas, "
        "hub inovasi, dan profil inovasi yang bisa ditiru. Setiap jawaban saya sertai "
        "sumbernya.\n\n"
        "Silakan tulis pertanyaan Anda, atau pilih salah satu contoh di bawah ini. "
        "Ketik /help untuk bantuan.",
        "en": "Hello, {name}! 👋\n\n"
        "I am the <b>Innovation Replication Assistant</b>. I answer questions about "
        "replicating public-service innovations in Indonesia: KemenPANRB regulations, "
        "SINOVIK, KIPP, JIPPNas, innovation hubs and innovation profiles worth copying, "
        "always with my sources.\n\n"
        "Type your question or pick an example below. Type /help for help.",
    },
    "help": {
        "id": "<b>Cara bertanya</b>\n"
        "Tulis pertanyaan dengan bahasa sehari-hari, misalnya <i>Apa saja bentuk replikasi "
        "inovasi?</i> Nomor seperti [1] menunjuk ke sumber jawaban: tekan tombol 📄 untuk "
        "membaca kutipannya, dan 👍 / 👎 untuk menilai jawaban.\n"
        "Pertanyaan lanjutan seperti <i>kalau yang di Jambi?</i> memakai konteks "
        "percakapan sebelumnya.",
        "en": "<b>How to ask</b>\n"
        "Write your question in plain words, e.g. <i>What forms can innovation replication "
        "take?</i> Numbers like [1] point to the sources: press 📄 to read the passage, and "
        "👍 / 👎 to rate the answer.\n"
        "Follow-up questions such as <i>what about Jambi?</i> use the conversation so far.",
    },
    "help_commands": {"id": "Perintah", "en": "Commands"},
    "help_groups": {
        "id": "Di grup, saya hanya menjawab jika disebut ({mention}), jika pesan saya dibalas, "
        "atau lewat /tanya.",
        "en": "In groups I only answer when mentioned ({mention}), when you reply to me, or "
        "through /tanya.",
    },
    "help_admin": {"id": "Khusus admin", "en": "Admins only"},
    "help_coordinator": {"id": "Untuk koordinator hub", "en": "For hub coordinators"},
    "help_upload": {
        "id": "Kirim berkas ({formats}) lewat chat pribadi dengan saya untuk menambahkannya ke "
        "basis pengetahuan; keterangan (caption) berkas menjadi judulnya. Bila berkas itu akan "
        "menggantikan dokumen yang sudah ada, saya tanyakan dulu.",
        "en": "Send a file ({formats}) in a private chat with me to add it to the knowledge base; "
        "its caption becomes its title. If it would replace a document already there, I ask "
        "first.",
    },
    "non_text": {
        "id": "Maaf, saya hanya dapat membaca pesan teks. Silakan tuliskan pertanyaan Anda.",
        "en": "Sorry, I can only read text messages. Please type your question.",
    },
    "document_not_admin": {
        "id": "Maaf, hanya admin yang dapat menambahkan dokumen ke basis pengetahuan. "
        "Silakan tuliskan pertanyaan Anda sebagai teks.",
        "en": "Sorry, only admins can add documents to the knowledge base. Please type your "
        "question as text.",
    },
    "unknown_command": {
        "id": "Perintah itu tidak saya kenal. Ketik /help untuk melihat daftar perintah.",
        "en": "I don't know that command. Type /help to see the list of commands.",
    },
    "private_bot": {
        "id": "Maaf, bot ini bersifat privat dan hanya melayani pengguna terdaftar. Silakan "
        "hubungi admin instansi Anda untuk mendapatkan akses.",
        "en": "Sorry, this bot is private and only serves registered users. Please contact "
        "your agency's admin for access.",
    },
    "reset_done": {
        "id": "Percakapan dimulai ulang. Pertanyaan berikutnya tidak memakai konteks sebelumnya.",
        "en": "Conversation reset. Your next question starts fresh.",
    },
    "tanya_usage": {
        "id": "Tuliskan pertanyaannya setelah perintah, misalnya:\n"
        "<code>/tanya Apa saja bentuk replikasi inovasi?</code>",
        "en": "Put your question after the command, for example:\n"
        "<code>/tanya What is JIPPNas?</code>",
    },
    "inovasi_usage": {
        "id": "Tuliskan kata kunci setelah perintah, misalnya:\n"
        "<code>/inovasi disabilitas</code> atau <code>/inovasi Jambi</code>",
        "en": "Put a keyword after the command, for example:\n"
        "<code>/inovasi disabilitas</code> or <code>/inovasi Jambi</code>",
    },
    "inovasi_header": {
        "id": "<b>Profil inovasi untuk “{query}”</b>",
        "en": "<b>Innovation profiles for “{query}”</b>",
    },
    "inovasi_none": {
        "id": "Tidak ada profil inovasi yang cocok dengan “{query}”. Coba kata kunci lain, "
        "misalnya nama daerah, instansi, atau bidang layanan.",
        "en": "No innovation profile matches “{query}”. Try another keyword, such as a "
        "region, an agency or a service area.",
    },
    "inovasi_footer": {
        "id": "Tanyakan detailnya, misalnya: <i>Apa itu {example}?</i>",
        "en": "Ask for details, e.g. <i>What is {example}?</i>",
    },
    "sources_header": {
        "id": "<b>Basis pengetahuan: {count} dokumen</b>",
        "en": "<b>Knowledge base: {count} documents</b>",
    },
    "sources_empty": {
        "id": "Basis pengetahuan masih kosong. Admin dapat mengisinya dengan /reindex.",
        "en": "The knowledge base is empty. An admin can fill it with /reindex.",
    },
    "updated_on": {"id": "diperbarui {date}", "en": "updated {date}"},
    "sources_label": {"id": "Sumber", "en": "Sources"},
    "open_source": {"id": "Buka sumber", "en": "View the source"},
    "button_back": {"id": "⬅️ Jawaban", "en": "⬅️ Answer"},
    "answer_expired": {
        "id": "Jawaban ini sudah tidak tersimpan. Silakan ajukan pertanyaannya lagi.",
        "en": "This answer is no longer stored. Please ask the question again.",
    },
    "feedback_up": {
        "id": "Terima kasih! Senang jawaban ini membantu.",
        "en": "Thank you! Glad the answer helped.",
    },
    "feedback_down": {
        "id": "Terima kasih atas masukannya. Kami akan terus memperbaiki jawaban.",
        "en": "Thanks for the feedback. We will keep improving the answers.",
    },
    # -- failures ------------------------------------------------------------------------
    "index_unreachable": {
        "id": "Maaf, basis pengetahuan sedang tidak dapat dihubungi. Silakan coba kembali "
        "beberapa saat lagi.",
        "en": "Sorry, the knowledge base cannot be reached right now. Please try again in a "
        "little while.",
    },
    "index_unavailable": {
        "id": "Maaf, basis pengetahuan sedang disiapkan atau diperbarui sehingga saya belum "
        "dapat menjawab. Silakan coba kembali beberapa saat lagi.",
        "en": "Sorry, the knowledge base is being prepared or updated, so I cannot answer "
        "yet. Please try again in a little while.",
    },
    "generic_error": {
        "id": "Maaf, terjadi kendala saat memproses pesan Anda. Silakan coba kembali "
        "beberapa saat lagi.",
        "en": "Sorry, something went wrong while handling your message. Please try again "
        "in a moment.",
    },
    "admin_detail": {"id": "⚠️ Untuk admin: {detail}", "en": "⚠️ For admins: {detail}"},
    # -- admin -----------------------------------------------------------------------------
    "admin_only": {
        "id": "Maaf, perintah ini hanya dapat digunakan oleh admin.",
        "en": "Sorry, only admins can use this command.",
    },
    "stats_only": {
        "id": "Maaf, statistik hanya dapat dilihat oleh admin dan koordinator hub inovasi.",
        "en": "Sorry, only admins and innovation-hub coordinators can see the statistics.",
    },
    "ingest_busy": {
        "id": "Pembaruan indeks sedang berjalan. Mohon tunggu hingga selesai, lalu coba lagi.",
        "en": "An index update is already running. Please wait until it finishes and try again.",
    },
    "reindex_started": {
        "id": "⏳ Memperbarui indeks dari folder pengetahuan… Hasilnya akan saya kabarkan.",
        "en": "⏳ Updating the index from the knowledge folder… I will report back.",
    },
    "reindex_interrupted": {
        "id": "⚠️ Pembaruan indeks terhenti sebelum selesai; indeks sebelumnya tetap dipakai.",
        "en": "⚠️ The index update stopped before it finished; the previous index is still in use.",
    },
    "reindex_failed": {
        "id": "❌ Pembaruan indeks gagal; indeks sebelumnya tetap dipakai.\nAlasan: {reason}",
        "en": "❌ The index update failed; the previous index is still in use.\nReason: {reason}",
    },
    "reindex_rebuild_hint": {
        "id": "Untuk membangun ulang seluruh indeks dengan model yang sekarang, kirim "
        "<code>/reindex rebuild</code>.",
        "en": "To rebuild the whole index with the current model, send "
        "<code>/reindex rebuild</code>.",
    },
    "index_fix_hint": {
        "id": "Dari Telegram: kirim <code>{command}</code>.",
        "en": "From Telegram: send <code>{command}</code>.",
    },
    "upload_unsupported": {
        "id": "Maaf, berkas <b>{name}</b> tidak dapat ditambahkan: jenis berkas {kind} tidak "
        "didukung. Jenis yang didukung: {supported}.",
        "en": "Sorry, <b>{name}</b> cannot be added: {kind} files are not supported. "
        "Supported types: {supported}.",
    },
    "upload_too_big": {
        "id": "Maaf, berkas <b>{name}</b> terlalu besar ({size} MB). Batas unggahan adalah "
        "{limit} MB.",
        "en": "Sorry, <b>{name}</b> is too large ({size} MB). The upload limit is {limit} MB.",
    },
    "upload_received": {
        "id": "⏳ Menyimpan dan memproses <b>{name}</b>…",
        "en": "⏳ Saving and processing <b>{name}</b>…",
    },
    "upload_interrupted": {
        "id": "⚠️ Pemrosesan <b>{name}</b> terhenti sebelum selesai; indeks sebelumnya tetap "
        "dipakai.",
        "en": "⚠️ Processing <b>{name}</b> stopped before it finished; the previous index is "
        "still in use.",
    },
    "upload_download_failed": {
        "id": "❌ Berkas <b>{name}</b> tidak dapat diunduh dari Telegram: {reason}",
        "en": "❌ <b>{name}</b> could not be downloaded from Telegram: {reason}",
    },
    "upload_added": {
        "id": "✅ <b>{name}</b> disimpan di folder pengetahuan dan ditambahkan ke indeks.",
        "en": "✅ <b>{name}</b> was saved to the knowledge folder and added to the index.",
    },
    "upload_updated": {
        "id": "✅ <b>{name}</b> sudah ada dengan isi berbeda; berkas lama diganti dan indeks "
        "diperbarui.",
        "en": "✅ <b>{name}</b> already existed with different content; it was replaced and "
        "the index updated.",
    },
    "upload_same": {
        "id": "ℹ️ <b>{name}</b> sudah ada di folder pengetahuan dengan isi yang sama.",
        "en": "ℹ️ <b>{name}</b> is already in the knowledge folder with the same content.",
    },
    "upload_duplicate": {
        "id": "ℹ️ Isi <b>{name}</b> sama persis dengan <b>{reason}</b> yang sudah ada di folder "
        "pengetahuan, jadi tidak ditambahkan lagi.",
        "en": "ℹ️ <b>{name}</b> has exactly the same content as <b>{reason}</b>, which is "
        "already in the knowledge folder, so it was not added again.",
    },
    "upload_failed": {
        "id": "❌ <b>{name}</b> tidak dapat dibaca, jadi tidak ditambahkan.\nAlasan: {reason}",
        "en": "❌ <b>{name}</b> could not be read, so it was not added.\nReason: {reason}",
    },
    "upload_failed_kept": {
        "id": "❌ Versi baru <b>{name}</b> tidak dapat dibaca; versi sebelumnya tetap dipakai."
        "\nAlasan: {reason}",
        "en": "❌ The new version of <b>{name}</b> could not be read; the previous version is "
        "still in use.\nReason: {reason}",
    },
    "upload_error": {
        "id": "❌ <b>{name}</b> tidak dapat ditambahkan karena pemrosesannya gagal; folder "
        "pengetahuan dan indeks tidak berubah.\nAlasan: {reason}",
        "en": "❌ <b>{name}</b> could not be added because processing it failed; the knowledge "
        "folder and the index are unchanged.\nReason: {reason}",
    },
    "ingest_done": {
        "id": "✅ <b>Indeks diperbarui</b> dalam {seconds} detik.",
        "en": "✅ <b>Index updated</b> in {seconds} seconds.",
    },
    "ingest_unchanged": {
        "id": "✅ <b>Indeks sudah mutakhir</b>: tidak ada dokumen yang berubah.",
        "en": "✅ <b>The index is up to date</b>: no document changed.",
    },
    "ingest_counts": {
        "id": "Ditambahkan: {added} · Diperbarui: {updated} · Dihapus: {removed} · "
        "Tidak berubah: {unchanged} · Gagal: {failed}\n"
        "Jumlah potongan teks di indeks: {chunks}",
        "en": "Added: {added} · Updated: {updated} · Removed: {removed} · "
        "Unchanged: {unchanged} · Failed: {failed}\n"
        "Passages in the index: {chunks}",
    },
    "label_added": {"id": "Ditambahkan", "en": "Added"},
    "label_updated": {"id": "Diperbarui", "en": "Updated"},
    "label_removed": {"id": "Dihapus", "en": "Removed"},
    "label_failed": {"id": "Gagal dibaca", "en": "Could not be read"},
    "and_more": {"id": "dan {count} lainnya", "en": "and {count} more"},
    "none": {"id": "tidak ada", "en": "none"},
    "stats_title": {"id": "📊 <b>Statistik penggunaan</b>", "en": "📊 <b>Usage statistics</b>"},
    "stats_period": {
        "id": "<b>{days} hari terakhir:</b> {questions} pertanyaan: {answered} terjawab, "
        "{not_known} tidak diketahui, {abstained} tidak terjawab ({share} belum terjawab)",
        "en": "<b>Last {days} days:</b> {questions} questions: {answered} answered, "
        "{not_known} not known, {abstained} not answered ({share} unanswered)",
    },
    "stats_feedback": {
        "id": "<b>Penilaian 30 hari terakhir:</b> 👍 {up} · 👎 {down}",
        "en": "<b>Ratings, last 30 days:</b> 👍 {up} · 👎 {down}",
    },
    "stats_topics": {
        "id": "<b>Topik yang sering belum terjawab:</b> {topics}",
        "en": "<b>Frequent topics of unanswered questions:</b> {topics}",
    },
    "stats_chart": {"id": "📊 Statistik penggunaan", "en": "📊 Usage statistics"},
    "digest_heading": {
        "id": "🗓️ <b>Ringkasan mingguan</b> untuk koordinator hub inovasi",
        "en": "🗓️ <b>Weekly digest</b> for innovation-hub coordinators",
    },
    "stats_unanswered": {
        "id": "<b>Pertanyaan terbaru yang belum terjawab</b> (yang belum dimuat basis "
        "pengetahuan):",
        "en": "<b>Latest unanswered questions</b> (what the knowledge base is missing):",
    },
    "stats_no_unanswered": {
        "id": "Belum ada pertanyaan yang tidak terjawab.",
        "en": "No unanswered questions yet.",
    },
    "upload_ready": {
        "id": "Isinya sekarang sudah bisa ditanyakan.",
        "en": "You can ask about it now.",
    },
}


def user_language(user: User | None, question: str | None = None) -> Language:
    """English when the question is English or the user's Telegram is set to English."""
    if question and detect_language(question) == "en":
        return "en"
    code = (user.language_code or "") if user is not None else ""
    return "en" if code.lower().startswith("en") else "id"


_BOOK = Phrasebook(_TEXT)
say = _BOOK.say
say_plain = _BOOK.say_plain
