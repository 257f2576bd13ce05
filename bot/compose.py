"""The offline answer: the scored units that together answer the question, in an order a
person can read, each cited by passage.

The best unit leads; further units are added only when they bring something the answer lacks
(a question term, an asked-for kind of content) or continue a chosen unit, within a budget
that keeps a Telegram answer readable at a glance. A unit that starts mid-thought ("Dengan
penambahan ini, …") comes with the sentence it refers back to, or not at all. The best unit
leads the answer; when the question asks for a figure, the most recent one leads ("54 hub …
saat ini"; earlier ones after it). Regulation passages name their article in the text
("(Pasal 9 ayat (2))").
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.query import Query
from bot.scoring import ScoredUnit, kinds_in, terms_of, units_of
from replikasi.records import RetrievedChunk
from replikasi.regulation_marks import AYAT_NUMBER, EXPLANATION_OPENING, opening_ayat
from replikasi.sentences import split_sentences

ANSWER_BUDGET = 650  # characters of quoted text
MAX_UNITS = 5
RELATIVE_FLOOR = 0.15  # a further unit must be at least this likely, relative to the best
STRONG_LIKELIHOOD = 0.45  # nearly as likely as the best: worth saying even if no new word
# Kinds of content a sentence shows by its own words or figures ("karena …", "14 hari",
# "Rp25 juta"), not by guessing which capitalised words name someone
WRITTEN_KINDS = frozenset({"reason", "number", "money", "share", "date", "day", "contact_detail"})
LEAD_FLOOR = 0.8  # near-best figures that may lead a "how many" answer when more recent
ADJACENT_BONUS = 0.15
NEAR_DUPLICATE = 0.8
# Asking for these, a list is answered whole, not by one of its items.
_WHOLE_LIST_KINDS = frozenset({"list", "names", "procedure"})
_LIST_MARK = re.compile(r"^[-*•]\s+")  # a dash goes; a number ("9. …") says where it stands
_LIST_TAIL = re.compile(r"\s*(?:[;,]\s*(?:dan|atau|and|or)?)\s*$")

_ANAPHORIC_START = re.compile(
    r"^(?:dengan\s+(?:\w+\s+)?(?:ini|itu|tersebut|demikian|kata lain)|hal\s+(?:ini|itu|tersebut)"
    # "Hal itu …", "Untuk hal-hal tersebut, …", "Pada tahun itu …", not "Hingga saat ini …"
    r"|(?!(?:saat|hari|dewasa|sampai|hingga)\s+ini\b)(?:[\w-]+\s+){0,2}?"
    r"(?:(?<!saat\s)(?<!hari\s)(?<!dewasa\s)ini|itu|tersebut)\b"
    r"|selain itu|namun|akan tetapi|tetapi|oleh karena itu|"
    r"karena itu|sehingga|kedua|ketiga|keempat|ia|beliau|mereka|keduanya|ketiganya|"
    r"it|this|these|those|they|however|therefore)\b",
    re.I,
)
_PRESENT = re.compile(
    r"\b(saat ini|sekarang|kini|terbaru|terkini|hingga kini|currently|now|latest|today)\b", re.I
)
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_ITEM_START = re.compile(r"^(\d{1,3})\.\s")
# "(2) Sanksi administratif sebagaimana dimaksud pada ayat (1) [huruf b] berupa: …": an ayat
# that spells out what the ayat it refers to names (its forms, parts, contents, stages).
_ELABORATION = re.compile(
    rf"^\({AYAT_NUMBER}\)\s+(?P<subject>[^.;:()]{{3,80}}?)\s+sebagaimana\s+dimaksud\s+pada\s+"
    rf"ayat\s+\((?P<ayat>{AYAT_NUMBER})\)(?:\s+huruf\s+[a-z])?,?\s+"
    r"(?:(?:dapat\s+)?(?:berupa|berbentuk|meliputi|terdiri\s+atas|antara\s+lain)\b"
    r"|[^.;:]{0,60}:)",
    re.I,
)


@dataclass(frozen=True)
class Composition:
    units: list[ScoredUnit]  # in answer order
    best: ScoredUnit | None
    covered: frozenset[str]  # question terms the chosen units (or their headings) hold
    kinds: frozenset[str]  # asked-for kinds the chosen units hold
    lead_caveat: bool = False  # the sources qualify the lead as not known / not certain

    def __bool__(self) -> bool:
        return bool(self.units)

    @property
    def quoted_terms(self) -> frozenset[str]:
        """The terms of the quoted units' own text (not of their headings)."""
        return frozenset().union(*(u.terms for u in self.units))


def compose(query: Query, scored: Sequence[ScoredUnit], budget: int = ANSWER_BUDGET) -> Composition:
    """Choose units from `scored` (best first) for `query`."""
    usable = [u for u in scored if not u.is_not_known]
    if not usable:
        return Composition([], None, frozenset(), frozenset())
    best = _lead(query, usable)
    chosen = [best]
    used = len(best.text)
    terms = set(query.terms)
    covered = set(best.terms & terms)
    kinds = set(best.kinds)
    remaining = [u for u in usable if u is not best and likelihood(u, usable[0]) >= RELATIVE_FLOOR]
    while len(chosen) < MAX_UNITS:
        elaborations = [
            u for u in usable if u not in chosen and any(elaborates(u, c, query) for c in chosen)
        ]
        pick, pick_value = None, float("-inf")
        for candidate in remaining + [u for u in elaborations if u not in remaining]:
            if (
                used + len(candidate.text) > budget
                or _near_duplicate(candidate, chosen)
                or _restates_figures(candidate, chosen)
            ):
                continue
            if candidate in elaborations:  # says what a chosen ayat only names
                value = 1.0 + ADJACENT_BONUS + likelihood(candidate, usable[0])
                if value > pick_value:
                    pick, pick_value = candidate, value
                continue
            adjacent = any(_adjacent(candidate, c) for c in chosen)
            new_terms = (candidate.terms & terms) - covered
            new_kinds = candidate.kinds - kinds
            strong = likelihood(candidate, usable[0]) >= STRONG_LIKELIHOOD
            if not (new_terms or new_kinds or adjacent or strong):
                continue  # adds nothing the answer does not already say
            value = likelihood(candidate, usable[0]) + (ADJACENT_BONUS if adjacent else 0.0)
            if value > pick_value:
                pick, pick_value = candidate, value
        if pick is None:
            break
        chosen.append(pick)
        if pick in remaining:
            remaining.remove(pick)
        used += len(pick.text)
        covered |= pick.terms & terms
        kinds |= pick.kinds
    chosen = [_narrowed(query, unit, usable) for unit in chosen]
    best = chosen[0]
    chosen = _with_antecedents(chosen, scored, budget)
    caveats = _caveats(chosen, scored)
    for unit in chosen:
        covered |= terms_of(f"{unit.chunk.title} {unit.chunk.section}") & terms
    ordered = _answer_order(chosen + caveats, best)
    return Composition(
        ordered,
        best,
        frozenset(covered),
        frozenset(kinds),
        lead_caveat=any(_follows(c, best) for c in caveats),
    )


def _narrowed(query: Query, unit: ScoredUnit, usable: Sequence[ScoredUnit]) -> ScoredUnit:
    """A list kept whole with its lead-in, which the previous answer already showed, is not
    shown again for a follow-up asking for one thing in it ("dia dari lembaga mana?" after
    "Tahapan penilaian KIPP 2025: - … - Sebanyak 273 finalis dinilai oleh tim panel
    independen yang diketuai R. Siti Zuhro dari BRIN …"): the answer is the line that holds
    it alone (`_line_alone`), after the lead-in's last sentence and "…". It stands for the
    list, with the list's evidence, in the decision to answer: it answers what the list
    answered. (Shown the first time, the whole list stays: its other lines often hold what
    was meant too.)"""
    said = query.previous.answer_text if query.previous else ""
    if unit.unit.detail or unit.text not in said or query.kinds & _WHOLE_LIST_KINDS:
        return unit
    items = (
        u
        for u in usable  # best first
        if u.unit.detail
        and u.chunk.chunk_id == unit.chunk.chunk_id
        and u.unit.order == unit.unit.order
    )
    for item in items:
        line = _line_alone(query, unit, item)
        if line is None:
            continue
        opening = split_sentences(item.unit.lead)[-1] if item.unit.lead else ""
        line = _LIST_MARK.sub("", _LIST_TAIL.sub("", line))
        line = line if line.endswith((".", "!", "?", ":")) else f"{line}."
        text = f"{opening} … {line}" if opening else line
        return replace(
            item, unit=replace(item.unit, text=text), features=unit.features, score=unit.score
        )
    return unit


def _line_alone(query: Query, whole: ScoredUnit, item: ScoredUnit) -> str | None:
    """The line of the list `whole` that holds `item`, when it holds all the list says of
    the question beyond its lead-in (the question's words and what it asks for, none of
    which the lead-in holds itself) and no other line holds any of those words."""
    lead = item.unit.lead
    beyond_lead = whole.terms & frozenset(query.terms) - terms_of(lead)
    lines = [line.strip() for line in whole.text.splitlines() if line.strip()]
    own = next((line for line in lines if item.text in line), item.text)
    others = [line for line in lines if line != own and line not in lead]
    alone = (
        beyond_lead
        and beyond_lead <= item.terms
        and whole.kinds <= item.kinds
        and not kinds_in(lead, query.kinds)
        and not any(terms_of(line) & beyond_lead for line in others)
    )
    return own if alone else None


def compose_article(
    scored: Sequence[ScoredUnit], passages: Sequence[RetrievedChunk], budget: int = ANSWER_BUDGET
) -> Composition:
    """A question about an article itself ("isi Pasal 7 apa?") is answered by its text: the
    units of its passages in reading order (list items once, inside their list), as far as
    `budget` goes."""
    place = {chunk.chunk_id: i for i, chunk in enumerate(passages)}
    units = sorted(
        (
            u
            for u in scored
            if u.chunk.chunk_id in place and not u.unit.detail and not u.is_not_known
        ),
        key=lambda u: (place[u.chunk.chunk_id], u.unit.order),
    )
    chosen: list[ScoredUnit] = []
    used = 0
    for unit in units:
        if chosen and used + len(unit.text) > budget:
            break
        chosen.append(unit)
        used += len(unit.text)
    if not chosen:
        return Composition([], None, frozenset(), frozenset())
    best = max(chosen, key=lambda u: u.score)
    terms = frozenset().union(*(u.terms for u in chosen))
    return Composition(chosen, best, terms, frozenset().union(*(u.kinds for u in chosen)))


def elaborates(unit: ScoredUnit, chosen: ScoredUnit, query: Query) -> bool:
    """Does `unit` say what a chosen ayat only names, about something the question asks?
    "(1) … dikenai sanksi administratif." is followed by "(2) Sanksi administratif
    sebagaimana dimaksud pada ayat (1) berupa: a. …": a question on the sanction needs both."""
    if unit.unit.detail or chosen.unit.detail or unit.chunk.chunk_id != chosen.chunk.chunk_id:
        return False
    ayat = opening_ayat(chosen.text)
    match = _ELABORATION.match(unit.text)
    if ayat is None or match is None or match.group("ayat") != ayat:
        return False
    return bool(terms_of(match.group("subject")) & set(query.terms))


def _caveats(chosen: list[ScoredUnit], scored: Sequence[ScoredUnit]) -> list[ScoredUnit]:
    """The sentence right after a chosen one that says what the sources do not know about
    it ("Catatan: … belum dapat dipastikan …") goes with it: an answer must not drop the
    sources' own qualification."""
    caveats = []
    for unit in scored:
        if unit.is_not_known and not unit.unit.detail and any(_follows(unit, c) for c in chosen):
            caveats.append(unit)
    return caveats


def _follows(unit: ScoredUnit, previous: ScoredUnit) -> bool:
    return (
        unit.chunk.chunk_id == previous.chunk.chunk_id
        and not previous.unit.detail
        and unit.unit.order == previous.unit.order + 1
    )


def _lead(query: Query, usable: Sequence[ScoredUnit]) -> ScoredUnit:
    """The best unit, except that
    - a question for a kind of content a sentence writes out (a reason, a date, a figure)
      is led by the best unit nearly as likely as the best that holds it, when the best
      one holds none: "why were ministries involved?" by "… dilibatkan … agar dapat
      mengenali …", not by the list of stages that names them;
    - a question for a figure (with no year of its own) is led by the most recent of the
      near-best figures: "54 hub saat ini" before "34 hub (2023)"; one for the first of a
      series ("in its first year") by the earliest: "2014: 515" before "2015: 1.189"."""
    best = first = usable[0]
    # a reason is asked like a slot here, but is no slot the answer decision requires: a
    # source often says why without "karena" or "agar" ("… tidak diadakan dan diganti …")
    wanted = query.slots | (query.kinds & {"reason"})
    asked = wanted & WRITTEN_KINDS
    if asked and not wanted & best.kinds:
        strong = (u for u in usable[:8] if likelihood(u, first) >= STRONG_LIKELIHOOD)
        best = next((u for u in strong if asked & u.kinds), best)
    if not query.kinds & {"number", "money", "date", "day"} or query.anchors.years:
        return best
    figures = [
        u for u in usable[:8] if likelihood(u, first) >= LEAD_FLOOR and re.search(r"\d", u.text)
    ]
    if len(figures) < 2:
        return best
    if query.earliest and not query.present:
        dated = [(min(years), -u.score, u) for u in figures if (years := _years(u))]
        return min(dated, key=lambda d: d[:2])[2] if len(dated) > 1 else best
    return max(figures, key=lambda u: (_recency(u), u.score))


def _years(unit: ScoredUnit) -> list[int]:
    """The years a unit or its section heading names."""
    return [int(m.group()) for m in _YEAR.finditer(f"{unit.chunk.section} {unit.text}")]


def likelihood(unit: ScoredUnit, best: ScoredUnit) -> float:
    """How likely `unit` is to hold the answer, relative to the best unit (scores are
    log-odds of a ranking model, so their difference is a log ratio)."""
    return math.exp(min(unit.score - best.score, 0.0))


def _recency(unit: ScoredUnit) -> tuple[int, int]:
    present = _PRESENT.search(f"{unit.chunk.section} {unit.text}")
    return (1 if present else 0, max(_years(unit), default=0))


def _adjacent(a: ScoredUnit, b: ScoredUnit) -> bool:
    if a.unit.detail or b.unit.detail:
        return False
    return a.chunk.chunk_id == b.chunk.chunk_id and abs(a.unit.order - b.unit.order) == 1


def _near_duplicate(candidate: ScoredUnit, chosen: list[ScoredUnit]) -> bool:
    words = set(candidate.text.lower().split())
    for other in chosen:
        other_words = set(other.text.lower().split())
        overlap = len(words & other_words) / max(min(len(words), len(other_words)), 1)
        if overlap > NEAR_DUPLICATE:
            return True
    return False


_FIGURE = re.compile(r"\d[\d.,]*\d")  # two digits or more: "623", "2.355", "33"
_YEAR_FIGURE = re.compile(r"^(?:19|20)\d\d$")


def _figures(text: str) -> set[str]:
    """The counts and amounts a text states: no list numbers, days or years."""
    found = {f.replace(".", "").replace(",", "") for f in _FIGURE.findall(text)}
    return {f for f in found if not _YEAR_FIGURE.match(f)}


def _restates_figures(candidate: ScoredUnit, chosen: list[ScoredUnit]) -> bool:
    """Two sources giving the same count in other words ("diikuti 623 peserta: 33 … 590 …"
    and "Jumlah peserta: 623 peserta, terdiri atas 33 … 590 …"): a unit whose figures, two
    or more, the answer already states says nothing new."""
    figures = _figures(candidate.text)
    if len(figures) < 2:
        return False
    said = set().union(*(_figures(c.text) for c in chosen))
    return figures <= said


def _with_antecedents(
    chosen: list[ScoredUnit], scored: Sequence[ScoredUnit], budget: int
) -> list[ScoredUnit]:
    """A unit that refers back ("Dengan penambahan ini, …") keeps its antecedent — the unit
    before it in the passage — or is dropped; the lead keeps its antecedent whatever the
    budget, because an answer must not start mid-thought. A unit naming a rule only as
    "peraturan ini" gets the sentence that names it when there is room (always as the
    lead), and is kept without it otherwise."""
    by_position = {(u.chunk.chunk_id, u.unit.order): u for u in scored if not u.unit.detail}
    result = list(chosen)
    used = sum(len(u.text) for u in result)
    for unit in chosen:
        opens_on_it = bool(_ANAPHORIC_START.match(unit.text))
        if not (opens_on_it or _names_back(unit)) or unit.unit.order == 0 or unit.unit.detail:
            continue
        key = (unit.chunk.chunk_id, unit.unit.order - 1)
        if any((c.chunk.chunk_id, c.unit.order) == key for c in result):
            continue
        antecedent = by_position.get(key) or _unscored_unit(unit, unit.unit.order - 1)
        lead = unit is chosen[0]
        if antecedent is not None and (lead or used + len(antecedent.text) <= budget * 1.2):
            result.insert(result.index(unit), antecedent)
            used += len(antecedent.text)
        elif not lead and opens_on_it:
            result.remove(unit)
    return result


# A rule named by what it is, not by its name: "PKRI 2024 disebut sebagai pelaksanaan
# peraturan ini" says which regulation only with the sentence before it. In a regulation's
# own text (passages split along its structure), "Peraturan Daerah ini" is itself.
_RULE_NAMED_BACK = re.compile(
    r"\b(?:peraturan|keputusan|pedoman|surat edaran|regulasi|aturan|ketentuan|kebijakan)\s+"
    r"(?:ini|itu|tersebut)\b",
    re.I,
)


def _names_back(unit: ScoredUnit) -> bool:
    return not unit.chunk.reg_section and bool(_RULE_NAMED_BACK.search(unit.text))


def _unscored_unit(unit: ScoredUnit, order: int) -> ScoredUnit | None:
    for other in units_of(unit.chunk.text):
        if other.order == order and not other.detail:
            return ScoredUnit(unit.chunk, other, {}, frozenset(), unit.score)
    return None


def _answer_order(chosen: list[ScoredUnit], lead: ScoredUnit) -> list[ScoredUnit]:
    """The lead first (after the unit it refers back to, if any), then the rest: units of
    one document together, in source order, documents in the order they were chosen."""
    antecedent = next(
        (
            u
            for u in chosen
            if u.chunk.chunk_id == lead.chunk.chunk_id
            and u.unit.order == lead.unit.order - 1
            and (_ANAPHORIC_START.match(lead.text) or _names_back(lead))
        ),
        None,
    )
    head = [u for u in (antecedent, lead) if u is not None]
    rest = [u for u in chosen if u not in head]
    doc_order: dict[str, int] = {lead.chunk.doc_id: 0}
    for unit in rest:
        doc_order.setdefault(unit.chunk.doc_id, len(doc_order))
    rest.sort(
        key=lambda u: (
            doc_order[u.chunk.doc_id],
            int(u.chunk.metadata.get("position", 0) or 0),
            u.unit.order,
        )
    )
    return head + rest


def article_label(unit: ScoredUnit) -> str:
    """ "Pasal 9 ayat (2)" for a unit of a regulation article, "Penjelasan Pasal 5 ayat (2)"
    for one of the elucidation of an article, "" otherwise."""
    article = unit.chunk.article
    if article:
        ayat = opening_ayat(unit.text)
        if ayat:
            return f"{article} ayat ({ayat})"
        item = _ITEM_START.match(unit.text)  # "12. Klinik Inovasi adalah …" in Pasal 1
        return f"{article} angka {item.group(1)}" if item else article
    explained = unit.chunk.explains
    if not explained:
        return ""
    opening = EXPLANATION_OPENING.match(unit.text)
    label = f"Penjelasan {explained}"
    if opening and opening.group(1):
        label += f" ayat ({opening.group(1)})"
    if opening and opening.group(2):
        label += f" huruf {opening.group(2).lower()}"
    return label
