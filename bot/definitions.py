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
from replikasi.records import MetaKey, RetrievedChunk

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
    """The numbered definitions in regulation articles among `chunks`."""
    found = []
    for chunk in chunks:
        if chunk.article:
            matches = [(m["name"], m["short"]) for m in _DEFINITION.finditer(chunk.text)]
        elif chunk.metadata.get(MetaKey.EXPLAINS):
            matches = [(m["name"], None) for m in _ELUCIDATED.finditer(chunk.text)]
        else:
            continue
        for name, short in matches:
            names = tuple(terms for terms in (terms_of(name), terms_of(short or "")) if terms)
            if names:
                found.append(Definition(chunk, names))
    return found


def defining_passages(query: Query, known: Iterable[Definition]) -> list[RetrievedChunk]:
    """Passages defining what `query` asks the meaning of: the definitions whose name the
    question holds whole, the most specific first ("Klinik Inovasi" before "Gubernur")."""
    if "definition" not in query.kinds:
        return []
    own = set(query.own_terms)
    best, chosen = 0, []
    for definition in known:
        # Words that only refer to the regulation ("Perwal Kota Fiktif") ask nothing of it:
        # "Wali Kota adalah Wali Kota Fiktif" is not what a question on its stages wants.
        subject = own - terms_of(f"{definition.chunk.title} {definition.chunk.document_label}")
        size = max(
            (len(n) for n in definition.names if n <= own and (n & subject or not subject)),
            default=0,
        )
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
    own = set(query.own_terms)
    subject = own - terms_of(f"{chunk.title} {chunk.document_label}")
    pattern = _DEFINITION if chunk.article else _ELUCIDATED
    for match in pattern.finditer(text):
        short = match.groupdict().get("short") or ""
        for name in (terms_of(match["name"]), terms_of(short)):
            if name and name <= own and (name & subject or not subject):
                return True
    return False
