"""Every sentence the engine says to a user, in Indonesian and English."""

from __future__ import annotations

from typing import Literal

Language = Literal["id", "en"]

OFFICIAL_CHANNELS = {
    "id": (
        "Untuk informasi resmi, silakan cek situs KemenPANRB (menpan.go.id), portal JIPPNas "
        "(jippnas.menpan.go.id), atau JDIH KemenPANRB (jdih.menpan.go.id)."
    ),
    "en": (
        "For official information, please check the KemenPANRB website (menpan.go.id), the "
        "JIPPNas portal (jippnas.menpan.go.id) or KemenPANRB's legal database, JDIH "
        "(jdih.menpan.go.id)."
    ),
}

# Offered wherever the assistant shows what it can be asked (Telegram's buttons, small talk).
EXAMPLE_QUESTIONS: dict[Language, tuple[str, ...]] = {
    "id": (
        "Apa saja bentuk replikasi inovasi?",
        "Apa itu JIPPNas?",
        "Apa tahapan replikasi inovasi?",
    ),
    "en": (
        "What forms can innovation replication take?",
        "What is JIPPNas?",
        "What is SINOVIK?",
    ),
}

_TEXT: dict[str, dict[Language, str]] = {
    "sources": {"id": "Sumber", "en": "Sources"},
    "not_covered": {
        "id": "Maaf, basis pengetahuan saya belum memuat jawaban untuk pertanyaan ini.",
        "en": "Sorry, my knowledge base does not cover this question.",
    },
    "not_known": {
        "id": "Hal ini belum diketahui dari sumber yang saya miliki:",
        "en": "This is not known from the sources I have:",
    },
    "not_known_related": {
        "id": "Saya belum menemukan jawaban yang pasti untuk pertanyaan ini di basis "
        "pengetahuan saya.",
        "en": "I could not find a definite answer to this question in my knowledge base.",
    },
    "absent_article": {
        "id": "{regulation} yang ada di basis pengetahuan saya tidak memuat {article}: "
        "{kind} terakhirnya {last} {cite}.",
        "en": "{regulation}, as held in my knowledge base, has no {article}: its last "
        "{kind} is {last} {cite}.",
    },
    "absent_ayat": {
        "id": "{article} {regulation} tidak memuat ayat ({ayat}); berikut isi {article}:",
        "en": "{article} of {regulation} has no ayat ({ayat}); this is what {article} says:",
    },
    "absent_article_any": {
        "id": "Tidak ada regulasi di basis pengetahuan saya yang memuat {article}:",
        "en": "None of the regulations in my knowledge base has a {article}:",
    },
    "absent_article_item": {
        "id": "- {regulation}: sampai {last} {cite}",
        "en": "- {regulation}: up to {last} {cite}",
    },
    "absent_article_next": {
        "id": "Periksa lagi nomornya, atau tanyakan hal yang Anda cari dengan kata-kata Anda "
        "sendiri.",
        "en": "Check the number, or ask about what you are looking for in your own words.",
    },
    "outline": {
        "id": "{title} terdiri atas {articles} pasal dalam {chapters} bab:",
        "en": "{title} has {articles} articles in {chapters} chapters:",
    },
    "outline_articles": {
        "id": "{title} terdiri atas {articles} {kind}:",
        "en": "{title} has {articles} {kind}:",
    },
    "outline_chapter": {
        "id": "{chapter} {document} memuat {span}:",
        "en": "{chapter} of {document} holds {span}:",
    },
    "outline_no_chapter": {
        "id": "{document} tidak memuat {chapter}.",
        "en": "{document} has no {chapter}.",
    },
    "outline_article_next": {
        "id": 'Tanyakan isi pasal tertentu, misalnya "isi {article} apa?".',
        "en": 'Ask about an article, e.g. "what does {article} say?".',
    },
    "outline_next": {
        "id": 'Tanyakan isi bab atau pasal tertentu, misalnya "isi {chapter} apa?" atau '
        '"isi {article} apa?".',
        "en": 'Ask about a chapter or an article, e.g. "what does {chapter} say?" or "what '
        'does {article} say?".',
    },
    "article_also_in": {
        "id": "Catatan: {article} juga ada di {others}. Sebutkan regulasinya bila yang Anda "
        "maksud yang lain.",
        "en": "Note: {others} also has a {article}. Name the regulation if you meant that one.",
    },
    "what_is_known": {
        "id": "Yang saya ketahui terkait hal ini:",
        "en": "What I do know on this (the sources are in Indonesian):",
    },
    "overview": {
        "id": "Pertanyaan ini cukup luas; berikut beberapa panduan yang dimuat basis "
        "pengetahuan saya:",
        "en": "This is a broad question; here are the guides my knowledge base holds (the "
        "sources are in Indonesian):",
    },
    "overview_more": {
        "id": "Tanyakan salah satunya untuk rincian lebih lanjut.",
        "en": "Ask about any one of them for more detail.",
    },
    "part_not_known": {
        "id": 'Tentang "{part}": hal ini belum diketahui dari sumber yang saya miliki.',
        "en": 'On "{part}": this is not known from the sources I have.',
    },
    "personal_data": {
        "id": "Maaf, saya tidak memberikan data pribadi seseorang (nomor telepon, alamat, NIK, "
        "data kesehatan, atau nama penerima manfaat). Untuk menghubungi sebuah instansi atau "
        "pengelola inovasi, gunakan kanal resminya.",
        "en": "Sorry, I do not give out personal data (phone numbers, addresses, ID numbers, "
        "health data or beneficiaries' names). To reach an agency or an innovation's team, "
        "please use its official channels.",
    },
    "scope": {
        "id": "Saya menjawab dari basis pengetahuan tentang replikasi dan inovasi pelayanan "
        "publik: pedoman dan peraturan terkait, KIPP, JIPPNas, SINOVIK, hub inovasi, dan "
        "profil inovasi.",
        "en": "I answer from a knowledge base on replicating public-service innovations: the "
        "guidelines and related rules, KIPP, JIPPNas, SINOVIK, the innovation hubs and "
        "innovation profiles.",
    },
    "source_language_note": {
        "id": "",
        "en": "From the knowledge base (the sources are in Indonesian):",
    },
    "empty_question": {
        "id": "Pertanyaannya kosong. Silakan tulis pertanyaan tentang replikasi inovasi.",
        "en": "The question is empty. Please ask something about innovation replication.",
    },
    "symbols_only": {
        "id": "Pertanyaannya hanya berisi emoji atau simbol. Silakan tulis pertanyaan dengan "
        'kata-kata, misalnya: "Bagaimana cara mereplikasi inovasi?"',
        "en": "The question has only emoji or symbols in it. Please write it in words, for "
        'example: "How do I replicate an innovation?"',
    },
    "code_like": {
        "id": "Pesan ini tampak seperti kode atau perintah komputer, bukan pertanyaan. Silakan "
        'tulis pertanyaan Anda dengan kata-kata, misalnya: "Bagaimana cara mereplikasi inovasi?"',
        "en": "This looks like computer code or a command, not a question. Please write your "
        'question in words, for example: "How do I replicate an innovation?"',
    },
    "invalid_text": {
        "id": "Pertanyaannya berisi karakter yang rusak (bukan teks UTF-8 yang sah). Silakan "
        "ketik ulang pertanyaan Anda.",
        "en": "The question contains damaged characters (not valid UTF-8 text). Please type "
        "it again.",
    },
    "withheld": {
        "id": "[kalimat disembunyikan: berisi perintah atau tautan tidak resmi]",
        "en": "[sentence withheld: it contains instructions or an unofficial link]",
    },
    "question_too_long": {
        "id": "Pertanyaannya terlalu panjang ({length} karakter); ringkas menjadi paling banyak "
        "{limit} karakter.",
        "en": "The question is too long ({length} characters); please shorten it to at most "
        "{limit} characters.",
    },
    # Said in both languages: the asker reads neither well, or not the one we would guess.
    "other_script": {
        "id": "Maaf, saya hanya dapat menjawab pertanyaan dalam bahasa Indonesia atau bahasa "
        "Inggris. Silakan tulis ulang pertanyaan Anda.\n"
        "Sorry, I can only answer questions in Indonesian or English.",
        "en": "Sorry, I can only answer questions in Indonesian or English. Please write your "
        "question again in one of them.\n"
        "Maaf, saya hanya dapat menjawab pertanyaan dalam bahasa Indonesia atau bahasa Inggris.",
    },
    "matching_profiles": {
        "id": "Profil inovasi yang cocok dengan pertanyaan Anda:",
        "en": "Innovation profiles matching your question:",
    },
    # Replies to small talk (bot.small_talk); "examples" follows those that invite a question.
    "small_talk_greeting": {
        "id": "Halo! Saya Asisten Replikasi Inovasi. Silakan tanyakan apa saja seputar "
        "replikasi inovasi pelayanan publik.",
        "en": "Hello! I am the Innovation Replication Assistant. Ask me anything about "
        "replicating public-service innovations.",
    },
    "small_talk_identity": {
        "id": "Saya Asisten Replikasi Inovasi, asisten untuk ASN yang ingin mereplikasi "
        "inovasi pelayanan publik. Saya menjawab dari basis pengetahuan tentang pedoman dan "
        "peraturan terkait, KIPP, JIPPNas, SINOVIK, hub inovasi, dan profil inovasi, dan "
        "menyebutkan sumber setiap jawaban.",
        "en": "I am the Innovation Replication Assistant, for civil servants who want to "
        "replicate public-service innovations. I answer from a knowledge base on the "
        "guidelines and related rules, KIPP, JIPPNas, SINOVIK, the innovation hubs and "
        "innovation profiles, and name the source of every answer.",
    },
    "small_talk_ping": {
        "id": "Ya, saya aktif dan siap menjawab pertanyaan tentang replikasi inovasi.",
        "en": "Yes, I am up and ready to answer questions on innovation replication.",
    },
    "small_talk_thanks": {
        "id": "Sama-sama! Silakan bertanya lagi kapan saja.",
        "en": "You are welcome! Ask again any time.",
    },
    "small_talk_acknowledgement": {
        "id": "Baik. Silakan bertanya lagi bila ada yang ingin Anda ketahui.",
        "en": "All right. Ask again whenever you want to know more.",
    },
    "small_talk_farewell": {
        "id": "Sampai jumpa! Semoga replikasi inovasinya lancar.",
        "en": "Goodbye! Good luck with the replication.",
    },
    "examples": {
        "id": "Contoh pertanyaan:",
        "en": "For example:",
    },
    "nothing_more": {
        "id": "Hanya itu yang dimuat basis pengetahuan saya tentang hal ini.",
        "en": "That is all my knowledge base holds on this.",
    },
    "previous_sources": {
        "id": "Sumber jawaban sebelumnya:",
        "en": "Sources of the previous answer:",
    },
    "no_previous_sources": {
        "id": "Belum ada jawaban sebelumnya yang bisa saya tunjukkan sumbernya.",
        "en": "There is no previous answer whose sources I could show.",
    },
}


def say(key: str, language: Language, **values: object) -> str:
    return _TEXT[key][language].format(**values)
