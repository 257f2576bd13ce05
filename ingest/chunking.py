"""Split documents along their structure so every chunk carries a meaningful section path.

Markdown headings and the parts of Indonesian regulations (BAB, Bagian, Paragraf, Pasal) both
open sections; a long Pasal is split between its ayat, and any other long section is split
further with overlap. Every chunk keeps the headings above it (the idea of RAGFlow's laws
chunker), so "Pasal 5 ayat (2)" is still findable as part of "BAB II › Bagian Kesatu".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.documents import Chunk, MetadataValue, SourceDocument
from ingest.regulation import REG_KIND
from ingest.regulation_chunking import AYAT_NUMBERS, ayat_numbers, regulation_sections
from ingest.regulation_text import normalise_regulation_text

# Bump when chunk output changes for the same input, so the next ingest re-chunks everything.
CHUNKER_VERSION = "3"
# Bump when it changes only for text read by OCR, so only scanned documents are re-chunked
# (2: the ";" that ends a lettered point, read as ":", and "C." for "c." are repaired).
OCR_TEXT_VERSION = "2"
MAX_CHARS = 1200
OVERLAP = 150

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# Regulation parts, ranked below any Markdown heading level so they nest under them.
_REGULATION_PARTS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (10, re.compile(r"^BAB\s+(?:[IVXLC]+|\d+)\b.*$")),
    (11, re.compile(r"^Bagian\s+(?:Ke[a-z]+|\d+)\b.*$")),
    (12, re.compile(r"^Paragraf\s+\d+\b.*$")),
    (13, re.compile(r"^Pasal\s+\d+[A-Z]?\s*$")),
)
_AYAT = re.compile(r"^\(\d+[a-z]?\)\s")


@dataclass
class _Section:
    path: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    regulation_level: bool = False

    @property
    def body(self) -> str:
        return "\n".join(self.lines).strip()


def chunk_document(
    doc: SourceDocument, max_chars: int = MAX_CHARS, overlap: int = OVERLAP
) -> list[Chunk]:
    text = _tidy(doc.text)
    if not text:
        return []
    if uses_regulation_layout(doc, text):
        return chunk_regulation(doc, text, max_chars, overlap)
    if len(text) <= max_chars and not is_regulation_text(text):
        sections = [_Section(path=(), lines=_drop_title(text.splitlines(), doc.title))]
    else:
        sections = split_sections(text, doc.title)
    pieces: list[tuple[tuple[str, ...], str]] = []
    for section in sections:
        body = section.body
        if not body:
            continue
        for piece in _split_long(body, max_chars, overlap, by_ayat=section.regulation_level):
            pieces.append((section.path, piece))
    return [
        _make_chunk(doc, path, piece, position) for position, (path, piece) in enumerate(pieces)
    ]


def uses_regulation_layout(doc: SourceDocument, text: str) -> bool:
    """A recognised regulation, or Pasal after Pasal (not in a Markdown note or summary).

    Markdown keeps its own headings (and Pasal nested under them) unless it is the full
    text of a recognised regulation.
    """
    if doc.format == "markdown":
        return REG_KIND in doc.metadata and is_regulation_text(text)
    return REG_KIND in doc.metadata or is_regulation_text(text)


def chunk_regulation(
    doc: SourceDocument, text: str, max_chars: int = MAX_CHARS, overlap: int = OVERLAP
) -> list[Chunk]:
    """Chunks along the regulation's own parts, each with its article metadata."""
    pieces: list[tuple[tuple[str, ...], str, dict[str, MetadataValue]]] = []
    for section in regulation_sections(normalise_regulation_text(text)):
        meta = section.metadata()
        groups = (
            _group_ayat(section.body, max_chars)
            if section.kind == "article" and len(section.body) > max_chars
            else [section.body]
        )
        previous_ayat: list[str] = []
        for group in groups:
            for piece in _split_long(group, max_chars, overlap, by_ayat=False):
                numbers = ayat_numbers(piece) or ([previous_ayat[-1]] if previous_ayat else [])
                if numbers and section.kind == "article":
                    previous_ayat = numbers
                    pieces.append((section.path, piece, {**meta, AYAT_NUMBERS: ",".join(numbers)}))
                else:
                    pieces.append((section.path, piece, meta))
    return [
        _make_chunk(doc, path, piece, position, extra)
        for position, (path, piece, extra) in enumerate(pieces)
    ]


def is_regulation_text(text: str) -> bool:
    """Regulation layout: at least two Pasal (or BAB) lines of their own."""
    pasal = sum(1 for line in text.splitlines() if _REGULATION_PARTS[3][1].match(line.strip()))
    bab = sum(1 for line in text.splitlines() if _REGULATION_PARTS[0][1].match(line.strip()))
    return pasal >= 2 or bab >= 2


def split_sections(text: str, title: str = "") -> list[_Section]:
    """Sections in reading order, each with the path of headings above it."""
    regulation = is_regulation_text(text)
    stack: list[tuple[int, str]] = []
    sections = [_Section(path=())]
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        heading = _heading(line, regulation)
        if heading is None:
            sections[-1].lines.append(lines[index - 1])
            continue
        level, label = heading
        # "BAB II" / "Bagian Kesatu" are usually followed by their title on the next line.
        if 10 <= level <= 12 and len(label.split()) == 2:
            following = lines[index].strip() if index < len(lines) else ""
            if _is_part_title(following):
                label = f"{label} {following}"
                index += 1
        if level == 1 and label.strip().lower() == title.strip().lower():
            continue  # the document title is already in every chunk's metadata
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, label))
        sections.append(
            _Section(path=tuple(name for _, name in stack), regulation_level=level == 13)
        )
    return sections


def _is_part_title(line: str) -> bool:
    return (
        0 < len(line) <= 120
        and not line.endswith((".", ";", ":"))
        and not _AYAT.match(line)
        and _heading(line, True) is None
    )


def _heading(line: str, regulation: bool) -> tuple[int, str] | None:
    match = _MARKDOWN_HEADING.match(line)
    if match:
        return len(match.group(1)), match.group(2).strip()
    if regulation:
        for level, pattern in _REGULATION_PARTS:
            if pattern.match(line):
                return level, " ".join(line.split())
    return None


def _split_long(body: str, max_chars: int, overlap: int, *, by_ayat: bool) -> list[str]:
    if len(body) <= max_chars:
        return [body]
    if by_ayat:
        groups = _group_ayat(body, max_chars)
        if len(groups) > 1:
            return [
                piece
                for group in groups
                for piece in _split_long(group, max_chars, overlap, by_ayat=False)
            ]
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=max_chars,
        chunk_overlap=overlap,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    return [piece.strip() for piece in splitter.split_text(body) if piece.strip()]


def _group_ayat(body: str, max_chars: int) -> list[str]:
    """Pack whole ayat into groups up to `max_chars`, never cutting one in the middle."""
    ayat: list[list[str]] = [[]]
    for line in body.splitlines():
        if _AYAT.match(line.strip()) and ayat[-1]:
            ayat.append([])
        ayat[-1].append(line)
    groups: list[str] = []
    for lines in ayat:
        text = "\n".join(lines).strip()
        if groups and len(groups[-1]) + len(text) + 1 <= max_chars:
            groups[-1] = f"{groups[-1]}\n{text}"
        elif text:
            groups.append(text)
    return groups


def _make_chunk(
    doc: SourceDocument,
    path: tuple[str, ...],
    text: str,
    position: int,
    extra: dict[str, MetadataValue] | None = None,
) -> Chunk:
    digest = hashlib.sha1(f"{' › '.join(path)}\x00{text}".encode()).hexdigest()[:12]
    return Chunk(
        chunk_id=f"{doc.doc_id}#{position:04d}-{digest}",
        doc_id=doc.doc_id,
        title=doc.title,
        section_path=path,
        text=text,
        position=position,
        doc_type=doc.doc_type,
        source_url=doc.source_urls[0] if doc.source_urls else "",
        metadata={**doc.metadata, **(extra or {})},
    )


def _drop_title(lines: list[str], title: str) -> list[str]:
    out = list(lines)
    for i, line in enumerate(out):
        if not line.strip():
            continue
        match = _MARKDOWN_HEADING.match(line.strip())
        if match and len(match.group(1)) == 1 and match.group(2).strip().lower() == title.lower():
            del out[i]
        break
    return out


def _tidy(text: str) -> str:
    """Plain text for passages: answers quote it, so no Markdown emphasis or table pipes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = _flatten_tables(text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _flatten_tables(text: str) -> str:
    """Markdown tables become one line per row, "header: cell; header: cell."."""
    lines = text.split("\n")
    out: list[str] = []
    header: list[str] | None = None
    for i, line in enumerate(lines):
        row = _TABLE_ROW.match(line)
        if not row:
            header = None
            out.append(line)
            continue
        if _TABLE_RULE.match(line):
            continue
        cells = [cell.strip() for cell in row.group(1).split("|")]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if header is None and _TABLE_RULE.match(following):
            header = cells
            continue
        if header and len(header) == len(cells):
            pairs = [f"{h}: {c}" for h, c in zip(header, cells, strict=True) if c]
            out.append("- " + "; ".join(pairs) + ".")
        else:
            out.append("- " + "; ".join(c for c in cells if c) + ".")
    return "\n".join(out)
