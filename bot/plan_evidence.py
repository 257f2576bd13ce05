"""Cut an engine answer into findings: each cited sentence with the passages it cites.

The engine writes answers as text with inline markers ("… tiga bentuk: … [1] …"), offline
(extractive) and with an LLM alike. Only text followed by a marker is kept: the lead-in and
closing lines the engine adds ("Hal ini belum diketahui …", the official channels) carry no
citation and are not the knowledge base speaking. A cited stretch is split into sentences
that each keep its markers; a list is folded into its lead-in sentence
("… empat tahap: (1) Persiapan; (2) …"), so every line of a plan is one cited sentence.
"""

from __future__ import annotations

import re

from bot.plan_model import Evidence, Finding
from replikasi.records import Answer, Citation
from replikasi.sentences import split_sentences

_MARKERS = re.compile(r"(?:[ \t]*\[\d+\])+")
_NUMBER = re.compile(r"\d+")
_LEADING_PUNCTUATION = re.compile(r"^[\s.,;:!?)\]]+")
_BULLET = re.compile(r"^\s*(?:[-*•]|(\d+)[.)])\s+")
_HEADING_MARK = re.compile(r"(^|[ \t])#{1,6}[ \t]+", re.M)
_SNIPPET_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
_LIST_ITEM = re.compile(r"^\(\d+\) ")
_FOLDED = re.compile(r": \(\d+\) ")


def evidence_of(key: str, answer: Answer) -> Evidence:
    return Evidence(
        key=key,
        question=answer.question,
        outcome=answer.outcome,
        findings=findings_of(answer),
        mode=answer.mode,
    )


def findings_of(answer: Answer) -> list[Finding]:
    """The cited sentences of `answer`, in order."""
    by_number = {c.number: c for c in answer.citations}
    findings: list[Finding] = []
    start = 0
    for match in _MARKERS.finditer(answer.text):
        stretch = answer.text[start : match.start()]
        start = match.end()
        cited = _cited(match.group(), by_number)
        if not cited:
            continue  # markers that point nowhere: the stretch stays unsupported
        stretch = _LEADING_PUNCTUATION.sub("", stretch)
        # Only the paragraph the marker closes is cited; earlier ones are the engine's own.
        paragraph = _PARAGRAPHS.split(stretch)[-1]
        sentences = statements(paragraph, cited)
        closing = answer.text[match.end() : match.end() + 1]
        if sentences and closing in (".", "!", "?") and sentences[-1][-1] not in ".!?:;":
            sentences[-1] += closing  # "… modifikasi [1]." ends the sentence after the marker
        findings += [Finding(sentence, cited) for sentence in sentences]
    return _fold_split_lists(findings)


def _fold_split_lists(findings: list[Finding]) -> list[Finding]:
    """A list the answer cited item by item ("… berikut: [1] 1. A [1] 2. B [1]") is folded
    back into its lead-in, as one sentence."""
    folded: list[Finding] = []
    for finding in findings:
        last = folded[-1] if folded else None
        if (
            last is not None
            and _LIST_ITEM.match(finding.text)
            and last.citations == finding.citations
            and (
                last.text.endswith(":") or _FOLDED.search(last.text) or _LIST_ITEM.match(last.text)
            )
        ):
            joined = f"{last.text.rstrip(' ;.')}" + (" " if last.text.endswith(":") else "; ")
            folded[-1] = Finding(joined + finding.text, finding.citations)
        else:
            folded.append(finding)
    return folded


def _cited(markers: str, by_number: dict[int, Citation]) -> tuple[Citation, ...]:
    numbers = dict.fromkeys(int(n) for n in _NUMBER.findall(markers))
    return tuple(by_number[n] for n in numbers if n in by_number)


def statements(paragraph: str, cited: tuple[Citation, ...] = ()) -> list[str]:
    """A paragraph as one-line sentences: prose split at sentence ends, a list folded into
    the sentence that introduces it."""
    paragraph = _clean(paragraph, cited)
    sentences: list[str] = []
    items: list[str] = []

    def fold() -> None:
        if not items:
            return
        joined = "; ".join(item.rstrip(" ;,.") for item in items) + "."
        if sentences and sentences[-1].endswith(":"):
            sentences[-1] = f"{sentences[-1]} {joined}"
        else:
            sentences.append(joined)
        items.clear()

    for line in paragraph.splitlines():
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if bullet:
            item = line[bullet.end() :].strip()
            items.append(f"({bullet.group(1)}) {item}" if bullet.group(1) else item)
            continue
        fold()
        sentences.extend(split_sentences(" ".join(line.split())))
    fold()
    # An item may hold more than one sentence: each becomes a line of its own.
    return [
        piece
        for sentence in sentences
        for piece in split_sentences(sentence)
        if sum(ch.isalpha() for ch in piece) >= 3
    ]


def _clean(text: str, cited: tuple[Citation, ...]) -> str:
    """Markdown the passage carried into the answer: "**bold**", and a "## Heading" run into
    the sentence after it (written as "Heading: …" when the passage shows where it ends)."""
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    for citation in cited:
        for heading in _SNIPPET_HEADING.findall(citation.snippet):
            text = re.sub(rf"#{{1,6}}\s+{re.escape(heading)}\s+", f"{heading}: ", text)
    return _HEADING_MARK.sub(r"\1", text).strip()
