"""Tokenisation makes informal questions and formal documents meet on the same terms."""

from __future__ import annotations

import pytest
from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer

from replikasi.indonesian import _stem, _stemmer, normalize_text, tokenize
from replikasi.language import detect_language

# Words that exercise Sastrawi's prefix rules, infixes (gemetar, telunjuk, kinerja) and
# special cases (belajar, kau-/ku-).
AFFIXED_WORDS = """
    memperbaiki dipertanggungjawabkan pembelajaran belajar gemetar telunjuk kinerja
    menyelenggarakan penyelenggaraan pengembangan keberlanjutan berkelanjutan pemantauan
    diselenggarakan terpilih kaulah kuambil perekonomian pelaksanaan menyampaikan
    mempersiapkan ketertiban penghargaan mengapresiasi pendampingan difasilitasi
    """


@pytest.mark.parametrize("written", ["2.928", "2,928", "2928"])
def test_thousand_separators_do_not_matter(written: str) -> None:
    assert normalize_text(f"JIPPNas memuat {written} inovasi") == "jippnas memuat 2928 inovasi"
    assert "2928" in tokenize(f"JIPPNas memuat {written} inovasi")


@pytest.mark.parametrize(
    ("written", "normal"),
    [("2,5 juta", "2.5 juta"), ("2.5 juta", "2.5 juta"), ("Rp1.234,5", "rp 1234.5")],
)
def test_decimals_keep_their_fraction(written: str, normal: str) -> None:
    assert normalize_text(written) == normal


def test_regulation_numbers_match_whole_and_by_parts() -> None:
    short = tokenize("Pedoman Menteri PANRB 6/2024")
    assert {"6/2024", "6", "2024"} <= set(short)
    assert {"6", "2024"} <= set(tokenize("Pedoman Nomor 6 Tahun 2024"))
    assert "30/9/2024" in tokenize("disosialisasikan 30.09.2024")


def test_informal_words_are_expanded() -> None:
    assert normalize_text("gmn cara replikasi yg benar") == "bagaimana cara replikasi yang benar"
    assert normalize_text("udh ada di pemda tsb?") == "sudah ada di pemerintah daerah tersebut"


def test_stopwords_and_question_words_are_not_terms() -> None:
    assert tokenize("gmn cara replikasi yg benar") == ["cara", "replikasi", "benar"]
    assert tokenize("Apa itu yang dan di?") == []


def test_according_to_and_regarding_name_no_topic() -> None:
    """ "Menurut Kepwal 45/2026, …" is not about "turut" (to follow)."""
    assert tokenize("Menurut pedoman, mengenai tim replikasi") == ["pedoman", "tim", "replikasi"]
    assert tokenize("according to the team, regarding replication") == ["tim", "replikasi"]
    # "harapan terhadap replikasi" is not about facing ("hadap"), which the verb still is
    assert tokenize("harapan terhadap replikasi, terkait SWP") == ["harap", "replikasi", "swp"]
    assert "hadap" in tokenize("tantangan yang dihadapi")


@pytest.mark.parametrize(
    "word", ["mereplikasi", "direplikasi", "replikasinya", "replikasikan", "Replikasi"]
)
def test_forms_of_replikasi_share_one_stem(word: str) -> None:
    assert tokenize(word) == ["replikasi"]


@pytest.mark.parametrize("word", ["inovasinya", "berinovasi", "inovasi-inovasi"])
def test_forms_of_inovasi_share_one_stem(word: str) -> None:
    assert tokenize(word) == ["inovasi"]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("diadopsi", "adopsi"),
        ("mengadaptasi", "adaptasi"),
        ("dimodifikasi", "modifikasi"),
        ("berkolaborasi", "kolaborasi"),
        ("disosialisasikan", "sosialisasi"),
        ("pelembagaan", "lembaga"),
        ("pesertanya", "peserta"),
    ],
)
def test_domain_words_are_stemmed(word: str, stem: str) -> None:
    assert tokenize(word) == [stem]


@pytest.mark.parametrize("phrase", ["scale up", "scaling up", "Scale-Up", "scaleup"])
def test_scale_up_is_one_term(phrase: str) -> None:
    assert tokenize(f"{phrase} inovasi") == ["scaleup", "inovasi"]


@pytest.mark.parametrize(
    "name", ["KemenPANRB", "Kemenpan RB", "KemenPAN-RB", "MenPAN-RB", "Kementerian PANRB"]
)
def test_ministry_spellings_meet(name: str) -> None:
    assert "kemenpanrb" in tokenize(name)


def test_english_names_are_not_mangled() -> None:
    assert tokenize("Sheltered Workshop Peduli, barista") == [
        "sheltered",
        "workshop",
        "peduli",
        "barista",
    ]


def test_accents_and_typographic_quotes_are_folded() -> None:
    assert normalize_text("Café “Jum’at” — KemenPANRB’s e‑KTP") == "cafe jumat kemenpanrb ektp"


def test_english_domain_words_meet_indonesian_terms() -> None:
    assert tokenize("How many innovations were replicated?") == ["inovasi", "replikasi"]


def test_stems_are_those_of_sastrawi() -> None:
    """The prefix-rule shortcut in our stemmer must not change any stem."""
    plain = Stemmer(ArrayDictionary(list(_stemmer().get_dictionary().words)))
    for word in AFFIXED_WORDS.split():
        assert _stem(word) == plain.stem_singular_word(word), word


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What is SINOVIK?", "en"),
        ("Apa itu SINOVIK?", "id"),
        ("gimana cara replikasi?", "id"),
        ("How many innovations does JIPPNas hold?", "en"),
        ("apa itu scale up?", "id"),
        ("inovasi apa aja yg pernah ditetapkan buat direplikasi secara nasional?", "id"),
        ("Sheltered Workshop Peduli", "id"),
        ("SINOVIK", "id"),
        ("", "id"),
    ],
)
def test_detect_language(question: str, language: str) -> None:
    assert detect_language(question) == language


@pytest.mark.parametrize(
    ("chat", "formal"),
    [
        ("niru", "tiru"),
        ("ngajuin", "aju"),
        ("nyari", "cari"),
        ("ngurus", "urus"),
        ("ngeluncurin", "luncur"),
        ("langkah2", "langkah"),
        ("diterusin", "terus"),
        ("dikumpulin", "kumpul"),
        ("nyari", "cari"),
        ("nyaranin", "saran"),
        ("nyambung", "sambung"),
    ],
)
def test_chat_verbs_and_reduplication_meet_their_formal_roots(chat: str, formal: str) -> None:
    assert tokenize(chat) == [formal]


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [("opened", "buka"), ("hubs", "hub"), ("categories", "kategori"), ("judged", "nilai")],
)
def test_inflected_english_words_reach_the_glossary(english: str, indonesian: str) -> None:
    assert tokenize(english) == [indonesian]


def test_indonesian_words_that_look_english_are_left_alone() -> None:
    assert tokenize("kering sering dinas") == ["kering", "sering", "dinas"]


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("incubation", "inkubasi"),
        ("qualities", "kualitas"),
        ("capacity", "kapasitas"),
        ("clinics", "klinik"),
        ("frequency", "frekuensi"),
        ("organisation", "organisasi"),
        ("presentations", "presentasi"),  # the noun; "present" (the verb) is "sampaikan"
    ],
)
def test_english_loans_meet_their_indonesian_spelling(english: str, indonesian: str) -> None:
    assert tokenize(english) == tokenize(indonesian)


def test_loan_spelling_is_only_taken_when_indonesian_has_the_word() -> None:
    assert tokenize("gamification") == ["gamification"]  # "gamifikasi" is no dictionary word


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Pergub Contoh 12/2025", "Peraturan Gubernur Contoh 12/2025"),
        ("perwal", "Peraturan Wali Kota"),
        ("Perbup", "Peraturan Bupati"),
        ("perda", "peraturan daerah"),
        ("OPD", "perangkat daerah"),
    ],
)
def test_short_names_of_regulations_and_offices_meet_their_full_names(
    short: str, full: str
) -> None:
    assert tokenize(short) == tokenize(full)


def test_english_function_words_are_not_terms() -> None:
    assert tokenize("can it be extended by themselves?") == tokenize("extended")


def test_a_content_word_sharing_a_stem_with_a_framing_word_is_kept() -> None:
    """ "kepanjangan" (what an acronym stands for) frames a question; "perpanjang" (renew)
    is what it is about, though both stem to "panjang"."""
    from bot.query import analyse

    assert "panjang" in analyse("Gimana cara perpanjang SIM online?", "id").own_terms
    assert list(analyse("SINOVIK kepanjangannya apa?", "id").own_terms) == ["sinovik"]


def test_chat_abbreviations_of_administration_meet_the_regulations_words() -> None:
    """ "nunggu SK walkot brp lama? sblm lapor ke sekda" asks about a "Keputusan Wali Kota"
    and the "Sekretaris Daerah", in the words the regulation uses."""
    assert tokenize("nunggu SK walkot, sblm lapor ke sekda, hrs tiap bln") == tokenize(
        "menunggu surat keputusan wali kota, sebelum lapor ke sekretaris daerah, harus tiap bulan"
    )
    assert tokenize("kadis") == tokenize("kepala dinas")


@pytest.mark.parametrize(
    ("asked", "written"),
    [
        ("sekurang-kurangnya memuat", "paling sedikit memuat"),
        ("minimal memuat", "memuat paling sedikit"),
        ("at least", "paling sedikit"),
        ("paling telat", "selambat-lambatnya"),
        ("no later than", "paling lambat"),
        ("kapan batas akhirnya", "paling lambat tanggal 31 Januari"),
        ("what is the deadline", "selambat-lambatnya 14 hari kerja"),
        ("tenggat waktu laporan", "laporan disampaikan paling lambat"),
        ("sebanyak-banyaknya", "paling banyak"),
        ("berapa lama minimal", "paling singkat 2 (dua) tahun"),
        ("skor minimal", "skor paling rendah 70"),
    ],
)
def test_a_regulations_bounds_meet_the_words_users_say_them_in(asked: str, written: str) -> None:
    assert set(tokenize(asked)) <= set(tokenize(written))


def test_a_bounded_duration_still_answers_how_long() -> None:
    assert "lama" in tokenize("paling lama 6 (enam) bulan")
    assert "lama" in tokenize("berapa lama?")


def test_english_may_is_the_month_only_where_a_date_is_meant() -> None:
    assert "mei" in tokenize("What happened in May 2024?")
    assert "mei" in tokenize("on 1 May")
    assert "mei" not in tokenize("Who may propose an innovation for replication?")
    assert tokenize("May an agency copy it?") == tokenize("Can an agency copy it?")


def test_everyday_chat_spellings_meet_the_formal_words() -> None:
    """ "dpt duit brp?" and "dikasih bimbingan dlm bentuk apa?" are about money and a form
    of guidance: none of their words may count as a word no passage holds."""
    assert tokenize("kalo menang dapet duit brp? dikasih bimbingan dlm bentuk apa sm siapa") == (
        tokenize("kalau menang dapat uang berapa? diberi bimbingan dalam bentuk apa sama siapa")
    )
    assert tokenize("bikin laporan telat, msh kepake gak") == tokenize(
        "membuat laporan terlambat, masih pakai tidak"
    )
    assert tokenize("perkada-nya kelar dmn?") == tokenize(
        "peraturan kepala daerah selesai di mana?"
    )
    assert tokenize("pdhl sblmnya udh dtg ke ktr, skr jdwl pndftrn nya kpn?") == tokenize(
        "padahal sebelumnya sudah datang ke kantor, sekarang jadwal pendaftaran kapan?"
    )
    assert tokenize("yg nerapin duluan dapetin info dr tmn") == tokenize(
        "yang menerapkan duluan mendapatkan informasi dari teman"
    )


def test_compass_points_meet_the_region_names() -> None:
    """ "West Sulawesi" is written "Sulawesi Barat": "west" is no word no passage holds."""
    assert set(tokenize("West Sulawesi, East Java, North Sumatra, South Kalimantan")) == set(
        tokenize("Sulawesi Barat, Java Timur, Sumatra Utara, Kalimantan Selatan")
    )


def test_english_prepositions_are_not_terms() -> None:
    assert tokenize("reported to the mayor within 14 days through the system") == tokenize(
        "reported mayor 14 days system"
    )


@pytest.mark.parametrize(
    "written", ["ditandatangani", "menandatangani", "penandatanganan", "tanda tangan", "signed"]
)
def test_forms_of_signing_share_one_term(written: str) -> None:
    assert tokenize(written) == ["tandatangan"]


def test_a_chat_spelling_with_a_possessive_is_expanded() -> None:
    assert tokenize("perwalnya, sknya") == tokenize("peraturan wali kota, surat keputusan")
    assert tokenize("tanyanya") == tokenize("tanya")


def test_online_and_offline_meet_daring_and_luring() -> None:
    assert tokenize("yg ikut online brp, yg offline brp") == tokenize(
        "yang ikut daring berapa, yang luring berapa"
    )


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("How many agencies took part?", "Berapa instansi yang ikut?"),
        ("an innovation that has been put into practice", "inovasi yang telah diterapkan"),
        ("Who is in charge of the programme?", "Siapa yang memimpin program?"),
        ("When was the assessment carried out?", "Kapan penilaian dilaksanakan?"),
        ("Must the regent set up a team?", "Wajib bupati membentuk tim?"),
        ("When is the award handed out?", "Kapan penghargaan diberikan?"),
        ("When did the regulation come into force?", "Kapan peraturan berlaku?"),
        ("Which provinces came on board in 2023?", "Provinsi mana yang bergabung pada 2023?"),
        ("Which innovations were singled out?", "Inovasi mana yang dipilih?"),
        ("Who runs JIPPNas?", "Siapa yang mengelola JIPPNas?"),
        ("Is JIPPNas run by KemenPANRB?", "Apakah JIPPNas dikelola KemenPANRB?"),
    ],
)
def test_english_verbs_of_two_words_mean_what_they_say(english: str, indonesian: str) -> None:
    """ "took part" is no "bagian" and "put into practice" no "praktik": the two words are
    read as the one verb they make."""
    assert set(tokenize(english)) == set(tokenize(indonesian))


def test_particles_inside_words_are_left_alone() -> None:
    """Only whole English words make a verb of two: "partisipasi", "setup" stay as written."""
    assert tokenize("partisipasi warga dalam setup layanan") == [
        "partisipasi",
        "warga",
        "setup",
        "layan",
    ]
    assert "ikut" not in tokenize("the part taken by the regent")


def test_a_budget_acronym_meets_its_full_name() -> None:
    """Questions say "APBDes", regulations "Anggaran Pendapatan dan Belanja Desa"."""
    assert set(tokenize("dari APBDes")) >= set(tokenize("Anggaran Pendapatan dan Belanja Desa"))
    assert "daerah" in tokenize("APBD") and "desa" not in tokenize("APBD")


def test_an_english_word_meets_the_term_the_passages_are_indexed_by() -> None:
    """ "entries" and "proposals" mean the passages' "proposal", which is itself indexed as
    "usul": the question's word is read all the way to it."""
    from replikasi.indonesian import tokenize

    passage = set(tokenize("KIPP 2016 menerima 2.476 proposal."))
    for question in ("How many entries did KIPP get in 2016?", "How many proposals came in?"):
        assert set(tokenize(question)) & passage - {"2016", "kipp"}


def test_a_programme_that_has_run_is_running_not_managed() -> None:
    assert "jalan" in tokenize("The programme has run since 2018.")


def test_where_something_operates_is_not_where_people_work() -> None:
    """ "Where does it operate?" asks where it runs, not about jobs ("kerja")."""
    assert "kerja" not in tokenize("Where does the Sheltered Workshop Peduli operate?")
    assert set(tokenize("operates")) == set(tokenize("beroperasi"))
