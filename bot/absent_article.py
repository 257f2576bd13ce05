"""An article a question names that the regulations held do not have.

"Pasal 34 Pergub Uji 5/2026 isinya apa?" of a regulation whose last article is Pasal 31 has
a plain answer: it has no Pasal 34. Searched as words, the question finds the regulation's
other articles (they all share its name and year), and one of them was quoted as if it
were the article asked about. Structure settles it before any scoring: the index knows
every article of every regulation it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.query import Query
from bot.scoring import article_matches
from replikasi.dictums import diktum_word
from replikasi.records import MetaKey, RetrievedChunk

_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class AbsentArticle:
    """The article asked about ("Pasal 34") and, for each regulation that could be meant,
    its last article's passage (which shows where it ends)."""

    article: str
    last_articles: tuple[RetrievedChunk, ...]


def absent_article(query: Query, chunks: Iterable[RetrievedChunk]) -> AbsentArticle | None:
    """The article `query` names when no regulation it may mean has one: the regulation it
    names by number, else every regulation of the index with articles of that kind (Pasal,
    or a decree's dictums). None when it names no article, when one of them has it, or when
    it names by number a regulation the index does not hold (nothing here can say what that
    text lacks)."""
    asked = query.anchors.article
    if not asked:
        return None
    dictum = asked.startswith("diktum")
    numbers = query.anchors.reg_numbers
    last: dict[str, RetrievedChunk] = {}
    for chunk in chunks:
        if chunk.doc_type != "regulation" or not chunk.article:
            continue
        if numbers and chunk.regulation_number not in numbers:
            continue
        if article_matches(query, chunk):
            return None
        if chunk.article.startswith("Diktum") != dictum:
            continue
        held = last.get(chunk.doc_id)
        if held is None or _order(chunk) > _order(held):
            last[chunk.doc_id] = chunk
    if not last:
        return None
    label = f"Diktum {diktum_word(int(asked.split()[-1]))}" if dictum else f"Pasal {asked.upper()}"
    ordered = sorted(last.values(), key=lambda c: c.document_label)
    return AbsentArticle(label, tuple(ordered))


def _order(chunk: RetrievedChunk) -> tuple[int, int]:
    """Where an article stands: by its number ("Pasal 5A" after "Pasal 5"), then by its
    passage's place in the document (a dictum's number is a word)."""
    match = _NUMBER.search(chunk.article)
    position = chunk.metadata.get(MetaKey.POSITION, 0)
    return (int(match.group()) if match else 0, int(position) if str(position).isdigit() else 0)
