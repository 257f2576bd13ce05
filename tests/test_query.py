"""The question analysed once: kinds asked for, anchors, content terms, parts, follow-ups."""

from __future__ import annotations

import pytest

from bot.query import analyse, elliptical, split_question
from bot.scoring import asks_duration
from replikasi.language import Language, detect_language
from replikasi.records import Turn


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Berapa jumlah hub inovasi saat ini?", {"number"}),
        ("brp sih peserta sosialisasinya?", {"number"}),
        ("Sejak tahun berapa KIPP diadakan?", {"date"}),
        ("mulainya taun brp?", {"date"}),
        ("acaranya bln brp?", {"date"}),
        ("since when has the programme been running?", {"date"}),
        ("Siapa yang membuka acara itu?", {"person"}),
        ("Di mana pembelajaran replikasi diadakan?", {"place"}),
        ("SINOVIK itu sebenernya apa sih?", {"definition"}),
        ("PKRI singkatan dari apa?", {"definition"}),
        ("gimana sih langkah2 buat niru inovasi daerah lain?", {"procedure"}),
        ("Kenapa tahun 2024 tidak ada KIPP?", {"reason"}),
        ("siapa yang bisa saya hubungi untuk replikasi DataGO?", {"name", "contact"}),
        ("What is the spending cap for running a single cohort?", {"money"}),
        ("What is the ceiling on the annual budget for village grants?", {"money"}),
        ("plafon hibah desa setahun brp?", {"number"}),
    ],
)
def test_kinds_asked_for(question: str, kinds: set[str]) -> None:
    assert kinds <= analyse(question, "id").kinds


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("kepala sentra kartini temanggung siapa ya?", "person"),
        ("yg nggagas pesona surga siapa?", "person"),
        ("Who opened the event?", "person"),
        ("siapa yg ngelola jippnas?", "name"),
        ("Who runs SINOVIK?", "name"),
    ],
)
def test_who_asks_for_a_person_when_it_names_a_post_or_what_a_person_does(
    question: str, kind: str
) -> None:
    """ "Siapa kepala sentra …?" is answered by a person's name; "siapa yang mengelola …?"
    by a body's as well."""
    kinds = analyse(question, "id").kinds
    assert kind in kinds
    assert not {"name", "person"} - {kind} & kinds


@pytest.mark.parametrize(
    "question",
    [
        "Siapa saja nama anggota Tim Replikasi tahun 2026?",
        "siapa nama kepala dinasnya?",
        "nama ketua forumnya siapa ya?",
        "What are the names of the team members?",
    ],
)
def test_asked_for_peoples_names_a_post_is_no_answer(question: str) -> None:
    """ "Siapa ketua tim?" is answered by the post a regulation names ("dijabat oleh
    Sekretaris Daerah"); "siapa nama ketua tim?" only by a person's name."""
    kinds = analyse(question, "id").kinds
    assert "person_name" in kinds
    assert not kinds & {"name", "person", "names"}
    assert "person_name" not in analyse("Siapa ketua tim replikasi?", "id").kinds


def test_a_person_is_named_by_a_name_not_by_a_body_or_a_post() -> None:
    from bot.scoring import kinds_in

    person = frozenset({"person"})
    assert kinds_in("Acara dibuka oleh R. Siti Zuhro (BRIN).", person)
    assert kinds_in("Rachmat Koesnadi, Kepala Sentra Terpadu Kartini, berharap …", person)
    assert kinds_in("Sambutan disampaikan Dr. Diah Natalisa, M.Si.", person)
    assert not kinds_in("Acara dibuka oleh Deputi Bidang Pelayanan Publik.", person)
    assert not kinds_in("a. ketua, dijabat oleh Kepala Bainrida;", person)  # a post
    assert not kinds_in("Café More Wyata Guna dibuka pada 13 Desember 2019.", person)
    assert kinds_in("Kepala Sentra Terpadu Kartini saat itu adalah Iyan Kusumadiana.", person)
    body = "Sentra Wyata Guna Bandung bermitra dengan Siloam Center for the Blind of Korea."
    assert not kinds_in(body, person)
    assert kinds_in(body, frozenset({"name"}))  # a name all the same, of a body


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Which institution runs the Pesona Surga programme?", "en"),
        ("Which agency manages JIPPNas?", "en"),
        ("instansi mana yang mengelola JIPPNas?", "id"),
        ("inovasi ini dari dinas mana?", "id"),
    ],
)
def test_which_body_asks_for_its_name(question: str, language: str) -> None:
    """ "Which institution …?" is answered by a body's name; "instansi mana saja …?" by
    the names of several."""
    assert "name" in analyse(question, language).kinds
    assert "name" not in analyse("instansi mana saja yang jadi hub?", "id").kinds


def test_english_words_glossing_a_term_name_no_person() -> None:
    from bot.scoring import kinds_in

    person = frozenset({"person"})
    assert not kinds_in("… tentang Perluasan (Scale Up) Praktik Terbaik.", person)
    assert not kinds_in("SE 16/2023 tentang Praktik Terbaik (Best Practice) Bidang …", person)
    assert not kinds_in("… ditandatangani dalam ajang Innovative Government Award (IGA).", person)
    assert kinds_in("Sambutan disampaikan Rini Widyantini (Best Practice Award).", person)


def test_a_name_going_on_from_an_acronym_or_ending_in_a_province_names_a_body() -> None:
    from bot.scoring import kinds_in

    person = frozenset({"person"})
    assert not kinds_in("Pesona Surga dari PSAA Alyatama Jambi masuk Top 99.", person)
    assert not kinds_in(
        "… bersama Sheltered Workshop Peduli dari BBRSBG Kartini Temanggung.", person
    )
    assert not kinds_in("… inovasi Balai Besar Bina Grahita (BBRSBG) Kartini Temanggung.", person)
    assert kinds_in("Inovasi itu digagas Kartini Temanggung, pekerja sosial.", person)


@pytest.mark.parametrize(
    ("question", "posts"),
    [
        ("siapa menteri PANRB sekarang?", {"menteri"}),
        ("Who is the current Minister of PANRB?", {"menteri"}),
        ("siapa walikota magelang?", {"wali"}),
        ("nama kepala dinasnya siapa?", {"kepala"}),
        ("siapa yang membuka acara sosialisasi?", set()),  # an act, not an office
        ("Siapa pejabat yang memimpin dewan yang menyeleksi usulan?", {"pimpin"}),
        ("Who chairs the replication council?", {"ketua"}),
        # the office issuing a regulation names it; no holder is asked
        ("Keputusan Wali Kota Fiktif Nomor 45 Tahun 2026 membentuk siapa saja?", set()),
        ("Menteri PANRB menetapkan pedoman apa?", set()),  # asks no "who"
    ],
)
def test_who_holds_an_office_is_asked_by_naming_the_office(question: str, posts: set[str]) -> None:
    assert analyse(question, detect_language(question)).posts == posts


def test_the_holder_of_an_office_is_a_name_given_with_the_office() -> None:
    from bot.scoring import names_a_holder

    minister = analyse("siapa menteri PANRB sekarang?", "id")
    deputy = analyse("siapa deputi pelayanan publik KemenPANRB?", "id")
    opened = "Pembuka acara: Plt. Deputi Bidang Pelayanan Publik KemenPANRB, Abdul Hakim."
    assert names_a_holder(deputy, opened)
    assert not names_a_holder(minister, opened)  # a name, but of another office's holder
    far = (
        "Pedoman Menteri PANRB Nomor 6 Tahun 2024 disosialisasikan pada 30 September 2024 "
        "di Jakarta secara hibrida dan daring bagi instansi pemerintah; narasumber utama "
        "acara itu adalah Ajib Rakhmawanto."
    )
    assert not names_a_holder(minister, far)
    assert names_a_holder(minister, "Menteri PANRB saat itu, Abdullah Azwar Anas, menetapkan …")


@pytest.mark.parametrize(
    ("question", "kind", "asked"),
    [
        ("Belanja apa saja yang tidak boleh dibiayai dengan hibah?", "prohibition", True),
        ("apa aja larangan buat tim replikasi?", "prohibition", True),
        ("What may the grant not be spent on?", "prohibition", True),
        ("Which costs are prohibited under the regulation?", "prohibition", True),
        ("Belanja apa saja yang boleh dibiayai dengan hibah?", "prohibition", False),
        ("What happens if a village cannot finish on time?", "prohibition", False),
        ("SK tim replikasi itu masih kepake gak buat thn depan?", "validity", True),
        ("Perwal ini berlaku sampai kapan?", "validity", True),
        ("Is the decree still in force next year?", "validity", True),
        ("When does the regulation come into force?", "validity", True),
        ("Apa tugas tim replikasi?", "validity", False),
    ],
)
def test_a_ban_or_a_rules_force_is_asked_for(question: str, kind: str, asked: bool) -> None:
    """ "Apa yang tidak boleh …?" is answered by a ban or a limit, "masih berlaku?" by a
    rule's force: kinds of fact regulations state in words of their own."""
    assert (kind in analyse(question, "id").kinds) is asked


def test_a_ban_and_a_rules_force_are_recognised_in_a_regulations_text() -> None:
    from bot.scoring import kinds_in

    ban, force = frozenset({"prohibition"}), frozenset({"validity"})
    assert kinds_in("(4) Hibah hanya dapat digunakan untuk pengadaan perangkat.", ban)
    assert kinds_in("Hibah tidak dapat digunakan untuk membayar honorarium.", ban)
    assert kinds_in("Setiap anggota Tim dilarang menerima imbalan.", ban)
    assert not kinds_in("Hibah digunakan untuk pengadaan perangkat.", ban)
    assert kinds_in("Keputusan ini berlaku sampai dengan tanggal 31 Desember 2026.", force)
    assert not kinds_in("Tim menyampaikan laporan setiap 6 (enam) bulan.", force)


def test_a_rule_still_used_is_a_rule_still_in_force() -> None:
    """Chat says a decree is "masih kepake"; the decree says it "berlaku" until a date."""
    query = analyse("SK tim replikasi masih kepake gak?", "id")
    assert "laku" in query.terms and "pakai" not in query.terms
    assert "berlaku" in query.search_text


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Tanggal berapa Pedoman 6/2024 ditetapkan?", {"day"}),
        ("kepmen 94/2020 ditetapin tgl brp ya?", {"day"}),
        ("On what date was the circular signed?", {"day"}),
        ("On what calendar date is the award handed out each year?", {"day"}),
        ("Which exact date was the agreement signed on?", {"day"}),
        ("Sejak tahun berapa KIPP diadakan?", {"date"}),
        ("Tanggal berapa sosialisasi diadakan dan berapa pesertanya?", {"day", "number"}),
    ],
)
def test_a_question_for_a_day_is_not_answered_by_a_year(question: str, kinds: set[str]) -> None:
    """ "tanggal berapa" asks for a calendar day (a year does not answer it) and no count."""
    from bot.query import kinds_of
    from bot.scoring import kinds_in

    assert kinds_of(question) & {"day", "date", "number"} == kinds
    # the year in a regulation's number is no date
    assert not kinds_in("SE Menteri PANRB Nomor 16 Tahun 2023 mengatur …", frozenset({"date"}))
    assert not kinds_in("Hal ini diatur PermenPANRB 91/2021.", frozenset({"date"}))
    assert kinds_in("Sosialisasi diadakan pada 30/9/2024.", frozenset({"date"}))
    if "day" in kinds:
        assert not kinds_in("Pedoman ini ditetapkan pada tahun 2024.", frozenset({"day"}))
        assert kinds_in("Pedoman ini ditetapkan pada 30 September 2024.", frozenset({"day"}))


@pytest.mark.parametrize(
    ("question", "asks_who"),
    [
        ("Who opened the event?", True),
        ("Which unit handles replication, and who leads it?", True),
        ("To whom must the mayor report?", True),
        ("Has it been recommended, and by whom?", True),
        ("What sanctions apply to an agency head who fails to report?", False),
        ("Were regions whose innovations made the Top 45 rewarded?", False),
    ],
)
def test_who_asks_for_a_name_only_as_a_question_word(question: str, asks_who: bool) -> None:
    assert bool({"name", "person"} & analyse(question, "en").kinds) is asks_who


@pytest.mark.parametrize(
    ("question", "asks_address"),
    [
        ("alamat web sirindu apa ya? mau daftar akun", True),
        ("ada link rekaman sosialisasinya ga?", True),
        ("Which URL do we upload the report to?", True),
        ("Is there a web address for the clinic's booking page?", True),
        ("What's the website of the innovation clinic?", True),
        ("situsnya apa?", True),
        ("Within how many days must results be announced on the official website?", False),
        ("alamat rumah kepala dinas di mana?", False),
        ("Di mana kantor Sentra Wyata Guna?", False),
    ],
)
def test_a_web_address_is_asked_for_not_just_a_website_mentioned(
    question: str, asks_address: bool
) -> None:
    from bot.scoring import kinds_in

    assert ("address" in analyse(question, detect_language(question)).kinds) is asks_address
    assert kinds_in("Portal JIPPNas: https://jippnas.menpan.go.id.", frozenset({"address"}))
    assert kinds_in("Aksesnya di jippnas.menpan.go.id.", frozenset({"address"}))
    assert not kinds_in("Portal JIPPNas dikelola KemenPANRB.", frozenset({"address"}))


def test_asking_for_stages_in_english_is_no_definition_question() -> None:
    assert "definition" not in analyse("What are the stages of replication?", "en").kinds
    assert "definition" in analyse("What is SINOVIK?", "en").kinds
    both = "What does replication mean, and what are its steps?"
    assert "definition" in analyse(both, "en").kinds


def test_chat_fillers_and_framing_words_are_not_content() -> None:
    query = analyse("kak mau nanya dong, SINOVIK itu sebenernya apa sih?", "id")
    assert list(query.terms) == ["sinovik"]
    query = analyse("gatau nih, ga ngerti juga, kasi tau dong SINOVIK itu apa?", "id")
    assert list(query.terms) == ["sinovik"]


@pytest.mark.parametrize(
    ("question", "content", "framing"),
    [
        (
            "Kapan batas akhir penyampaian usulan inovasi kepada Tim Replikasi?",
            {"sampai", "usul"},
            set(),
        ),
        ("pendaftaran proposal KIPP ditutup tgl brp?", {"daftar", "tutup"}, {"tanggal"}),
        ("Berapa permohonan yang diterima thn ini?", {"mohon", "terima"}, {"tahun"}),
        ("What is the date and number of participants?", {"peserta"}, {"tanggal", "jumlah"}),
        ("Saya mau menanyakan nama pengelola SINOVIK", {"kelola", "sinovik"}, {"tanya", "nama"}),
    ],
)
def test_a_word_made_from_a_framing_word_is_content(
    question: str, content: set[str], framing: set[str]
) -> None:
    """The root "sampai" or "daftar" frames a question ("sampai kapan", "daftar inovasinya"),
    but "penyampaian" and "pendaftaran" say what it is about: submitting, registering."""
    terms = set(analyse(question, "id").terms)
    assert content <= terms
    assert not framing & terms


def test_chat_verbs_meet_their_formal_roots() -> None:
    query = analyse("gimana sih langkah2 buat niru inovasi daerah lain?", "id")
    assert {"langkah", "tiru", "inovasi", "daerah"} <= set(query.terms)
    assert "2" not in query.terms


@pytest.mark.parametrize(
    ("question", "ordinals"),
    [
        ("Tanggal berapa pendaftaran Angkatan kedua ditutup?", {2}),
        ("gelombang ke-3 kapan mulai?", {3}),
        ("When does the second cohort start?", {2}),
        ("Tahap III replikasi apa?", {3}),
        ("kapan KIPP pertama kali diadakan?", set()),  # once, not one of a series
    ],
)
def test_one_of_a_series_is_an_anchor(question: str, ordinals: set[int]) -> None:
    assert analyse(question, "id").anchors.ordinals == ordinals


def test_anchors_years_regulation_numbers_and_articles() -> None:
    query = analyse("Pasal 2 ayat 3 Perwal Nomor 3 Tahun 2026 ngatur apa?", "id")
    assert query.anchors.article == "2" and query.anchors.ayat == "3"
    assert "3/2026" in query.anchors.reg_numbers and "2026" in query.anchors.years
    assert analyse("apa isi PermenPANRB 6/2024?", "id").anchors.reg_numbers == {"6/2024"}


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("apa bedanya replikasi sama scale up ya kak?", ["apa itu replikasi", "apa itu scale up"]),
        ("Apa perbedaan antara KIPP dan IGA?", ["apa itu KIPP", "apa itu IGA"]),
        ("hub inovasi dan JIPPNas bedanya apa sih?", ["apa itu hub inovasi", "apa itu JIPPNas"]),
        ("What's the difference between KIPP and SINOVIK?", ["what is KIPP", "what is SINOVIK"]),
        (
            "How does replication differ from scaling up?",
            ["what is replication", "what is scaling up"],
        ),
        ("permenpan 6/2024 sama pedoman 6/2024 itu beda dokumen gak?", None),  # yes or no
    ],
)
def test_a_comparison_asks_what_each_of_the_two_is(question: str, parts: list[str] | None) -> None:
    query = analyse(question, detect_language(question))
    if parts is None:
        assert not query.parts
    else:
        assert [p.text for p in query.parts] == parts
        assert "definition" in query.kinds and all("definition" in p.kinds for p in query.parts)


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "Kapan Pedoman 6/2024 dan SE 16/2023 disosialisasikan, dan berapa pesertanya?",
            ["Kapan Pedoman 6/2024 dan SE 16/2023 disosialisasikan", "berapa pesertanya"],
        ),
        ("JIPPNas itu apa dan datanya dari mana?", ["JIPPNas itu apa", "datanya dari mana"]),
        ("Kapan BARIS DITEBAS dan SWP mengadakan pembelajaran?", None),
        ("Who opened the event and how many participants attended?", 2),
        ("sinovik tu apa sih, trus yg ngelola siapa?", ["sinovik tu apa sih", "yg ngelola siapa"]),
        (  # "seberapa" asks as "berapa" does
            "Seberapa sering tim wajib rapat, dan bulan apa forum menggelar temu tahunannya?",
            ["Seberapa sering tim wajib rapat", "bulan apa forum menggelar temu tahunannya"],
        ),
    ],
)
def test_a_question_in_two_parts_is_split_only_at_a_second_question(
    question: str, parts: list[str] | int | None
) -> None:
    pieces = split_question(question)
    if parts is None:
        assert pieces == [question.rstrip("?")]
    elif isinstance(parts, int):
        assert len(pieces) == parts
    else:
        assert pieces == parts


def test_a_part_carries_the_other_parts_topic_at_lower_weight() -> None:
    query = analyse("Kapan SE 16/2023 disosialisasikan, dan berapa pesertanya?", "id")
    second = query.parts[1]
    assert second.terms["peserta"] == 1.0 and 0 < second.terms["sosialisasi"] < 1.0
    assert "number" in second.kinds


def test_an_earlier_part_may_also_be_read_without_the_later_parts_words() -> None:
    # "kriteria" belongs to the second question; carried into the first it finds the
    # criteria for both
    query = analyse("Apa fungsi hub inovasi dan apa saja kriteria pemilihannya?", "id")
    first, last = query.narrow_parts
    assert "kriteria" in query.parts[0].terms
    assert (
        first is not None and "kriteria" not in first.terms and "kriteria" not in first.search_text
    )
    assert first.terms["fungsi"] == 1.0
    assert last is None  # the last part's reading already carries only what came before


def test_a_part_asks_for_what_its_own_words_ask() -> None:
    query = analyse("When did the name Pesona Surga come into use, and what changed then?", "en")
    when, what = query.parts
    assert "date" in when.kinds and "date" not in what.kinds


@pytest.mark.parametrize(
    ("question", "second_is_elliptical"),
    [
        ("Inovasi 'Lapor Cepat' berasal dari mana dan sudah direplikasi di mana saja?", True),
        ("gmn caranya provinsi bisa jd hub? yg dilihat apa aja?", True),
        ("Kapan Café More dibuka dan berapa omzetnya pada 2023?", False),  # names a year
        ("warga mau usul inovasi lewat mana? trus diterusin ke bapperida brp lama?", False),
    ],
)
def test_a_part_that_names_nothing_and_says_little_is_elliptical(
    question: str, second_is_elliptical: bool
) -> None:
    first, second = analyse(question, "id").parts
    assert not elliptical(first)
    assert elliptical(second) is second_is_elliptical


def test_follow_up_leans_on_the_previous_topic_and_keeps_its_own_kind() -> None:
    previous = Turn("Apa itu BARIS DITEBAS?", "Apa itu BARIS DITEBAS?", answer_text="...")
    query = analyse("kapan pembelajaran replikasinya?", "id", [previous])
    assert query.follow_up and query.previous == previous
    assert "baris" in query.terms and query.terms["baris"] < 1.0
    assert "date" in query.kinds and "definition" not in query.kinds


def test_a_follow_up_asking_nothing_of_its_own_asks_what_was_asked_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "berapa omzetnya?", then "kalau tahun lalu?": a figure, of the year before this one."""
    import bot.query

    monkeypatch.setattr(bot.query, "this_year", lambda: 2026)
    turn = Turn(question="berapa omzetnya?", resolved_query="berapa omzetnya? BARIS DITEBAS")
    query = analyse("kalau tahun lalu?", "id", [turn])
    assert query.borrowed_kinds and "number" in query.kinds
    assert query.anchors.years == {"2025"}
    assert "omzet" in query.terms and "lalu" not in query.terms  # what was asked, again
    who = Turn(question="siapa penggagas BARIS DITEBAS?", resolved_query="penggagas BARIS DITEBAS")
    assert analyse("kalau SWP?", "id", [who]).kinds == {"person"}
    english = analyse("what about two years ago?", "en", [turn])
    assert english.anchors.years == {"2024"} and "number" in english.kinds
    # a question of its own keeps its own kind, and "tahun depan" in a rule's question is the
    # year after the one applied in, not a calendar year
    own = analyse("usulan utk tahun depan paling lambat masuk ke provinsi tgl brp?", "id", [turn])
    assert not own.borrowed_kinds and not own.anchors.years


def test_a_complete_question_after_another_stands_alone() -> None:
    previous = Turn("Apa itu BARIS DITEBAS?", "Apa itu BARIS DITEBAS?")
    query = analyse("Berapa jumlah hub inovasi saat ini?", "id", [previous])
    assert not query.follow_up and "baris" not in query.terms


def test_where_something_comes_from_asks_for_a_source_not_a_place() -> None:
    from bot.query import kinds_of

    assert "place" not in kinds_of("Where does the funding for replication come from?")
    assert "place" in kinds_of("Where is the innovation hub located?")


def test_a_named_dictum_is_no_pasal_of_the_same_number() -> None:
    from bot.query import anchors_of

    assert anchors_of("isi diktum kedua apa?").article == "diktum 2"
    assert anchors_of("Diktum KEDUA BELAS Kepwal Fiktif").article == "diktum 12"
    assert anchors_of("diktum ke-3 ngatur apa").article == "diktum 3"
    assert anchors_of("isi Pasal 2 apa?").article == "2"


@pytest.mark.parametrize(
    ("question", "asks_when"),
    [
        ("When did KIPP start?", True),
        ("How many hubs were there, and when were they set up?", True),
        ("Until when is the decree valid?", True),
        ("Who pays for staff when another region replicates DataGO?", False),
        ("What does KemenPANRB look at when choosing a hub?", False),
    ],
)
def test_when_asks_for_a_date_only_as_a_question_word(question: str, asks_when: bool) -> None:
    assert ("date" in analyse(question, "en").kinds) is asks_when


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("To whom, and within what time, must the report be sent?", "en"),
        ("By when must the team hand in its evaluation?", "en"),
        ("What is the deadline for registering a replication plan?", "en"),
        ("Once it is signed, what's the deadline for starting the service?", "en"),
        ("batas waktunya kapan min?", "id"),
        ("dalam waktu berapa hari laporan itu harus masuk?", "id"),
        ("tenggat penyerahan proposal replikasi?", "id"),
    ],
)
def test_a_deadline_asked_is_a_time_asked(question: str, language: str) -> None:
    """Answered by "paling lambat 6 (enam) bulan setelah …", a deadline the date kind
    covers, not by whichever sentence of the article shares most words, nor by a
    definition ("what's …" asks what something is only when nothing more specific is asked)."""
    assert "date" in analyse(question, language).kinds
    assert "definition" not in analyse(question, language).kinds


@pytest.mark.parametrize(
    ("question", "aside", "asked"),
    [
        ("Selain APBD, dari sumber mana saja replikasi dapat dibiayai?", "anggar", "sumber"),
        ("apa tantangan inovasi sekarang selain melahirkan inovasi baru?", "lahir", "tantang"),
        ("Apart from KIPP entries, what else was SINOVIK used for?", "kipp", "sinovik"),
    ],
)
def test_what_a_question_sets_aside_weighs_less_than_what_it_asks(
    question: str, aside: str, asked: str
) -> None:
    """ "Selain APBD, …" is not answered by the sentence that repeats the APBD most: the
    words set aside count like words carried from an earlier turn; a word the question
    also asks with ("inovasi" above) keeps its full weight."""
    terms = analyse(question, detect_language(question)).terms
    assert terms[aside] < terms[asked] == 1.0
    assert terms.get("inovasi", 1.0) == 1.0
    assert analyse("Dari sumber mana saja replikasi dibiayai?", "id").terms["sumber"] == 1.0


@pytest.mark.parametrize(
    "question", ["kapan ditetapkan?", "siapa yang menandatangani?", "Kapan diluncurkan?"]
)
def test_a_question_of_verbs_alone_leans_on_the_previous_topic(question: str) -> None:
    previous = Turn("Apa itu SINOVIK?", "Apa itu SINOVIK?", answer_text="...")
    assert analyse(question, "id", [previous]).follow_up
    assert not analyse("Kapan SINOVIK diluncurkan?", "id", [previous]).follow_up
    assert not analyse(question, "id").follow_up


def test_plain_english_words_no_passage_holds_are_left_out_of_an_english_question() -> None:
    """ "showed up in person" cannot meet the Indonesian passages: it neither counts as a
    word the knowledge base lacks nor dilutes the words that do meet them. A name the
    knowledge base lacks ("Gempur") still counts: it may be what the question is about."""
    from bot.engine import drop_untranslated_words
    from bot.term_weights import TermWeights

    weights = TermWeights({"c1": frozenset({"instansi", "sosialisasi", "pusat"})})
    query = analyse("How many central agencies showed up in person at the Sosialisasi?", "en")
    kept = drop_untranslated_words(query, weights).own_terms
    assert "instansi" in kept and "sosialisasi" in kept
    assert not {"showed", "person"} & set(kept)
    named = analyse("How many people has Gempur served?", "en")
    assert "gempur" in drop_untranslated_words(named, weights).own_terms
    indonesian = analyse("Berapa instansi yang hadir secara luring?", "id")
    assert drop_untranslated_words(indonesian, weights) == indonesian


def test_an_english_word_takes_the_sense_the_passages_use() -> None:
    """ "score" is "skor" in one regulation and "nilai" in another: a question asked of an
    index that writes only "nilai" is searched by it, not left with a word no passage holds."""
    from bot.engine import known_senses
    from bot.term_weights import TermWeights

    question = "What minimum score does a proposal need?"
    with_nilai = TermWeights({"c1": frozenset({"nilai", "minimal", "usul"})})
    query = known_senses(analyse(question, "en"), with_nilai)
    assert "nilai" in query.own_terms and "skor" not in query.own_terms
    assert "nilai" in query.lexical_text.split()
    with_skor = TermWeights({"c1": frozenset({"skor", "nilai", "minimal"})})
    assert known_senses(analyse(question, "en"), with_skor).own_terms == (
        analyse(question, "en").own_terms
    )
    indonesian = analyse("Berapa skor minimal proposal?", "id")
    assert known_senses(indonesian, with_nilai) == indonesian


@pytest.mark.parametrize(
    ("question", "asks_names"),
    [
        ("Which ministries became central hubs after October 2023?", True),
        ("K/L mana saja yang sekarang menjadi hub pusat?", True),
        ("10 kampus yg nilai proposal itu kampus mana aja?", True),
        ("Provinsi apa saja yang bergabung sebagai hub?", True),
        ("udh ada daerah yg niru datago blm? mana aja?", True),
        ("di mana saja lokasi kantor daerah itu?", False),
        ("Apa saja kriteria inovasi yang dapat direplikasi?", False),
        ("Dokumen apa saja yang harus dilampirkan?", False),
        ("Perangkat Daerah mana saja yang wajib melapor?", False),
    ],
)
def test_asking_which_ones_of_a_named_class_asks_for_their_names(
    question: str, asks_names: bool
) -> None:
    """ "Which ministries …?" is not answered by "54 hub (18 pusat, 36 daerah)": the answer
    must name them. Criteria or documents have no names; "Perangkat Daerah" is a role."""
    from bot.query import kinds_of
    from bot.scoring import kinds_in

    assert ("names" in kinds_of(question)) is asks_names
    names = frozenset({"names"})
    assert not kinds_in("Saat ini ada 54 hub, terdiri dari 18 hub pusat dan 36 hub daerah.", names)
    assert kinds_in("Hub pusat antara lain Kementerian Kesehatan dan Kementerian Sosial.", names)


def test_an_english_question_is_embedded_with_the_indonesian_words_for_it() -> None:
    """The passages are Indonesian: the question's vector is taken with the glossary's
    Indonesian words beside the English, so an answer worded "uji coba … nilai" is near."""
    query = analyse("What minimum score does a proposal need before a trial run?", "en")
    assert query.dense_text.startswith(query.search_text)
    gloss = query.dense_text[len(query.search_text) :]
    assert {"skor", "usul", "uji"} <= set(gloss.strip(" ()").split())
    indonesian = analyse("Berapa skor minimal proposal sebelum uji coba?", "id")
    assert indonesian.dense_text == indonesian.search_text


@pytest.mark.parametrize(
    ("question", "asks_money"),
    [
        ("Berapa rupiah uang pembinaan bagi pemenang?", True),
        ("How much honorarium does each member receive per meeting?", True),
        ("kalo masuk top 99 kipp dapet duit brp?", True),
        ("Berapa porsi minimal anggaran inovasi dalam APBD?", False),  # a share, not an amount
        ("Berapa jumlah hub inovasi saat ini?", False),
        # a fiscal year is a year: the count "1 (satu) inovasi … setiap tahun anggaran"
        ("Berapa inovasi minimal diusulkan kecamatan setiap tahun anggaran?", False),
        ("How many proposals may one agency submit in a budget year?", False),
        ("brp anggaran replikasi per tahun?", True),
        # how long the money may be kept is a length of time
        ("dalam jangka waktu berapa lama dana wajib dikembalikan ke kas daerah?", False),
    ],
)
def test_a_question_for_an_amount_of_money_is_not_answered_by_another_number(
    question: str, asks_money: bool
) -> None:
    """ "Berapa rupiah …?" is not answered by "paling lambat 14 hari kerja": the answer must
    hold an amount of money."""
    from bot.query import kinds_of
    from bot.scoring import kinds_in

    kinds = kinds_of(question)
    assert ("money" in kinds) is asks_money and ("number" in kinds) is not asks_money
    money = frozenset({"money"})
    assert kinds_in("hadiah sebesar Rp25.000.000,00 (dua puluh lima juta rupiah)", money)
    assert kinds_in("biayanya sekitar 10 juta rupiah", money)
    assert not kinds_in("disampaikan paling lambat 14 (empat belas) hari kerja", money)
    assert not kinds_in("paling sedikit 5 (lima) persen dari APBD", money)


def test_a_short_question_naming_nothing_may_lean_on_the_conversation() -> None:
    previous = Turn("Apa itu SINOVIK?", "Apa itu SINOVIK?", answer_text="...")
    alone = analyse("siapa yang ngelola?", "id", [previous])
    assert not alone.follow_up and alone.names_nothing  # no marker says it leans
    leaning = analyse("siapa yang ngelola?", "id", [previous], follow_up=True)
    assert leaning.follow_up and "sinovik" in leaning.terms
    assert not analyse("Apa itu JIPPNas?", "id", [previous]).names_nothing
    assert not analyse("apa peran hub inovasi bagi instansi di daerah?", "id").names_nothing


def test_a_chat_spelt_opener_marks_a_follow_up() -> None:
    from bot.followup import looks_like_follow_up

    assert looks_like_follow_up("yg dari LAN ada brp?")  # "yang dari LAN …": of the list above
    assert not looks_like_follow_up("Berapa inovasi dari LAN yang tercatat di JIPPNas?")


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("dia dari lembaga mana?", True),  # a person named before
        ("Which institution is she from, and how many ministries sat on that panel?", True),
        ("Kapan Top 45-nya diumumkan?", True),  # "-nya" after a number
        ("Which one does replication belong to?", True),
        ("Siapa yang mengelola JIPPNas?", False),
        ("Who is the head of the innovation hub in Jambi?", False),
        ("Apa itu inovasi?", False),
    ],
)
def test_a_person_or_a_thing_pointed_back_to_marks_a_follow_up(
    question: str, follows: bool
) -> None:
    from bot.followup import looks_like_follow_up

    assert looks_like_follow_up(question) is follows


@pytest.mark.parametrize(
    ("message", "more"),
    [
        ("lebih detail dong", True),
        ("ada lagi?", True),
        ("apa lagi kak?", True),
        ("terus?", True),
        ("Tell me more", True),
        ("what else?", True),
        ("ada lagi inovasi di Jambi?", False),
        ("kalau yang lain di Jawa?", False),
        ("lebih detail soal KIPP 2021 dong", False),
    ],
)
def test_asking_for_more_of_the_last_answer(message: str, more: bool) -> None:
    from bot.followup import asks_for_more

    assert asks_for_more(message) is more


def test_an_ayat_alone_is_of_the_article_asked_about_before() -> None:
    previous = Turn("isi Pasal 9 Perwal Fiktif apa?", "isi Pasal 9 Perwal Fiktif apa?")
    query = analyse("ayat 2 nya?", "id", [previous])
    assert query.follow_up
    assert (query.anchors.article, query.anchors.ayat) == ("9", "2")
    assert analyse("Pasal 4 ayat 2 isinya apa?", "id", [previous]).anchors.article == "4"


@pytest.mark.parametrize(
    ("question", "language", "personal"),
    [
        ("Could you give me the names of the low-vision trainees who graduated?", "en", True),
        ("What are the names of the children served by Pesona Surga?", "en", True),
        ("Sebutkan nama-nama peserta pelatihan barista angkatan pertama", "id", True),
        # officials and innovations are named in public sources
        ("What are the names of the members of the replication team?", "en", False),
        ("Which innovations won, and what are their names?", "en", False),
    ],
)
def test_names_of_the_people_served_are_personal_data(
    question: str, language: Language, personal: bool
) -> None:
    assert ("personal" in analyse(question, language).kinds) is personal


def test_as_of_a_date_is_no_word_to_find() -> None:
    """ "per September 2024" dates the question; "per" is in no passage that answers it."""
    query = analyse("Berapa jumlah hub inovasi per September 2024?", "id")
    assert "per" not in query.terms
    assert {"hub", "september", "2024"} <= set(query.own_terms)


def test_an_english_linking_verb_is_no_word_to_find() -> None:
    query = analyse("Which ministries became central innovation hubs in October 2023?", "en")
    assert "became" not in query.terms and "hub" in query.terms


@pytest.mark.parametrize(
    "question",
    [
        "What is the email address of the JIPPNas helpdesk?",
        "alamat email sekretariat hub inovasi apa ya?",
        "nomor telepon Sentra Wyata Guna berapa?",
    ],
)
def test_a_way_to_reach_someone_is_a_fact_the_answer_must_hold(question: str) -> None:
    """Asked for an e-mail address or a number, a sentence on who they are is no answer."""
    from bot.scoring import kinds_in

    query = analyse(question, detect_language(question))
    assert "contact_detail" in query.slots
    assert not kinds_in("JIPPNas adalah portal nasional inovasi.", query.slots)
    assert kinds_in("Surel: helpdesk@jippnas.go.id, telepon (021) 739-8381.", query.slots)


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("What was Café More's turnover in 2023?", True),
        ("What is the price of a batik ciprat cloth?", True),
        ("What did the grant pay for?", False),
        ("What is Café More?", False),
        ("What is the cash incentive for the district ranked first?", True),
    ],
)
def test_english_asks_an_amount_with_what_too(question: str, money: bool) -> None:
    kinds = analyse(question, "en").kinds
    assert ("money" in kinds) is money
    assert "definition" not in kinds or not money  # an amount, not what the word means


@pytest.mark.parametrize(
    "question",
    [
        "What minimum portion of the project's total cost has to come from the district's budget?",
        "Which share of the grant is paid in the first stage?",
        "What percentage is paid first?",
        "Under Pasal 25, what is the maximum share of the budget that may go to study visits?",
    ],
)
def test_english_asks_a_share_with_what_and_a_qualifier(question: str) -> None:
    """ "What minimum portion of the cost …?" asks a share ("30% …"), not an amount of money."""
    kinds = analyse(question, "en").kinds
    assert "share" in kinds and "money" not in kinds


def test_joining_as_a_hub_is_searched_as_the_sources_say_it() -> None:
    """ "Which provinces joined …?": the sources say "bergabung"."""
    assert "gabung" in analyse("Which provinces joined as innovation hubs in 2023?", "en").terms


def test_a_word_no_passage_holds_is_searched_by_one_of_the_same_meaning() -> None:
    """ "diteken" is what passages write "ditandatangani": a question using it is searched
    by the passages' word and does not count it as unknown; a word of no group stays."""
    from bot.engine import synonym_senses
    from bot.scoring import unknown_share
    from bot.term_weights import TermWeights

    weights = TermWeights({"c1": frozenset({"tandatangan", "janji", "kerja", "bupati"})})
    question = "Kapan perjanjian kerja sama itu diteken bupati?"
    before = analyse(question, "id")
    query = synonym_senses(before, weights)
    assert "tandatangan" in query.own_terms and "teken" not in query.own_terms
    assert "tandatangan" in query.lexical_text.split()
    assert unknown_share(before, weights) > 0 and unknown_share(query, weights) == 0
    fined = analyse("Berapa denda yang dikenakan kepada bupati?", "id")
    assert synonym_senses(fined, weights) == fined
    known = TermWeights({"c1": frozenset({"teken", "tandatangan", "bupati"})})
    assert synonym_senses(before, known) == before


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("pak ajib rakhmawanto itu jabatannya apa sih di kemenpan?", True),
        ("What position did the speaker hold at the time?", True),
        ("Pejabat siapa yang karena jabatannya memimpin forum itu?", False),
        ("Berapa tahun masa jabatan Tim Replikasi?", False),
    ],
)
def test_a_post_asked_for_is_a_fact_the_answer_must_hold(question: str, asked: bool) -> None:
    """Asked what post someone holds, the sentence naming them without one is no answer."""
    from bot.scoring import kinds_in

    query = analyse(question, detect_language(question))
    assert ("position" in query.slots) is asked
    if asked:
        assert "definition" not in query.kinds
        assert not kinds_in("Ajib Rakhmawanto menjelaskan program replikasi.", query.slots)
        assert kinds_in("Unit ini dipimpin oleh Asisten Deputi Ajib Rakhmawanto.", query.slots)


@pytest.mark.parametrize(
    ("question", "unit", "named"),
    [
        (
            "Dengan siapa KemenPANRB menggelar FGD pada Februari 2024?",
            "KemenPANRB menggelar FGD bersama kalangan akademisi.",
            True,
        ),
        (
            "CEISA Barang Kiriman melayani kiriman dari siapa?",
            "Inovasi ini mempercepat pengeluaran paket kiriman dari pekerja migran.",
            True,
        ),
        (
            "Pelatihan barista itu untuk siapa?",
            "Pelatihan barista bagi penyandang disabilitas.",
            True,
        ),
        (
            "Dengan siapa KemenPANRB menggelar FGD pada Februari 2024?",
            "FGD digelar dengan tujuan menyusun pedoman.",
            False,
        ),
        (
            "Siapa yang menggelar FGD?",
            "KemenPANRB menggelar FGD bersama kalangan akademisi.",
            False,
        ),
    ],
)
def test_whom_it_was_done_with_is_answered_by_a_group(
    question: str, unit: str, named: bool
) -> None:
    """ "Dengan siapa …?", "dari siapa?", "untuk siapa?": the people after the same word
    answer, though they are no proper name."""
    from bot.scoring import names_a_companion

    assert names_a_companion(analyse(question, "id"), unit) is named


def test_a_chain_of_follow_ups_keeps_the_topic_not_each_side_asked_about() -> None:
    """After "apa itu BARIS DITEBAS?" → "mitranya siapa?", "kafenya dibuka kapan?" is about
    BARIS DITEBAS, not about its partner; a side that names something is kept."""
    first = analyse("apa itu BARIS DITEBAS?", "id")
    second = analyse("mitranya siapa?", "id", [Turn("apa itu BARIS DITEBAS?", first.search_text)])
    third = analyse("kafenya dibuka kapan?", "id", [Turn("mitranya siapa?", second.search_text)])
    assert "mitra" in second.terms and "tebas" in second.terms
    assert "mitra" not in third.terms and "tebas" in third.terms
    named = analyse(
        "bagaimana dengan Café More?", "id", [Turn("mitranya siapa?", second.search_text)]
    )
    fourth = analyse(
        "dibuka kapan?", "id", [Turn("bagaimana dengan Café More?", named.search_text)]
    )
    assert {"cafe", "tebas"} <= set(fourth.terms)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("How long must an innovation have been running before it may be replicated?", "en"),
        ("Berapa lama uji coba terbatas dilaksanakan?", "id"),
        ("Berapa rentang waktu paling singkat dan paling lama untuk uji coba?", "id"),
        ("brp jangka waktu pendampingan desa?", "id"),
    ],
)
def test_how_long_asks_a_figure_in_either_language(question: str, language: str) -> None:
    """ "How long …?" asks a length of time as "berapa lama …?" does: an answer must hold one.
    "Berapa rentang waktu …?" counts no "rentang": a time answers it."""
    query = analyse(question, language)
    assert "number" in query.slots and asks_duration(query) and not query.counted
