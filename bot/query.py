"""The question, analysed once: every later step (retrieval, reranking, sentence scoring,
answerability, composition) reads this object instead of parsing the text again.

What is read off a question is its *form*, which carries over to questions nobody has seen:
which kind of content it asks for (a number, a date, a name, a place, a definition, a list,
a procedure, a reason, a contact), its anchors (years, regulation numbers, articles), the
content terms it is about (chat fillers and the question's own framing words removed), the
parts of a question that asks two things, and — for a follow-up — the topic it leans on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from bot.followup import looks_like_follow_up, topic_words
from bot.list_reference import ORDINAL_WORDS, asks_beyond_the_list, pointed_item, write_in
from bot.profile_filters import profile_filters
from bot.regulation_frames import asked_frame, names_a_regulation
from bot.regulation_outline import asked_chapter, asks_outline
from replikasi.dictums import DIKTUM_NUMBERS
from replikasi.indonesian import indonesian_gloss, normal_words, tokenize, word_terms
from replikasi.language import Language, detect_language
from replikasi.records import Turn

# -- what a question asks for --------------------------------------------------------------
# Question forms of both languages (and Indonesian chat spellings). A kind is only a hint
# for choosing sentences; "number", "date", "name" and "place" are facts an answer must hold.
# Reading and looking-up verbs: "… bisa dibaca di mana?", "di mana bisa cek …?"
_LOOK_UP = (
    "baca|membaca|dibaca|cek|mengecek|cari|mencari|lihat|melihat|unduh|mengunduh|diunduh|"
    "download|akses|mengakses|diakses"
)
# "what date", "on which exact date", "what calendar date": a day asked in English
_WHAT_DATE = r"(?:what|which)\s+(?:exact\s+|calendar\s+|specific\s+|precise\s+)?date"
_KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    "number": re.compile(
        r"\b(berapa|brp|berapakah|jumlah(nya)?|jml|banyaknya|how many|how much|number of|"
        # a limit is an amount: "what is the spending cap …?", "plafonnya …"
        r"count of|total|maximum|minimum|ceiling|cap|limit|plafon(nya)?|pagu(nya)?)\b",
        re.I,
    ),
    "date": re.compile(
        r"\b(kapan|kpn|tanggal|tgl|tahun berapa|thn berapa|sejak kapan|sejak tahun|mulai kapan|"
        rf"{_WHAT_DATE}|which year|"
        r"what year|since when|since what year|since which year|"
        # a deadline: "within what time …?", "by when …?", "batas waktunya kapan?"
        r"(?:within|in)\s+what\s+(?:time|period|timeframe)|how\s+soon|by\s+when|"
        r"(?:what|which)(?:'s|\s+is|\s+was)?\s+the\s+deadline|"
        r"batas\s+waktu(?:nya)?|tenggat(?:\s+waktu)?(?:nya)?|dalam\s+waktu\s+(?:berapa|brp))\b"
        # "when" asks, "who pays … when another region replicates" does not: mid-sentence
        # it is a conjunction
        r"|(?:^|[,;:]\s*|\b(?:and|or|but|then|until|till)\s+)when\b",
        re.I,
    ),
    "name": re.compile(
        r"\b(siapa|siapakah|sapa|which official|pejabat|tokoh|narasumber|dibuka oleh|dipimpin)\b"
        # which body: "Which institution runs …?", "instansi mana yang mengelola …?"
        r"|\b(?:which|what)\s+(?:\w+\s+)?(?:institution|agency|ministry|body|organi[sz]ation|"
        r"office|department|company|university|centre|center)\b"
        r"|\b(?:instansi|lembaga|kementerian|dinas|badan|organisasi|perusahaan|universitas|"
        r"sentra|balai|panti)\s+(?:apa|mana)\b(?!\s*(?:saja|aja|sajakah|aj)\b)"
        # "who" asks, "an agency head who fails …" does not: after a noun it is relative
        r"|(?:^|[,;:]\s*|\b(?:and|or|but|by|to|for|with|from|of|then)\s+)(?:who|whom|whose)\b",
        re.I,
    ),
    "place": re.compile(
        r"\b(di ?mana|dmn|dimanakah|ke ?mana|kmn|di daerah mana|di kota mana|lokasi(nya)?|"
        r"(?:dari|asal(?:nya)?)\s+(?:daerah|kota|kabupaten|kab|provinsi|wilayah)\s+mana|"
        r"tempat(nya)?|"
        r"where|which (?:city|region|province|place|location))\b",
        re.I,
    ),
    "definition": re.compile(
        r"\b(apa itu|apaan|apa sih|apa yang dimaksud|yang dimaksud|dimaksud dengan|maksudnya|"
        r"pengertian(?:nya)?|arti(nya)?|definisi(?:nya)?|singkatan(?:nya)?|kepanjangan(?:nya)?|"
        r"kependekan(?:nya)?|stand for|"
        r"what is|what are|what does|what's|meaning|define|definition)\b"
        r"|\bitu\s+(?:\w+\s+){0,2}apa\b",
        re.I,
    ),
    "list": re.compile(
        r"\b(apa saja|apa aja|apa2|siapa saja|siapa aja|mana saja|mana aja|apa-apa saja|"
        r"sebutkan|daftar(nya)?|contoh(nya)?|which|list|name the|what are)\b",
        re.I,
    ),
    "procedure": re.compile(
        r"\b(bagaimana|gimana|gmn|gmna|bgmn|cara(nya)?|langkah(2|-langkah|nya)?|tahap(an|nya)?|"
        r"prosedur|alur(nya)?|mekanisme|how (?:to|do|does|can|should|is|are)|steps?|stages?|"
        r"process|procedure)\b",
        re.I,
    ),
    # Where to read or look something up: "teks resminya bisa dibaca di mana?", "cek
    # kemana?", "where can I find the official text?" (answered by a pointer to a source)
    "pointer": re.compile(
        rf"\b(?:(?:{_LOOK_UP}|ngecek|nyari\w*|liat|dapat(?:kan)?|peroleh)(?:nya)?\b"
        r"(?:\s+\S+){0,6}?\s+(?:di ?mana|dmn|ke ?mana|kmn)"
        rf"|(?:di ?mana|dmn)\b(?:\s+\S+){{0,5}}?\s+(?:{_LOOK_UP})"
        r"|where\b(?:\s+\S+){0,5}?\s+(?:find|read|see|check|get|obtain|download|access|"
        r"look))\b",
        re.I,
    ),
    "reason": re.compile(r"\b(mengapa|kenapa|knp|napa|alasan(nya)?|why|reason)\b", re.I),
    "contact": re.compile(
        r"\b(hubungi|menghubungi|kontak|contact|reach|narahubung|email|telepon|telpon|"
        r"nomor (?:hp|wa|telepon)|whatsapp)\b",
        re.I,
    ),
    # A way to reach someone: "alamat email helpdesk JIPPNas apa?", "nomor telepon
    # sekretariatnya berapa?" (answered by the address or the number, not by who they are)
    "contact_detail": re.compile(
        r"\b(?:e-?mail|surel)\s+address(?:es)?|\balamat\s+(?:e-?mail|surel)"
        r"|\b(?:e-?mail|surel)(?:nya)?\s+(?:apa|berapa|ke\s+mana)"
        r"|\bnomor\s+(?:hp|wa|telepon|telpon|telp|kontak|whatsapp)|\bno\.?\s+(?:hp|wa|telp)"
        r"|\b(?:phone|telephone|mobile|whatsapp|contact)\s+number",
        re.I,
    ),
    # A post held: "pak Ajib itu jabatannya apa?", "What position did she hold?" (not "karena
    # jabatannya", ex officio, which says who holds a post, nor "masa jabatan", a term)
    "position": re.compile(
        r"\b(?<!karena\s)(?<!masa\s)jabatan(?:nya)?\b|\bposisi(?:nya)?\s+(?:apa|sebagai)|\bmenjabat\s+"
        r"(?:sebagai\s+)?apa\b|\bwhat\s+(?:position|post|office|job)\b|\bjob\s+title\b"
        r"|\b(?:which|what)\s+(?:position|post)\b|\b(?:his|her|their)\s+(?:position|post)\b",
        re.I,
    ),
    # A web address: "alamat website JIPPNas apa?", "ada link-nya?", "What's the URL?" (not a
    # question that merely mentions a website: "announced on the official website")
    "address": re.compile(
        r"\b(?:alamat\s+(?:web(?:site|situs)?|situs|portal|laman|url|aplikasi|online|daring)"
        r"|link(?:nya)?|tautan(?:nya)?|url|web\s*address|(?:web)?site\s+address"
        r"|(?:website|situs|laman)(?:nya)?\s+(?:apa|mana|di\s*mana)"
        r"|(?:what|which)(?:'s|\s+is|\s+are)?\s+(?:the|its|their)\s+(?:link|website|site|address))\b",
        re.I,
    ),
    # Personal data of individuals: the assistant does not hand it out, whatever it holds.
    "personal": re.compile(
        r"\b(?:nomor|no\.?|nmr)\s*(?:hp|handphone|hape|ponsel|telepon|telp|wa|whatsapp)"
        r"(?:\s+pribadi)?|\b(?:hp|wa|whatsapp|ponsel|email|surel)\s+pribadi|"
        r"\balamat\s+(?:rumah|tinggal|pribadi|lengkap)|\bnik\b|nomor induk kependudukan|"
        r"\bgaji|penghasilan pribadi|tanggal lahir|tgl lahir|riwayat (?:penyakit|kesehatan)|"
        r"diagnos[ai]s?\b|diagnoses|\bnama(?:-nama)?\s+(?:dan\s+alamat\s+)?(?:anak|penerima|"
        r"pasien|warga|peserta|klien|lulusan|siswa)\b|(?:phone|mobile|whatsapp|cell) number|"
        r"home address|private (?:email|number|address)|\bsalary\b|date of birth|"
        r"names? (?:and|&) (?:addresses|diagnoses|phone)|"
        # "the names of the low-vision trainees who graduated …": people served, not officials
        r"\bnames?\s+of\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}?(?:children|"
        r"recipients|beneficiaries|patients|residents|citizens|participants|clients|graduates|"
        r"students|trainees|alumni)\b",
        re.I,
    ),
    # What may not be done: "belanja apa yang tidak boleh dibiayai …?", "apa saja
    # larangannya?", "what may the grant not be spent on?" (answered by a ban or a limit)
    "prohibition": re.compile(
        r"\b(?:tidak|tak|gak|ga|gk|nggak|ngga|enggak|ndak|tdk)\s+(?:boleh|diperbolehkan|"
        r"dibolehkan|diizinkan|diijinkan)\b|\bdilarang\b|\blarangan(?:nya)?\b"
        r"|\b(?:may|must)(?:\s+\w+){0,3}?\s+not\b|\bnot\s+(?:be\s+)?(?:allowed|permitted)\b|\bprohibit\w*"
        r"|\bforbid\w*|\bbanned\b|\bcan(?:not|'t)\s+be\s+\w+ed\b",
        re.I,
    ),
    # Whether or until when a rule is in force: "SK-nya masih kepake buat thn depan?",
    # "berlaku sampai kapan?", "is the decree still in force?"
    "validity": re.compile(
        r"\bmasih\s+(?:berlaku|laku|kepake|kepakai|dipakai|dipake|valid|sah)\b"
        r"|\bberlaku\s+(?:sampai|sampe|smp|hingga|kapan|mulai|sejak)\b|\bmasa\s+berlaku"
        r"|\bmulai\s+berlaku\b|\bkedaluwarsa\b|\bkadaluarsa\b|\bexpir\w*"
        r"|\bvalid\s+(?:until|till|through)\b|\bstill\s+(?:valid|in\s+force|in\s+effect)\b"
        r"|\b(?:comes?|came|takes?|took)\s+(?:into\s+)?(?:force|effect)\b|\bin\s+force\b",
        re.I,
    ),
    # A document's title: "apa judul lengkap SE 16/2023?", "the circular's full title?"
    # (answered by "… tentang Penyelenggaraan …" or a quoted title, not by what it does)
    "title": re.compile(
        # ("full name" is an acronym's expansion or a person's name, not a title)
        r"\bjudul(?:nya)?\b|\b(?:official|exact)\s+name\b|\btitled?\b",
        re.I,
    ),
    # what a document is about: "Perbup 14/2026 itu tentang apa?", "ngatur apa sih?",
    # "What is the circular about?", "what does the regulation cover?"
    "subject": re.compile(
        r"\b(?:tentang|soal|perihal)\s+apa\b"
        r"|\b(?:mengatur|ngatur|diatur|membahas|bahas|berisi)\s+(?:tentang\s+|soal\s+)?"
        r"(?:apa|hal\s+apa)\b|\bwhat(?:'s|\s+is|\s+was)\s+[^?]*\babout\b|\bwhat\s+(?:does|did)\s+"
        r"[^?]*\b(?:regulate|cover|govern|deal\s+with)\b|\bwhat\s+is\s+the\s+subject\b",
        re.I,
    ),
    "yesno": re.compile(
        r"^\s*(apakah|apa benar|benarkah|did|does|do|is|are|was|were|has|have)\b", re.I
    ),
}
SLOT_KINDS = frozenset(
    {
        "number", "money", "date", "day", "name", "person", "person_name", "names", "place",
        "title", "contact_detail", "position", "share",
    }
)  # fmt: skip
# The kinds answered by a figure written next to what it counts ("623 peserta", "Rp25 juta").
AMOUNT_KINDS = frozenset({"number", "money", "share"})
# The kinds a figure answers ("2.476 proposal", "tanggal 27"): one the question gives does not.
FIGURE_KINDS = AMOUNT_KINDS | {"day"}
PRESENT = re.compile(
    r"\b(saat ini|sekarang|skrg|skrng|kini|terbaru|terkini|terakhir|hingga kini|"
    r"now|currently|current|latest|today|these days)\b",
    re.I,
)
# Asks for the first of a series ("KIPP pertama", "in its first year", "the earliest"), not
# for who came first in a ranking ("juara pertama", "ranked first")
EARLIEST = re.compile(
    r"(?<!juara )(?<!peringkat )(?<!ranked )(?<!rank )"
    r"\b(pertama|perdana|paling awal|terawal|tertua|first|earliest|oldest)\b(?!\s+place)",
    re.I,
)

# Words that only frame a question or fill a chat message; they are not what it is about.
_FRAMING_TEXT = """
    maksud dimaksud arti artinya pengertian definisi singkatan kepanjangan kependekan
    mean meaning define definition stand stands
    sebenarnya sebenernya sbnrnya emang memang sih dong deh nih tuh kak min mas mbak pak bu
    bro gan sis halo hai hi hello tolong mohon minta bantu nanya tanya pertanyaan jelaskan
    jelasin terangkan explain kasih tahu tau info informasi please thanks makasih terima kasih
    lupa ingat inget penasaran bingung mengerti ngerti paham
    kira kira kira-kira ya yah loh lho kok kah gitu begitu aja saja doang
    sebutkan daftar list name
    tanggal tgl jumlah banyak banyaknya tahun taun nama kapan berapa sampai hingga
    sekarang skrg skrng kini terkini terbaru current currently latest
    menanyakan ditanyakan tanyakan bertanya nanyain dimaksudkan bernama dinamakan berjumlah
    sebanyak date dates year years number amount count total sum information
    """
_FRAMING_WORDS = frozenset(_FRAMING_TEXT.split())


def _frames(word: str) -> bool:
    """Is this (lower-cased) word of a question a framing or filler word, also in a chat
    spelling ("thn", "jml")? Only the word itself counts, never its root: "penyampaian",
    "pendaftaran", "permohonan" and "diterima" ask about submitting, registering, applying
    and accepting, though "sampai", "daftar", "mohon" and "terima" frame."""
    return any(
        normal in _FRAMING_WORDS or (normal.endswith("nya") and normal[:-3] in _FRAMING_WORDS)
        for normal in (word, *normal_words(word))
    )


# -- anchors --------------------------------------------------------------------------------
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_REG_NUMBER = re.compile(
    r"\b(\d{1,4})\s*/\s*((?:19|20)\d\d)\b"
    r"|\b(?:nomor|no\.?|number)\s*(\d{1,4})\s*(?:tahun|thn|of|/)\s*((?:19|20)\d\d)\b"
    r"|\b(\d{1,4})\s+(?:tahun|thn)\s+((?:19|20)\d\d)\b",
    re.I,
)
_ARTICLE = re.compile(
    r"\b(?:pasal|psl|article|art\.)\s*(\d{1,3}[a-z]?)\b(?:\s*(?:ayat|ay\.?|paragraph)\s*\(?(\d{1,2})\)?)?",
    re.I,
)
# An article a question cites for what it speaks of ("… digunakan untuk keperluan yang
# dilarang sebagaimana dimaksud dalam Pasal 19 ayat (3), dalam jangka waktu berapa …?"),
# as regulations cite one another's: the answer is in the article citing it, not in it.
_CITED_ARTICLE = re.compile(
    r"\b(?:(?:sebagaimana|yang|yg)\s+dimaksud|(?:as\s+)?referred\s+to|as\s+(?:set\s+out|meant))"
    r"\s+(?:dalam|pada|di|in|by)\s+$",
    re.I,
)
_BARE_AYAT = re.compile(r"\b(?:ayat|ay\.|paragraph)\s*\(?(\d{1,2})\)?", re.I)
# A decree's dictum: "diktum kedua", "diktum ke-2", "Diktum KEDUA", "dictum 2".
_DIKTUM = re.compile(
    r"\b(?:diktum|dictum)\s+(?:ke-?\s*(\d{1,2})\b|(\d{1,2})\b|(ke\w+(?:\s+belas)?|pertama))", re.I
)

# One of a series ("Angkatan kedua", "gelombang ke-2", "tahap III", "the second cohort"):
# a question on one member of a series is not answered by what is said of another.
_SERIES_ID = r"angkatan|gelombang|tahap|tahapan|periode|putaran|termin|sesi|batch"
_SERIES_EN = r"cohorts?|batch(?:es)?|intakes?|rounds?|stages?|phases?|waves?|terms?|sessions?"
_ORDINAL_WORDS = {
    **{word: n for word, n in ORDINAL_WORDS.items() if 0 < n <= 5},
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5,
}  # fmt: skip
_ORDINAL = r"ke-?\s?(\d)|(pertama|kesatu|kedua|ketiga|keempat|kelima|I{1,3}|IV|V)"
_SERIES_ORDINAL = re.compile(
    rf"\b(?:{_SERIES_ID})\s+(?:{_ORDINAL})\b"
    rf"|\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\s+(?:{_SERIES_EN})\b",
    re.I,
)


def ordinals_of(text: str) -> frozenset[int]:
    """The members of a series `text` names: "Angkatan kedua dan ketiga" names only the
    second ("ketiga" alone is no series word), "angkatan ke-2 sm ke-3" the second."""
    found: set[int] = set()
    for match in _SERIES_ORDINAL.finditer(text):
        digit, word, english = match.groups()
        found.add(int(digit) if digit else _ORDINAL_WORDS[(word or english).lower()])
    return frozenset(found)


# -- parts of a question that asks two things -----------------------------------------------
# A conjunction splits a question only when the words on both sides ask something of their
# own: "X itu apa dan datanya dari mana?" is two questions, "kapan X dan Y diadakan?" is one.
_QUESTION_WORD = re.compile(
    r"\b(apa|apakah|apaan|siapa|kapan|berapa|berapakah|seberapa|brp|brapa|bagaimana|gimana|gmn|"
    r"mengapa|kenapa|knp|"
    r"mana|sejak kapan|what|how|when|who|whom|where|which|why)\b",
    re.I,
)
_CONJUNCTION = re.compile(
    r"\s*(?:,\s*)?\b(?:dan|serta|sekaligus|lalu|terus|trus|trs|kemudian|and|also)\b\s*|\s*[;?]\s+",
    re.I,
)
# How many answers back a follow-up may point into a list: "yg pertama dari mana?", then
# "kalau yang kedua?" points past the answer on the first.
LIST_TURNS = 3
CARRIED_WEIGHT = 0.5  # a term carried from another part or an earlier turn counts for less


@dataclass(frozen=True)
class Anchors:
    years: frozenset[str] = frozenset()
    reg_numbers: frozenset[str] = frozenset()  # "6/2024"
    article: str = ""  # "11" ("Pasal 11"), "11a"
    ayat: str = ""
    # which of a series: "angkatan kedua", "gelombang ke-3", "the second cohort" -> {2}, {3}
    ordinals: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.years or self.reg_numbers or self.article)

    @property
    def terms(self) -> frozenset[str]:
        """Anchors as index terms (the tokenizer writes "6/2024" and "2024" the same way)."""
        return self.years | self.reg_numbers


# A question of at most this many own terms that names nothing may lean on the conversation
# ("kapan pertama kali diadakan?", "siapa yang ngelola?") without saying so.
MAY_LEAN_TERMS = 4


@dataclass(frozen=True)
class Query:
    text: str  # the question as asked, whitespace-normalised
    language: Language
    search_text: str  # what is searched (a follow-up carries its topic)
    terms: dict[str, float]  # content term -> weight (1 own, CARRIED_WEIGHT carried)
    kinds: frozenset[str]
    anchors: Anchors
    filters: dict[str, Any] = field(default_factory=dict)
    parts: tuple[Query, ...] = ()  # sub-questions of a question that asks two things
    # each part read with the words of the parts before it only (None: same as in `parts`)
    narrow_parts: tuple[Query | None, ...] = ()
    entities: frozenset[str] = frozenset()  # terms of names, acronyms and numbers asked about
    names: frozenset[str] = frozenset()  # terms of its capitalised words (no acronyms, numbers)
    figures: frozenset[str] = frozenset()  # figures it states ("2.476", "45"), years aside
    # terms of a document it names and of nothing else it asks ("Menurut Pergub Uji Nomor 5
    # Tahun 2026, …": the Pergub's), which say where to look, not what to find there
    naming: frozenset[str] = frozenset()
    bridged: frozenset[str] = frozenset()  # own terms no passage holds, bridged to ones that do
    lexical_extra: str = ""  # passage words added to the keyword search by the bridge
    present: bool = False  # asks for the current state ("sekarang", "saat ini", "now")
    earliest: bool = False  # asks for the first of a series ("KIPP pertama", "first year")
    # offices whose holder "who" asks for ("siapa menteri PANRB?" -> {"menteri"}), as the
    # sources write them
    posts: frozenset[str] = frozenset()
    post_terms: frozenset[str] = frozenset()  # the terms of the words asking them ("pimpin")
    # what a "how many" counts ("brp inovasi …?", "jumlah hub", "pesertanya berapa?",
    # "how many cohorts"), as terms: the number answering it is written next to one of them
    counted: frozenset[str] = frozenset()
    # asks which of a class whose members have names of their kind: "region" ("kabupaten
    # mana saja …?", "which provinces …?"), "company" ("perusahaan apa saja …?"); names of
    # that kind answer it, not the names of other bodies or of innovations
    asked_class: str = ""
    # points into a recent answer's list ("yang kedua maksudnya apa?"): the question with
    # the item written in; `beyond_list`: it asks past what the list says of the item
    pointed: str = ""
    pointed_item: str = ""  # the item itself ("Rencana dan pengembangan")
    beyond_list: bool = False
    # asks nothing of its own ("kalau SWP?"): asks what the question before it asked
    borrowed_kinds: bool = False
    # asks for a regulation's outline ("ringkasan Perwal 3/2026", "berapa pasal?") or one
    # chapter of it ("isi BAB III apa?": 3)
    outline: bool = False
    chapter: int = 0
    frame: str = ""  # the regulation's part asked about: "Mengingat", "Menimbang", "Penutup"

    @property
    def lexical_text(self) -> str:
        return f"{self.search_text} {self.lexical_extra}".strip()

    @property
    def dense_text(self) -> str:
        """What is embedded: an English question followed by the Indonesian words the
        glossary gives for it ("… trial run? (uji jalan …)"), which brings it nearer the
        Indonesian passages that answer it than the English alone."""
        if self.language != "en":
            return self.search_text
        gloss = indonesian_gloss(self.search_text)
        return f"{self.search_text} ({gloss})" if gloss else self.search_text

    follow_up: bool = False
    previous: Turn | None = None

    @property
    def slots(self) -> frozenset[str]:
        """The asked-for facts an answer must hold (a number, a date, a name, a place)."""
        return self.kinds & SLOT_KINDS

    @property
    def names_nothing(self) -> bool:
        """Short, and naming nothing (no name, acronym or number): asked in a conversation,
        it may be about what the conversation was about though it does not say so."""
        return not self.entities and len(self.own_terms) <= MAY_LEAN_TERMS

    @property
    def own_terms(self) -> list[str]:
        return [t for t, w in self.terms.items() if w >= 1.0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "search_text": self.search_text,
            "language": self.language,
            "terms": {t: round(w, 2) for t, w in self.terms.items()},
            "kinds": sorted(self.kinds),
            "anchors": {
                "years": sorted(self.anchors.years),
                "reg_numbers": sorted(self.anchors.reg_numbers),
                "article": self.anchors.article,
                "ayat": self.anchors.ayat,
                "ordinals": sorted(self.anchors.ordinals),
            },
            "filters": self.filters,
            "parts": [p.text for p in self.parts],
            "follow_up": self.follow_up,
            "frame": self.frame,
            "counted": sorted(self.counted),
        }


def analyse(
    question: str,
    language: Language,
    history: Sequence[Turn] = (),
    *,
    split_parts: bool = True,
    follow_up: bool | None = None,
) -> Query:
    """Read everything later steps need off `question` (and the conversation before it).
    `follow_up` says whether it leans on the previous turn, when the caller knows."""
    text = " ".join(question.split())
    previous = history[-1] if history else None
    # "yang tahap kedua maksudnya apa?": about the item of a recent answer's list
    item = next(
        (
            i
            for turn in reversed(history[-LIST_TURNS:])
            if (i := pointed_item(text, turn.answer_text))
        ),
        "",
    )
    pointed = write_in(text, item)
    if follow_up is None:
        follow_up = bool(pointed) or looks_like_follow_up(text)
    follow_up = previous is not None and follow_up
    # "berapa omzetnya?", then "kalau tahun lalu?": the same is asked of another year
    # (asked in 2026, 2025), or of another thing ("kalau SWP?")
    same_of_another = (
        follow_up
        and previous is not None
        and bool(_SAME_OF_ANOTHER.match(text))
        and len(content_terms(text)) <= ELLIPTICAL_TERMS + 1
    )
    carried = ""
    if same_of_another and previous is not None:
        # what the question before asked is asked again, its own words with it ("omzet")
        carried = topic_words(previous.resolved_query or previous.question)
    elif follow_up and previous is not None:
        carried = topic_words(conversation_topic(previous))
    else:
        pointed = ""
    years = relative_years(text) if same_of_another else frozenset()
    asked = _STILL_IN_USE.sub("masih berlaku", pointed or text)  # what is searched for
    if years:
        asked = " ".join(_RELATIVE_YEAR.sub(" ", asked).split())  # the year stands for it
    terms = content_terms(asked)
    for term in excluded_terms(asked):
        terms[term] = CARRIED_WEIGHT  # "selain APBD, …": what the asker already has
    for term in content_terms(carried):
        terms.setdefault(term, CARRIED_WEIGHT)
    if not terms:  # "apa itu?" alone: keep whatever words there are
        terms = {t: 1.0 for t in tokenize(text)}
    search_text = f"{asked} {carried}".strip()
    anchors = anchors_of(f"{text} {carried}" if follow_up else text)
    ayat = _BARE_AYAT.search(text)
    if follow_up and ayat and anchors.article and not _ARTICLE.search(text):
        anchors = replace(anchors, ayat=ayat.group(1))  # "ayat 2 nya?" of the article before
    if pointed:
        anchors = replace(anchors, ordinals=frozenset())  # a place in the answer, not a series
    kinds = own_kinds = kinds_of(text)
    borrowed = False
    if same_of_another and previous is not None:
        # Only here is "tahun lalu" a year: "usulan utk tahun depan masuk tgl brp?" asks of
        # the year after the one applied in, not of a calendar year.
        if years:  # the year asked instead of the one before ("… 6/2024", "sekarang")
            anchors = replace(anchors, years=years, reg_numbers=anchors_of(text).reg_numbers)
        borrowed = not kinds and bool(kinds := kinds_of(previous.question))
    names_regulation = names_a_regulation(text, carried, numbered=bool(anchors.reg_numbers))
    query = Query(
        text=text,
        language=language,
        search_text=search_text,
        terms=terms,
        kinds=kinds,
        anchors=anchors,
        filters=profile_filters(search_text),
        entities=entity_terms(text),
        names=name_terms(text),
        figures=given_figures(text),
        naming=naming_terms(text),
        present=bool(PRESENT.search(text if years else f"{text} {carried}")),
        earliest=bool(EARLIEST.search(text)),
        posts=asked_posts(text, own_kinds),
        post_terms=asked_post_terms(text, own_kinds),
        counted=counted_terms(text) if own_kinds & AMOUNT_KINDS else frozenset(),
        asked_class=asked_class(text),
        pointed=pointed,
        pointed_item=item if pointed else "",
        borrowed_kinds=borrowed,
        beyond_list=bool(pointed) and asks_beyond_the_list(text),
        frame=asked_frame(text, carried, numbered=bool(anchors.reg_numbers)),
        outline=names_regulation and asks_outline(text),
        chapter=asked_chapter(text) if names_regulation and not anchors.article else 0,
        follow_up=follow_up,
        previous=previous if follow_up else None,
    )
    if split_parts:
        parts, narrow = _parts(query)
        if len(parts) > 1:
            query = replace(query, parts=parts, narrow_parts=narrow)
    return query


_NAME_WORD = re.compile(r"[\w/'’-]+")


def conversation_topic(previous: Turn) -> str:
    """What a follow-up carries from the turn before it: that turn's question with what it
    carried itself. When that turn was a follow-up too ("mitranya siapa?" after "apa itu
    BARIS DITEBAS?"), its own words asked about one side of the topic and are not carried
    further ("kafenya dibuka kapan?" is about BARIS DITEBAS, not its partner), unless they
    name something."""
    resolved = previous.resolved_query or previous.question
    asked = _STILL_IN_USE.sub("masih berlaku", " ".join(previous.question.split()))
    if resolved == asked or not resolved.startswith(f"{asked} "):
        return resolved  # not a follow-up, or rewritten by the model: taken as it stands
    named = entity_terms(asked)
    own = [word for word in asked.split() if named & frozenset(tokenize(word))]
    return " ".join([*own, resolved[len(asked) + 1 :]])


def entity_terms(text: str) -> frozenset[str]:
    """Terms of the words that name something: capitalised (not first), all-caps, or with
    digits ("SIPANDU CERDAS", "Kabupaten Merauke", "KIPP 2026")."""
    return _terms_of_words(
        text,
        lambda i, word: (i > 0 and word[:1].isupper()) or _is_acronym(word) or _has_digit(word),
    )


def name_terms(text: str) -> frozenset[str]:
    """Terms of the capitalised words of `text` after the first, acronyms and figures aside
    ("Desa Sukamaju", "Kabupaten Merauke"): an acronym may stand for words a passage writes
    out ("APBD"), so it is no sign of a name the sources lack."""
    return _terms_of_words(
        text,
        lambda i, word: (
            i > 0 and word[:1].isupper() and not _is_acronym(word) and not _has_digit(word)
        ),
    )


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def _terms_of_words(text: str, names: Callable[[int, str], bool]) -> frozenset[str]:
    terms: set[str] = set()
    for i, word in enumerate(_NAME_WORD.findall(text)):
        if names(i, word) and not _frames(word.lower()):
            terms.update(tokenize(word))
    return frozenset(terms)


def procedure_words(text: str) -> frozenset[str]:
    """The terms of the words that ask how ("cara", "tahapan", "langkah-langkah", "steps"):
    they say what kind of answer is wanted, not what it is about."""
    asked = " ".join(m.group(0) for m in _KIND_PATTERNS["procedure"].finditer(text))
    return frozenset(tokenize(asked))


def kinds_of(text: str) -> frozenset[str]:
    kinds = {name for name, pattern in _KIND_PATTERNS.items() if pattern.search(text)}
    if "definition" in kinds and kinds & {"number", "date", "name", "place", "reason", "position"}:
        # "what is the number of ..." / "apa yang dimaksud ... kapan": the specific kind wins
        kinds.discard("definition")
    if (
        "definition" in kinds
        and "procedure" in kinds
        and not _KIND_PATTERNS["definition"].search(_GENERIC_WHAT.sub(" ", text))
    ):
        # "what are the stages of ...?" asks for the stages, not what a word means
        kinds.discard("definition")
    if ASKS_LENGTH_OF_TIME.search(text):
        kinds.add("number")  # "how long …?" asks a length of time, as "berapa lama" does
    if _DATE_QUESTION.search(text):
        kinds.add("date")  # "taun brp", "bln berapa": however it is spelt
        if not _KIND_PATTERNS["number"].search(_DATE_QUESTION.sub(" ", text)):
            kinds.discard("number")  # "tanggal berapa", "tahun berapa": a date, not a count
    if "date" in kinds and _ASKS_DAY.search(text):
        # "tanggal berapa …?" asks for a day: a year or a month does not answer it
        kinds = (kinds - {"date"}) | {"day"}
    if _ASKS_WHICH_ONES.search(text) or (
        _WHICH_ONES_ALONE.search(text) and _NAMED_CLASS.search(text)
    ):
        kinds.add("names")  # "K/L mana saja …?", "which ministries …?": their names
    if not kinds & {"number", "money"} and _WHAT_AMOUNT.search(text):
        # "What was Café More's turnover in 2023?": an amount, though no "how"; not what
        # turnover means
        kinds = (kinds - {"definition"}) | {"money"}
    if _ASKS_SHARE.search(text):
        # "berapa persen …?", "what percentage …?": a share, which no count ("54 hub") gives
        kinds = (kinds - {"number"}) | {"share"}
    if (
        "number" in kinds
        and _MONEY_WORD.search(text)
        and not _SHARE_WORD.search(text)
        and not ASKS_LENGTH_OF_TIME.search(text)  # "berapa lama dana dikembalikan?": a time
    ):
        # "berapa rupiah …?", "how much honorarium …?": an amount of money, not any number
        kinds = (kinds - {"number"}) | {"money"}
    if "subject" in kinds:
        kinds -= {"definition"}  # "X itu tentang apa?" asks what X is about, not what X is
    if compared(text) is not None:
        kinds = (kinds - {"procedure", "list"}) | {"definition"}  # what each of the two is
    if _ASKS_SOURCE.search(text):
        kinds.discard("place")  # "where does the funding come from?" asks for a source
    if "name" in kinds and _ASKS_PERSON.search(text):
        # "siapa kepala sentra …?", "who opened the event?": a person, whom any other proper
        # name in the answer (the sentra's, the event's) does not name
        kinds = (kinds - {"name"}) | {"person"}
    if _ASKS_NAMES_OF_PEOPLE.search(text):
        # "siapa saja nama anggota tim …?", "nama kepala dinasnya siapa?": people's names,
        # which the post they hold ("ketua, dijabat oleh Sekretaris Daerah") does not give
        kinds = (kinds - {"name", "person", "names"}) | {"person_name"}
    return frozenset(kinds)


# "What was the café's turnover …?", "what is the price of …?": English asks an amount with
# "what" too
_WHAT_AMOUNT = re.compile(
    r"\bwhat(?:'s|\s+(?:is|was|are|were))\s+(?:\S+\s+){0,4}?(?:turnover|revenue|income|"
    r"earnings|price|cost|budget|fee|salary|wage|allowance|honorarium|prize money|grant|fine|"
    r"cash\s+\w+)s?\b",  # "what is the cash incentive for …?"
    re.I,
)
# Words for a span of time ("berapa rentang waktu …?"): they ask how long, and count nothing
_SPAN_OF = r"jangka|rentang|kurun|tenggang"
_TIME_SPAN_WORDS = rf"lama|{_SPAN_OF}|durasi|waktu"
# How long: "berapa lama …?", "how long …?", "jangka waktunya berapa?", "berapa rentang
# waktu …?" (`bot.scoring` adds "berapa hari/bulan …" for what answers it)
ASKS_LENGTH_OF_TIME = re.compile(
    rf"\b(?:berapa|brp)\s+(?:lama|durasi(?:nya)?|(?:(?:{_SPAN_OF})\s+)?waktu)\b"
    r"|\bhow\s+long\b|\bhow\s+much\s+time\b"
    rf"|\b(?:{_SPAN_OF})\s+waktu(?:nya)?\s+(?:berapa|brp)\b",
    re.I,
)
_MONEY_WORD = re.compile(
    r"\b(?:rupiah|rp|duit|uang|biaya(?:nya)?|honor\w*|gaji(?:nya)?|tarif(?:nya)?|hadiah(?:nya)?|"
    r"insentif(?:nya)?|money|fees?|costs?|salary|salaries|allowance|prize money|"
    # "tahun anggaran", "budget year": a year, not an amount ("… setiap tahun anggaran?")
    r"budget(?!\s+years?\b)|spending|dana(?:nya)?|(?<!tahun\s)(?<!thn\s)anggaran(?:nya)?)\b",
    re.I,
)
_ASKS_SHARE = re.compile(
    r"\b(?:berapa|brp|brapa|berapakah)\s+persen\b"
    r"|\bpersentase(?:nya)?\s+(?:\w+\s+){0,4}?(?:berapa|brp|brapa|berapakah)\b"
    # "what percentage …?", "what minimum portion of the cost …?", "what is the maximum share …?"
    r"|\b(?:what|which)(?:'s)?\s+(?:\w+\s+){0,3}?"
    r"(?:percentage|per\s?cent|share|proportion|portion|fraction)\b"
    r"|\bhow\s+many\s+per\s?cent\b",
    re.I,
)
_SHARE_WORD = re.compile(
    r"\b(?:porsi|persen|persentase|proporsi|percent|percentage|share|portion|fraction)\b", re.I
)
# Classes of things that have names: asked "which ones", the answer names them.
_NAMED_CLASS_ID = (
    r"kementerian|k/l|instansi|lembaga|daerah|provinsi|kota|kabupaten|pemda|pemkab|pemkot|kampus|"
    r"universitas|perguruan tinggi|sentra|balai|negara|perusahaan|inovasi"
)
_NAMED_CLASS_EN = (
    r"ministries|agencies|institutions|provinces|cities|regencies|districts|regions|"
    r"universities|campuses|centres|centers|countries|companies|innovations"
)
_ASKS_WHICH_REGIONS = re.compile(
    r"\b(?:provinsi|kota|kabupaten|kab|daerah|pemda|pemkab|pemkot|desa|kecamatan|wilayah)\s+"
    r"(?:mana|apa)\s*(?:saja|aja|sajakah|aj)\b"
    r"|\bwhich\s+(?:\w+\s+)?(?:provinces|cities|regencies|districts|regions|villages)\b",
    re.I,
)
_ASKS_WHICH_COMPANIES = re.compile(
    r"\b(?:perusahaan|korporasi|bumn|swasta)\s+(?:mana|apa)\s*(?:saja|aja|sajakah|aj)\b"
    r"|\bwhich\s+(?:\w+\s+)?(?:companies|firms|corporations|businesses)\b",
    re.I,
)


def asked_class(text: str) -> str:
    """The class whose members a "which ones" question asks for by name, when they have
    names of their own kind: "region", "company", or ""."""
    if _ASKS_WHICH_REGIONS.search(text):
        return "region"
    if _ASKS_WHICH_COMPANIES.search(text):
        return "company"
    return ""


_ASKS_WHICH_ONES = re.compile(
    rf"(?<!perangkat )\b(?:{_NAMED_CLASS_ID})\s+(?:mana|apa)\s*(?:saja|aja|sajakah|aj)\b"
    rf"|\bwhich\s+(?:\w+\s+)?(?:{_NAMED_CLASS_EN})\b",
    re.I,
)
# "udh ada daerah yg niru? mana aja?": the class named elsewhere in the question
_WHICH_ONES_ALONE = re.compile(
    r"(?<!\bdi )(?<!\bke )(?<!\bdari )\bmana\s*(?:saja|aja|sajakah)\b", re.I
)
_NAMED_CLASS = re.compile(rf"(?<!perangkat )\b(?:{_NAMED_CLASS_ID})\b", re.I)
_DATE_QUESTION = re.compile(
    r"\b(?:tanggal|tgl|tahun|thn|taun|bulan|bln|jam|pukul)\s+(?:berapa|brp|berapakah)\b", re.I
)
_ASKS_DAY = re.compile(
    r"\b(?:tanggal|tgl|tanggalnya|tglnya|which day|on what day|hari apa)\b"
    rf"|\b{_WHAT_DATE}\b",
    re.I,
)
_GENERIC_WHAT = re.compile(r"\b(?:what is|what are|what's)\b", re.I)


# A post held by one person, or an act only a person does, asked "who": "siapa kepala …",
# "yg nggagas … siapa", "who opened …", "name of the head of …".
_PERSON_POST = (
    r"kepala|kadis|kaban|ketua|pejabat|menteri|menpan\w*|gubernur|bupati|wali ?kota|walkot|"
    r"direktur|dirjen|deputi|asdep|camat|lurah|narasumber|pembicara|penggagas|pendiri|"
    r"inisiator|pencetus|pimpinan|pemimpin|head|chair|chairman|chairperson|director|minister|"
    r"founder|initiator|speaker|leader"
)
_PERSON_ACT = (
    r"membuka|dibuka|meresmikan|diresmikan|menggagas|nggagas|ngegagas|digagas|mendirikan|"
    r"didirikan|mencetuskan|dicetuskan|opened|founded|initiated|inaugurated|launched by|"
    # leading a body is a post too: "siapa yang memimpin dewan …?", "who chairs the team?"
    r"memimpin|dipimpin|mengetuai|diketuai|leads|chairs|chaired|heads|headed"
)
_ASKS_PERSON = re.compile(rf"\b(?:{_PERSON_POST}|{_PERSON_ACT})(?:nya)?\b", re.I)
# An office one person holds at a time, as the sources write it: "who is the minister?" is
# answered by a name given with that office, not by any name.
OFFICES = {
    "kepala": "kepala", "kadis": "kepala", "kaban": "kepala", "head": "kepala",
    "ketua": "ketua", "chair": "ketua", "chairman": "ketua", "chairperson": "ketua",
    "menteri": "menteri", "minister": "menteri", "gubernur": "gubernur", "governor": "gubernur",
    "bupati": "bupati", "regent": "bupati", "walikota": "wali", "wali": "wali",
    "walkot": "wali", "mayor": "wali", "direktur": "direktur", "director": "direktur",
    "dirjen": "direktur", "deputi": "deputi", "deputy": "deputi", "asdep": "deputi",
    "camat": "camat", "lurah": "lurah", "pimpinan": "pimpin", "pemimpin": "pimpin",
    "memimpin": "pimpin", "dipimpin": "pimpin", "leads": "pimpin", "leader": "pimpin",
    "mengetuai": "ketua", "diketuai": "ketua", "chairs": "ketua", "chaired": "ketua",
    "heads": "kepala", "headed": "kepala",
}  # fmt: skip
_OFFICE_WORD = re.compile(rf"\b({'|'.join(OFFICES)})(?:nya)?\b", re.I)


def asked_posts(text: str, kinds: frozenset[str]) -> frozenset[str]:
    """The offices whose holder a "who" question (of `kinds`, read off `text`) asks for:
    "siapa menteri PANRB sekarang?" -> {"menteri"}; "who opened the event?" names none."""
    if not kinds & {"person", "person_name"}:
        return frozenset()
    return frozenset(OFFICES[m.group(1).lower()] for m in _office_words(text))


def _office_words(text: str) -> list[re.Match[str]]:
    """The words of `text` naming an office, but not in a regulation's name ("Keputusan
    Wali Kota Fiktif Nomor 45 …" names the decree, not a post whose holder is asked)."""
    return list(_OFFICE_WORD.finditer(_ISSUED_BY_AN_OFFICE.sub(" ", text)))


_ISSUED_BY_AN_OFFICE = re.compile(
    r"\b(?:keputusan|peraturan|surat\s+edaran|instruksi|decree|regulation)\s+(?:of\s+the\s+)?"
    r"(?:wali\s?kota|walikota|bupati|gubernur|menteri|mayor|regent|governor|minister)\b",
    re.I,
)


def asked_post_terms(text: str, kinds: frozenset[str]) -> frozenset[str]:
    """The terms of the words of `text` asking for an office's holder ("memimpin" ->
    "pimpin"): a sentence naming the office in its own words ("… sebagai ketua") meets them."""
    if not kinds & {"person", "person_name"}:
        return frozenset()
    return frozenset(t for m in _office_words(text) for t in tokenize(m.group(1)))


# The noun a count is of: after "berapa" ("brp inovasi", "berapa jumlah hub", "berapa orang
# peserta"), after "jumlah" ("jumlah proposal"), before "berapa" ("pesertanya berapa?",
# "inovasinya ada brp"), after "how many" / "number of". A measure word ("orang", "buah") is
# passed over for the noun it measures, if one follows.
_HOW_MANY = r"(?:berapa|brp|brapa|berapakah)"
_COUNT_FILLER = (
    r"(?:(?:jumlah|banyak|besar|total|banyaknya|jml|sih|ya|kah|seluruh|keseluruhan|semua|"
    r"batas|maksimal|maksimum|minimal|minimum|angka)\s+)*"
)
_MEASURE_WORDS = frozenset({"orang", "buah", "unit", "biji", "lembar", "ekor", "kali"})
_COUNTED_AFTER = re.compile(
    rf"\b(?:{_HOW_MANY}\s+{_COUNT_FILLER}|(?:jumlah|jml|banyaknya)\s+"
    r"|how\s+many\s+(?:more\s+)?|number\s+of\s+(?:the\s+)?)(\w+)(?:\s+(\w+))?",
    re.I,
)
_NOT_A_NOUN = (
    r"(?:yang|yg|dan|di|ke|dari|untuk|utk|buat|pada|dengan|dgn|sm|sama|kena|dapat|dapet|ada|"
    r"jadi|punya|bisa|bs|boleh|harus|hrs|itu|ini|sih|ya|the|of|is|are)"
)
_ASKS_ANOTHER_MEASURE = re.compile(
    rf"^(?:{_TIME_SPAN_WORDS}|kali|jauh|sering|tanggal|tgl|tahun|taun|thn|bulan|hari|minggu|jam|"
    r"nomor|no|pasal|ayat|"
    r"persen|percent)$",
    re.I,
)
_ASKS_HOW_MANY = re.compile(rf"\b{_HOW_MANY}\b|\bhow\s+many\b|\bnumber\s+of\b", re.I)
# "pesertanya berapa?", "finalis kipp 2025 ada brp?": the noun phrase's last three words,
# from after a verb or a function word ("… kena denda brp rupiah?": the fine)
_COUNTED_BEFORE = re.compile(
    rf"(?:\b(?!{_NOT_A_NOUN}\b)(\w+)\s+)?(?:\b(?!{_NOT_A_NOUN}\b)(\w+)\s+)?"
    rf"\b(?!{_NOT_A_NOUN}\b)(\w+?)(?:nya)?\s+"
    rf"(?:(?:ada|sih|itu)\s+)?{_HOW_MANY}\b",
    re.I,
)
# A count of a class is answered by a count of its members: "brp daerah yg komit?" by "59
# kabupaten/kota", "berapa peserta?" by "623 orang".
_COUNTED_MEMBERS = {
    "daerah": frozenset({"kabupaten", "kota", "provinsi", "desa", "kelurahan", "pemerintah"}),
    "instansi": frozenset(
        {"kementerian", "lembaga", "pemerintah", "daerah", "kabupaten", "kota", "provinsi", "dinas"}
    ),
    "peserta": frozenset({"orang"}),
    "masyarakat": frozenset({"orang", "peserta"}),  # "how many people …?"
}
_NOT_COUNTED = re.compile(
    rf"^(?:{_TIME_SPAN_WORDS}|persen|percent|rupiah|rp|jauh|sering|kali|tahun|taun|thn|bulan|"
    r"hari|minggu|jam|tanggal|tgl|"
    r"nomor|no|pasal|ayat|jumlah|total|besar|banyak|ada|yang|yg|the|of|are|is|were|was|do|"
    r"does|did|much|many)$",
    re.I,
)


def counted_terms(text: str) -> frozenset[str]:
    """The terms of what a "how many" question counts ("satu dinas boleh ngusulin brp
    inovasi dlm setahun?" -> {"inovasi"}: a number beside "tahun" does not answer it).
    Empty when the question names no noun counted ("berapa?", "berapa lama …?")."""
    if not _ASKS_HOW_MANY.search(text):
        return frozenset()  # "mengapa jumlah X tidak sama dengan …?" counts nothing
    heads: list[str] = []
    measures: set[str] = set()
    for match in _COUNTED_AFTER.finditer(text):
        head, after = match.group(1), match.group(2)
        if head.lower() in _MEASURE_WORDS and after and not _NOT_COUNTED.match(after):
            # "berapa orang peserta": the participants, counted in persons ("4 orang")
            measures.update(tokenize(head))
            head = after
        heads.append(head)
    # "brp kali", "berapa lama", "brp persen": how often, how long, what share
    asked_after = any(_ASKS_ANOTHER_MEASURE.match(h) for h in heads) or any(
        not _NOT_COUNTED.match(h) for h in heads
    )
    heads = [h for h in heads if not _NOT_COUNTED.match(h) and not _frames(h.lower())]
    if not asked_after:  # "pesertanya berapa?": the noun comes first when none follows
        heads += [
            h
            for m in _COUNTED_BEFORE.finditer(text)
            # "masuk berita negara nomor brp?", "diluncurkan tahun brp?": a number or a
            # year is asked, not how many of the words before it
            if not _ASKS_ANOTHER_MEASURE.match(m.group(3))
            for h in m.groups()
            if h and not _NOT_COUNTED.match(h) and not _frames(h.lower())
        ]
    terms = {term for head in heads if not head[0].isdigit() for term in tokenize(head)}
    terms -= _MEASURE_WORDS  # "brp org?" names nothing counted
    if terms:
        terms |= measures
    return frozenset(terms.union(*(_COUNTED_MEMBERS.get(t, frozenset()) for t in terms)))


_ASKS_NAMES_OF_PEOPLE = re.compile(
    r"\bsiapa\s+(?:saja\s+|aja\s+|sih\s+)?nama(?:-nama|2)?(?:nya)?\b"
    r"|\bnama(?:-nama|2)?(?:nya)?\s+(?:\S+\s+){0,5}?siapa\b"
    r"|\bnames?\s+of\s+(?:the\s+|its\s+|their\s+)?(?:\S+\s+){0,2}?(?:head|heads|chair\w*|members?|"
    r"officials?|officers?|people|persons?|minister|director|mayor|governor|regent|deputy)\b",
    re.I,
)
_ASKS_SOURCE = re.compile(r"\bwhere\b.*\b(?:come|comes|came|coming)\s+from\b|\bfrom where\b", re.I)


# Said of a rule, "still used" is "still in force": "SK-nya masih kepake gak?"
_STILL_IN_USE = re.compile(r"\bmasih\s+(?:kepake|kepakai|dipake|dipakai|kepakek)\b", re.I)


def content_terms(text: str) -> dict[str, float]:
    """Index terms of `text` without framing and filler words, in order, each once."""
    return {term: 1.0 for word, terms in word_terms(text) if not _frames(word) for term in terms}


# A document named by its kind and name: "Pergub Uji Nomor 5 Tahun 2026", "Peraturan Wali
# Kota Karangsari Nomor 8 Tahun 2026", "SE Menteri PANRB 16/2023", "the Pergub Contoh".
_DOCUMENT_KIND = (
    r"(?i:perwal|perbup|pergub|perda|perkada|kepwal|kepbup|kepgub|permen\w*|kepmen\w*|se|sk|"
    r"pedoman|(?:peraturan|keputusan|surat\s+edaran|instruksi)"
    r"(?:\s+(?:wali\s*kota|walikota|bupati|gubernur|daerah|menteri|presiden|pemerintah))?)"
)
_DOCUMENT_NAME_WORD = (
    r"(?:(?!(?i:pasal|bab|ayat|huruf|angka)\b)[A-Z][\w.'’-]*|(?i:nomor|no\.?|tahun|thn)|\d[\d/.]*)"
)
# named as the source of what is asked ("menurut …", "dalam …", "under …"), not as what is
# asked about ("Tanggal berapa Pedoman … ditetapkan?", "Perbup Fiksi 7/2024 mencabut apa?")
_SOURCE_WORD = (
    r"(?i:menurut|berdasarkan|sesuai(?:\s+dengan)?|dalam|di\s*dalam|pada|merujuk(?:\s+pada)?|"
    r"according\s+to|under|in)"
)
_NAMED_DOCUMENT = re.compile(
    rf"\b{_SOURCE_WORD}\s+(?i:the\s+)?({_DOCUMENT_KIND}(?:\s+{_DOCUMENT_NAME_WORD})+)"
)


def naming_terms(text: str) -> frozenset[str]:
    """The terms of the documents `text` names by kind and name as the source of what it
    asks ("Menurut Pergub Uji Nomor 5 Tahun 2026, berapa …": "atur", "gubernur", "uji", "5",
    "2026"), when the rest of the question asks something of its own; words the rest also
    uses are not among them."""
    spans = [m.group(1) for m in _NAMED_DOCUMENT.finditer(text)]
    if not spans:
        return frozenset()
    rest = content_terms(_NAMED_DOCUMENT.sub(" ", text))
    if len(rest) < 2:  # "isi pokok Kepmen PANRB 305/2024?": the document is what is asked
        return frozenset()
    return frozenset(t for t in content_terms(" ".join(spans)) if t not in rest and "/" not in t)


# "Selain APBD, dari sumber mana saja …?", "apart from KIPP entries, what else …": the words
# up to the comma (or the end) name what the asker already has, not what is asked.
_EXCLUDED = re.compile(
    r"\b(?:selain|kecuali|besides|apart\s+from|aside\s+from|other\s+than|except)\b([^,;?]*)",
    re.I,
)


def excluded_terms(text: str) -> frozenset[str]:
    """Terms a question names only to set aside ("Selain APBD, dari sumber mana saja
    kegiatan replikasi dapat dibiayai?": the APBD's): an answer needs them less than the
    words of what is asked. A term the rest of the question also uses is not set aside."""
    aside = " ".join(m.group(1) for m in _EXCLUDED.finditer(text))
    if not aside:
        return frozenset()
    rest = content_terms(_EXCLUDED.sub(" ", text))
    return frozenset(t for t in content_terms(aside) if t not in rest)


# "kalau SWP?", "what about last year?": the question before, asked of something else
_SAME_OF_ANOTHER = re.compile(
    r"\s*(?:kalau|kalo|klo|kl|gimana dengan|bagaimana dengan|gmn dengan|what about|how about)\b",
    re.I,
)
# A year said relative to today: "tahun lalu", "2 tahun lalu", "this year", "next year".
_RELATIVE_YEAR = re.compile(
    r"\b(?:(?P<n>\d|dua|tiga|two|three)\s+)?(?:tahun|thn|taun|years?)\s+(?:yang\s+|yg\s+)?"
    r"(?P<ago>lalu|kemarin|kemaren|ago)\b"
    r"|\bse(?P<one>tahun)\s+(?:yang\s+|yg\s+)?lalu\b"
    r"|\b(?:tahun|thn|taun)\s+(?P<rel>ini|depan)\b"
    r"|\b(?P<en>last|this|next)\s+year\b",
    re.I,
)
_HOW_MANY_YEARS = {"dua": 2, "two": 2, "tiga": 3, "three": 3}


def this_year() -> int:
    return date.today().year


def relative_years(text: str) -> frozenset[str]:
    """The years a question names relative to today: asked in 2026, "tahun lalu" is 2025,
    "tahun ini" 2026, "two years ago" 2024."""
    found: set[int] = set()
    now = this_year()
    for match in _RELATIVE_YEAR.finditer(text):
        n, ago, one, rel, en = match.group("n", "ago", "one", "rel", "en")
        if ago:
            found.add(
                now - (int(n) if n and n.isdigit() else _HOW_MANY_YEARS.get((n or "").lower(), 1))
            )
        elif one:
            found.add(now - 1)
        elif rel or en:
            word = (rel or en).lower()
            found.add(now + {"ini": 0, "this": 0, "depan": 1, "next": 1}.get(word, -1))
    return frozenset(str(year) for year in found)


def anchors_of(text: str) -> Anchors:
    numbers = set()
    for match in _REG_NUMBER.finditer(text):
        groups = [g for g in match.groups() if g]
        if len(groups) >= 2:
            numbers.add(f"{int(groups[0])}/{groups[1]}")
    article = next(
        (m for m in _ARTICLE.finditer(text) if not _CITED_ARTICLE.search(text[: m.start()])),
        None,
    )
    years = set(_YEAR.findall(text))
    return Anchors(
        ordinals=ordinals_of(text),
        years=frozenset(years),
        reg_numbers=frozenset(numbers),
        article=article.group(1).lower() if article else _diktum(text),
        ayat=(article.group(2) or "") if article else "",
    )


_FIGURE = re.compile(r"(?<![\w/])\d[\d.,]*(?![\w/])")


def given_figures(text: str) -> frozenset[str]:
    """Figures written in `text`, years aside, separators dropped ("2.476" -> "2476"): the
    asker knows them, so a passage repeating one does not answer "how many"."""
    figures = (_figure_value(m.group()) for m in _FIGURE.finditer(text))
    return frozenset(f for f in figures if f and not _YEAR.fullmatch(f))


def _figure_value(written: str) -> str:
    return re.sub(r"[.,]", "", written.rstrip(".,"))


def without_figures(text: str, figures: frozenset[str]) -> str:
    """`text` with the given figures blanked out."""
    if not figures:
        return text
    return _FIGURE.sub(lambda m: " " if _figure_value(m.group()) in figures else m.group(), text)


def _diktum(text: str) -> str:
    """ "diktum 2" for a question naming a decree's second dictum, else ""."""
    match = _DIKTUM.search(text)
    if not match:
        return ""
    number = match.group(1) or match.group(2)
    if not number:
        number = str(DIKTUM_NUMBERS.get(" ".join(match.group(3).upper().split()), ""))
    return f"diktum {int(number)}" if number else ""


def _parts(query: Query) -> tuple[tuple[Query, ...], tuple[Query | None, ...]]:
    """ "Kapan X disosialisasikan, dan berapa pesertanya?" → two questions, the second
    carrying the first one's topic ("berapa pesertanya" + X). Each part is also read with
    the words of the parts before it only (they introduce what later parts refer back to):
    the words of a later part can pull an earlier one to the later one's answer ("Apa fungsi
    hub inovasi dan apa saja kriteria pemilihannya?" finds the criteria twice). The last
    part has no such reading of its own (None)."""
    pieces = split_question(query.text)
    if len(pieces) < 2:
        return (), ()
    indices = range(len(pieces))
    parts = tuple(_part(query, pieces, i, pieces[:i] + pieces[i + 1 :]) for i in indices)
    narrow = tuple(
        _part(query, pieces, i, pieces[:i]) if i < len(pieces) - 1 else None for i in indices
    )
    return parts, narrow


def _part(query: Query, pieces: list[str], i: int, lenders: list[str]) -> Query:
    """Piece `i` of `query` as a question of its own, carrying the words of `lenders` (the
    other pieces it may refer to) at lower weight."""
    piece = pieces[i]
    others = " ".join(lenders)
    terms = content_terms(piece)
    for term in content_terms(others):
        terms.setdefault(term, CARRIED_WEIGHT)
    topic = topic_words(others)
    return Query(
        text=piece,
        language=query.language,
        search_text=f"{piece} {topic}".strip(),
        terms=terms,
        kinds=(kinds := kinds_of(piece)),
        anchors=anchors_of(" ".join([piece, *pieces[:i], *pieces[i + 1 :]])),
        counted=counted_terms(piece) if kinds & AMOUNT_KINDS else frozenset(),
        entities=query.entities,
        figures=given_figures(piece),
        follow_up=query.follow_up,
        previous=query.previous,
    )


ELLIPTICAL_TERMS = 2  # a part naming nothing with at most this many words of its own


def elliptical(part: Query) -> bool:
    """A part that names nothing and says little ("sudah direplikasi di mana saja?", "yg
    dilihat apa aja?"): it asks about what the parts before it named."""
    return not entity_terms(part.text) and len(part.own_terms) <= ELLIPTICAL_TERMS


_AND = r"(?:dan|dengan|dgn|sama|sm|ama|and|vs\.?|versus)"
_DIFFERENCE = r"(?:beda(?:nya)?|perbedaan(?:nya)?|bedain(?:nya)?)"
_FILLER_END = r"(?:\s+(?:sih|ya|dong|kak|min|gan|itu|apa|aja|saja))*\s*[?.!]*\s*$"
# "apa bedanya A sama B?", "A dan B bedanya apa?", "what is the difference between A and
# B?", "how does A differ from B?": what each of the two is
_COMPARISON = (
    re.compile(
        rf"^(?:apa(?:kah)?\s+)?(?:sih\s+)?{_DIFFERENCE}\s+(?:antara\s+)?(?P<a>[^?]+?)\s+{_AND}\s+"
        rf"(?P<b>[^?]+?){_FILLER_END}",
        re.I,
    ),
    re.compile(
        rf"^(?P<a>[^?]+?)\s+{_AND}\s+(?P<b>[^?]+?)\s+(?:itu\s+)?{_DIFFERENCE}\s+(?:nya\s+)?"
        rf"(?:apa|di\s?mana|gimana|bagaimana)(?:\s+aja|\s+saja)?{_FILLER_END}",
        re.I,
    ),
    re.compile(
        r"^(?:what(?:'s| is| are)\s+)?(?:the\s+)?differences?\s+between\s+(?P<a>[^?]+?)\s+and\s+"
        r"(?P<b>[^?]+?)\s*[?.!]*\s*$",
        re.I,
    ),
    re.compile(
        r"^how\s+(?:does|do|is|are)\s+(?P<a>[^?]+?)\s+differ(?:ent)?\s+from\s+(?P<b>[^?]+?)\s*[?.!]*\s*$",
        re.I,
    ),
)


def compared(text: str) -> tuple[str, str] | None:
    """The two things a question compares ("apa bedanya replikasi sama scale up?" ->
    ("replikasi", "scale up")), or None."""
    for pattern in _COMPARISON:
        match = pattern.match(text.strip())
        if match:
            return match.group("a").strip(" ,"), match.group("b").strip(" ,")
    return None


def split_question(text: str) -> list[str]:
    """The questions inside `text`: pieces between conjunctions that each hold a question
    word and a content term of their own. A comparison asks what each of the two is."""
    pair = compared(text)
    if pair is not None:
        what = "what is" if detect_language(text) == "en" else "apa itu"
        return [f"{what} {pair[0]}", f"{what} {pair[1]}"]
    pieces: list[str] = []
    start = 0
    for match in _CONJUNCTION.finditer(text):
        left, right = text[start : match.start()], text[match.end() :]
        if _asks(left) and _asks(_next_piece(right)):
            pieces.append(left.strip(" ,;?"))
            start = match.end()
    pieces.append(text[start:].strip(" ,;?"))
    return [p for p in pieces if p]


def _next_piece(text: str) -> str:
    match = _CONJUNCTION.search(text)
    return text[: match.start()] if match else text


def _asks(piece: str) -> bool:
    return bool(_QUESTION_WORD.search(piece)) and bool(content_terms(piece))
