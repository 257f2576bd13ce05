"""Broad how-to questions: "gimana cara replikasi inovasi?" names nothing in particular.

Every passage of the knowledge base is about replicating innovations, so no single passage
answers such a question, and the best-matching sentence is usually a definition. What a
user expects is an overview: the passages that lay out steps, principles or routes, each
quoted and cited, with an invitation to ask about one of them.

A question is broad when it asks how (a procedure) and every content word of it, apart from
the words that ask how ("cara", "tahapan", "langkah"), is the topic of the whole index: a
term found in a large share of its document passages ("replikasi", "inovasi", "pelayanan
publik"). A question naming anything more specific (DataGO, JIPPNas, a year, a regulation,
an article) is not broad and is answered as before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.query import Query, procedure_words
from bot.scoring import ScoredUnit, kinds_in, terms_of
from replikasi.indonesian import tokenize
from replikasi.records import RetrievedChunk

# A term in at least this share of the document passages is the topic itself.
TOPIC_SHARE = 0.2
# Fewer document passages than this tell no topic apart from chance.
MIN_PASSAGES = 20
# Candidates searched for an overview (catalogue rows, which it skips, fill many of them).
OVERVIEW_POOL = 60
# Passages an overview quotes, and the fewest that make one.
MAX_SECTIONS = 3
MIN_SECTIONS = 2

# Verbs of doing and asking to explain: "cara *melakukan* replikasi", "how does replication
# *work*", "mohon *penjelasan* …" ask how to do the topic, they do not narrow it.
_DOING = frozenset(
    tokenize(
        "melakukan menjalankan melaksanakan menerapkan meniru mengadopsi penjelasan "
        "work carry implement apply"
    )
)

# A heading (or a list's lead-in) that announces steps, a route or a principle to follow.
_STEPS = re.compile(
    r"\b(tahap(?:an)?|langkah(?:-langkah)?|alur|jalur|mekanisme|prosedur|tata cara|prinsip|"
    r"stages?|steps?|procedures?|process|principles?|route)\b",
    re.I,
)
_LEAD_IN = re.compile(r"(?m)^(?P<lead>[^\n]*):\s*\n\s*(?:[-*•]|\d+[.)])\s+")


def topic_terms(chunks: Iterable[RetrievedChunk]) -> frozenset[str]:
    """Terms found in at least TOPIC_SHARE of the document passages (catalogue rows, which
    can be thousands, do not count)."""
    documents = [c for c in chunks if not c.is_profile_row]
    if len(documents) < MIN_PASSAGES:
        return frozenset()
    df = Counter(term for chunk in documents for term in terms_of(chunk.text))
    floor = TOPIC_SHARE * len(documents)
    return frozenset(term for term, count in df.items() if count >= floor)


_NAMES_ITS_SOURCE = re.compile(
    r"\b(?:menurut|berdasarkan|sesuai(?:\s+dengan)?|according\s+to|under|as\s+set\s+out\s+in)"
    r"\s+(?:the\s+)?(?:pedoman|peraturan|regulasi|surat\s+edaran|se|perwal|perbup|pergub|perda|"
    r"permen\w*|kepmen\w*|guidelines?|regulations?|circular|decree|by-?law)\b",
    re.I,
)


def asks_broadly(query: Query, topic: frozenset[str]) -> bool:
    """Does the question ask how to do the index's topic itself, naming nothing narrower?"""
    if "procedure" not in query.kinds or not topic:
        return False
    if query.follow_up or query.parts or query.filters or query.anchors:
        return False
    if _NAMES_ITS_SOURCE.search(query.text):
        return False  # "… menurut pedoman?" asks what that document says, not how in general
    asking = procedure_words(query.text) | _DOING
    rest = [t for t in query.own_terms if t not in asking]
    if not rest or query.entities - asking:
        return False
    return all(term in topic for term in rest)


def lays_out_steps(chunk: RetrievedChunk) -> bool:
    """Does the passage lay out steps, a route or a principle: its heading says so, or one
    of its lists is introduced as such ("… berjalan melalui empat tahap:")?"""
    if _STEPS.search(chunk.section):
        return True
    return any(_STEPS.search(m.group("lead")) for m in _LEAD_IN.finditer(chunk.text))


def overview_passages(pool: Sequence[RetrievedChunk]) -> list[RetrievedChunk]:
    """The best-ranked passages that lay out steps, one per section, at most MAX_SECTIONS;
    none when fewer than MIN_SECTIONS do (then the question is answered as any other)."""
    chosen: list[RetrievedChunk] = []
    seen: set[tuple[str, str]] = set()
    for chunk in pool:
        key = (chunk.doc_id, chunk.section)
        if chunk.is_profile_row or key in seen or not lays_out_steps(chunk):
            continue
        seen.add(key)
        chosen.append(chunk)
        if len(chosen) == MAX_SECTIONS:
            break
    return chosen if len(chosen) >= MIN_SECTIONS else []


def best_unit_per_passage(
    scored: Sequence[ScoredUnit], passages: Sequence[RetrievedChunk]
) -> list[ScoredUnit]:
    """For each passage, in the given order, its best unit that holds steps (a list or a
    sequence), else its best unit."""
    chosen: list[ScoredUnit] = []
    for chunk in passages:
        own = sorted(
            (u for u in scored if u.chunk.chunk_id == chunk.chunk_id),
            key=lambda u: u.score,
            reverse=True,
        )
        steps = [u for u in own if kinds_in(u.text, frozenset({"procedure"}))]
        if steps or own:
            chosen.append((steps or own)[0])
    return chosen
