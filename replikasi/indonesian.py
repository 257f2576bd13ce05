"""Normalisation and tokenisation of Indonesian (and some English) text for BM25.

The same `tokenize` runs over the knowledge base at index time and over every question, so
everything here is about making the two sides meet: informal chat spellings ("gmn", "yg") are
expanded, affixed words are stemmed with Sastrawi ("direplikasi" -> "replikasi"), numbers are
written one way ("2.928" and "2,928" -> "2928"), and spelling variants of a few domain names
become one token ("scale-up" -> "scaleup", "KemenPAN-RB" -> "kemenpanrb").

Numbers: a group of three digits after "." or "," is a thousands group ("1.500.000" ->
"1500000"); a single separator followed by another digit count is a decimal mark and is written
with "." ("2,5" -> "2.5"). Numbers joined by "/" (regulations "6/2024", dates "30/9/2024") and
dotted dates ("30.09.2024") become one compound token plus their parts without leading zeros,
so "Pedoman 6/2024" matches both "6/2024" and "Nomor 6 Tahun 2024".

Bump TOKENIZER_VERSION whenever the output of `tokenize` changes: saved BM25 indexes record
it and are rebuilt when it differs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Context.Visitor.RemovePlainPrefix import RemovePlainPrefix
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

TOKENIZER_VERSION = "41"

# Informal spelling -> formal words, as "target: variant variant ..." entries.
_ABBREVIATIONS_TABLE = """
    bagaimana: gmn gmna gimana gmana bgmn bgmana; yang: yg; berapa: brp; sudah: udh udah sdh dah
    tidak: ga gak gk nggak ngga enggak engga tdk tak; dengan: dgn dg; untuk: utk buat
    saja: aja aj; dari: dr; karena: krn karna; tersebut: tsb; saya: sy aku gw gue; kepada: kpd
    sekali: bgt banget; dan lain lain: dll dlsb; dan sebagainya: dsb; kenapa: knp
    kalau: kalo klo; juga: jg; belum: blm; tapi: tp tpi; seperti: spt; sebagai: sbg; tahun: thn
    pada: pd; dapat: dpt; masih: msh; tanggal: tgl; jumlah: jml; bukan: bkn; orang: org
    begini: gini; begitu: gitu; apa: apaan; maksud: mksd; sekarang: skrg skrng
    kabupaten: kab; provinsi: prov; sampai: sampe ampe smp; tahun: taun th
    januari: jan; februari: feb febr; maret: mar; april: apr; juni: jun; juli: jul
    agustus: agu agt agust aug; september: sep sept; oktober: okt oct; november: nov nop
    desember: des dec
    pemerintah daerah: pemda; pemerintah kota: pemkot; pemerintah kabupaten: pemkab
    pemerintah provinsi: pemprov; scaleup: scalingup scaledup; perangkat daerah: opd skpd
    peraturan daerah: perda; peraturan gubernur: pergub; peraturan bupati: perbup
    peraturan wali kota: perwal perwali perwako; keputusan gubernur: kepgub
    keputusan bupati: kepbup; keputusan wali kota: kepwal
    kemenpanrb: kemenpan menpan menpanrb panrb; peraturan menteri kemenpanrb: permenpan permenpanrb
    sebelum: sblm sblum; setelah: stlh stelah; harus: hrs; bulan: bln; minggu: mgg; hari: hr
    kapan: kpn; terus: trus trs; habis: abis; tentang: ttg; terhadap: thd; lebih: lbh
    kurang: krg; boleh: blh; bisa: bs; jadi: jd; lagi: lg; pakai: pake; benar: bener
    surat keputusan: sk; wali kota: walkot wakot; kepala dinas: kadis; kepala badan: kaban
    sekretaris daerah: sekda
    dalam: dlm; sama: sm; atau: ato atw ataw; beberapa: bbrp bbrapa; memang: emg mmg emang
    banyak: byk bnyk; hanya: cuma cuman; nanti: nnti ntar ntr; tolong: tlg; menurut: mnrt
    depan: dpn; seperti: kyk kayak; membuat: bikin; dibuat: dibikin; diberi: dikasih
    memberi: ngasih; terlambat: telat; uang: duit; sedikit: dikit; disebut: dibilang
    mudah: gampang; tetap: tetep ttp; dapat: dapet; lihat: liat; dilihat: diliat
    melihat: ngeliat ngliat; dihitung: diitung; menghitung: ngitung; sampai: nyampe
    dikembalikan: dibalikin; besar: gede; mengadakan: ngadain; diadakan: diadain
    harus: kudu musti mesti; dibalas: dibales; langsung: lgsg lgsung; pernah: prnh
    pakai: dipake kepake; sebenarnya: sbenarnya sbnrny; kemarin: kmrn kemaren; besok: bsk
    semua: smua smw; sendiri: sndiri; lewat: lwt; kerja: krj; contoh: cth; nomor: nmr
    belum: blom blum; kalau: klu; kenapa: knapa; berapa: brapa; ingin: pengen pingin pgn
    terima kasih: makasih mksh trims; sekitar: sktr skitar; setiap: stiap; bagus: bgs
    di mana: dmn dimn; apa: ngapain; selesai: kelar; supaya: biar; pesan: pesen
    buatan: bikinan; peraturan kepala daerah: perkada
    mencari: nyari nyariin nyarinya; mencoba: nyoba nyobain; mencabut: nyabut
    mencampur: nyampur; menyambung: nyambung nyambungin; menyarankan: nyaranin
    menyampaikan: nyampein nyampaiin; menyediakan: nyediain; menyelesaikan: nyelesaiin
    menyiapkan: nyiapin; menyimpan: nyimpen; menceritakan: nyeritain
    daring: online; luring: offline; hibrida: hybrid; mengatakan: bilang; saat: pas
    datang: dtg; kantor: ktr; sedangkan: sdgkn; teman: tmn temen; dulu: dl dlu; padahal: pdhl
    mau: mo mw; tugas: tgs; punya: pny; masuk: msk; mendapatkan: dapetin ndapetin; benar: bnr
    sebelumnya: sblmnya sblmny; sekarang: skr; di mana: dmna dimna; kasih: kasi ksh
    termasuk: trmsk; tahu: tau tw; tidak tahu: gatau gtau gktau; mengerti: ngerti
    jadwal: jdwl; pendaftaran: pndftrn; daftar: dftr; minta: mnta; kita: kt
    bapak: bpk; menerapkan: nerapin; diterapkan: diterapin; informasi: info; kira kira: kira2
    persyaratan: prsyratan; tanya: tny; lengkap: lkp
    anggaran pendapatan dan belanja desa: apbdes apbdesa
    anggaran pendapatan dan belanja daerah: apbd; anggaran pendapatan dan belanja negara: apbn
    badan usaha milik negara: bumn; badan usaha milik daerah: bumd; badan usaha milik desa: bumdes
    """


def _parse_table(table: str) -> dict[str, str]:
    """{"variant": "target"} from "target: variant variant; target: variant" lines."""
    mapping: dict[str, str] = {}
    for entry in table.replace("\n", ";").split(";"):
        if entry.strip():
            target, variants = entry.split(":")
            mapping.update(dict.fromkeys(variants.split(), target.strip()))
    return mapping


ABBREVIATIONS = _parse_table(_ABBREVIATIONS_TABLE)

# Function words and question words of both languages: they carry no topic, and keeping the
# question words out means "berapa jumlah hub" is scored on "jumlah" and "hub" alone.
_STOPWORDS_TEXT = """
    ada adakah adalah agar akan akankah anda antara apa apakah atas atau bagaimana bagi bahkan
    bahwa baik bakal begini begitu belum berapa bisa boleh bukan dalam dan dapat dari daripada
    deh demikian dengan di dia dimana dong hal hanya ia ialah ingin ini itu jadi jika juga kah
    kalau kami kamu kan kapan karena ke kenapa kepada ketika kita kok lagi lah lain maka mana
    masih mau melalui memang mengapa mereka merupakan nih nya oleh pada para pernah pula pun
    per punya saat saja sama sangat saya se sebagai sebagaimana sebelum sebuah secara sedang
    sehingga sejak sekali selain seorang seperti serta siapa sih sudah supaya tah tapi telah
    tentang tersebut tetapi tidak tuh untuk walau ya yaitu yakni yang menurut mengenai
    terhadap terkait seputar berdasarkan namun maupun walaupun meskipun apabila bilamana sambil
    padahal sedangkan
    a about also am an and any are as at be been being but by can could did do does done for
    from had has have having he her his how i if in into is its many me more most much my no
    not of on only or our she should so some such than that the their them then there these
    they this those to too very was we were what when where which who whom whose why will with
    would you your take takes took place get gets got make makes made go goes went tell
    please know currently now today
    it itself its ourselves yourself yourselves themselves himself herself myself us him ours
    yours theirs hers here again further once off over under above below out both either nor
    own same just until while whether yet ever even really actually exactly basically also
    anything something someone anyone everything everyone thing things
    come comes came coming become becomes became becoming need needs want wants like say says
    tell told give gives given
    let lets hi hello thanks thank okay ok hey ive im youre dont doesnt didnt isnt arent
    wasnt werent cant wont whats hows wheres whos theres theyre weve since
    doing because against between through during before after up down all few other another
    among across within without upon via onto toward towards whichever whatever whoever
    according regarding concerning
    """
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Roots missing from Sastrawi's dictionary (or needed to stop over-stemming such as
# "pesertanya" -> "serta", "pemerintah" -> "perintah"). Words found in the dictionary are
# returned as they are and affixes are only stripped down to a dictionary word.
_DOMAIN_WORDS_TEXT = """
    replikasi inovasi adopsi adaptasi modifikasi digitalisasi kolaborasi sosialisasi hub
    validasi diseminasi fasilitasi disabilitas inklusi repositori daring luring kolaboratif
    partisipatif peserta pemerintah penghargaan implementasi evaluasi identifikasi verifikasi
    integrasi transformasi institusionalisasi optimalisasi standardisasi regulasi birokrasi
    koordinasi kompetisi apresiasi asistensi advokasi harmonisasi dokumentasi publikasi
    registrasi aplikasi inisiasi inisiatif inovatif inovator replikator mentoring monitoring
    scaleup online workshop barista kemenpanrb tandatangan
    """
DOMAIN_WORDS = frozenset(_DOMAIN_WORDS_TEXT.split())

# English domain words mapped to the Indonesian index term, so an English question can still
# match the (mostly Indonesian) knowledge base lexically. Targets are already stemmed.
# English question words -> the Indonesian word the knowledge base uses (stemmed like any
# Indonesian word), so English questions still meet Indonesian passages in BM25 and in the
# extractive answer. One line per Indonesian word: "indonesian: english english ...".
_ENGLISH_TERMS_TABLE = """
    inovasi: innovation innovations; replikasi: replication replicate replicated replicating
    adopsi: adoption; adaptasi: adaptation; modifikasi: modification; kompetisi: competition
    digitalisasi: digitalization digitalisation; kolaborasi: collaboration
    sosialisasi: socialization socialisation socialized socialised; pedoman: guideline guidelines
    peraturan: regulation regulations; bina: guidance; menteri: ministry minister ministries
    peserta: participants participant; program: programme programmes programs
    pejabat: official officials officer; pimpin: lead leads leader leading led
    kepala: head; jumlah: number count total; publik: public; pelayanan: service services
    diselenggarakan: held; mengatur: governs govern regulates regulate; umum: general
    daerah: region regional; provinsi: province provinces; kota: city cities
    kabupaten: district districts regency regencies; pusat: central; nasional: national nationally
    instansi: agency agencies institution institutions; pemerintah: government governments
    penghargaan: award awards; pemenang: winner winners; menang: won win
    kategori: category categories; kriteria: criteria criterion; bentuk: form forms
    prinsip: principle principles; tahapan: stage stages phase phases
    persyaratan: requirement requirements; tenggat: deadline deadlines
    sanksi: sanction sanctions penalty penalties; pasal: article articles; bab: chapter chapters
    sumber: source sources; repositori: repository; jaringan: network
    pengetahuan: knowledge; pengelolaan: management; sistem: system systems
    informasi: information; disabilitas: disability disabilities disabled
    intelektual: intellectual; pelatihan: training; anak: children child
    keluarga: family families; perempuan: women woman; kemiskinan: poverty
    kesehatan: health; pangan: food; kerja: jobs job work employment cooperation
    lingkungan: environment environmental; iklim: climate; transformasi: transformation
    kesetaraan: equality; tahun: year years; tanggal: date dates; praktik: practice practices
    inovator: innovator innovators; evaluasi: evaluation evaluate; pemantauan: monitoring
    keberlanjutan: sustainability sustainable; kesepakatan: agreement agreements
    penilaian: assessment assessors assessor jury; finalis: finalist finalists
    dibentuk: established formed; dipilih: selected chosen; seleksi: selection
    pembelajaran: learning; hukum: law legal; dasar: basis; tujuan: purpose goal goals aim aims
    fungsi: function functions role roles; sejarah: history; hasil: result results outcome
    dampak: impact impacts; manfaat: benefit benefits; proposal: proposals entries
    diajukan: submitted; terdaftar: registered; definisi: definition define
    arti: meaning mean; panduan: guide manual; langkah: step steps; mitra: partner partners
    omzet: revenue turnover; seragam: uniform; diluncurkan: launched; dimulai: started began
    lokasi: location locations; kelompok: group groups; replikator: replicator replicators
    fasilitator: facilitator; independen: independent; ketua: chair chaired chairs chairman
    pertama: first; minimal: minimum; skor: score scores scored; menandatangani: signed sign signing
    januari: january; februari: february; maret: march; april: april; mei: may; juni: june
    juli: july; agustus: august; september: september; oktober: october; november: november
    desember: december; sosial: social affairs
    pemberdayaan: empowerment; birokrasi: bureaucratic bureaucracy; reformasi: reform reforms
    kiriman: parcels parcel; migran: migrant migrants; izin: licence license permit
    koordinator: coordinator coordinators; koordinasi: coordination; asisten: assistant
    deputi: deputy; dihadiri: attended; acara: event events; kebijakan: policy policies
    perluasan: expansion expand; anggaran: budget funding; biaya: cost costs
    indeks: index indexes indices; skala: scale scales
    """
_GLOSSARY_FILE = Path(__file__).with_name("glossary_en_id.txt")


def _glossary_text() -> str:
    lines = _GLOSSARY_FILE.read_text("utf-8").splitlines()
    return "\n".join(line for line in lines if line.strip() and not line.startswith("#"))


# The general glossary first, the domain table above on top of it (it wins on conflicts).
ENGLISH_TERMS = {**_parse_table(_glossary_text()), **_parse_table(_ENGLISH_TERMS_TABLE)}
# A target that is itself an entry is read as that entry's target ("entries" -> "proposal" ->
# "usul"): the passages' own "proposal" is indexed so, and the question's word must meet it.
ENGLISH_TERMS = {
    word: ENGLISH_TERMS.get(target, target) if ENGLISH_TERMS.get(target) != word else target
    for word, target in ENGLISH_TERMS.items()
}


def _senses(*tables: str) -> dict[str, tuple[str, ...]]:
    """{"score": ("skor", "nilai")}: every target an English word has in `tables`, in order."""
    senses: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for variant, target in _parse_table_pairs(table):
            if target not in senses.get(variant, ()):
                senses[variant] = (*senses.get(variant, ()), target)
    return senses


def _parse_table_pairs(table: str) -> list[tuple[str, str]]:
    return [
        (variant, target.strip())
        for entry in table.replace("\n", ";").split(";")
        if entry.strip()
        for target, variants in [entry.split(":")]
        for variant in variants.split()
    ]


# Every Indonesian sense of an English word, the one `ENGLISH_TERMS` uses first.
ENGLISH_SENSES = _senses(_ENGLISH_TERMS_TABLE, _glossary_text())

# Only applied to non-ASCII text: typographic apostrophes and dashes matter inside words
# ("Jum’at", "scale‑up"); other punctuation is dropped by _WORD_RE anyway.
_NON_ASCII_MAP = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "´": "'", "ʼ": "'",
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    }
)  # fmt: skip
_COMBINING_RE = re.compile(r"[\u0300-\u036f]+")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
# A word is a number (digit groups joined by "." "," "/") or a run of letters, possibly joined
# by an apostrophe or hyphen ("jum'at", "e-ktp", "inovasi-inovasi"). Letters and digits are
# split apart ("rp2.500" -> "rp", "2.500"; "covid19" -> "covid", "19").
_WORD_RE = re.compile(r"\d+(?:[.,/]\d+)*|[^\W\d_]+(?:['-][^\W\d_]+)*")
_NUMBER_SEPARATOR_RE = re.compile(r"[.,/]")
# Spellings that span two words; one-word and hyphenated ones go through ABBREVIATIONS.
_SCALE_UP_RE = re.compile(r"\bscal(?:e|ed|ing)\s+up\b")
_SIGNATURE_RE = re.compile(r"\btanda[\s-]+tangan")
_PAN_RB_RE = re.compile(r"\b(?:(permen|kemen|men)\s?)?pan\s+rb\b")
_PAN_RB_NAME = "pendayagunaan aparatur negara dan reformasi birokrasi"
_CHAT_REDUPLICATION_RE = re.compile(r"\b([a-z]{3,})2\b")
# English "may" is the month next to a number or after a preposition of time ("in May 2024",
# "1 May", "since May"); otherwise it is the modal verb ("who may propose?") and says nothing.
_MAY_RE = re.compile(r"(\b\w+\s+)?\bmay\b(?=(\s+\d)?)")
_MONTH_BEFORE = frozenset(
    ("in", "of", "since", "until", "by", "from", "early", "late", "mid", "end")
)


def _may(match: re.Match[str]) -> str:
    before = (match.group(1) or "").strip()
    month = bool(match.group(2)) or before.isdigit() or before in _MONTH_BEFORE
    return f"{match.group(1) or ''}{'may' if month else 'can'}"


# Regulations bound a quantity with set phrases that users say in other words: "paling
# sedikit" = "sekurang-kurangnya" = "minimal" = "at least"; "paling lambat" =
# "selambat-lambatnya" = "paling telat" = "no later than" = "batas akhir" = "deadline". Each
# becomes the bound ("minimal"/"maksimal") plus what is bounded, so "brp lama" still meets
# "paling lama" and "kapan batas akhirnya?" meets "paling lambat tanggal 31 Januari".
_BOUNDS = (
    (r"paling sedikit|sekurang-kurangnya|setidak-tidaknya|setidaknya|at least|minimum", "minimal"),
    (
        r"paling lambat|selambat-lambatnya|paling telat|no later than|batas akhirnya|batas akhir|"
        r"batas waktunya|batas waktu|tenggat waktunya|tenggat waktu|tenggatnya|tenggat|"
        r"deadlines|deadline|due date",
        "maksimal lambat",
    ),
    (r"paling lama|selama-lamanya", "maksimal lama"),
    (r"paling banyak|sebanyak-banyaknya", "maksimal banyak"),
    (r"paling singkat|sesingkat-singkatnya", "minimal lama"),
    (r"paling rendah|serendah-rendahnya", "minimal"),
    (r"paling tinggi|setinggi-tingginya", "maksimal"),
    (r"at most|maximum|maksimum", "maksimal"),
)
# English verbs of two words mean something neither word does alone ("took part" is no
# "bagian", "put into practice" no "praktik"): each becomes one word the glossary knows.
_PHRASAL_VERBS = (
    (r"(?:take|takes|took|taken|taking)\s+part", "participate"),
    (r"(?:put|puts|putting)\s+in(?:to)?\s+(?:practi[cs]e|effect|operation|place)", "implement"),
    (r"(?:carry|carries|carried|carrying)\s+out", "conduct"),
    (r"(?:set|sets|setting)\s+up", "established"),
    (r"(?:set|sets|setting)\s+out|(?:lay|lays|laid|laying)\s+down", "stipulate"),
    (r"in\s+charge(?:\s+of)?", "leading"),
    (r"(?:hand|hands|handed|handing)\s+(?:out|over)", "diberikan"),
    (r"(?:sign|signs|signed|signing)\s+up", "register"),
    (r"(?:roll|rolls|rolled|rolling)\s+out", "launch"),
    (r"(?:draw|draws|drew|drawn|drawing)\s+up", "draft"),
    (r"(?:come|comes|came|coming)\s+into\s+(?:force|effect)", "effective"),
    (r"(?:put|puts|putting)\s+forward", "propose"),
    (r"(?:look|looks|looked|looking)\s+into", "examine"),
    (r"(?:come|comes|came|coming|get|gets|got|climb|climbed)\s+on\s+board", "bergabung"),
    (r"(?:single|singles|singled|singling)\s+out", "selected"),
    (r"(?:bring|brings|brought|bringing)\s+in", "involved"),
    # "who runs JIPPNas?", "is run by": who manages it, not "berjalan" (is running)
    (r"(?<=who\s)(?:runs|run|ran)|(?:runs|run|ran)(?=\s+by\b)", "manages"),
)
_PHRASAL_RE = re.compile("|".join(rf"\b(?P<v{i}>{p})\b" for i, (p, _) in enumerate(_PHRASAL_VERBS)))
_PHRASAL_HINTS = (
    " part",
    " in",
    " out",
    " up",
    " down",
    " charge",
    " forward",
    " over",
    " board",
    " run",
    " ran",
)
_BOUND_RE = re.compile(r"\b(" + "|".join(p for p, _ in _BOUNDS) + r")\b")
_BOUND_OF = {variant: bound for pattern, bound in _BOUNDS for variant in pattern.split("|")}
_BOUND_HINTS = (
    "paling",
    "kurang",
    "tidak",
    "lambat",
    "lama",
    "banyak",
    "singkat",
    "rendah",
    "tinggi",
    "at ",
    "imum",
    "later",
    "batas",
    "tenggat",
    "deadline",
    "due",
)
# Hyphenated words that are one term when joined ("scale-up", "kemenpan-rb").
_JOINED_COMPOUNDS = frozenset({"scaleup", "kemenpanrb", *ABBREVIATIONS})

# Sastrawi can only change a word that starts with a prefix it knows (di-, ke-, se-, be-, te-,
# me-, pe-, ku-, kau-), carries an infix (-el-, -em-, -er-, -in-) or ends with a suffix it
# strips. Skipping every other word avoids its ~0.1 ms dictionary search on names and English.
_AFFIXED_RE = re.compile(
    r"^(?:di|ke|se|be|te|me|pe|ku|kau)|^[b-df-hj-np-tv-z](?:el|em|er|in)[aiueo]"
    r"|(?:is|isme|isasi|i|kan|an|lah|kah|tah|pun|ku|mu|nya)$"
)


def _rewrite_number(number: str) -> str:
    groups = _NUMBER_SEPARATOR_RE.split(number)
    separators = _NUMBER_SEPARATOR_RE.findall(number)
    if "/" not in separators:
        integer_part, fraction = groups, ""
        if len(set(separators)) == 2 and separators[-1] != separators[0]:
            # "1.234,5" (Indonesian) or "1,234.5" (English): thousands then a decimal part.
            integer_part, fraction = groups[:-1], groups[-1]
        thousands = len(set(separators[: len(integer_part) - 1])) == 1 and all(
            len(group) == 3 for group in integer_part[1:]
        )
        if thousands and len(integer_part[0]) <= 3 and len(integer_part) > 1:
            return "".join(integer_part) + (f".{fraction}" if fraction else "")
        if len(groups) == 2:
            return f"{groups[0]}.{groups[1]}"
    # Regulation numbers and dates: one "/"-joined token, leading zeros dropped ("09" -> "9").
    return "/".join(group.lstrip("0") or "0" for group in groups)


def fold_accents(text: str) -> str:
    """ "Café" -> "Cafe": letters without their accents, typographic marks as ASCII."""
    return _NON_ASCII_RE.sub(_fold_non_ascii, text) if not text.isascii() else text


def _fold_non_ascii(match: re.Match[str]) -> str:
    """Fold one run of non-ASCII text: "é" -> "e", "’" -> "'", "–" -> "-"."""
    folded = unicodedata.normalize("NFKD", match.group().translate(_NON_ASCII_MAP))
    return _COMBINING_RE.sub("", folded)


def _raw_words(text: str) -> list[str]:
    """Lowercase, strip accents, join multi-word spellings, and cut `text` into words."""
    # Only the (short, rare) non-ASCII runs are touched: 5x faster than NFKD on everything.
    text = fold_accents(text.lower())
    # Substring guards first: each regex pass over a long chunk costs more than the test.
    if "scal" in text:
        text = _SCALE_UP_RE.sub("scaleup", text)
    if "tanda" in text:  # "tanda tangan", "ditandatangani", "penandatanganan": one root
        text = _SIGNATURE_RE.sub("tandatangan", text)
    if " rb" in text:
        text = _PAN_RB_RE.sub(lambda m: "permenpanrb" if m.group(1) == "permen" else "panrb", text)
    if _PAN_RB_NAME in text:
        text = text.replace(_PAN_RB_NAME, f"{_PAN_RB_NAME} panrb")
    if "2" in text:
        text = _CHAT_REDUPLICATION_RE.sub(r"\1", text)  # "langkah2" is "langkah-langkah"
    if "may" in text:
        text = _MAY_RE.sub(_may, text)
    if any(hint in text for hint in _BOUND_HINTS):
        text = _BOUND_RE.sub(lambda m: _BOUND_OF[m.group(1)], text)
    if any(hint in text for hint in _PHRASAL_HINTS):
        text = _PHRASAL_RE.sub(_phrasal, text)
    return _WORD_RE.findall(text)


def _phrasal(match: re.Match[str]) -> str:
    return _PHRASAL_VERBS[int(str(match.lastgroup)[1:])][1]


@functools.lru_cache(maxsize=1 << 18)
def _normal_words(word: str) -> tuple[str, ...]:
    """One raw word in normal form: numbers rewritten, compounds resolved, slang expanded."""
    if word[0].isdigit():
        return (word if word.isdigit() else _rewrite_number(word),)
    if "'" in word:
        word = word.removesuffix("'s").replace("'", "")  # "kemenpanrb's", "jum'at"
    parts = [word]
    if "-" in word:
        first, _, rest = word.partition("-")
        joined = word.replace("-", "")
        if len(first) > 1 and rest.startswith(first) and "-" not in rest:
            parts = [rest]  # reduplication: "inovasi-inovasi", "inovasi-inovasinya"
        elif len(first) == 1 or joined in _JOINED_COMPOUNDS:
            parts = [joined]  # "e-ktp", "scale-up", "kemenpan-rb"
        else:
            parts = word.split("-")
    return tuple(normal for part in parts for normal in _expanded(part).split())


def normal_words(word: str) -> tuple[str, ...]:
    """The normal form of one lower-cased word, as words: "thn" -> ("tahun",)."""
    return _normal_words(word) if word else ()


def _expanded(word: str) -> str:
    """The formal words of a chat spelling, also with a possessive ("perwalnya", "sknya")."""
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    if word.endswith("nya") and word[:-3] in ABBREVIATIONS:
        return ABBREVIATIONS[word[:-3]]
    return word


def normalize_text(text: str) -> str:
    """Return `text` lowercased, without accents or punctuation, with informal words expanded.

    >>> normalize_text("Gmn cara replikasi yg benar? Ada 2.928 inovasi")
    'bagaimana cara replikasi yang benar ada 2928 inovasi'
    """
    return " ".join(normal for word in _raw_words(text) for normal in _normal_words(word))


# Sastrawi tries ~40 prefix rules, each a regex, on every affixed word, and each rule can only
# match words with a fixed two-letter start (rules numbered as in its VisitorProvider). Running
# a rule only on such words gives identical stems and makes cold indexing about 1.4x faster.
_INFIX_STARTS = frozenset(c + v for c in "bcdfghjklmnpqrstvwxyz" for v in "ei")
_RULE_STARTS = (
    (5, frozenset({"be"})),
    (9, frozenset({"te"})),
    (19, frozenset({"me"})),
    (34, frozenset({"pe"})),
    (35, frozenset({"te"})),
    (36, frozenset({"pe"})),
    (40, _INFIX_STARTS),  # -el-, -em-, -er-, -in- after a first consonant
    (41, frozenset({"ku"})),
    (42, frozenset({"ka"})),
)


class _GuardedPrefixRule:
    """A Sastrawi prefix visitor that is skipped for words it cannot match."""

    def __init__(self, visitor: Any, starts: frozenset[str]) -> None:
        self._visitor = visitor
        self._starts = starts

    def visit(self, context: Any) -> None:
        if context.current_word[:2] in self._starts:
            self._visitor.visit(context)


def _guarded(visitor: Any) -> Any:
    starts = frozenset({"di", "ke", "se"}) if isinstance(visitor, RemovePlainPrefix) else None
    rules = getattr(visitor, "disambiguators", None)
    number = re.search(r"Rule(\d+)", type(rules[0]).__name__) if rules else None
    if number is not None:
        starts = next((s for last, s in _RULE_STARTS if int(number.group(1)) <= last), None)
    # An unknown visitor (another Sastrawi version) always runs.
    return visitor if starts is None else _GuardedPrefixRule(visitor, starts)


@functools.cache
def _stemmer() -> Stemmer:
    """Sastrawi's stemmer over its own root words plus ours; built once (it reads ~30k words)."""
    words = [word for word in StemmerFactory().get_words() if word]
    stemmer = Stemmer(ArrayDictionary([*words, *DOMAIN_WORDS]))
    provider = stemmer.visitor_provider
    provider.prefix_visitors = [_guarded(visitor) for visitor in provider.prefix_visitors]
    return stemmer


def is_indonesian_word(word: str) -> bool:
    """Is `word` (lower case) an Indonesian word: a root, a domain word, or an affixed form of
    one? Names of people and places mostly are not."""
    dictionary = _stemmer().get_dictionary()
    if dictionary.contains(word) or _stem(word) != word:
        return True
    # Circumfixed nouns Sastrawi cannot always undo ("pendayagunaan", "kesejahteraan").
    return bool(re.fullmatch(r"(?:pe[nmr]?|per|ke)[a-z]{3,}an", word))


@functools.lru_cache(maxsize=1 << 18)
def _stem(word: str) -> str:
    if len(word) <= 3:
        return word
    stemmer = _stemmer()
    dictionary = stemmer.get_dictionary()
    if dictionary.contains(word):
        return word
    stem = stemmer.stem_singular_word(word) if _AFFIXED_RE.search(word) else word
    if stem == word:
        stem = _colloquial_root(word, dictionary) or word
    if stem == word and word.endswith("nya") and len(word) >= 7:
        # Names Sastrawi does not know still drop the possessive: "jippnasnya" -> "jippnas".
        stem = word[:-3]
    return stem


# Chat Indonesian forms verbs with a bare nasal prefix and "-in" ("niru" = meniru, "ngajuin" =
# mengajukan, "nyari" = mencari): the nasal replaces the root's first sound as in formal
# me(N)- verbs. Tried only on words that are neither dictionary words nor formal affixed forms.
_NASAL_ROOTS = (
    ("nge", ("",)),
    ("ny", ("c", "s")),
    ("ng", ("", "k")),
    ("n", ("t",)),
    ("m", ("p",)),
)
_COLLOQUIAL_SUFFIXES = (("in", ("kan", "i", "")), ("", ("",)))


def _colloquial_root(word: str, dictionary: Any) -> str | None:
    for suffix, replacements in _COLLOQUIAL_SUFFIXES:
        if suffix and not word.endswith(suffix):
            continue
        body = word[: -len(suffix)] if suffix else word
        for formal_suffix in replacements:
            candidate = body + formal_suffix
            for prefix, firsts in _NASAL_ROOTS:
                if not candidate.startswith(prefix) or len(candidate) <= len(prefix) + 2:
                    continue
                rest = candidate[len(prefix) :]
                for first in firsts:
                    root = first + rest
                    if dictionary.contains(root):
                        return root
            if suffix and dictionary.contains(candidate):
                return candidate  # "bikinin" -> "bikin"
            if suffix and _AFFIXED_RE.match(candidate):  # "diterusin" -> "diteruskan"
                root = _stemmer().stem_singular_word(candidate)
                if root != candidate and dictionary.contains(root):
                    return root
    return None


@functools.lru_cache(maxsize=1 << 18)
def _terms(word: str) -> tuple[str, ...]:
    """Index terms for one raw word: normalised, stopwords removed, stemmed."""
    terms: list[str] = []
    for normal in _normal_words(word):
        if normal[0].isdigit():
            # Numbers are matched as written; compounds also by their parts ("6/2024" -> "6").
            terms.append(normal)
            if "/" in normal:
                terms.extend(normal.split("/"))
        elif len(normal) > 1 and normal not in STOPWORDS:
            stem = _stem(ENGLISH_TERMS.get(normal) or _english_base(normal) or normal)
            if stem not in STOPWORDS:
                terms.append(stem)
    return tuple(terms)


def other_senses(word: str) -> tuple[str, ...]:
    """Index terms of an English word's other Indonesian senses, after the one its own terms
    use: "score" is "skor" first, then "nilai"; "scores" likewise. A passage may use any of
    them, and an index may hold only the later ones."""
    word = word.lower()
    own = set(_terms(word))
    senses = (t for k in (word, *_inflection_candidates(word)) for t in ENGLISH_SENSES.get(k, ()))
    return tuple(t for t in dict.fromkeys(_stem(t) for t in senses) if t not in own)


_SYNONYMS_FILE = Path(__file__).with_name("synonyms_id.txt")


@functools.lru_cache(maxsize=1)
def _synonym_groups() -> dict[str, frozenset[str]]:
    """Index term -> the terms of every word that means the same (`synonyms_id.txt`)."""
    groups: dict[str, frozenset[str]] = {}
    for line in _SYNONYMS_FILE.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        group = frozenset(t for word in line.split(",") for t in _terms(word.strip().lower())[:1])
        for term in group:
            groups[term] = groups.get(term, frozenset()) | group
    return groups


def synonyms(term: str) -> tuple[str, ...]:
    """The index terms of words that mean the same as `term` ("teken" -> "tandatangan")."""
    return tuple(sorted(_synonym_groups().get(term, frozenset()) - {term}))


def _inflection_candidates(word: str) -> list[str]:
    """The base forms an inflected English word may have: "opened" -> "open", "ope", ..."""
    candidates: list[str] = []
    if word.endswith("ies"):
        candidates.append(word[:-3] + "y")
    if word.endswith("s"):
        candidates += [word[:-1], word[:-2]]
    if word.endswith("ed"):
        candidates += [word[:-2], word[:-1], word[:-3]]  # opened, judged, planned
    if word.endswith("ing"):
        candidates += [word[:-3], word[:-3] + "e", word[:-4]]  # opening, choosing, running
    if word.endswith("ly"):
        candidates.append(word[:-2])
    return candidates


def _english_base(word: str) -> str | None:
    """The glossary target of an inflected English word: "hubs" -> "hub", "categories" ->
    "kategori", "opened" -> "buka", "choosing" -> "pilih", "yearly" -> "tahunan". Words of
    Indonesian (dictionary words, or ones Sastrawi can stem) are left alone."""
    if len(word) < 4 or not word.isascii():
        return None
    candidates = _inflection_candidates(word)
    dictionary = _stemmer().get_dictionary()
    if dictionary.contains(word):
        return None
    for base in candidates:
        if base in ENGLISH_TERMS:
            return ENGLISH_TERMS[base]
        if base in DOMAIN_WORDS:
            return base
    for base in (word, *candidates):
        loan = _indonesian_loanword(base)
        if loan and (dictionary.contains(loan) or loan in DOMAIN_WORDS):
            return loan
    return None


# English words of Latin origin and their Indonesian loans follow regular spelling changes:
# "incubation" -> "inkubasi", "quality" -> "kualitas", "clinic" -> "klinik".
_LOAN_ENDINGS = (
    ("tion", "si"), ("sion", "si"), ("ity", "itas"), ("ency", "ensi"), ("ancy", "ansi"),
    ("ics", "ika"), ("ic", "ik"),
)  # fmt: skip
_LOAN_SPELLING = (("ph", "f"), ("th", "t"), ("qu", "ku"), ("x", "ks"), ("y", "i"))
_SOFT_C = re.compile(r"c(?=[eiy])")


def _indonesian_loanword(word: str) -> str | None:
    """The Indonesian spelling of an English loan, or None when `word` has no loan ending."""
    ending, loan_ending = next(
        ((e, loan) for e, loan in _LOAN_ENDINGS if word.endswith(e) and len(word) > len(e) + 2),
        ("", ""),
    )
    if not ending:
        return None
    stem = word[: -len(ending)]
    stem = _SOFT_C.sub("s", stem + ending[0])[:-1]  # "capac(ity)" -> "capas", "polic(y)"
    stem = stem.replace("c", "k")  # "clin" -> "klin"
    for english, indonesian in _LOAN_SPELLING:
        stem = stem.replace(english, indonesian)
    stem = re.sub(r"(.)\1", r"\1", stem)  # "innovat" -> "inovat", "commiss" -> "komis"
    return stem + loan_ending


@functools.lru_cache(maxsize=4096)
def indonesian_gloss(text: str) -> str:
    """The glossary's Indonesian words for the English words of `text`, in order, once each:
    "What minimum score does a proposal need?" -> "minimal skor usul"."""
    words: list[str] = []
    for raw in _raw_words(text):
        for normal in _normal_words(raw):
            if normal[0].isdigit() or normal in STOPWORDS:
                continue
            target = ENGLISH_TERMS.get(normal) or _english_base(normal)
            if target and target not in words:
                words.append(target)
    return " ".join(words)


def tokenize(text: str) -> list[str]:
    """Return the BM25 terms of `text`, in order, with repeats.

    >>> tokenize("Inovasi apa aja yg pernah direplikasi secara nasional?")
    ['inovasi', 'replikasi', 'nasional']
    """
    tokens: list[str] = []
    for word in _raw_words(text):
        tokens.extend(_terms(word))
    return tokens


def word_terms(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each word of `text` (lower-cased, normalised) with the index terms it yields."""
    return [(word, _terms(word)) for word in _raw_words(text)]
