"""Where a regulation defines what a question asks about.

A regulation defines its terms in one article ("Pasal 1 … yang dimaksud dengan: 1. Daerah
adalah …; 12. Klinik Inovasi adalah …"). That article is long and about everything, so search
ranks it below the articles that use the term; a question "apa yang dimaksud dengan Klinik
Inovasi?" is better served by looking the definition up by structure: a numbered item whose
defined name (or the short name it introduces, "yang selanjutnya disingkat BRIDA") is what
the question names.
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


@dataclass(frozen=True)
class Definition:
    chunk: RetrievedChunk
    names: tuple[frozenset[str], ...]  # terms of the defined name and of its short name


def definitions(chunks: Iterable[RetrievedChunk]) -> list[Definition]:
    """The numbered definitions in regulation articles among `chunks`."""
    found = []
    for chunk in chunks:
        if not chunk.article:
            continue
        for match in _DEFINITION.finditer(chunk.text):
            names = tuple(
                terms
                for terms in (terms_of(match["name"]), terms_of(match["short"] or ""))
                if terms
            )
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
