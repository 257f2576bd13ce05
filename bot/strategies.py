"""How each kind of answer is written: extractive, "not known", abstention, a question in
parts, a list of innovation profiles, an LLM reply. Every quoted unit is cited by the number
of its passage; a unit from a regulation article names the article in the text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.compose import Composition, article_label
from bot.llm import LLMAnswer
from bot.messages import EXAMPLE_QUESTIONS, OFFICIAL_CHANNELS, say
from bot.regulation_frames import title_sentence
from bot.regulation_outline import first_words
from bot.scoring import ScoredUnit, terms_of
from bot.small_talk import SmallTalk
from replikasi.records import Answer, Citation, MetaKey, RetrievedChunk
from replikasi.regulation_marks import EXPLANATION_OPENING

if TYPE_CHECKING:
    from bot.absent_article import AbsentArticle
    from bot.engine import Finding
    from bot.regulation_outline import Outline


class _Citer:
    """Numbers passages in order of first use and keeps their citations."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.citations: list[Citation] = []

    def cite(self, unit: ScoredUnit) -> str:
        chunk = unit.chunk
        if chunk.chunk_id not in self.numbers:
            self.numbers[chunk.chunk_id] = len(self.numbers) + 1
            self.citations.append(Citation.from_chunk(self.numbers[chunk.chunk_id], chunk))
        number = self.numbers[chunk.chunk_id]
        label = article_label(unit)
        text = unit.text
        if label:  # "12. Klinik Inovasi adalah …": one item of a numbered list of definitions
            text = _ITEM_NUMBER.sub("", text, count=1)
        if label.startswith("Penjelasan"):  # "Ayat (2) Huruf a Yang dimaksud …": the label says it
            text = EXPLANATION_OPENING.sub("", text, count=1)
        if label and label.lower() not in text.lower():
            stripped = text.rstrip()
            end = "." if stripped.endswith(".") else ""
            return f"{stripped.rstrip('.')} ({label}) [{number}]{end}"
        return f"{text} [{number}]"


_ITEM_NUMBER = re.compile(r"^\d{1,3}\.\s+(?=\S)")

# "peraturan ini", "pedoman tersebut": the unit speaks of its document without naming it.
_DOCUMENT_REFERENCE = re.compile(
    r"\b(peraturan|pedoman|surat edaran|keputusan|program|kompetisi|portal|sistem|inovasi|"
    r"panduan|regulasi)\s+(ini|tersebut)\b",
    re.I,
)


def _paragraphs(units: Sequence[ScoredUnit], citer: _Citer) -> list[str]:
    """Units of one document in one paragraph (lists keep their line breaks). A paragraph
    whose first unit refers to its document without naming it ("… pelaksanaan peraturan
    ini") is led by the document's name."""
    paragraphs: list[str] = []
    current_doc = None
    for unit in units:
        sentence = citer.cite(unit)
        if unit.chunk.doc_id == current_doc and paragraphs:
            multiline = "\n" in unit.text or "\n" in paragraphs[-1]
            paragraphs[-1] += ("\n" if multiline else " ") + sentence
        else:
            if _DOCUMENT_REFERENCE.search(unit.text) and not _names_document(unit):
                sentence = f"{unit.chunk.document_label}: {sentence}"
            paragraphs.append(sentence)
            current_doc = unit.chunk.doc_id
    return paragraphs


def _names_document(unit: ScoredUnit) -> bool:
    title_terms = terms_of(unit.chunk.document_label)
    return len(title_terms & unit.terms) >= max(1, len(title_terms) // 2)


def write_extractive(answer: Answer, composition: Composition) -> None:
    citer = _Citer()
    paragraphs = _paragraphs(composition.units, citer)
    lead = say("source_language_note", answer.language)
    answer.text = "\n\n".join([lead, *paragraphs] if lead else paragraphs)
    answer.citations = citer.citations
    answer.mode = "extractive"
    answer.outcome = "answered"


def write_overview(answer: Answer, units: Sequence[ScoredUnit]) -> None:
    """A broad how-to question: the passages that lay out steps, principles or routes, one
    paragraph each, cited, and an invitation to ask about one of them."""
    citer = _Citer()
    blocks = [say("overview", answer.language)]
    blocks.extend(" ".join(_paragraphs([unit], citer)) for unit in units)
    blocks.append(say("overview_more", answer.language))
    answer.text = "\n\n".join(blocks)
    answer.citations = citer.citations
    answer.mode = "extractive"
    answer.outcome = "answered"
    answer.notes.append("overview of a broad question")


def write_parts(answer: Answer, parts: Sequence[tuple[Finding, bool]]) -> None:
    """One paragraph per part of the question; a part the sources cannot answer says so,
    and a part answered by what an earlier part already quoted adds nothing."""
    citer = _Citer()
    blocks: list[str] = []
    written: set[tuple[str, int]] = set()
    for part, answered in parts:
        if answered:
            units = [u for u in part.composition.units if _key(u) not in written]
            written.update(_key(u) for u in units)
            if units:
                blocks.append(" ".join(_paragraphs(units, citer)))
        else:
            blocks.append(say("part_not_known", answer.language, part=part.query.text))
    lead = say("source_language_note", answer.language)
    answer.text = "\n\n".join([lead, *blocks] if lead else blocks)
    answer.citations = citer.citations
    answer.mode = "extractive"
    answer.outcome = "answered"


def _key(unit: ScoredUnit) -> tuple[str, int]:
    return (unit.chunk.chunk_id, unit.unit.order)


def write_not_known(
    answer: Answer, statements: Sequence[ScoredUnit], composition: Composition
) -> None:
    """ "Not known, and here is what is known": the knowledge base's own statement that the
    asked thing is not known (when it has one), then the closest facts it does hold."""
    citer = _Citer()
    parts: list[str] = []
    if statements:
        parts.append(say("not_known", answer.language))
        parts.append(" ".join(citer.cite(u) for u in statements[:2]))
    else:
        parts.append(say("not_known_related", answer.language))
    said = {_key(u) for u in statements[:2]}
    # with the caveats that qualify them; a statement said above is not repeated
    known = [u for u in composition.units if _key(u) not in said][:4]
    if known:
        parts.append(say("what_is_known", answer.language))
        parts.extend(_paragraphs(known, citer))
    parts.append(OFFICIAL_CHANNELS[answer.language])
    answer.text = "\n\n".join(parts)
    answer.citations = citer.citations
    answer.mode = "extractive"
    answer.outcome = "not_known"


# what a regulation's numbered parts are called, by language and whether it is a decree's
_PART_WORDS = {
    ("id", False): "pasal",
    ("id", True): "diktum",
    ("en", False): "article",
    ("en", True): "dictum",
}


def write_absent_article(answer: Answer, absent: AbsentArticle) -> None:
    """The article asked about is not in the regulation (or in any regulation held): say so,
    with where each one ends, cited."""
    language = answer.language
    kind = _PART_WORDS[(language, absent.article.startswith("Diktum"))]
    citations = [
        Citation.from_chunk(number, chunk)
        for number, chunk in enumerate(absent.last_articles, start=1)
    ]
    if len(absent.last_articles) == 1:
        (chunk,) = absent.last_articles
        lines = [
            say(
                "absent_article",
                language,
                regulation=chunk.document_label,
                article=absent.article,
                kind=kind,
                last=chunk.article,
                cite="[1]",
            )
        ]
    else:
        lines = [say("absent_article_any", language, article=absent.article)]
        lines += [
            say(
                "absent_article_item",
                language,
                regulation=chunk.document_label,
                last=chunk.article,
                cite=f"[{number}]",
            )
            for number, chunk in enumerate(absent.last_articles, start=1)
        ]
    answer.text = "\n".join(lines) + "\n\n" + say("absent_article_next", language)
    answer.citations = citations
    answer.mode = "extractive"
    answer.outcome = "not_known"


OUTLINE_LINES = 12  # articles listed in the outline of a regulation without chapters


def write_outline(answer: Answer, outline: Outline, chapter: int = 0) -> None:
    """A regulation's chapters and articles, or one chapter's articles with their first
    words, from its structure; every line cited."""
    language = answer.language
    asked = next((c for c in outline.chapters if c.number == chapter), None)
    citations: list[Citation] = []

    def cite(chunk: RetrievedChunk) -> str:
        citations.append(Citation.from_chunk(len(citations) + 1, chunk, chunk.article))
        return f"[{len(citations)}]"

    if not outline.chapters:  # a decree's dictums, or the articles of a short regulation
        title = title_sentence(outline.title).rstrip(".") or outline.document
        dictums = outline.loose[0].article.startswith("Diktum")
        kind = _PART_WORDS[(language, dictums)] + ("s" if language == "en" else "")
        lead = say("outline_articles", language, title=title, articles=outline.articles, kind=kind)
        shown = outline.loose[:OUTLINE_LINES]
        lines = [f"- {c.article}: {first_words(c.text)} {cite(c)}" for c in shown]
        if len(outline.loose) > len(shown):
            lines.append("- …")
        follow = say("outline_article_next", language, article=outline.loose[0].article)
    elif asked is not None:
        values = {"chapter": asked.label, "document": outline.document, "span": asked.span}
        lead = say("outline_chapter", language, **values)
        lines = [f"- {c.article}: {first_words(c.text)} {cite(c)}" for c in asked.articles]
        follow = say("outline_article_next", language, article=asked.articles[0].article)
    else:
        title = title_sentence(outline.title).rstrip(".") or outline.document
        counts = {"articles": outline.articles, "chapters": len(outline.chapters)}
        lead = say("outline", language, title=title, **counts)
        if chapter:  # "isi BAB IX apa?" of a regulation with seven
            missing = {"document": outline.document, "chapter": f"BAB {chapter}"}
            lead = f"{say('outline_no_chapter', language, **missing)} {lead}"
        lines = [f"- {c.label} ({c.span}) {cite(c.articles[0])}" for c in outline.chapters]
        example = outline.chapters[min(1, len(outline.chapters) - 1)]
        follow = say(
            "outline_next", language, chapter=example.name, article=example.articles[0].article
        )
    answer.text = "\n".join([lead, *lines]) + "\n\n" + follow
    answer.citations = citations
    answer.mode = "extractive"
    answer.outcome = "answered"


def write_abstention(answer: Answer) -> None:
    """Nothing relevant was found: say so plainly, say what the assistant does cover, and
    where official answers are."""
    answer.text = "\n\n".join(
        [
            say("not_covered", answer.language),
            say("scope", answer.language),
            OFFICIAL_CHANNELS[answer.language],
        ]
    )
    answer.citations = []
    answer.mode = "extractive"
    answer.outcome = "abstained"


def write_small_talk(answer: Answer, kind: SmallTalk) -> None:
    """A reply in kind to a message that asks nothing; after a greeting, a test or a
    question about the assistant, what it can be asked."""
    blocks = [say(f"small_talk_{kind}", answer.language)]
    if kind in {"greeting", "identity", "ping"}:
        examples = "\n".join(f"• {q}" for q in EXAMPLE_QUESTIONS[answer.language])
        blocks.append(f"{say('examples', answer.language)}\n{examples}")
    answer.text = "\n\n".join(blocks)
    answer.citations = []
    answer.mode = "small_talk"
    answer.outcome = "abstained"  # nothing was asked of the knowledge base
    answer.notes.append(f"small talk: {kind}")


def write_privacy_refusal(answer: Answer) -> None:
    """Personal data of individuals (phone numbers, addresses, ID numbers, health data,
    beneficiaries' names) is not handed out, whatever the sources hold."""
    answer.text = "\n\n".join(
        [say("personal_data", answer.language), OFFICIAL_CHANNELS[answer.language]]
    )
    answer.citations = []
    answer.mode = "extractive"
    answer.outcome = "abstained"
    answer.notes.append("personal data request")


def write_llm(answer: Answer, reply: LLMAnswer) -> None:
    answer.text = reply.text
    answer.citations = [Citation.from_chunk(i, c) for i, c in enumerate(reply.cited, start=1)]
    answer.mode = "llm"
    answer.outcome = "answered"


def write_profile_list(answer: Answer, chunks: Sequence[RetrievedChunk]) -> None:
    """Profiles matching the question's filters, one line each, best match first."""
    lines = [say("matching_profiles", answer.language)]
    seen: set[str] = set()
    cited: list[RetrievedChunk] = []
    for chunk in chunks:
        if chunk.doc_id in seen:
            continue
        seen.add(chunk.doc_id)
        cited.append(chunk)
        meta = chunk.metadata
        details = ", ".join(
            str(meta[key])
            for key in (MetaKey.AGENCY, MetaKey.REGION, MetaKey.YEAR, MetaKey.CATEGORY)
            if meta.get(key)
        )
        name = str(meta.get(MetaKey.NAME) or chunk.title)
        lines.append(
            f"{len(cited)}. {name}" + (f" — {details}" if details else "") + f" [{len(cited)}]"
        )
    answer.text = "\n".join(lines)
    answer.chunks = list(chunks)
    answer.citations = [Citation.from_chunk(i, c) for i, c in enumerate(cited, start=1)]
    answer.mode = "extractive"
    answer.outcome = "answered"
