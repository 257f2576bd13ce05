"""Checks a user would make of a plan, written independently of the planner: split the
text into sentences the plain way and count those without a valid source number.

Headings, the header's field lines (the user's own choices), the planner's fixed framing
lines and the sources list are not statements; everything else is, sentence by sentence.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from docx import Document

from bot.plan_questions import FRAMING

_MARKER = re.compile(r"\[(\d+)\]")
_ENDS_CITED = re.compile(r"(?:\[\d+\]\s*)+[.;:]?$")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z])|(?<=\])\s+(?=[\"“(]?[A-Z])")
_ABBREVIATIONS = {
    "no", "nomor", "kab", "plt", "dr", "drs", "prof", "st", "jl", "dll", "dsb", "kec", "kel",
    "pt", "cv", "rp", "tgl", "thn", "mr", "mrs", "ms", "vs", "hlm", "sk", "h", "hj", "ir",
    "bpk", "ttg", "tbk", "sdr", "etc", "prov", "kota", "e.g", "i.e",
}  # fmt: skip
_TAG = re.compile(r"<[^>]+>")


@dataclass
class CitationCount:
    sentences: int = 0
    uncited: list[str] = field(default_factory=list)
    invalid: list[int] = field(default_factory=list)  # markers pointing at no source

    def add(self, paragraph: str, valid: set[int]) -> None:
        for sentence in split_sentences(paragraph):
            self.sentences += 1
            if not _ENDS_CITED.search(sentence):
                self.uncited.append(sentence)
        self.invalid += [int(n) for n in _MARKER.findall(paragraph) if int(n) not in valid]

    @property
    def ok(self) -> bool:
        return self.sentences > 0 and not self.uncited and not self.invalid


def split_sentences(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        candidate = paragraph[start : match.start()].strip()
        last = candidate.rsplit(" ", 1)[-1].rstrip('.!?"”’)').lower()
        if not candidate.endswith("]") and (last in _ABBREVIATIONS or len(last) <= 1):
            continue
        pieces.append(candidate)
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


def framing_lines(language: str) -> list[re.Pattern[str]]:
    patterns = []
    for texts in FRAMING.values():
        template = re.escape(texts[language])  # type: ignore[index]
        patterns.append(re.compile(re.sub(r"\\\{\w+\\\}", ".+", template)))
    return patterns


def _is_framing(text: str, language: str) -> bool:
    return any(p.fullmatch(text.strip()) for p in framing_lines(language))


def count_docx(data: bytes, language: str = "id") -> tuple[CitationCount, dict[str, list[str]]]:
    """The citation count of a DOCX plan, and its text by heading (sections and sources)."""
    document = Document(io.BytesIO(data))
    sections: dict[str, list[str]] = {}
    heading = ""
    body: list[str] = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = paragraph.text.strip()
        if style == "Title" or style.startswith("Heading"):
            heading = text
            sections[heading] = []
            continue
        if not text:
            continue
        if heading:
            sections[heading].append(text)
        runs = [r for r in paragraph.runs if r.text.strip()]
        labelled = bool(runs) and bool(runs[0].bold) and runs[0].text.rstrip().endswith(":")
        italic = bool(runs) and all(r.italic for r in runs)
        if labelled:
            continue
        if italic:
            assert _is_framing(text, language), f"italic but not a framing line: {text!r}"
            continue
        body.append(text)
    sources_heading = next(h for h in sections if h in ("Sumber", "Sources"))
    sources = sections[sources_heading]
    numbers = [int(_MARKER.match(line).group(1)) for line in sources if _MARKER.match(line)]  # type: ignore[union-attr]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    count = CitationCount()
    valid = set(numbers)
    for text in body:
        if text in sources:
            continue
        count.add(text, valid)
    return count, sections


def count_summary(message_html: str, language: str = "id") -> CitationCount:
    """The citation count of the chat summary (Telegram HTML): blocks separated by blank
    lines; the first is the title and the user's choices, a block starts with its heading,
    the sources block lists the valid numbers, the last line points to the document."""
    blocks = [block.splitlines() for block in message_html.split("\n\n")]
    sources = next(b for b in blocks if b[0] in ("<b>Sumber:</b>", "<b>Sources:</b>"))
    valid = {
        int(n)
        for line in sources
        if (m := re.match(r"(?:\[\d+\])+", line))
        for n in _MARKER.findall(m.group())
    }
    count = CitationCount()
    for block in blocks[1:-1]:
        if block is sources:
            continue
        assert re.fullmatch(r"(?:[⬜✅] )?<b>.*</b>", block[0]), f"no heading: {block[0]!r}"
        for line in block[1:]:
            text = html.unescape(_TAG.sub("", line))
            if re.fullmatch(r"<i>.*</i>", line):
                assert _is_framing(text, language), f"italic but not framing: {text!r}"
                continue
            count.add(text, valid)
    return count


def all_ok(counts: Iterable[CitationCount]) -> bool:
    return all(c.ok for c in counts)
