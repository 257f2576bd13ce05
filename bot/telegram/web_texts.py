"""What the bot says about web sources, removals and the ingest history, in Indonesian and
English. Telegram HTML written by us; `say` escapes every value put into a template (a page
title or an address can never inject markup)."""

from __future__ import annotations

from bot.messages import Language
from bot.telegram.phrasebook import Phrasebook

_TEXT: dict[str, dict[Language, str]] = {
    "tambah_usage": {
        "id": "Kirim alamat halaman atau dokumen (PDF, DOCX) setelah perintah, misalnya:\n"
        "<code>/tambah https://jippnas.menpan.go.id/</code>\n"
        "Tambahkan angka jam untuk jarak pemeriksaan ulang, misalnya "
        "<code>/tambah https://… 6</code> (bawaan: {hours} jam; 0 = hanya lewat /cek).",
        "en": "Send the address of a page or document (PDF, DOCX) after the command, e.g.:\n"
        "<code>/tambah https://jippnas.menpan.go.id/</code>\n"
        "Add a number of hours between re-checks, e.g. <code>/tambah https://… 6</code> "
        "(default: {hours} hours; 0 = only with /cek).",
    },
    "tambah_started": {
        "id": "⏳ Mengambil {url} … Hasilnya akan saya kabarkan.",
        "en": "⏳ Fetching {url} … I will report back.",
    },
    "tambah_done": {
        "id": "✅ Ditambahkan ke basis pengetahuan (sumber web #{id}):\n<b>{title}</b>\n"
        "Jenis: {kind} · {passages} bagian · diperiksa ulang {every}\n{url}",
        "en": "✅ Added to the knowledge base (web source #{id}):\n<b>{title}</b>\n"
        "Type: {kind} · {passages} passages · re-checked {every}\n{url}",
    },
    "tambah_known": {
        "id": "ℹ️ Alamat ini sudah terdaftar (sumber web #{id}, <b>{title}</b>); saya periksa "
        "sekarang: {result}",
        "en": "ℹ️ This address is already registered (web source #{id}, <b>{title}</b>); "
        "checked it now: {result}",
    },
    "tambah_failed": {
        "id": "❌ Alamat itu tidak dapat ditambahkan; tidak ada yang berubah.\nAlasan: {reason}",
        "en": "❌ That address could not be added; nothing was changed.\nReason: {reason}",
    },
    "tambah_flagged": {
        "id": "⚠️ Halaman ini berisi kalimat yang mencoba memerintah asisten. Kalimat itu "
        "diperlakukan sebagai data dan tidak pernah ditampilkan; periksa sumbernya.",
        "en": "⚠️ This page contains sentences that try to instruct the assistant. They are "
        "treated as data and never shown; check the source.",
    },
    "every_hours": {"id": "tiap {hours} jam", "en": "every {hours} hours"},
    "every_never": {"id": "hanya lewat /cek", "en": "only with /cek"},
    "result_unchanged": {"id": "tidak berubah.", "en": "unchanged."},
    "result_changed": {"id": "{diff}.", "en": "{diff}."},
    "result_failed": {"id": "gagal ({reason}).", "en": "failed ({reason})."},
    "diff_changed": {"id": "{n} bagian berubah", "en": "{n} passages changed"},
    "diff_added": {"id": "{n} ditambah", "en": "{n} added"},
    "diff_removed": {"id": "{n} dihapus", "en": "{n} removed"},
    "diff_none": {"id": "isi bagian tidak berubah", "en": "no passage changed"},
    "changed_notice": {
        "id": "🔄 <b>{title}</b>: {diff}.\n{url}",
        "en": "🔄 <b>{title}</b>: {diff}.\n{url}",
    },
    "unreachable_notice": {
        "id": "⚠️ Sumber web <b>{title}</b> tidak dapat diambil {failures} kali berturut-turut; "
        "versi terakhir yang berhasil tetap dipakai untuk menjawab.\n{url}\nAlasan: {reason}",
        "en": "⚠️ The web source <b>{title}</b> could not be fetched {failures} times in a "
        "row; its last good version keeps answering.\n{url}\nReason: {reason}",
    },
    "sources_web_header": {
        "id": "<b>Sumber web: {count}</b>",
        "en": "<b>Web sources: {count}</b>",
    },
    "sources_web_empty": {
        "id": "Belum ada sumber web. Tambahkan dengan <code>/tambah https://…</code>.",
        "en": "No web sources yet. Add one with <code>/tambah https://…</code>.",
    },
    "sources_web_line": {
        "id": "{icon} #{id} <b>{title}</b> ({kind})\n{url}\n"
        "diperiksa: {checked} · berubah: {changed} · {every}{error}",
        "en": "{icon} #{id} <b>{title}</b> ({kind})\n{url}\n"
        "checked: {checked} · changed: {changed} · {every}{error}",
    },
    "sources_web_error": {
        "id": "\n⚠️ gagal {failures}× berturut-turut: {reason}",
        "en": "\n⚠️ failed {failures}× in a row: {reason}",
    },
    "never": {"id": "belum", "en": "never"},
    "cek_none": {
        "id": "Belum ada sumber web untuk diperiksa. Tambahkan dengan <code>/tambah</code>.",
        "en": "There are no web sources to check. Add one with <code>/tambah</code>.",
    },
    "cek_started": {
        "id": "⏳ Memeriksa {count} sumber web…",
        "en": "⏳ Checking {count} web sources…",
    },
    "cek_progress": {
        "id": "⏳ {done}/{total} sumber diperiksa…",
        "en": "⏳ {done}/{total} sources checked…",
    },
    "cek_done": {
        "id": "✅ Pemeriksaan selesai: {unchanged} tidak berubah, {changed} berubah, "
        "{failed} gagal.",
        "en": "✅ Check finished: {unchanged} unchanged, {changed} changed, {failed} failed.",
    },
    "cek_failed_line": {"id": "⚠️ #{id} {title}: {reason}", "en": "⚠️ #{id} {title}: {reason}"},
    "hapus_usage": {
        "id": "Tuliskan id dokumen (lihat /sumber atau /sumber_web) setelah perintah, "
        "misalnya <code>/hapus kipp</code> atau <code>/hapus 3</code> untuk sumber web #3.",
        "en": "Put the document id (see /sumber or /sumber_web) after the command, e.g. "
        "<code>/hapus kipp</code>, or <code>/hapus 3</code> for web source #3.",
    },
    "hapus_unknown": {
        "id": "Tidak ada dokumen atau sumber web “{name}”. Lihat /sumber dan /sumber_web.",
        "en": "There is no document or web source “{name}”. See /sumber and /sumber_web.",
    },
    "hapus_shared_file": {
        "id": "“{title}” adalah satu entri dari berkas {file} yang memuat {count} dokumen. "
        "Ubah berkas itu (hapus entrinya), lalu kirim /reindex.",
        "en": "“{title}” is one entry of the file {file}, which holds {count} documents. "
        "Edit that file (remove the entry), then send /reindex.",
    },
    "hapus_confirm": {
        "id": "Hapus <b>{title}</b> ({doc_id}) dari basis pengetahuan?{extra}",
        "en": "Remove <b>{title}</b> ({doc_id}) from the knowledge base?{extra}",
    },
    "hapus_confirm_file": {
        "id": "\nBerkasnya ({file}) juga dihapus dari folder pengetahuan.",
        "en": "\nIts file ({file}) is deleted from the knowledge folder too.",
    },
    "hapus_confirm_web": {
        "id": "\nSumber web #{id} ({url}) tidak akan diperiksa lagi.",
        "en": "\nWeb source #{id} ({url}) will no longer be checked.",
    },
    "button_delete": {"id": "🗑️ Hapus", "en": "🗑️ Remove"},
    "button_cancel": {"id": "Batal", "en": "Cancel"},
    "hapus_cancelled": {
        "id": "Dibatalkan; tidak ada yang dihapus.",
        "en": "Cancelled; nothing was removed.",
    },
    "hapus_working": {"id": "⏳ Menghapus <b>{title}</b>…", "en": "⏳ Removing <b>{title}</b>…"},
    "hapus_done": {
        "id": "🗑️ <b>{title}</b> dihapus dari basis pengetahuan.",
        "en": "🗑️ <b>{title}</b> was removed from the knowledge base.",
    },
    "hapus_gone": {
        "id": "Dokumen itu sudah tidak ada di basis pengetahuan.",
        "en": "That document is no longer in the knowledge base.",
    },
    "hapus_failed": {
        "id": "❌ Penghapusan gagal; basis pengetahuan tidak berubah.\nAlasan: {reason}",
        "en": "❌ The removal failed; the knowledge base is unchanged.\nReason: {reason}",
    },
    "riwayat_empty": {
        "id": "Belum ada riwayat perubahan basis pengetahuan.",
        "en": "There is no history of knowledge-base changes yet.",
    },
    "riwayat_header": {
        "id": "<b>Riwayat perubahan terakhir</b>",
        "en": "<b>Latest changes</b>",
    },
    "riwayat_added": {"id": "ditambah", "en": "added"},
    "riwayat_updated": {"id": "diperbarui", "en": "updated"},
    "riwayat_removed": {"id": "dihapus", "en": "removed"},
    "riwayat_nochange": {"id": "tanpa perubahan", "en": "no change"},
    "actor_schedule": {"id": "jadwal otomatis", "en": "schedule"},
}


_BOOK = Phrasebook(_TEXT, escape_quotes=True)
say = _BOOK.say
say_plain = _BOOK.say_plain
say_raw = _BOOK.say_plain  # values that are Telegram HTML built by us from escaped parts
