"""Questions that name an article go to it, and answers say which article (or elucidation)
they quote: decided from the regulation's structure, no model needed."""

from __future__ import annotations

import pytest

from bot.compose import article_label
from bot.engine import AnswerEngine, asks_for_the_article
from bot.query import analyse
from bot.scoring import ScoredUnit
from replikasi.records import MetaKey, RetrievedChunk
from replikasi.sentences import Unit

TITLE = "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026 tentang Replikasi Inovasi"


def _chunk(section: str, text: str, **metadata: object) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=f"perwal#{section}",
        doc_id="perwal-fiktif-3-2026.pdf",
        title=TITLE,
        section=section,
        text=text,
        doc_type="regulation",
        source_url="",
        metadata={MetaKey.REG_LABEL: "Perwal Fiktif 3/2026", **metadata},
    )


ARTICLE = _chunk(
    "BAB IV › Pasal 9",
    "(1) Laporan disusun setiap triwulan.\n(2) Laporan disampaikan paling lambat 14 hari.",
    article="Pasal 9",
    article_number="9",
)
ELUCIDATION = _chunk(
    "Penjelasan › Pasal 5",
    "Ayat (1) Cukup jelas. Ayat (2) Yang dimaksud dengan analisis kesenjangan adalah …",
    explains="Pasal 5",
)


def _unit(chunk: RetrievedChunk, text: str) -> ScoredUnit:
    return ScoredUnit(chunk, Unit(text, 0))


def test_article_and_elucidation_labels_name_the_ayat() -> None:
    assert article_label(_unit(ARTICLE, "(2) Laporan disampaikan paling lambat 14 hari.")) == (
        "Pasal 9 ayat (2)"
    )
    assert article_label(_unit(ARTICLE, "Laporan memuat capaian.")) == "Pasal 9"
    elucidation = _unit(ELUCIDATION, "Ayat (2) Yang dimaksud dengan analisis kesenjangan …")
    assert article_label(elucidation) == "Penjelasan Pasal 5 ayat (2)"
    plain = _chunk("Umum", "Replikasi adalah …")
    assert article_label(_unit(plain, "Replikasi adalah …")) == ""


def test_a_question_about_the_article_itself_is_told_from_one_about_a_fact_in_it() -> None:
    def about(question: str) -> bool:
        return asks_for_the_article(analyse(question, "id"), [ARTICLE])

    assert about("isi Pasal 9 apa?")
    assert about("Pasal 9 ayat 2 Perwal Fiktif ngatur apa?")
    # a particular fact asked of the article: the scorer and the answer decision judge it
    assert not about("Menurut Pasal 9, siapa yang menandatangani laporan triwulan?")


def _engine_with(settings, knowledge_copy, fake_embedding, *names: str):
    """An engine over the starter knowledge base and these test regulations (TXT), with
    test embeddings."""
    from bot.engine import AnswerEngine
    from bot.retrieval import HybridRetriever
    from ingest.pipeline import run_ingest
    from tests.regulation_fixtures import write_txt

    for name in names:
        write_txt(knowledge_copy / f"{name}.txt", name)
    assert run_ingest(settings, [knowledge_copy], embedding=fake_embedding).ok
    return AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=fake_embedding))


@pytest.fixture
def two_regulations(settings, knowledge_copy, fake_embedding):
    """The starter knowledge base with the Perwal and the Pergub."""
    from tests.regulation_fixtures import PERGUB, PERWAL

    return _engine_with(settings, knowledge_copy, fake_embedding, PERWAL, PERGUB)


def test_an_article_named_with_little_else_is_looked_up_and_quoted_whole(
    two_regulations,
) -> None:
    """Two regulations with a Pasal 7 each: the one whose number the question gives is
    found by its structure, not by search, and its article comes back whole, ayat by ayat."""
    from tests.regulation_fixtures import PERGUB

    answer = two_regulations.answer("isi Pasal 7 Pergub Contoh 12/2025 apa?")

    assert answer.outcome == "answered"
    assert {c.doc_id for c in answer.citations} == {f"{PERGUB}.txt"}
    for ayat in ("(1)", "(2)", "(3)", "(4)"):
        assert f"Pasal 7 ayat {ayat}" in answer.text
    assert answer.text.index("Pasal 7 ayat (1)") < answer.text.index("Pasal 7 ayat (4)")


def test_an_article_several_regulations_have_is_quoted_from_one_and_the_others_named(
    two_regulations,
) -> None:
    """ "isi Pasal 9 apa?" with a Pasal 9 in the Perwal and in the Pergub: one regulation's
    article, never the two run together, and a note naming the other; naming the
    regulation settles it."""
    from tests.regulation_fixtures import PERGUB, PERWAL

    answer = two_regulations.answer("isi Pasal 9 apa?")
    cited = {c.doc_id for c in answer.citations}
    assert answer.outcome == "answered" and len(cited) == 1
    other = ({f"{PERWAL}.txt", f"{PERGUB}.txt"} - cited).pop()
    other_title = next(d.title for d in two_regulations.documents() if d.doc_id == other)
    assert f"Catatan: Pasal 9 juga ada di {other_title}." in answer.text
    named = two_regulations.answer("isi Pasal 9 Perwal Fiktif apa?")
    assert {c.doc_id for c in named.citations} == {f"{PERWAL}.txt"}
    assert "Catatan" not in named.text


def test_the_model_answering_an_article_several_regulations_have_gets_the_note_too(
    two_regulations,
) -> None:
    """With an LLM the model gets one regulation's Pasal 9, and the answer still says that
    another regulation has one."""
    from bot.llm import LLMAnswerer
    from tests.openai_stub import chat_stub

    with chat_stub() as stub:
        settings = two_regulations.settings.model_copy(
            update={"openai_base_url": stub.base_url, "llm_timeout_seconds": 5.0}
        )
        engine = AnswerEngine(
            settings, retriever=two_regulations.retriever, llm=LLMAnswerer(settings)
        )
        stub.reply("Pasal 9 mengatur hal itu [1].")
        answer = engine.answer("isi Pasal 9 apa?")
    assert answer.mode == "llm" and answer.outcome == "answered"
    assert len({c.doc_id for c in answer.citations}) == 1
    assert "Catatan: Pasal 9 juga ada di" in answer.text


def test_what_a_term_means_is_answered_by_the_regulations_definition(two_regulations) -> None:
    """The definitions article is long and about everything: found by its structure, the
    one item that defines the term is the answer, cited as "Pasal 1 angka 12"."""
    answer = two_regulations.answer("Apa yang dimaksud dengan Klinik Inovasi?")
    assert answer.outcome == "answered"
    assert "wadah layanan konsultasi" in answer.text
    assert "Pasal 1 angka 12" in answer.text


def test_entry_into_force_on_promulgation_answers_when() -> None:
    """ "mulai berlaku pada tanggal diundangkan" is the date a "kapan berlaku?" asks for."""
    from bot.scoring import kinds_in

    asked = frozenset({"date"})
    assert kinds_in("Peraturan ini mulai berlaku pada tanggal diundangkan.", asked) == asked
    assert not kinds_in("Peraturan ini mengatur replikasi inovasi.", asked)


def test_a_fact_asked_of_a_named_ayat_is_answered_from_the_article_not_its_elucidation(
    two_regulations,
) -> None:
    """Pergub Contoh Pasal 3 ayat (3) and its elucidation both speak of personal data: a
    question that names the ayat is answered from the ayat itself, with its article named,
    however little of the question's wording it shares."""
    answer = two_regulations.answer(
        "Pasal 3 ayat (3) Pergub Contoh 12/2025 bilang apa soal data pribadi inovator?"
    )
    assert answer.outcome == "answered"
    assert answer.text.startswith("(3) ")
    assert "Pasal 3 ayat (3)" in answer.text
    # its explanation of what "data pribadi Inovator" is may follow it, never lead
    if "Penjelasan" in answer.text:
        assert answer.text.index("Pasal 3 ayat (3)") < answer.text.index("Penjelasan")


def test_what_a_word_in_a_named_ayat_means_comes_from_its_elucidation(two_regulations) -> None:
    answer = two_regulations.answer(
        "Apa yang dimaksud dengan data pribadi Inovator dalam Pasal 3 ayat (3) Pergub Contoh?"
    )
    assert "nomor induk kependudukan" in answer.text
    assert "Penjelasan Pasal 3 ayat (3)" in answer.text


def test_the_second_part_answered_by_the_first_parts_sentence_is_not_called_unknown(
    two_regulations,
) -> None:
    """ "SIBADI itu apa, siapa pengelolanya?": the definition names both the thing and who
    runs it, so the answer quotes it once and says nothing is unknown."""
    answer = two_regulations.answer("Apa itu SIBADI dan siapa pengelolanya?")
    assert answer.outcome == "answered"
    assert "dikelola BRIDA" in answer.text
    assert answer.text.count("dikelola BRIDA") == 1
    assert "belum diketahui" not in answer.text


def test_an_article_the_regulation_does_not_have_is_said_to_be_absent(two_regulations) -> None:
    """The Pergub ends at Pasal 22: "isi Pasal 40" of it is answered by saying so, cited,
    not by quoting another of its articles that shares its name and year."""
    from tests.regulation_fixtures import PERGUB

    answer = two_regulations.answer("isi Pasal 40 Pergub Contoh 12/2025 apa?")
    assert answer.outcome == "not_known"
    assert "Pergub Contoh 12/2025 yang ada di basis pengetahuan saya tidak memuat Pasal 40" in (
        answer.text
    )
    assert "pasal terakhirnya Pasal 22 [1]" in answer.text
    assert [c.doc_id for c in answer.citations] == [f"{PERGUB}.txt"]
    assert {c.chunk_id for c in answer.citations} <= {c.chunk_id for c in answer.chunks}
    assert "ayat (" not in answer.text  # nothing of the other articles is quoted

    english = two_regulations.answer("What does article 40 say?")
    assert english.outcome == "not_known"
    assert "None of the regulations in my knowledge base has a Pasal 40" in english.text
    assert "Perwal Fiktif 3/2026: up to Pasal 17" in english.text
    assert "Pergub Contoh 12/2025: up to Pasal 22" in english.text


def test_an_ayat_the_article_does_not_have_is_said_to_be_absent(two_regulations) -> None:
    """Perwal Pasal 9 has three ayat: "ayat (7)" gets that said first, then the article."""
    answer = two_regulations.answer("Pasal 9 ayat (7) Perwal Fiktif 3/2026 isinya apa?")
    assert answer.outcome == "not_known"
    assert answer.text.startswith("Pasal 9 Perwal Fiktif 3/2026 tidak memuat ayat (7)")
    assert "(Pasal 9 ayat (2))" in answer.text
    asked = two_regulations.answer("Pasal 9 ayat (2) Perwal Fiktif 3/2026 isinya apa?")
    assert asked.outcome == "answered" and "tidak memuat" not in asked.text


def test_an_article_of_an_act_not_held_is_no_other_acts_article(two_regulations) -> None:
    """ "Pasal 9 UU 25/2009": both regulations held have a Pasal 9, neither is that law's."""
    answer = two_regulations.answer("Pasal 9 UU 25/2009 isinya apa?")
    assert "(Pasal 9" not in answer.text
    assert "tidak memuat" not in answer.text  # the law's text is not held: nothing to say


def test_a_dictum_the_decree_does_not_have_is_said_to_be_absent(decree) -> None:
    answer = decree.answer("isi diktum kesepuluh Kepwal Fiktif 45/2026 apa?")
    assert answer.outcome == "not_known"
    assert "tidak memuat Diktum KESEPULUH: diktum terakhirnya Diktum KETUJUH" in answer.text


def test_the_model_is_not_asked_about_an_article_that_is_not_there(two_regulations) -> None:
    from bot.llm import LLMAnswerer
    from tests.openai_stub import chat_stub

    with chat_stub() as stub:
        settings = two_regulations.settings.model_copy(
            update={"openai_base_url": stub.base_url, "llm_timeout_seconds": 5.0}
        )
        engine = AnswerEngine(
            settings, retriever=two_regulations.retriever, llm=LLMAnswerer(settings)
        )
        answer = engine.answer("Pasal 40 Perwal Fiktif 3/2026 mengatur apa?")
    assert stub.requests == []
    assert answer.outcome == "not_known" and "tidak memuat Pasal 40" in answer.text


def test_a_quoted_ayat_comes_with_the_explanation_of_what_it_says(two_regulations) -> None:
    """Perwal Pasal 5 ayat (2) chooses by "analisis kesenjangan"; its Penjelasan says what
    that is, so the answer quotes it right after the ayat, labelled as the elucidation
    (found by structure: the search never looked for it)."""
    answer = two_regulations.answer("Pasal 5 ayat (2) Perwal Fiktif 3/2026 isinya apa?")
    assert answer.outcome == "answered"
    assert "analisis kesenjangan" in answer.text and "(Pasal 5 ayat (2))" in answer.text
    assert "(Penjelasan Pasal 5 ayat (2))" in answer.text
    assert answer.text.index("(Pasal 5 ayat (2))") < answer.text.index("(Penjelasan Pasal 5")
    assert "Ayat (2) Yang dimaksud" not in answer.text  # the label says which ayat
    assert "Cukup jelas" not in answer.text
    # what is cited is among the passages the answer reports as found (sources, eval)
    assert {c.chunk_id for c in answer.citations} <= {c.chunk_id for c in answer.chunks}


def test_an_explanation_joins_its_ayat_only_when_it_bears_on_it() -> None:
    from bot.compose import Composition
    from bot.elucidation import elucidation_index, with_elucidations

    article = _chunk(
        "BAB II › Pasal 5",
        "(1) Replikasi dilakukan dengan adopsi.\n(2) Cara dipilih dari analisis kesenjangan.",
        article="Pasal 5",
        article_number="5",
        reg_section="article",
    )
    elucidation = _chunk(
        "Penjelasan › Pasal 5",
        'Ayat (1)\nCukup jelas.\nAyat (2)\nYang dimaksud dengan "analisis kesenjangan" '
        "adalah perbandingan kondisi kedua perangkat daerah.",
        explains="Pasal 5",
        reg_section="elucidation",
    )
    index = elucidation_index([article, elucidation])
    query = analyse("Bagaimana cara replikasi dipilih?", "id")

    def composed(text: str) -> list[str]:
        unit = _unit(article, text)
        composition = Composition([unit], unit, frozenset(), frozenset())
        return [u.text for u in with_elucidations(composition, query, index).units]

    second = composed("(2) Cara dipilih dari analisis kesenjangan.")
    assert len(second) == 2 and "perbandingan kondisi" in second[1]
    # ayat (1) is "Cukup jelas.": nothing is added
    assert composed("(1) Replikasi dilakukan dengan adopsi.") == [
        "(1) Replikasi dilakukan dengan adopsi."
    ]


def test_a_bodys_acronym_is_told_from_a_name() -> None:
    """A body's acronym is in nearly every sentence, so alone it does not answer "siapa"
    (a two-part question settles its subject first: see the SIBADI test above); capitalised
    ordinary words ("Pedoman Menteri") are no name either."""
    from bot.scoring import kinds_in, names_a_body

    asked = frozenset({"name"})
    assert not kinds_in("SIBADI adalah aplikasi yang dikelola BRIDA.", asked)
    assert names_a_body("SIBADI adalah aplikasi yang dikelola BRIDA.")
    assert kinds_in("Laporan ditandatangani Ajib Rakhmawanto.", asked) == asked
    assert not kinds_in("Laporan disusun menurut Pedoman Menteri.", asked)


def test_each_ayat_is_a_unit_of_its_own_and_is_labelled_by_its_number() -> None:
    """ "… dengan Keputusan Wali Kota. (2) Tim …": "Kota." is no abbreviation here, the line
    opening "(2)" starts the next ayat, and each is cited as its own ayat."""
    from replikasi.sentences import split_units

    text = (
        "(1) Wali Kota membentuk Tim Replikasi dengan Keputusan Wali Kota.\n"
        "(2) Tim Replikasi berjumlah paling banyak 11 (sebelas) orang yang terdiri atas:\n"
        "a. ketua;\nb. sekretaris; dan\nc. anggota.\n"
        "(3) Masa kerja Tim Replikasi adalah 2 (dua) tahun."
    )
    units = [u.text for u in split_units(text) if not u.detail]
    assert [u[:3] for u in units] == ["(1)", "(2)", "(3)"]
    assert units[1].endswith("c. anggota.")


def test_an_ayat_with_a_numbered_list_is_a_unit_of_its_own() -> None:
    """ "(4) Penilaian dilaksanakan melalui tahapan: 1. …" closing an article: the three ayat
    before it stay units of their own (a question on the jury is answered with ayat (1), not
    the whole article), and the list stays with its lead-in."""
    from replikasi.sentences import split_units

    text = (
        "(1) Penilaian dilakukan oleh dewan juri yang berjumlah paling banyak 7 (tujuh) orang.\n"
        "(2) Dewan juri terdiri atas unsur Pemerintah Daerah dan akademisi.\n"
        "(3) Anggota dewan juri dilarang menilai peserta dari Perangkat Daerahnya sendiri.\n"
        "(4) Penilaian dilaksanakan melalui tahapan:\n"
        "1. pendaftaran;\n2. seleksi administrasi; dan\n3. penetapan pemenang.\n"
        "(5) Hasil penilaian diumumkan."
    )
    units = [u.text for u in split_units(text) if not u.detail]
    assert [u[:3] for u in units] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert units[3].endswith("3. penetapan pemenang.")


def test_a_regulations_lettered_points_are_a_list() -> None:
    """ "apa saja?" is answered by "memuat paling sedikit: a. …; b. …", run on or one point
    per line."""
    from bot.scoring import kinds_in

    asked = frozenset({"list"})
    run_on = "(2) Proposal paling sedikit memuat: a. bentuk inovasi; b. biaya; dan c. indikator."
    assert kinds_in(run_on, asked) == asked
    assert kinds_in("Inovasi berdasarkan prinsip:\na. efisiensi;\nb. efektivitas;", asked)
    assert not kinds_in("(1) Laporan disusun setiap triwulan.", asked)


def test_an_ayat_number_or_a_reference_is_no_quantity() -> None:
    """ "Berapa rupiah …?" is not answered by "(2) … kategori: a. …" or "dalam Pasal 12
    ayat (1)": the ayat's own number and references to others count nothing."""
    from bot.scoring import kinds_in

    asked = frozenset({"number"})
    assert not kinds_in("(2) Anugerah diberikan untuk kategori: a. replikator terbaik;", asked)
    assert not kinds_in("Laporan sebagaimana dimaksud dalam Pasal 12 ayat (1) disampaikan.", asked)
    assert kinds_in("(1) Dilaporkan paling lama 14 (empat belas) hari kerja.", asked) == asked


def test_a_role_is_no_name() -> None:
    """ "Siapa saja nama anggota …?" is not answered by "dijabat oleh Kepala BRIDA"."""
    from bot.scoring import kinds_in

    asked = frozenset({"name"})
    assert not kinds_in("a. ketua, dijabat oleh Kepala BRIDA; b. sekretaris", asked)
    assert kinds_in("Acara dibuka oleh Ajib Rakhmawanto.", asked) == asked


def test_a_word_an_elucidation_defines_is_answered_from_it(two_regulations) -> None:
    """ "Yang dimaksud dengan "analisis kesenjangan" adalah …" in the Penjelasan of Pasal 5
    is the regulation's definition: the answer, cited as that elucidation."""
    answer = two_regulations.answer("Apa yang dimaksud dengan analisis kesenjangan?")
    assert answer.outcome == "answered"
    assert "perbandingan antara kondisi sumber daya manusia" in answer.text
    assert "Penjelasan Pasal 5 ayat (2)" in answer.text


def test_only_the_terms_own_definition_counts_as_stating_it() -> None:
    from bot.definitions import states_definition

    elucidation = _chunk(
        "Penjelasan › Pasal 5", 'Ayat (2) Yang dimaksud dengan "analisis kesenjangan" adalah …'
    )
    elucidation = RetrievedChunk(
        **{**elucidation.__dict__, "metadata": {**elucidation.metadata, "explains": "Pasal 5"}}
    )
    asked = analyse("Apa yang dimaksud dengan analisis kesenjangan?", "id")
    other = analyse("Apa yang dimaksud dengan analisis risiko?", "id")
    text = 'Ayat (2) Yang dimaksud dengan "analisis kesenjangan" adalah perbandingan …'
    assert states_definition(text, elucidation, asked)
    assert not states_definition(text, elucidation, other)
    assert not states_definition("(1) Laporan disusun setiap triwulan.", ARTICLE, asked)


@pytest.fixture
def decree(settings, knowledge_copy, fake_embedding):
    """The starter knowledge base with the Perwal and a decree of the same city."""
    from tests.regulation_fixtures import KEPWAL, PERWAL

    return _engine_with(settings, knowledge_copy, fake_embedding, PERWAL, KEPWAL)


def test_a_decrees_dictum_is_its_article(decree) -> None:
    """A Keputusan decides in dictums: a question naming one ("diktum kedua") gets that
    dictum whole, named in the text, and not the Perwal's Pasal 2."""
    from tests.regulation_fixtures import KEPWAL

    answer = decree.answer("isi diktum kedua Kepwal Fiktif 45/2026 apa?")
    assert answer.outcome == "answered"
    assert {c.doc_id for c in answer.citations} == {f"{KEPWAL}.txt"}
    assert "(Diktum KEDUA)" in answer.text
    assert "menyusun daftar inovasi" in answer.text
    assert "Pasal 2" not in answer.text
    assert any("Diktum KEDUA" in c.label() for c in answer.citations)


def test_asked_whether_a_decree_is_still_used_the_dictum_on_its_force_answers(decree) -> None:
    """ "masih dipake?" shares no word with "Keputusan ini … berlaku sampai dengan …": it is
    read as a question on the decree's force, which that dictum states."""
    answer = decree.answer("SK tim replikasi masih kepake gak?")
    assert answer.outcome == "answered"
    assert "31 Desember 2026" in answer.text
    assert "(Diktum KETUJUH)" in answer.text


@pytest.mark.parametrize(
    ("question", "frame"),
    [
        ("Apa dasar hukum Perwal Fiktif 3/2026?", "Mengingat"),
        ("dasar hukum peraturan ini apa aja?", "Mengingat"),
        ("What is the legal basis of the Kota Fiktif mayoral regulation?", "Mengingat"),
        ("Mengapa peraturan wali kota ini dibuat?", "Menimbang"),
        ("Kapan Pergub Contoh ditetapkan?", "Penutup"),
        ("Who signed this decree?", "Penutup"),
        ("When was the regent's regulation on innovation replication signed?", "Penutup"),
        # a fact in the articles, or no particular regulation named
        ("Siapa yang ditetapkan sebagai ketua Klinik Inovasi menurut Pergub Contoh?", ""),
        ("Apa saja peraturan yang menjadi dasar hukum inovasi?", ""),
        ("Kapan laporan replikasi disampaikan menurut Perwal Fiktif?", ""),
        ("kapan ditetapkan?", ""),  # names no regulation, nor is there a conversation
        ("Apa judul lengkap Perwal Fiktif 3/2026?", "Judul"),
        ("Perwal Fiktif 3/2026 itu tentang apa?", "Judul"),
        ("perbup lembah hijau ngatur apa sih?", "Judul"),
        ("What is the Kota Fiktif mayoral regulation about?", "Judul"),
        ("Pasal 2 Perwal Fiktif ngatur apa?", ""),  # an article's content
        ("kapan Perwal Fiktif 3/2026 mulai berlaku?", "Mulai berlaku"),
        ("When does the mayoral regulation take effect?", "Mulai berlaku"),
        ("sampai kapan Kepwal 45/2026 berlaku?", "Mulai berlaku"),
        ("kapan hibah berlaku menurut Perbup Fiksi?", ""),  # what it rules on, not itself
        ("Kapan Perbup Fiksi 7/2024 diundangkan?", "Penutup"),
        # its enactment as the moment a deadline runs from, and an agreement signed
        ("Paling lambat kapan tim dibentuk setelah peraturan tersebut diundangkan?", ""),
        ("Once the Regent has issued the decree, how soon must the team meet?", ""),
        ("Under this regulation, how long do the two sides have to sign their agreement?", ""),
        ("Menurut Perwal ini, siapa yang menandatangani perjanjian kerja sama?", ""),
    ],
)
def test_a_question_on_a_regulations_frame_is_told_from_one_on_its_articles(
    question: str, frame: str
) -> None:
    assert analyse(question, "id").frame == frame


@pytest.mark.parametrize(
    ("question", "regulation", "expected", "section"),
    [
        ("Apa dasar hukum Perwal Fiktif 3/2026?", "PERWAL", "Undang-Undang Nomor 25", "Mengingat"),
        ("Kapan Pergub Contoh 12/2025 ditetapkan?", "PERGUB", "17 Maret 2025", "Penutup"),
        ("Mengapa Perwal Fiktif 3/2026 dibuat?", "PERWAL", "bahwa", "Menimbang"),
    ],
)
def test_the_legal_basis_reasons_and_enactment_come_from_the_regulations_frame(
    two_regulations, question: str, regulation: str, expected: str, section: str
) -> None:
    """Such questions share few words with the part that answers them: it is looked up
    by the regulation's structure, of the regulation the question names."""
    from tests import regulation_fixtures

    answer = two_regulations.answer(question)
    assert answer.outcome == "answered" and expected in answer.text
    if section == "Penutup":  # the signing formula said in one sentence, not laid out
        assert "oleh Gubernur Contoh, Rahmat Hidayat Sudirja" in answer.text
        assert "ttd" not in answer.text
    name = getattr(regulation_fixtures, regulation)
    assert {c.doc_id for c in answer.citations} == {f"{name}.txt"}
    assert any(section in c.label() for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    ["Perwal Fiktif 3/2026 itu tentang apa?", "Apa judul lengkap Perwal Fiktif 3/2026?"],
)
def test_what_a_regulation_is_about_is_its_title(two_regulations, question: str) -> None:
    """Its heading block, said as the title read at ingest: a definition from its Pasal 1
    ("Wali Kota adalah Wali Kota Fiktif") is no answer, nor the heading in capitals."""
    from tests.regulation_fixtures import PERWAL

    answer = two_regulations.answer(question)
    assert answer.outcome == "answered"
    assert answer.text.startswith(
        "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026 tentang Replikasi Inovasi Pelayanan"
    )
    assert "PERATURAN WALI KOTA" not in answer.text and "adalah" not in answer.text
    assert {c.doc_id for c in answer.citations} == {f"{PERWAL}.txt"}


def test_a_regulations_outline_and_a_chapter_are_told_from_its_structure(
    two_regulations,
) -> None:
    """ "ringkasan …" meets no one passage (searched, it found the closing article): the
    chapters come from the section paths, in order, each cited."""
    from tests.regulation_fixtures import PERWAL

    answer = two_regulations.answer("ringkasan Perwal Fiktif 3/2026 dong")
    assert answer.outcome == "answered"
    assert "terdiri atas 17 pasal dalam 7 bab:" in answer.text
    lines = [line for line in answer.text.splitlines() if line.startswith("- BAB")]
    assert lines[0].startswith("- BAB I Ketentuan Umum (Pasal 1–2) [1]")
    assert lines[-1].startswith("- BAB VII Ketentuan Penutup (Pasal 17)")
    assert {c.doc_id for c in answer.citations} == {f"{PERWAL}.txt"}

    chapter = two_regulations.answer("isi BAB III Perwal Fiktif apa?")
    assert chapter.text.startswith("BAB III Tim Replikasi Inovasi Perwal Fiktif 3/2026 memuat")
    assert "- Pasal 9: (1) Wali Kota membentuk Tim Replikasi" in chapter.text
    assert chapter.citations[0].label().endswith("Pasal 9")


def test_when_a_regulation_takes_effect_is_said_with_when_it_was_promulgated(
    two_regulations,
) -> None:
    """ "mulai berlaku pada tanggal diundangkan" needs the date it was promulgated, which
    only its closing holds."""
    from tests.regulation_fixtures import PERWAL

    answer = two_regulations.answer("kapan Perwal Fiktif 3/2026 mulai berlaku?")
    assert answer.outcome == "answered"
    assert "mulai berlaku pada tanggal diundangkan (Pasal 17)" in answer.text
    assert "diundangkan di Kota Fiktif pada tanggal 13 Februari 2026" in answer.text
    assert {c.doc_id for c in answer.citations} == {f"{PERWAL}.txt"}


def test_the_frame_of_a_regulation_the_sources_do_not_hold_is_not_anothers(decree) -> None:
    answer = decree.answer("Kapan Perbup Lembah Hijau mulai berlaku?")
    assert answer.outcome != "answered"


def test_a_follow_up_pointing_at_one_of_an_articles_points_is_about_that_point(
    two_regulations,
) -> None:
    """Pasal 3 lists the stages in one line ("a. …; b. …; c. pelaksanaan replikasi; dan d.
    …"): "yang ketiga maksudnya apa?" asks about the third, which Pasal 7 rules on."""
    from replikasi.records import Turn

    first = two_regulations.answer("Apa saja tahapan replikasi menurut Perwal Fiktif 3/2026?")
    assert "c. pelaksanaan replikasi" in first.text
    follow = two_regulations.answer("yang ketiga maksudnya apa?", [Turn.of(first)])
    assert follow.outcome == "answered"
    assert "Pelaksanaan replikasi dilakukan paling lama 6 (enam) bulan" in follow.text


def test_a_decrees_outline_lists_its_dictums(decree) -> None:
    answer = decree.answer("ringkasan Keputusan Wali Kota Fiktif 45/2026 dong")
    assert answer.outcome == "answered"
    assert "terdiri atas 7 diktum:" in answer.text
    assert "- Diktum KESATU: Membentuk Tim Replikasi" in answer.text
    assert "- Diktum KETUJUH:" in answer.text and len(answer.citations) == 7


def test_the_frame_is_not_quoted_for_a_question_on_the_articles(decree) -> None:
    """A question spelling out the decree's full name meets its heading block and its
    signature best; the answer quotes the dictum instead."""
    answer = decree.answer(
        "Keputusan Wali Kota Fiktif Nomor 45 Tahun 2026 membentuk tim apa, dan apa tugasnya?"
    )
    assert "ttd" not in answer.text and "PROVINSI NUSANTARA FIKTIF" not in answer.text


def test_a_follow_up_on_the_legal_basis_reads_the_regulation_asked_about(
    two_regulations,
) -> None:
    """ "dasar hukumnya apa?" after a question on Pasal 5 of the Perwal: its Mengingat, not
    Pasal 5 again (the article the follow-up carries over)."""
    from replikasi.records import Turn
    from tests.regulation_fixtures import PERWAL

    first = two_regulations.answer("Apa isi Pasal 5 Perwal Fiktif 3/2026?")
    follow = two_regulations.answer("dasar hukumnya apa?", [Turn.of(first)])
    assert follow.outcome == "answered" and "Undang-Undang Nomor 25" in follow.text
    assert {c.doc_id for c in follow.citations} == {f"{PERWAL}.txt"}
    assert all("Mengingat" in c.label() for c in follow.citations)


def test_a_bare_when_enacted_after_a_question_on_a_regulation_reads_its_closing(
    two_regulations,
) -> None:
    """ "kapan ditetapkan?" has no subject: it asks about the regulation just discussed,
    whose closing holds the date."""
    from replikasi.records import Turn
    from tests.regulation_fixtures import PERWAL

    first = two_regulations.answer("Apa isi Pasal 5 Perwal Fiktif 3/2026?")
    follow = two_regulations.answer("kapan ditetapkan?", [Turn.of(first)])
    assert follow.outcome == "answered"
    assert {c.doc_id for c in follow.citations} == {f"{PERWAL}.txt"}
    assert all("Penutup" in c.label() for c in follow.citations)


def test_an_ayat_asked_next_is_of_the_article_quoted_before(two_regulations) -> None:
    from replikasi.records import Turn
    from tests.regulation_fixtures import PERWAL

    first = two_regulations.answer("isi Pasal 9 Perwal Fiktif 3/2026 apa?")
    follow = two_regulations.answer("ayat 3 nya?", [Turn.of(first)])
    assert follow.outcome == "answered"
    assert {c.doc_id for c in follow.citations} == {f"{PERWAL}.txt"}
    assert "Pasal 9 ayat (3)" in follow.text and "Pasal 9 ayat (1)" not in follow.text


def test_an_ayat_is_held_when_a_line_of_the_article_opens_it() -> None:
    """An article read as one unit (its last ayat introduces a numbered list) still has
    each of its ayat: asking for ayat (4) is no question about a missing one."""
    from bot.engine import _holds_ayat

    article = _chunk(
        "BAB V › Pasal 19",
        "(1) Penilaian oleh dewan juri.\n(4) Penilaian melalui tahapan:\n1. pendaftaran;",
        article="Pasal 19",
        ayat="1,4",  # as ingest records the ayat opening a line of the passage
    )
    assert _holds_ayat(article, "4") and _holds_ayat(article, "1")
    assert not _holds_ayat(article, "2") and not _holds_ayat(article, "6")


def test_a_long_article_is_read_for_the_one_ayat_that_answers(
    settings, knowledge_copy, fake_embedding
) -> None:
    """Pasal 4 holds a list of criteria and, last, the deadline for proposals: as a whole it
    ranks below shorter articles with deadlines of their own, but its ayat is the sentence
    nearest the question, so the article is read for the answer."""
    from tests.regulation_fixtures import PERWAL

    engine = _engine_with(settings, knowledge_copy, fake_embedding, PERWAL)
    question = "Tanggal berapa paling lambat usulan inovasi disampaikan kepada Tim Replikasi?"
    passages = engine.find(analyse(question, "id"), 1).chunks

    assert passages[0].article != "Pasal 4"  # ranked below …
    assert "Pasal 4" in {p.article for p in passages}  # … and read all the same
    answer = engine.answer(question, k=1)
    assert "31 Januari" in answer.text and "(Pasal 4 ayat (3))" in answer.text


def test_a_regulation_named_by_its_short_number_is_nothing_unknown(two_regulations) -> None:
    """ "Pergub Contoh 12/2025" is written "Nomor 12 Tahun 2025" in the regulation: naming it
    so is no unknown name; a number no indexed regulation has is."""

    def unknown(question: str) -> float:
        return two_regulations.find(analyse(question, "id"), 5).signals["unknown_entity"]

    assert unknown("Apa isi Pasal 7 Pergub Contoh 12/2025?") == 0.0
    assert unknown("Apa isi Pasal 7 Pergub Contoh 99/2025?") == 1.0


def test_a_post_answers_who_but_not_a_persons_name(two_regulations) -> None:
    """The Pergub names the post that chairs its clinic ("dijabat oleh Kepala BRIDA"): that
    answers who chairs it, not what the chair's name is, which it does not hold."""
    who = two_regulations.answer("Siapa ketua Klinik Inovasi menurut Pergub Contoh?")
    assert who.outcome == "answered" and "Kepala BRIDA" in who.text
    name = two_regulations.answer("Siapa nama ketua Klinik Inovasi menurut Pergub Contoh?")
    assert name.outcome != "answered"


@pytest.mark.parametrize(
    "question",
    [
        "Menurut Perwal Fiktif Nomor 3 Tahun 2026, berapa lama laporan harus disampaikan?",
        "berapa lama laporan harus disampaikan menurut perwal 3/2026?",
    ],
)
def test_the_name_of_the_regulation_asked_from_is_where_to_look_not_what_to_find(
    question: str,
) -> None:
    """The words naming the regulation a question is asked of weigh like carried words once
    it is among the candidates: the answer is decided by what is asked ("laporan",
    "sampai"), neither by a sentence repeating the regulation's name nor by that name's
    length. A regulation no candidate comes from keeps every word (it may be one the
    sources lack)."""
    from bot.engine import named_document_found

    query = analyse(question, "id")
    found = named_document_found(query, [ARTICLE])
    assert {"atur", "wali", "kota"} <= set(query.own_terms)
    assert not {"atur", "wali", "kota", "3", "2026"} & set(found.own_terms)
    assert {"lapor", "sampai"} <= set(found.own_terms)
    other = _chunk("BAB I › Pasal 1", "Dalam Peraturan ini …")
    other = RetrievedChunk(**{**other.__dict__, "title": "Peraturan Bupati Fiksi Nomor 7"})
    assert named_document_found(query, [other]).terms == query.terms


@pytest.mark.parametrize(
    "question",
    [
        "Tanggal berapa Perwal Fiktif Nomor 3 Tahun 2026 ditetapkan?",
        "Perwal Fiktif Nomor 3 Tahun 2026 mencabut peraturan yang mana?",
    ],
)
def test_a_regulation_asked_about_keeps_the_words_naming_it(question: str) -> None:
    """Asked about itself (when it was enacted, what it revokes), the regulation is what the
    question needs an answer to hold, so its name keeps its full weight."""
    from bot.engine import named_document_found

    query = analyse(question, "id")
    assert named_document_found(query, [ARTICLE]).terms == query.terms


def test_an_article_cited_for_what_it_speaks_of_is_not_the_one_asked() -> None:
    """ "… digunakan untuk keperluan yang dilarang sebagaimana dimaksud dalam Pasal 19 ayat
    (3), dalam jangka waktu berapa …?" cites Pasal 19 as regulations cite one another: the
    answer is in the article citing it, so the question is not sent to Pasal 19."""
    cited = analyse(
        "Apabila hibah digunakan untuk keperluan yang dilarang sebagaimana dimaksud dalam "
        "Pasal 19 ayat (3), dalam jangka waktu berapa lama dana wajib dikembalikan?",
        "id",
    )
    assert not cited.anchors.article and not cited.anchors.ayat
    assert analyse("isi Pasal 19 ayat (3) apa?", "id").anchors.article == "19"
    both = analyse("Pasal 27 mengatur sanksi sebagaimana dimaksud dalam Pasal 19?", "id")
    assert both.anchors.article == "27"


def test_a_count_is_not_answered_by_a_date() -> None:
    """ "Berapa jumlah maksimal inovasi dalam Katalog?" is not answered by "paling lambat
    tanggal 31 Januari": a day of a month, or a month and its year, counts nothing."""
    from bot.scoring import kinds_in

    asked = analyse("Berapa jumlah maksimal inovasi dalam Katalog setiap tahun?", "id").slots
    assert asked == {"number"}
    assert not kinds_in("Katalog ditetapkan paling lambat tanggal 31 Januari setiap tahun.", asked)
    assert not kinds_in("Katalog diperbarui pada Juli 2026.", asked)
    assert kinds_in("Katalog memuat paling banyak 20 (dua puluh) inovasi.", asked) == asked
