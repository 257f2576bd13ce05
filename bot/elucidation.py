"""An article quoted with its official explanation.

A regulation's Penjelasan explains its articles ayat by ayat: "Ayat (1) Yang dimaksud dengan
"unsur inti inovasi" adalah tujuan inovasi, sasaran pengguna layanan, dan alur layanan
utama …". Whoever reads "… sepanjang tidak mengubah unsur inti inovasi (Pasal 16 ayat (1))"
needs that sentence to know what may not be changed; a search for the question seldom
brings the explanation itself, which shares few of its words. So an answer quoting an ayat
also quotes the explanation of that ayat when there is one that says something ("Cukup
jelas." says nothing) and it bears on the quote or the question: it defines a word the
quote uses, or shares a word with what was asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from bot.compose import Composition
from bot.query import Query
from bot.scoring import ScoredUnit, terms_of, units_of
from replikasi.records import RetrievedChunk
from replikasi.regulation_marks import AYAT_LINES, EXPLAINED_AYAT, POINT_LABEL

MAX_EXPLANATIONS = 2  # explanation units added to one answer

_SAYS_NOTHING = re.compile(r"^cukup\s+jelas\.?$", re.I)
_DEFINES = re.compile(r"yang dimaksud dengan\s+[\"“']([^\"”']{2,80})[\"”']", re.I)

ElucidationIndex = Mapping[tuple[str, str], RetrievedChunk]


def elucidation_index(chunks: Iterable[RetrievedChunk]) -> dict[tuple[str, str], RetrievedChunk]:
    """The elucidation passage of each article, by (document, "Pasal N")."""
    index: dict[tuple[str, str], RetrievedChunk] = {}
    for chunk in chunks:
        explains = chunk.explains
        if explains and chunk.reg_section == "elucidation":
            index.setdefault((chunk.doc_id, explains), chunk)
    return index


def with_elucidations(
    composition: Composition, query: Query, index: ElucidationIndex
) -> Composition:
    """`composition` with, after each quoted ayat, the explanation of it that bears on the
    quote or the question (at most MAX_EXPLANATIONS units in all)."""
    if not index or not composition:
        return composition
    shown = {(u.chunk.chunk_id, u.unit.order) for u in composition.units}
    title_terms = terms_of(composition.best.chunk.title) if composition.best else frozenset()
    asked = set(query.own_terms) - title_terms
    units: list[ScoredUnit] = []
    added = 0
    for unit in composition.units:
        units.append(unit)
        chunk = unit.chunk
        elucidation = index.get((chunk.doc_id, chunk.article)) if chunk.article else None
        if elucidation is None or added >= MAX_EXPLANATIONS:
            continue
        for explanation in _explanations(elucidation, _ayats(unit.text)):
            key = (explanation.chunk.chunk_id, explanation.unit.order)
            if key in shown or added >= MAX_EXPLANATIONS:
                continue
            if _defines_a_word_of(explanation.text, unit.terms) or asked & explanation.terms:
                units.append(explanation)
                shown.add(key)
                added += 1
    if not added:
        return composition
    return replace(composition, units=units)


def _ayats(text: str) -> frozenset[str]:
    """The ayat a quoted unit holds: "(2) …" is ayat 2; a whole article quoted at once
    holds each ayat opening one of its lines; a unit with none, the article as a whole."""
    return frozenset(AYAT_LINES.findall(text)) or frozenset({""})


def _explanations(elucidation: RetrievedChunk, ayats: frozenset[str]) -> list[ScoredUnit]:
    """The units of `elucidation` that explain one of `ayats` ("" = the article as a
    whole) and say something."""
    found: list[ScoredUnit] = []
    current = ""
    for unit in units_of(elucidation.text):
        text = unit.text
        opens = EXPLAINED_AYAT.match(text)
        if opens:
            current = opens.group(1)
            text = text[opens.end() :]
        if current not in ayats:
            continue
        said = POINT_LABEL.sub("", text).strip()
        if said and not _SAYS_NOTHING.match(said):
            found.append(ScoredUnit(elucidation, unit))
    return found


def _defines_a_word_of(explanation: str, quoted: frozenset[str]) -> bool:
    """'Yang dimaksud dengan "unsur inti inovasi" adalah …' of a quote that uses the words."""
    return any(
        (defined := terms_of(match.group(1))) and defined <= quoted
        for match in _DEFINES.finditer(explanation)
    )
