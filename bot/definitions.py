"""Where a regulation defines what a question asks about.

A regulation defines its terms in one article ("Pasal 1 … yang dimaksud dengan: 1. Daerah
adalah …; 12. Klinik Inovasi adalah …"). That article is long and about everything, so search
ranks it below the articles that use the term; a question "apa yang dimaksud dengan Klinik
Inovasi?" is better served by looking the definition up by structure: a numbered item whose
defined name (or the short name it introduces, "yang selanjutnya disingkat BRIDA") is what
the question names. The elucidation of an article defines words of it too ('Yang dimaksud
dengan "analisis kesenjangan" adalah …').
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.query import Query
from bot.scoring import terms_of
from replikasi.records import RetrievedChunk

_DEFINITION = re.compile(
    r"^\s*\d{1,3}\.\s+(?P<name>[^\n]{2,120}?)"
    r"(?:\s+yang selanjutnya (?:disingkat|disebut)\s+(?P<short>[^\n]{2,40}?))?"
    r"\s+adalah\s",
    re.MULTILINE,
)


# An elucidation defines a word of its article: 'Ayat (2) Yang dimaksud dengan "analisis
# kesenjangan" adalah …'.
_ELUCIDATED = re.compile(
    r"\byang dimaksud dengan\s+[\"“'‘]?(?P<name>[^\"”'’\n]{2,80}?)[\"”'’]?\s+"
    r"(?:adalah|ialah|yaitu|yakni|antara lain|meliputi|termasuk)\s",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Definition:
    chunk: RetrievedChunk
    names: tuple[frozenset[str], ...]  # terms of the defined name and of its short name


def definitions(chunks: Iterable[RetrievedChunk]) -> list[Definition]:
    """The numbered definitions in regulation articles among `chunks`, and the words their
    elucidations define."""
    found = []
    for chunk in chunks:
        if chunk.article:
            pattern = _DEFINITION
        elif chunk.explains:
            pattern = _ELUCIDATED
        else:
            continue
        found += [Definition(chunk, names) for names in _defined_names(chunk.text, pattern)]
    return found


ShortNames = dict[str, dict[str, frozenset[str]]]


def short_names(chunks: Iterable[RetrievedChunk]) -> ShortNames:
    """Per document, the short names its definitions introduce and the terms of what they
    stand for ("Tim Koordinasi Replikasi Inovasi Daerah yang selanjutnya disingkat TKRID
    adalah tim lintas Perangkat Daerah …" -> {"tkrid": {"tim", "koordinasi", "lintas", …}}:
    the defined name and what the definition says it is). A regulation writes the short name
    everywhere after Pasal 1, while a question names the thing in words."""
    found: ShortNames = {}
    for chunk in chunks:
        if not chunk.article:
            continue
        for match in _DEFINITION.finditer(chunk.text):
            short = (match.group("short") or "").strip()
            if not _ACRONYM.fullmatch(short):
                continue  # "… yang selanjutnya disebut Daerah": a word, not a short name
            terms = terms_of(short)
            if len(terms) == 1:
                genus = _GENUS.match(chunk.text, match.end())
                stands_for = terms_of(match["name"]) | terms_of(genus[1] if genus else "")
                found.setdefault(chunk.doc_id, {})[next(iter(terms))] = stands_for
    return found


# What a definition says its term is, before it says which one: "… adalah tim lintas
# Perangkat Daerah yang dibentuk oleh Bupati …" -> "tim lintas Perangkat Daerah". A question
# may name the thing so ("tim koordinasi lintas perangkat daerah").
_GENUS = re.compile(
    r"([^\n,;.()]{2,80}?)(?=\s+(?:yang|untuk|dengan|sebagai|berupa|dalam|di|pada|oleh|atas)\b|[,;.(\n]|$)"
)


_ACRONYM = re.compile(r"(?=(?:\w*[A-Z]){2})[\w-]{2,24}")


def defining_passages(query: Query, known: Iterable[Definition]) -> list[RetrievedChunk]:
    """Passages defining what `query` asks the meaning of: the definitions whose name the
    question holds whole, the most specific first ("Klinik Inovasi" before "Gubernur")."""
    if "definition" not in query.kinds:
        return []
    best, chosen = 0, []
    for definition in known:
        asked = _asked_names(definition.names, query, definition.chunk)
        size = max((len(n) for n in asked), default=0)
        if size > best:
            best, chosen = size, [definition.chunk]
        elif size and size == best and definition.chunk not in chosen:
            chosen.append(definition.chunk)
    return chosen[:2]


def states_definition(text: str, chunk: RetrievedChunk, query: Query) -> bool:
    """Is `text` (a sentence of `chunk`) the regulation's own definition of a term the
    question asks the meaning of, named whole — a numbered definition or an elucidation's
    "yang dimaksud dengan"? Then it is the answer, however differently the question is
    worded."""
    if "definition" not in query.kinds or chunk.doc_type != "regulation":
        return False
    pattern = _DEFINITION if chunk.article else _ELUCIDATED
    return any(_asked_names(names, query, chunk) for names in _defined_names(text, pattern))


def _defined_names(text: str, pattern: re.Pattern[str]) -> list[tuple[frozenset[str], ...]]:
    """For each definition `pattern` finds in `text`: the terms of the defined name and of
    the short name it introduces."""
    found = []
    for match in pattern.finditer(text):
        short = match.groupdict().get("short") or ""
        names = tuple(terms for terms in (terms_of(match["name"]), terms_of(short)) if terms)
        if names:
            found.append(names)
    return found


def _asked_names(
    names: Iterable[frozenset[str]], query: Query, chunk: RetrievedChunk
) -> list[frozenset[str]]:
    """The defined names the question holds whole. Words that only refer to the regulation
    ("Perwal Kota Fiktif") ask nothing of it: "Wali Kota adalah Wali Kota Fiktif" is not what
    a question on its stages wants."""
    own = set(query.own_terms)
    subject = own - terms_of(f"{chunk.title} {chunk.document_label}")
    return [n for n in names if n <= own and (n & subject or not subject)]
