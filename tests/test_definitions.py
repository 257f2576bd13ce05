"""A question on what a term means finds the regulation's own definition of it, by the
structure of its definitions article, and the answer cites it as "Pasal 1 angka N"."""

from __future__ import annotations

from dataclasses import replace

from bot.compose import article_label
from bot.definitions import defining_passages, definitions
from bot.query import analyse
from bot.scoring import ScoredUnit
from replikasi.records import RetrievedChunk
from replikasi.sentences import Unit

DEFINITIONS = RetrievedChunk(
    chunk_id="pergub#1",
    doc_id="pergub-contoh-12-2025.pdf",
    title="Peraturan Gubernur Contoh Nomor 12 Tahun 2025",
    section="BAB I KETENTUAN UMUM › Pasal 1",
    text=(
        "Dalam Peraturan Gubernur ini yang dimaksud dengan:\n"
        "3. Gubernur adalah Gubernur Contoh.\n"
        "10. Sistem Informasi Basis Data Inovasi yang selanjutnya disebut SIBADI adalah "
        "aplikasi elektronik yang dikelola BRIDA.\n"
        "12. Klinik Inovasi adalah wadah layanan konsultasi yang dibentuk oleh Gubernur."
    ),
    doc_type="regulation",
    source_url="",
    metadata={"article": "Pasal 1", "article_number": "1"},
)
USE = RetrievedChunk(
    chunk_id="pergub#7",
    doc_id="pergub-contoh-12-2025.pdf",
    title=DEFINITIONS.title,
    section="BAB III › Pasal 7",
    text="(1) Gubernur membentuk Klinik Inovasi.",
    doc_type="regulation",
    source_url="",
    metadata={"article": "Pasal 7", "article_number": "7"},
)
PROSE = RetrievedChunk(
    chunk_id="kb#1",
    doc_id="hub-inovasi",
    title="Hub inovasi",
    section="",
    text="1. Klinik Inovasi adalah nama lain hub.",  # not a regulation article
    doc_type="guideline",
    source_url="",
    metadata={},
)


def test_definitions_are_read_from_numbered_items_of_articles_only() -> None:
    found = definitions([DEFINITIONS, USE, PROSE])
    names = [sorted(sorted(n) for n in d.names) for d in found]
    assert len(found) == 3 and all(d.chunk is DEFINITIONS for d in found)
    assert [["gubernur"]] in names
    assert any(["sibadi"] in n for n in names)  # the short name it introduces counts too


def test_the_most_specific_definition_named_by_the_question_is_chosen() -> None:
    known = definitions([DEFINITIONS, USE])

    def chosen(question: str) -> list[str]:
        return [c.chunk_id for c in defining_passages(analyse(question, "id"), known)]

    assert chosen("Apa yang dimaksud dengan Klinik Inovasi menurut Pergub Contoh?") == ["pergub#1"]
    assert chosen("sibadi tuh apaan sih?") == ["pergub#1"]
    assert chosen("Apa yang dimaksud dengan replikasi?") == []  # not defined here
    assert chosen("Kapan Klinik Inovasi dibentuk?") == []  # not a question of meaning


def test_a_definition_item_is_cited_by_its_number() -> None:
    unit = ScoredUnit(DEFINITIONS, Unit("12. Klinik Inovasi adalah wadah layanan …", 3))
    assert article_label(unit) == "Pasal 1 angka 12"


def test_a_short_name_says_what_it_stands_for_where_it_is_used() -> None:
    """A regulation writes "SIBADI" in every article after defining it, while a user asks
    about "sistem informasi basis data inovasi": the article using the short name meets those
    words. A short name that is a plain word ("… disebut Daerah") stands for nothing here."""
    from bot.definitions import short_names
    from bot.scoring import Evidence, candidate_units
    from bot.term_weights import TermWeights
    from replikasi.indonesian import tokenize

    use = replace(USE, chunk_id="pergub#9", text="(1) SIBADI memuat profil setiap inovasi.")
    other = replace(use, chunk_id="other#9", doc_id="pergub-lain.pdf")  # another regulation's
    known = short_names([DEFINITIONS, use, PROSE])
    assert set(known) == {DEFINITIONS.doc_id}
    assert known[DEFINITIONS.doc_id]["sibadi"] >= {"sistem", "informasi", "data"}

    query = analyse("Sistem informasi basis data inovasi memuat apa?", "id")
    weights = TermWeights({c.doc_id: frozenset(tokenize(c.text)) for c in (use, other)})
    units = {
        u.chunk.chunk_id: u
        for u in candidate_units(query, [use, other], Evidence(weights, None, {}, known))
    }
    assert units["pergub#9"].features["lex"] > 0.8
    assert units["other#9"].features["lex"] < 0.5
    plain = replace(
        DEFINITIONS, text="1. Kabupaten Contoh yang selanjutnya disebut Daerah adalah …"
    )
    assert short_names([plain]) == {}


def test_a_short_name_also_says_what_its_definition_calls_the_thing() -> None:
    """A user may name the thing by what the definition says it is ("… adalah aplikasi
    elektronik yang dikelola BRIDA": "aplikasi elektronik"), not by its defined name: the
    article using the short name meets those words, and so does the rest of that passage."""
    from bot.definitions import short_names
    from bot.scoring import Evidence, candidate_units
    from bot.term_weights import TermWeights
    from replikasi.indonesian import tokenize

    known = short_names([DEFINITIONS])
    assert known[DEFINITIONS.doc_id]["sibadi"] >= {"aplikasi", "elektronik"}
    assert "brida" not in known[DEFINITIONS.doc_id]["sibadi"]  # which one it is, not what

    text = "(1) SIBADI memuat profil.\n(2) Profil diperbarui tiap bulan."
    use = replace(USE, chunk_id="pergub#9", text=text)
    query = analyse("Aplikasi elektronik itu memuat apa?", "id")
    weights = TermWeights({use.doc_id: frozenset(tokenize(use.text))})
    units = candidate_units(query, [use], Evidence(weights, None, {}, known))
    first, second = sorted(units, key=lambda u: u.text)
    assert first.features["lex"] > 0.8
    assert second.features["ctx_lex"] > 0.8  # its passage uses the short name
