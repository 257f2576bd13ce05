"""The offline composer on hand-made passages: which units make the answer, in which order,
and how they are cited (no model: units are scored by their lexical and kind evidence)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import pytest

from bot.answerability import default_calibration
from bot.compose import compose
from bot.query import Query, analyse
from bot.retrieval import convex_fusion
from bot.scoring import Evidence, LinearSentenceScorer, ScoredUnit, candidate_units
from bot.strategies import write_extractive
from bot.term_weights import TermWeights
from replikasi.indonesian import tokenize
from replikasi.records import Answer, RetrievedChunk, Turn

PASSAGES = {
    "hub": (
        "Hub Inovasi",
        "Jumlah hub",
        "Hub inovasi dibentuk untuk membina inovasi di daerah. Pada Oktober 2023 terbentuk 34 "
        "hub, terdiri dari 22 hub daerah dan 12 hub pusat. Dengan penambahan ini, hub pusat "
        "mulai berperan. Saat ini sudah terbentuk 54 hub, terdiri dari 18 hub pusat dan 36 hub "
        "daerah. Hub dipilih berdasarkan komitmen pimpinan.",
    ),
    "kipp": (
        "KIPP",
        "Sejarah",
        "Kompetisi Inovasi Pelayanan Publik diselenggarakan sejak 2014. Pada 2024 tidak ada KIPP.",
    ),
    "batik": (
        "Sheltered Workshop Peduli",
        "Batik ciprat",
        "Batik ciprat dijual sekitar Rp120.000 sampai Rp160.000 per lembar.",
    ),
    "sanksi": (
        "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026",
        "BAB V SANKSI › Pasal 15",
        "(1) Kepala Perangkat Daerah yang tidak menyampaikan laporan replikasi dikenai sanksi "
        "administratif.\n"
        "(2) Sanksi administratif sebagaimana dimaksud pada ayat (1) berupa:\n"
        "a. teguran lisan;\nb. teguran tertulis; dan\n"
        "c. penundaan pembahasan usulan replikasi berikutnya.\n"
        "(3) Laporan sebagaimana dimaksud pada ayat (1) disampaikan kepada Tim Replikasi "
        "setiap akhir triwulan dan dicatat oleh sekretariat tim dalam buku register.",
    ),
    "tahapan": (
        "KIPP",
        "Penilaian",
        "Tahapan penilaian Kompetisi Inovasi Pelayanan Publik (KIPP) 2025:\n"
        "- Penilaian proposal dilakukan oleh akademisi dari 10 perguruan tinggi pada Juli 2025.\n"
        "- Sebanyak 273 finalis kemudian dinilai oleh tim panel independen yang diketuai "
        "R. Siti Zuhro dari Badan Riset dan Inovasi Nasional (BRIN).\n"
        "- Prinsip penilaian: dampak inovasi bagi masyarakat dan kelayakan untuk diperluas.",
    ),
    "perwal": (
        "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026",
        "BAB IV PELAPORAN › Pasal 9",
        "(1) Perangkat daerah replikator menyusun laporan pelaksanaan replikasi.\n"
        "(2) Laporan disampaikan paling lambat 14 (empat belas) hari kerja setelah akhir "
        "triwulan.",
    ),
}


def _chunks(order: list[str]) -> list[RetrievedChunk]:
    chunks = []
    for rank, key in enumerate(order, start=1):
        title, section, text = PASSAGES[key]
        number = {"perwal": 9, "sanksi": 15}.get(key)
        metadata = {"article": f"Pasal {number}", "article_number": number} if number else {}
        chunks.append(
            RetrievedChunk(
                chunk_id=f"{key}#0",
                doc_id=key,
                title=title,
                section=section,
                text=text,
                doc_type="regulation" if number else "program",
                source_url="",
                metadata=metadata,
                rank=rank,
                score=1.0 / (60 + rank),
            )
        )
    return chunks


def _scored(
    question: str, order: list[str], history: Sequence[Turn] = ()
) -> tuple[list[ScoredUnit], Query]:
    weights = TermWeights({k: frozenset(tokenize(" ".join(v))) for k, v in PASSAGES.items()})
    query = analyse(question, "id", list(history), follow_up=bool(history))
    units = candidate_units(query, _chunks(order), Evidence(weights, None, {}))
    scorer = LinearSentenceScorer(default_calibration().unit_scorer)
    return scorer.score(query, units), query


def test_picks_the_sentence_that_answers_not_the_whole_passage():
    scored, query = _scored("Berapa jumlah hub inovasi saat ini?", ["hub", "kipp", "batik"])
    composition = compose(query, scored)
    texts = [u.text for u in composition.units]
    assert "54 hub" in texts[0], "the current figure leads"
    assert all("Batik" not in t and "2014" not in t for t in texts)


def test_a_unit_that_refers_back_comes_with_its_antecedent():
    scored, query = _scored("hub pusat mulai berperan kapan?", ["hub"])
    composition = compose(query, scored)
    texts = [u.text for u in composition.units]
    referring = next(i for i, t in enumerate(texts) if t.startswith("Dengan penambahan ini"))
    assert referring > 0 and "34 hub" in texts[referring - 1]


@pytest.mark.parametrize(
    ("opening", "refers_back"),
    [
        ("Untuk hal-hal tersebut, rujuk teks resmi Pedoman 6/2024 di JDIH.", True),
        ("Pada tahun itu KIPP tidak diselenggarakan.", True),
        ("Sejak saat itu layanan dibuka untuk umum.", True),
        ("Dengan penambahan ini, hub pusat berjumlah 18.", True),
        ("Hingga saat ini ada 54 hub inovasi.", False),
        ("Saat ini ada 54 hub inovasi.", False),
        ("KemenPANRB menyebut ini sebagai praktik terbaik.", True),
        ("Replikasi berarti menyebarkan inovasi ke instansi lain.", False),
    ],
)
def test_a_sentence_opening_on_what_came_before_is_told_by_its_first_words(
    opening: str, refers_back: bool
) -> None:
    """ "Untuk hal-hal tersebut, …" cannot open an answer without the list it points to;
    "Hingga saat ini …" (until now) points at nothing."""
    from bot.compose import _ANAPHORIC_START

    assert bool(_ANAPHORIC_START.match(opening)) is refers_back


def test_a_follow_up_on_one_thing_in_a_list_just_shown_gets_the_line_that_holds_it():
    """ "Tahapan penilaian KIPP 2025: - … - … diketuai R. Siti Zuhro …" is one unit (the list
    with its lead-in). Asked who chaired the panel, the list is the answer; asked again in a
    follow-up, the line that holds it is, not the whole list once more."""
    first, query = _scored("Siapa ketua tim panel independen KIPP 2025?", ["tahapan", "hub"])
    shown = compose(query, first)
    assert "Prinsip penilaian" in shown.units[0].text
    answer = Answer(question=query.text, language="id", text="")
    write_extractive(answer, shown)
    history = [Turn(query.text, query.text, answer.citations, answer_text=answer.text)]
    scored, query = _scored("dia dari lembaga mana?", ["tahapan", "hub"], history)
    composition = compose(query, scored)
    answer = Answer(question=query.text, language="id", text="")
    write_extractive(answer, composition)
    assert answer.text == (
        "Tahapan penilaian Kompetisi Inovasi Pelayanan Publik (KIPP) 2025: … Sebanyak 273 "
        "finalis kemudian dinilai oleh tim panel independen yang diketuai R. Siti Zuhro dari "
        "Badan Riset dan Inovasi Nasional (BRIN). [1]"
    )


def test_a_question_for_the_list_gets_the_whole_list():
    scored, query = _scored("Apa saja tahapan penilaian KIPP 2025?", ["tahapan", "hub"])
    composition = compose(query, scored)
    lead = composition.units[0].text
    assert lead.startswith("Tahapan penilaian") and "Prinsip penilaian" in lead


def test_budget_limits_answer_length():
    scored, query = _scored("hub inovasi", ["hub", "kipp", "batik"])
    composition = compose(query, scored, budget=120)
    assert sum(len(u.text) for u in composition.units) <= 120 or len(composition.units) <= 2


def test_unrelated_question_has_low_lexical_evidence():
    scored, _ = _scored("resep rendang padang", ["hub", "kipp", "batik"])
    assert max(u.features["lex"] for u in scored) < 0.3


def test_number_question_prefers_a_unit_with_a_number():
    scored, query = _scored("Berapa harga batik ciprat?", ["batik", "hub"])
    composition = compose(query, scored)
    assert composition.best is not None and re.search(r"\d", composition.best.text)
    assert "number" in composition.kinds


def test_regulation_answer_names_the_article_and_ayat():
    scored, query = _scored("Kapan laporan replikasi disampaikan?", ["perwal", "kipp"])
    answer = Answer(question=query.text, language="id", text="")
    write_extractive(answer, compose(query, scored))
    assert "14 (empat belas) hari kerja setelah akhir triwulan (Pasal 9 ayat (2)) [1]" in (
        answer.text
    )
    assert answer.citations[0].article == "Pasal 9"


def test_an_ayat_that_only_names_a_sanction_comes_with_the_ayat_that_spells_it_out():
    """ "(1) … dikenai sanksi administratif." answers "what sanction?" only with "(2) Sanksi
    administratif sebagaimana dimaksud pada ayat (1) berupa: a. …", however the two score."""
    scored, query = _scored(
        "Apa sanksi bagi kepala perangkat daerah yang tidak melapor?",
        ["sanksi", "kipp"],
    )
    answer = Answer(question=query.text, language="id", text="")
    write_extractive(answer, compose(query, scored))
    assert "dikenai sanksi administratif" in answer.text
    assert "teguran lisan" in answer.text and "(Pasal 15 ayat (2))" in answer.text
    # an ayat referring back without spelling anything out is not pulled in for that
    assert "buku register" not in answer.text


def test_fusion_rewards_agreement_and_a_keyword_match_far_ahead():
    dense = {"a": 0.86, "b": 0.85, "c": 0.84}
    fused = convex_fusion(dense, {"b": 3.0, "d": 2.0, "a": 1.0})
    assert fused["b"] > fused["c"] and fused["a"] > fused["d"]
    # a passage no dense candidate beats by much, whose keywords match twice as well as
    # any other's, comes first (reciprocal rank fusion put it 10th in such a case)
    close = {"a": 0.86, "b": 0.855, "c": 0.85, "e": 0.85, "f": 0.83, "g": 0.82}
    fused = convex_fusion(close, {"e": 5.0, "a": 1.5, "b": 1.4})
    assert max(fused, key=fused.__getitem__) == "e"


def test_a_count_must_stand_next_to_the_counted_word() -> None:
    from bot.scoring import slot_bound

    query = analyse("Berapa peserta sosialisasi itu?", "id")
    assert slot_bound(query, "Kegiatan itu diikuti 623 peserta dari seluruh Indonesia.")
    assert not slot_bound(query, "Sosialisasi diadakan pada 30 September 2024 di Jakarta.")
    assert not slot_bound(query, "1. Peserta dari instansi pusat hadir secara luring.")
    # an amount of money is a figure too, however it is written
    money = analyse("Berapa omzet Café More pada tahun 2023?", "id")
    assert slot_bound(money, "omzet Café More sekitar Rp62 juta pada tahun 2023.")
    assert slot_bound(money, "Omzet kafe paling banyak Rp40.000.000,00 setiap tahun.")
    assert not slot_bound(money, "Café More dibuka pada tahun 2019.")
    # what is counted, not whose: a number next to the innovation's name counts other things
    served = analyse("Berapa jumlah anak yang dilayani Pesona Surga?", "id")
    assert not slot_bound(served, "Pesona Surga masuk Top 99 KIPP 2018.")
    assert slot_bound(served, "Pesona Surga telah melayani 120 anak telantar.")
    # the name is passed over between the counted word and its figure
    named = analyse("Berapa omzet Café More Wyata Guna pada tahun 2023?", "id")
    assert slot_bound(named, "omzet Café More Wyata Guna sekitar Rp62 juta pada tahun 2023.")


def test_a_count_written_out_binds_the_word_it_counts() -> None:
    """ "memiliki tiga bentuk" answers "ada berapa bentuk?"; "delapan inovasi … untuk
    direplikasi" does not answer how many regions replicated one."""
    from bot.scoring import slot_bound

    forms = analyse("replikasi ada berapa bentuk sih?", "id")
    assert slot_bound(
        forms, "Replikasi inovasi memiliki tiga bentuk: adopsi, adaptasi, modifikasi."
    )
    assert not slot_bound(forms, "Salah satu bentuk replikasi adalah adopsi.")
    regions = analyse("Berapa daerah yang sudah mereplikasi Layanan Darurat?", "id")
    named = "KemenPANRB menyebut delapan inovasi untuk direplikasi, antara lain Layanan Darurat."
    assert not slot_bound(regions, named)


def test_a_count_stands_next_to_the_noun_it_counts() -> None:
    """The number answering "brp inovasi …?" counts innovations: the figure next to another
    of the question's words ("dlm setahun", "kena denda … replikasi") counts something
    else. A class is counted by its members ("brp daerah?": "59 kabupaten/kota")."""
    from bot.scoring import slot_bound

    per_year = analyse("satu dinas boleh ngusulin brp inovasi buat direplikasi dlm setahun?", "id")
    assert not slot_bound(per_year, "(1) Dinas menyelenggarakan LIDEK setiap 1 (satu) tahun.")
    assert slot_bound(
        per_year,
        "(4) Setiap Perangkat Daerah dapat mengusulkan paling banyak 3 (tiga) Replikasi "
        "Inovasi dalam 1 (satu) tahun.",
    )
    fine = analyse("klo kabupaten telat lapor replikasi kena denda brp rupiah ya?", "id")
    grant = "(2) BKKR diberikan paling banyak Rp60.000.000,00 untuk setiap Replikasi."
    assert not slot_bound(fine, grant)
    assert slot_bound(fine, "Kabupaten yang terlambat dikenai denda Rp5.000.000,00.")
    regions = analyse("forum replikasi nasional 2016 ada brp daerah yg komit replikasi?", "id")
    assert slot_bound(regions, "Sebanyak 59 kabupaten/kota menyatakan komitmen mereplikasi.")
    english = analyse("How many innovations may one agency propose each year?", "en")
    assert not slot_bound(english, "Lomba diselenggarakan setiap 1 (satu) tahun oleh Dinas.")


def test_what_a_count_is_of() -> None:
    from bot.query import counted_terms

    assert counted_terms("berapa jumlah hub inovasi saat ini?") == {"hub"}
    assert counted_terms("pesertanya berapa?") >= {"peserta"}
    assert counted_terms("berapa orang peserta sosialisasinya?") >= {"peserta"}
    assert {"nilai"} <= counted_terms("Rentang nilai kurasi berapa yang membuat X bersyarat?")
    # how long, how often, what a total is not of: no noun counted
    assert not counted_terms("berapa lama tahap penjaringan?")
    assert not counted_terms("teguran itu bs dikasih brp kali sih")
    assert not counted_terms("Mengapa jumlah inovasi yang berjalan tidak sama dengan datanya?")
    # words around the noun ("seluruh", "batas maksimal") are passed over; a noun phrase
    # before "brp" is read to its head ("finalis kipp 2025"); people are counted as persons
    assert counted_terms("Berapa jumlah seluruh inovasi yang dihimpun JIPPNas?") == {"inovasi"}
    assert counted_terms("berapa batas maksimal proposal per instansi?") == counted_terms(
        "berapa proposal per instansi?"
    )
    assert {"orang", "peserta"} <= analyse("How many people were in the class?", "en").counted
    # a share, a number or a year asked: not how many of the words before "berapa"
    assert not counted_terms("omzet UMKM binaan bisa naik smp brp persen?")
    assert not counted_terms("masuk berita negara nomor brp?")
    assert not counted_terms("aplikasinya diluncurin taun brp?")


def test_the_figure_next_to_the_counted_noun_answers() -> None:
    from bot.scoring import slot_bound

    finalists = analyse("finalis kipp 2025 ada brp?", "id")
    assert slot_bound(finalists, "Sebanyak 273 finalis kemudian mengikuti presentasi.")
    people = analyse("How many people were in the first barista training class?", "en")
    assert slot_bound(people, "- Angkatan pertama berjumlah 7 peserta.")
    everything = analyse("Berapa jumlah seluruh inovasi yang dihimpun JIPPNas?", "id")
    assert slot_bound(
        everything, "JIPPNas mencatat 2.928 inovasi yang tersebar di seluruh Indonesia."
    )


def test_a_number_asked_is_not_a_count_of_the_words_before_it() -> None:
    """ "… lembaran daerah nomor brp?" asks the gazette's number: the sentence giving it
    answers, though no number stands next to a region."""
    from bot.scoring import slot_bound

    gazette = analyse("perda itu masuk lembaran daerah nomor brp?", "id")
    assert slot_bound(
        gazette,
        "Peraturan Daerah ini diundangkan dalam Lembaran Daerah Kota Rekaan Tahun 2023 Nomor 2.",
    )


def test_how_long_is_answered_by_a_length_of_time() -> None:
    """ "Berapa lama masa berlaku PKS …?" is not answered by "dua model kerja sama"."""
    from bot.scoring import slot_bound

    query = analyse("Berapa lama masa berlaku PKS dalam model kerja sama replikasi?", "id")
    assert not slot_bound(query, "Dua model lain dalam panduan itu adalah model kerja sama.")
    assert slot_bound(query, "Masa berlaku PKS paling lama 2 (dua) tahun sejak ditandatangani.")
    reply = analyse("kalo konsultasi online biasanya dibales brp lama?", "id")
    assert slot_bound(reply, "Konsultasi daring dibalas paling lambat 3 (tiga) hari kerja.")


def test_a_share_asked_is_answered_by_a_percentage() -> None:
    """ "Berapa persen instansi …?" asks a share: "54 hub" is a count, not the answer."""
    from bot.scoring import kinds_in

    for question, language in (
        ("Berapa persen instansi pemerintah yang sudah membentuk hub inovasi?", "id"),
        ("omzet UMKM binaan bisa naik smp brp persen?", "id"),
        ("persentase data yg udh dimutakhirkan brp?", "id"),
        ("What percentage of the records have been updated?", "en"),
    ):
        assert analyse(question, language).slots == {"share"}, question
    assert not kinds_in("Saat ini sudah terbentuk 54 hub inovasi.", frozenset({"share"}))
    assert kinds_in("Sekitar 80% data sudah dimutakhirkan.", frozenset({"share"}))
    assert kinds_in("Omzet naik hingga 600 persen.", frozenset({"share"}))
    assert analyse("berapa jumlah hub inovasi?", "id").slots == {"number"}


def test_a_percentage_answers_a_share_or_a_change_not_a_count() -> None:
    """ "Berapa jumlah pelaku usaha yang didampingi?" is not answered by "omzet pelaku usaha
    … naik hingga 600%"; "berapa kenaikan omzetnya?" is."""
    from bot.scoring import slot_bound

    text = "Omzet pelaku usaha yang didampingi Gempur Jatim naik hingga 600% setelah izin edar."
    count = analyse("Berapa jumlah pelaku usaha yang didampingi Gempur Jatim?", "id")
    assert not slot_bound(count, text)
    assert slot_bound(count, "Sebanyak 120 pelaku usaha telah didampingi Gempur Jatim.")
    rise = analyse("Berapa kenaikan omzet pelaku usaha yang didampingi Gempur Jatim?", "id")
    assert slot_bound(rise, text)
    share = analyse("How many percent of the entrepreneurs saw their turnover grow?", "en")
    assert slot_bound(share, "Omzet 80 persen pelaku usaha tumbuh setelah pendampingan.")


def test_a_title_answers_only_for_the_regulation_asked_about() -> None:
    """ "Apa judul lengkap Pedoman 4/2025?" is not answered by the title of another
    regulation in the same sentence, and is by its own, however its number is written."""
    from bot.scoring import title_bound

    query = analyse("Apa judul lengkap Pedoman Menteri PANRB Nomor 4 Tahun 2025?", "id")
    assert "title" in query.slots
    other = "Mulai dari PermenPANRB 30/2014 tentang Pedoman Inovasi sampai Pedoman 4/2025."
    assert not title_bound(query, other)
    own = "Pedoman Menteri PANRB Nomor 4 Tahun 2025 tentang Penyelenggaraan KIPP."
    assert title_bound(query, own)
    quoted = 'Judulnya "Pedoman Menteri PANRB No. 4/2025 tentang Kompetisi Inovasi" dipakai.'
    assert title_bound(query, quoted)
    assert not title_bound(query, "Pedoman 4/2025 menjadi dasar KIPP 2025 dengan 9 kategori.")
    expansion = analyse("Pesona Surga: what is the full name behind that acronym?", "en")
    assert "title" not in expansion.kinds  # an acronym's full name is no title
    anywhere = analyse("What is the official title of the replication guideline?", "en")
    assert "title" in anywhere.slots
    assert title_bound(anywhere, "Pedoman 6/2024 tentang Mekanisme Replikasi dan Perluasan.")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("JIPPNas dikelola bersama oleh KemenPANRB, Kemendagri, dan LAN.", True),
        ("SINOVIK merupakan sistem yang dikelola KemenPANRB untuk menerima inovasi.", True),
        ("KIPP diselenggarakan Kementerian PANRB sejak 2014.", True),
        ("The portal is run by the Ministry.", True),
        ("Pendaftaran dimulai Januari dan ditutup Maret.", False),
        ("JIPPNas adalah portal pengetahuan inovasi pelayanan publik.", False),
    ],
)
def test_who_runs_it_is_answered_by_the_body_that_does(text: str, named: bool) -> None:
    """ "jippnas itu yg ngelola siapa?": a body after "oleh" / "by", or straight after a
    passive verb, names who does it, though its words are ordinary Indonesian ones."""
    from bot.scoring import names_an_agent

    assert names_an_agent(text) is named


def test_numbers_that_name_count_nothing_and_small_words_do_not_part_a_count() -> None:
    """ "Pedoman Nomor 4 Tahun 2025" and "ayat (2)" count nothing; "omzet Café More Wyata
    Guna sekitar Rp62 juta" binds the amount though words stand between."""
    from bot.scoring import slot_bound

    replicated = analyse("Berapa jumlah inovasi yang direplikasi tahun 2025?", "id")
    rule = "Pedoman Menteri PANRB Nomor 4 Tahun 2025 (Pedoman 4/2025) mengatur inovasi 2025."
    assert not slot_bound(replicated, rule)
    # unless the number is what is asked: "… Berita Negara nomor brp?"
    numbered = analyse("permenpan 30/2014 diundangkan di berita negara nomor brp?", "id")
    gazette = "Peraturan ini diundangkan dalam Berita Negara Tahun 2014 Nomor 1715."
    assert slot_bound(numbered, gazette)
    turnover = analyse("Berapa omzet Café More tahun 2023?", "id")
    assert slot_bound(turnover, "omzet Café More Wyata Guna sekitar Rp62 juta pada tahun 2023.")


def test_a_list_of_bodies_answers_who_they_are() -> None:
    """ "Siapa saja penyelenggara inovasi?": a list of bodies by full name and acronym
    names several; a list of things with acronyms names no one."""
    from bot.scoring import names_several

    bodies = (
        "Penyelenggara inovasi adalah:\n- kementerian dan lembaga;\n"
        "- Badan Usaha Milik Negara (BUMN) yang melayani publik;\n"
        "- Badan Usaha Milik Daerah (BUMD) yang melayani publik."
    )
    assert names_several(bodies)
    things = (
        "Ketentuan replikator:\n- membiayai sumber daya manusia (SDM) sendiri;\n"
        "- hak kekayaan intelektual (HKI) tetap milik instansi asal."
    )
    assert not names_several(things)


def test_a_region_the_question_names_does_not_answer_where() -> None:
    from bot.scoring import names_a_region

    origin = analyse("Kartu Insentif Anak itu dari daerah mana?", "id")
    assert "place" in origin.kinds
    assert names_a_region("Kartu Insentif Anak adalah inovasi Pemerintah Kota Surakarta.", origin)
    copied = analyse("daerah mana aja yg udh niru datago magelang?", "id")
    assert not names_a_region("Hak kekayaan intelektual tetap milik Pemkot Magelang.", copied)


def test_the_same_figures_from_a_second_source_are_not_said_twice() -> None:
    """Two documents giving the same count in other words: the answer quotes one; a unit
    with figures of its own, or a single figure in common, still adds something."""
    from dataclasses import replace

    from bot.compose import _restates_figures

    scored, _ = _scored("Berapa jumlah hub inovasi saat ini?", ["hub"])
    lead = next(u for u in scored if "54 hub" in u.text)

    def unit(text: str) -> ScoredUnit:
        return replace(lead, unit=replace(lead.unit, text=text))

    assert _restates_figures(unit("Jumlah hub: 54, yaitu 18 hub pusat dan 36 hub daerah."), [lead])
    assert not _restates_figures(unit("Pada Oktober 2023 ada 34 hub: 22 daerah, 12 pusat."), [lead])
    assert not _restates_figures(unit("Hub pusat berjumlah 18 sejak 2024."), [lead])


def test_a_figure_the_question_gives_does_not_answer_how_many() -> None:
    """ "Dari 1.500 pendaftar, berapa yang lolos?": a passage repeating the 1.500 tells the
    asker what they said; only another figure next to the counted word answers."""
    text = "Sebanyak 1.500 proposal mendaftar pada tahun itu."
    chunk = RetrievedChunk(
        chunk_id="kipp#1", doc_id="kipp", title="KIPP", section="Seleksi", text=text,
        doc_type="program", source_url="", metadata={}, rank=1, score=1.0,
    )  # fmt: skip
    weights = TermWeights({"kipp": frozenset(tokenize(text))})

    def unit(question: str) -> ScoredUnit:
        [found] = candidate_units(analyse(question, "id"), [chunk], Evidence(weights, None, {}))
        return found

    asked = unit("Berapa proposal yang mendaftar pada tahun itu?")
    assert asked.features["slot_bound"] == 1.0
    echoed = unit("Dari 1.500 proposal yang mendaftar, berapa yang lolos?")
    assert echoed.features["slot_bound"] == 0.0 and "number" not in echoed.kinds


def _article_chunk(text: str, article: str) -> tuple[RetrievedChunk, TermWeights]:
    """One article of a Pergub, and term weights of an index holding only it."""
    chunk = RetrievedChunk(
        chunk_id=f"pergub#{article}", doc_id="pergub", title="Peraturan Gubernur Uji",
        text=text, section=article, doc_type="regulation", source_url="",
        metadata={"article": article, "reg_section": "article"}, rank=1,
    )  # fmt: skip
    return chunk, TermWeights({"pergub": frozenset(tokenize(text))})


def test_an_article_names_posts_not_people() -> None:
    """A regulation names the post that chairs a forum and the terms it defines, capitalised
    by convention ("Kepala Bainrida", "Simpul Jejaring"): that answers who chairs it, not
    what the chair's name is."""
    text = (
        "(2) Susunan keanggotaan FJIP terdiri atas: a. ketua, dijabat oleh Kepala Bainrida; "
        "b. anggota, yaitu kepala setiap Simpul Jejaring."
    )
    chunk, weights = _article_chunk(text, "Pasal 4")

    def answered_kinds(question: str) -> frozenset[str]:
        """The kinds the question asks for that the unit holds."""
        query = analyse(question, "id")
        [unit] = candidate_units(query, [chunk], Evidence(weights, None, {}))
        return query.slots & unit.kinds

    assert answered_kinds("Siapa ketua FJIP?")
    assert not answered_kinds("Siapa nama ketua FJIP?")


def test_who_leads_a_body_is_answered_by_the_post_that_chairs_it() -> None:
    """ "Siapa yang memimpin dewan …?" is met by the article's "… sebagai ketua" (its words
    count as covered there), not by another article where the body only acts."""
    chair = (
        "(2) Dewan Replikasi beranggotakan 11 (sebelas) orang dengan susunan sebagai berikut: "
        "a. Sekretaris Daerah sebagai ketua merangkap anggota; b. Kepala Bappeda sebagai "
        "wakil ketua merangkap anggota."
    )
    acts = "(1) Dewan Replikasi mengevaluasi hasil Replikasi Inovasi setiap 6 (enam) bulan."
    first, _ = _article_chunk(chair, "Pasal 6")
    second, _ = _article_chunk(acts, "Pasal 24")
    weights = TermWeights({"a": frozenset(tokenize(chair)), "b": frozenset(tokenize(acts))})
    query = analyse("Siapa pejabat yang memimpin dewan replikasi?", "id")
    units = {
        u.text[:3]: u for u in candidate_units(query, [first, second], Evidence(weights, None, {}))
    }
    assert "person" in units["(2)"].kinds and "person" not in units["(1)"].kinds
    assert units["(2)"].features["lex"] > units["(1)"].features["lex"]


def test_how_long_is_not_answered_by_a_count() -> None:
    """ "Berapa lama masa tugas tim juri?" is not answered by "tim juri berjumlah 7 orang":
    a length of time answers it."""
    text = (
        "(4) Penilaian dilakukan oleh tim juri berjumlah 7 (tujuh) orang.\n"
        "(5) Tim juri bertugas selama 3 (tiga) bulan sejak ditetapkan."
    )
    chunk, weights = _article_chunk(text, "Pasal 26")
    query = analyse("Berapa lama masa tugas tim juri?", "id")
    kinds = {
        u.text[:3]: u.kinds for u in candidate_units(query, [chunk], Evidence(weights, None, {}))
    }
    assert kinds == {"(4)": frozenset(), "(5)": frozenset({"number"})}


def test_what_is_said_of_one_cohort_does_not_answer_for_another() -> None:
    """ "Angkatan kedua … ditutup kapan?" is not answered by the first cohort's date; a rule
    for every cohort names none and still answers."""
    text = (
        "(1) Angkatan pertama dibuka paling lambat tanggal 4 Mei 2026.\n"
        "(2) Pendaftaran setiap Angkatan ditutup 30 (tiga puluh) hari setelah dibuka."
    )
    chunk, weights = _article_chunk(text, "Pasal 29")
    query = analyse("Kapan pendaftaran angkatan kedua ditutup?", "id")
    miss = {
        u.text[:3]: u.features["anchor_miss"]
        for u in candidate_units(query, [chunk], Evidence(weights, None, {}))
    }
    assert miss == {"(1)": 1.0, "(2)": 0.0}
    first = analyse("Kapan angkatan pertama dibuka?", "id")
    assert not any(
        u.features["anchor_miss"]
        for u in candidate_units(first, [chunk], Evidence(weights, None, {}))
    )


def test_what_was_so_then_does_not_answer_what_is_so_now() -> None:
    from bot.scoring import speaks_of_another

    now = analyse("kepala sentra terpadu kartini yg skrg siapa?", "id")
    then = "Kepala Sentra Terpadu Kartini saat itu adalah Iyan Kusumadiana."
    assert speaks_of_another(now, then)
    assert not speaks_of_another(analyse("kepala sentra terpadu kartini siapa?", "id"), then)


def test_a_definition_names_what_is_asked_before_its_verb() -> None:
    from bot.scoring import defines

    query = analyse("SINOVIK singkatan dari apa?", "id")
    assert defines(
        "Sistem Informasi Inovasi Pelayanan Publik (SINOVIK) adalah sistem daring.", query
    )
    assert not defines("Proposal KIPP dikirim melalui sistem daring.", query)


def test_naming_the_regulation_does_not_favour_a_sentence_that_repeats_its_name():
    title = "Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026"
    text = (
        "(1) Laporan replikasi disampaikan paling lambat 14 (empat belas) hari kerja.\n"
        "(2) Dalam Peraturan Wali Kota Fiktif ini, laporan replikasi disampaikan paling lambat "
        "14 (empat belas) hari kerja."
    )
    chunk = RetrievedChunk(
        chunk_id="perwal#1", doc_id="perwal", title=title, section="BAB IV › Pasal 9",
        text=text, doc_type="regulation", source_url="", metadata={"article": "Pasal 9"},
        rank=1, score=1.0,
    )  # fmt: skip
    weights = TermWeights({"perwal": frozenset(tokenize(f"{title} {text}"))})
    query = analyse("Dalam Perwal Kota Fiktif, kapan batas akhir laporan replikasi?", "id")
    lex = {
        u.text[:3]: u.features["lex"]
        for u in candidate_units(query, [chunk], Evidence(weights, None, {}))
    }
    # The question names the document both sentences are in: saying its name again is no
    # evidence of answering (else a scope article that names the regulation beats the rule).
    assert lex["(1)"] == lex["(2)"] > 0.9


def _regulation_units(question: str, text: str, section: str | None) -> list[ScoredUnit]:
    metadata = {"reg_section": section} if section else {}
    chunk = RetrievedChunk(
        chunk_id="perda#9", doc_id="perda", title="Peraturan Daerah Kota Rekaan", text=text,
        section="Pasal 9", doc_type="regulation", source_url="", metadata=metadata, rank=1,
    )  # fmt: skip
    weights = TermWeights({"perda": frozenset(tokenize(text))})
    return candidate_units(analyse(question, "id"), [chunk], Evidence(weights, None, {}))


def test_in_an_article_a_capitalised_defined_term_answers_who() -> None:
    question = "Siapa yang menyampaikan laporan inovasi?"
    text = "(1) Laporan inovasi disampaikan oleh Kepala Perangkat Daerah setiap 6 (enam) bulan."
    [unit] = _regulation_units(question, text, "article")
    assert "name" in unit.kinds
    # not outside a regulation's articles, where a capitalised common word names no one
    active = "(1) Kepala Perangkat Daerah menyampaikan laporan inovasi setiap 6 (enam) bulan."
    [plain] = _regulation_units(question, active, None)
    assert "name" not in plain.kinds
    # unless it is who does it, after "oleh"
    [agent] = _regulation_units(question, text, None)
    assert "name" in agent.kinds
    # not for a question asking for the names of people
    [names] = _regulation_units("Siapa saja nama anggota tim?", text, "article")
    assert "name" not in names.kinds


def test_references_and_a_lines_first_word_name_no_one() -> None:
    text = "Laporan disampaikan sebagaimana dimaksud dalam Pasal 5 Peraturan Daerah ini."
    [unit] = _regulation_units("Siapa yang menyampaikan laporan?", text, "article")
    assert "name" not in unit.kinds


def test_a_statement_of_what_a_document_lacks_does_not_meet_a_question_by_its_name_alone():
    """ "SE 16/2023 membahas tentang apa?" names the circular; the knowledge base's note that
    its full text is not held names it too, but says nothing of what it is about. The
    question's not-known evidence counts only the words beyond the document's name."""
    from bot.answerability import question_signals

    title = "Surat Edaran Menteri PANRB Nomor 16 Tahun 2023 tentang Praktik Terbaik"
    text = (
        "SE 16/2023 membahas praktik terbaik di bidang pelayanan publik.\n\n"
        "Teks resmi SE Menteri PANRB Nomor 16 Tahun 2023 belum tersedia di basis pengetahuan."
    )
    chunk = RetrievedChunk(
        chunk_id="se#1", doc_id="se", title=title, section="Isi", text=text,
        doc_type="regulation", source_url="", rank=1, score=1.0,
    )  # fmt: skip
    weights = TermWeights({"se": frozenset(tokenize(f"{title} {text}"))})

    def not_known_lex(question: str) -> float:
        query = analyse(question, "id")
        units = LinearSentenceScorer(default_calibration().unit_scorer).score(
            query, candidate_units(query, [chunk], Evidence(weights, None, {}))
        )
        composition = compose(query, units, 600)
        return question_signals(query, [chunk], units, composition, weights, None)["not_known_lex"]

    assert not_known_lex("Surat Edaran Menteri PANRB Nomor 16 Tahun 2023 membahas apa?") == 0
    assert not_known_lex("Apakah teks resmi SE 16/2023 sudah tersedia?") > 0.5


def test_a_sentence_said_before_is_new_only_when_it_holds_what_the_follow_up_asks() -> None:
    """ "dibahasnya kapan, sama siapa?" after an answer that showed "Pada 2 Februari 2024
    KemenPANRB menggelar FGD …" as context: that sentence holds the date and the body asked
    for, so repeating it is the answer; one holding neither is a repetition."""
    from replikasi.records import Turn

    dated = "Pada 2 Februari 2024 KemenPANRB menggelar FGD bersama kalangan akademisi."
    plan = "Rencana isi pedoman mencakup persiapan, tahapan pelaksanaan, dan evaluasi."
    chunk = RetrievedChunk(
        chunk_id="pedoman#3", doc_id="pedoman", title="Pedoman", section="Penyusunan",
        text=f"{dated} {plan}", doc_type="guideline", source_url="", metadata={}, rank=1,
    )  # fmt: skip
    previous = Turn("kenapa ada pedoman?", "kenapa ada pedoman?", answer_text=f"{dated} {plan}")
    query = analyse("dibahasnya kapan, sama siapa?", "id", [previous], follow_up=True)
    weights = TermWeights({"pedoman#3": frozenset(tokenize(chunk.text))})
    repeated = {
        u.text[:4]: u.features["repeated"]
        for u in candidate_units(query, [chunk], Evidence(weights, None, {}))
    }
    assert repeated == {"Pada": 0.0, "Renc": 1.0}


def test_who_runs_what_is_no_answer_to_who_runs_it_when_nothing_is_named() -> None:
    """ "siapa pengelolanya?" with no conversation names nothing that is run: a sentence
    saying who runs JIPPNas does not answer it, as it answers "siapa yang mengelola JIPPNas?"."""
    text = "JIPPNas dikelola bersama oleh KemenPANRB, Kemendagri, dan LAN."
    [named] = _regulation_units("Siapa yang mengelola JIPPNas?", text, None)
    assert "name" in named.kinds
    [bare] = _regulation_units("siapa pengelolanya?", text, None)
    assert "name" not in bare.kinds


def test_the_numbers_that_number_an_article_say_nothing() -> None:
    """ "1 pendamping bs pegang brp desa?" is not met by an article's "(1)" or "ayat (1)",
    nor "3 bulan" by "Pasal 3"; a number the sentence says still counts."""
    from bot.scoring import said_terms

    terms = said_terms("(1) Sanksi dikenakan sebagaimana dimaksud dalam Pasal 3 ayat (1).")
    assert not terms & {"1", "3"} and {"sanksi", "pasal", "ayat"} <= terms
    assert {"1", "tahun"} <= said_terms("Hibah diberikan untuk 1 (satu) tahun anggaran.")
    assert "2" not in said_terms("2. Efektif, yaitu memberi manfaat.")


def test_which_regions_is_answered_by_names_of_regions() -> None:
    """ "Kabupaten mana saja …?" is not answered by the name of a body ("PSAA Alyatama
    Jambi") or of the province it asks within; provinces are named with or without
    "Provinsi"."""
    from bot.scoring import names_a_region

    query = analyse("Kabupaten mana saja di Provinsi Jambi yang dijangkau Pesona Surga?", "id")
    assert query.asked_class == "region"
    assert not names_a_region("PSAA Alyatama Jambi memberi layanan di luar panti.", query)
    assert not names_a_region("Layanan menjangkau seluruh Provinsi Jambi.", query)
    assert names_a_region("Layanan meliputi Kabupaten Muaro Jambi dan Kota Sungai Penuh.", query)
    provinces = analyse("In which provinces does the Sheltered Workshop Peduli operate?", "en")
    assert provinces.asked_class == "region"
    assert names_a_region(
        "SWP berjalan di 12 lokasi di Jawa Tengah, Jawa Timur, dan DIY.", provinces
    )
    assert not analyse("Inovasi apa saja yang direplikasi Kota Magelang?", "id").asked_class


def test_a_post_answers_whose_post_only_beside_that_persons_name() -> None:
    """ "What position did Rachmat Koesnadi hold?" is not answered by a list where another
    person's post stands ("Kepala Sentra … adalah Iyan Kusumadiana")."""
    from bot.scoring import position_bound

    query = analyse("What position did Rachmat Koesnadi hold at the event?", "en")
    listed = (
        "- Rachmat Koesnadi berharap replikasi SWP menjangkau seluruh sentra.\n"
        "- Kepala Sentra Terpadu Kartini saat itu adalah Iyan Kusumadiana."
    )
    assert not position_bound(query, listed)
    assert position_bound(query, "Rachmat Koesnadi, Kepala Sentra Terpadu Kartini, berharap …")
    asked = analyse("Apa jabatan Iyan Kusumadiana waktu itu?", "id")
    assert position_bound(asked, listed)


def test_which_companies_is_answered_by_names_of_companies() -> None:
    """ "Perusahaan apa saja yang mendukung …?" is not answered by the names of the bodies
    and groups a list gives, only by companies' names."""
    from bot.scoring import kinds_in

    question = analyse("Perusahaan apa saja yang mendukung SWP lewat program CSR?", "id")
    assert question.asked_class == "company" and "names" in question.kinds
    bodies = (
        "- Peserta: 30 UPT Kemensos dan pendukung CSR.\n- Testimoni SWP Rumah Kinasih (Blitar)."
    )
    [unit] = _regulation_units(question.text, bodies, None)
    assert "names" not in unit.kinds
    companies = "SWP didukung PT Sinar Jaya, CV Maju Bersama, dan Bank Jateng."
    [named] = _regulation_units(question.text, companies, None)
    assert "names" in named.kinds
    assert analyse("Which companies fund the workshop?", "en").asked_class == "company"
    assert kinds_in(companies, frozenset({"names"}))


def test_which_regencies_is_not_answered_by_a_role_an_article_names() -> None:
    """An article's "Kabupaten/Kota" is a role, not the regencies asked for by name."""
    question = "Kabupaten mana saja yang mendapat predikat sangat inovatif pada tahun 2025?"
    text = "(3) Perangkat Daerah dan Kabupaten/Kota dengan predikat kurang inovatif didampingi."
    [unit] = _regulation_units(question, text, "article")
    assert "names" not in unit.kinds
    listed = "(3) Predikat diraih Kabupaten Sukamaju, Kabupaten Makmur, dan Kabupaten Jaya."
    [named] = _regulation_units(question, listed, "article")
    assert "names" in named.kinds


def test_which_innovations_is_answered_by_their_names() -> None:
    """ "Inovasi apa saja yang dinyatakan berkelanjutan …?" asks for innovations by name: the
    groups an evaluation has do not name one; a list of names in capitals does."""
    from bot.scoring import kinds_in, names_in_capitals

    query = analyse("Inovasi apa saja yang dinyatakan berkelanjutan dalam hasil PKRI 2024?", "id")
    assert "names" in query.kinds
    groups = "PKRI dibagi menjadi tiga kelompok: instansi pembina, keberlanjutan, dan replikasi."
    assert not kinds_in(groups, query.kinds) & {"names"}
    assert not names_in_capitals(groups, query)
    english = analyse("Which Kemensos innovations made the 2019 Top 99?", "en")
    assert "names" in english.kinds
    listed = "Dua inovasi Kemensos masuk Top 99:\n- SIKS-NG;\n- PINTER MELATIH ANAK KOBRA."
    assert names_in_capitals(listed, english)
    # acronyms in a sentence are no names of innovations
    terms = "- replikator membiayai SDM sendiri;\n- HKI tetap milik Pemkot Magelang."
    assert not names_in_capitals(terms, english)


def test_the_title_of_a_numbered_regulation_is_given_of_that_regulation() -> None:
    from bot.scoring import gives_title

    query = analyse("SE 16/2023 itu surat edaran tentang apa ya?", "id")
    own = (
        "Surat Edaran Menteri PANRB Nomor 16 Tahun 2023 (SE 16/2023) adalah surat edaran "
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (KemenPANRB) "
        "tentang penyelenggaraan praktik terbaik pelayanan publik."
    )
    assert gives_title(query, own)
    assert not gives_title(query, "PermenPANRB 91/2021 tentang pembinaan inovasi pelayanan publik.")
    assert not gives_title(query, "SE 16/2023 disosialisasikan bersama Pedoman 6/2024.")
    assert not gives_title(analyse("Apa isi SE 16/2023?", "id"), own)


def test_a_count_asked_in_persons_is_answered_in_persons() -> None:
    """ "Berapa orang pegawai …?" counts employees in persons: "paling banyak 4 (empat) orang
    untuk setiap kegiatan" answers it though it calls them participants. A measure word
    alone ("brp org?") still names nothing counted."""
    from bot.query import counted_terms
    from bot.scoring import slot_bound

    staff = analyse("Berapa orang pegawai paling banyak yang boleh ikut magang?", "id")
    assert slot_bound(staff, "Peserta magang paling banyak 4 (empat) orang untuk setiap kegiatan.")
    assert not slot_bound(staff, "Magang dilaksanakan paling lama 5 (lima) hari kerja.")
    assert not counted_terms("brp org?")


def test_an_answer_from_a_penjelasan_is_weighed_as_an_articles() -> None:
    """A Penjelasan is worded as law, like its article ("Yang dimaksud dengan 'dapat
    dijangkau' adalah … tidak melebihi Rp150.000.000,00"): the answer decision reads its
    evidence with the weights for an article's answer, not for prose written as people ask."""
    from bot.answerability import question_signals

    def signals(chunk: RetrievedChunk, question: str) -> dict[str, float]:
        weights = TermWeights({chunk.doc_id: frozenset(tokenize(chunk.text))})
        query = analyse(question, "id")
        units = LinearSentenceScorer(default_calibration().unit_scorer).score(
            query, candidate_units(query, [chunk], Evidence(weights, None, {}))
        )
        return question_signals(query, [chunk], units, compose(query, units, 600), weights, None)

    text = (
        'Huruf d Yang dimaksud dengan "dapat dijangkau" adalah perkiraan biaya awal penerapan '
        "tidak melebihi Rp150.000.000,00."
    )
    question = "Berapa batas biaya awal penerapan yang dapat dijangkau?"
    penjelasan = RetrievedChunk(
        chunk_id="perda#p8", doc_id="perda", title="Perda Uji", section="Penjelasan › Pasal 8",
        text=text, doc_type="regulation", source_url="", metadata={"explains": "Pasal 8"}, rank=1,
    )  # fmt: skip
    prose = dataclasses.replace(penjelasan, doc_type="guideline", section="Biaya", metadata={})
    of_penjelasan, of_prose = signals(penjelasan, question), signals(prose, question)
    assert of_penjelasan["best_article"] == 1.0 and of_penjelasan["best_lex_prose"] == 0.0
    assert of_penjelasan["best_lex_article"] == of_prose["best_lex_prose"] > 0.5
    assert of_prose["best_article"] == 0.0


def _prose(
    doc_id: str, title: str, texts: Sequence[str], section: str = ""
) -> list[RetrievedChunk]:
    """One passage per text of a (non-regulation) document, ranked in order."""
    return [
        RetrievedChunk(
            chunk_id=f"{doc_id}#{i}",
            doc_id=doc_id,
            title=title,
            section=section,
            text=text,
            doc_type="program",
            source_url="",
            metadata={},
            rank=i + 1,
            score=1.0 / (61 + i),
        )
        for i, text in enumerate(texts)
    ]


def test_why_is_led_by_a_sentence_that_gives_a_reason_when_one_is_nearly_as_likely() -> None:
    """The list of a competition's stages names the ministries and scores a little higher
    than the sentence saying why they were involved; a "why" question is led by the reason.
    A reason much less likely than the best does not lead."""
    reason = _prose(
        "alasan", "KIPP", ["Kementerian dilibatkan sebagai penilai agar mengenali inovasi."]
    )[0]
    chunks = [*_chunks(["tahapan"]), reason]
    query = analyse("Mengapa kementerian dilibatkan sebagai penilai KIPP 2025?", "id")
    assert "reason" in query.kinds
    weights = TermWeights({c.chunk_id: frozenset(tokenize(c.text)) for c in chunks})
    units = candidate_units(query, chunks, Evidence(weights, None, {}))

    def led(reason_score: float) -> str:
        scored = sorted(
            (
                dataclasses.replace(u, score=reason_score if u.chunk is reason else 5.0 - i)
                for i, u in enumerate(units)
            ),
            key=lambda u: -u.score,
        )
        best = compose(query, scored).best
        assert best is not None
        return best.text

    assert "agar" in led(4.6)
    assert "agar" not in led(2.0)


@pytest.mark.parametrize(
    ("question", "earliest"),
    [
        ("How many entries did KIPP receive in its first year?", True),
        ("Berapa proposal yang masuk pada KIPP perdana?", True),
        ("Siapa juara pertama KIPP 2019?", False),
        ("Which agency ranked first in 2019?", False),
    ],
)
def test_first_of_a_series_is_not_first_in_a_ranking(question: str, earliest: bool) -> None:
    assert analyse(question, "en").earliest is earliest


def test_the_first_of_a_series_is_answered_by_its_earliest_figure() -> None:
    """Asked for the first year's figure, the answer leads with the earliest of the
    near-best figures, as a question for the current one leads with the latest."""
    texts = [
        "Data tahun berikutnya: KIPP 2023 meloloskan 1.407 proposal.",
        "Tahun 2014: 515 proposal; tahun 2015: 1.189 proposal.",
    ]
    chunks = _prose("kipp", "KIPP", texts, "Jumlah proposal")
    weights = TermWeights({c.chunk_id: frozenset(tokenize(c.text)) for c in chunks})

    def led(question: str) -> str:
        query = analyse(question, "en")
        units = candidate_units(query, chunks, Evidence(weights, None, {}))
        scored = [dataclasses.replace(u, score=5.0 - 0.1 * i) for i, u in enumerate(units)]
        best = compose(query, scored).best
        assert best is not None
        return best.text

    assert "515" in led("How many proposals did KIPP receive in its first year?")
    assert "1.407" in led("How many proposals did KIPP receive?")


def test_the_name_a_question_asks_about_does_not_answer_who_or_which() -> None:
    """ "Siapa sasaran layanan Sheltered Workshop Peduli?" is not answered by a sentence
    whose only name is the innovation's own; one naming another body holds a name."""
    texts = [
        "Sheltered Workshop Peduli berkembang dari program sebelumnya.",
        "Sheltered Workshop Peduli dikembangkan oleh Sentra Terpadu Kartini Temanggung.",
    ]
    chunks = _prose("swp", "Sheltered Workshop Peduli", texts, "Profil")
    weights = TermWeights({c.chunk_id: frozenset(tokenize(c.text)) for c in chunks})
    query = analyse("Siapa sasaran layanan Sheltered Workshop Peduli?", "id")
    assert "name" in query.kinds
    units = candidate_units(query, chunks, Evidence(weights, None, {}))
    kinds = {u.text: u.kinds for u in units}
    assert "name" not in kinds[texts[0]]
    assert "name" in kinds[texts[1]]


def test_a_rule_named_only_as_this_regulation_comes_with_the_sentence_naming_it() -> None:
    """ "PKRI 2024 disebut sebagai pelaksanaan peraturan ini" answers "which regulation?"
    only with the sentence before it; in a regulation's own text "Peraturan Daerah ini" is
    that regulation, and the answer starts with the article quoted."""
    text = "PermenPANRB 91/2021 mengatur pembinaan inovasi. PKRI 2024 disebut sebagai "
    prose = _prose("dasar", "Dasar Hukum", [text + "pelaksanaan peraturan ini."])[0]
    prose = dataclasses.replace(prose, doc_type="regulation")  # a knowledge page on rules
    article = dataclasses.replace(
        prose,
        chunk_id="perda#9",
        doc_id="perda",
        section="BAB X › Pasal 40",
        text="(1) Perda ini mengatur inovasi.\n(2) Peraturan Daerah ini mulai berlaku pada "
        "tanggal diundangkan.",
        metadata={"article": "Pasal 40", "article_number": "40", "reg_section": "article"},
    )

    def answer(chunk: RetrievedChunk, question: str) -> list[str]:
        query = analyse(question, "id")
        weights = TermWeights({chunk.chunk_id: frozenset(tokenize(chunk.text))})
        units = candidate_units(query, [chunk], Evidence(weights, None, {}))
        last = max(units, key=lambda u: u.unit.order)
        scored = [dataclasses.replace(u, score=5.0 if u is last else 1.0) for u in units]
        scored.sort(key=lambda u: -u.score)
        return [u.text for u in compose(query, scored).units]

    texts = answer(prose, "PKRI melaksanakan peraturan apa?")
    assert texts[0].startswith("PermenPANRB 91/2021") and "peraturan ini" in texts[1]
    assert answer(article, "Kapan Peraturan Daerah ini berlaku?")[0].startswith("(2)")
