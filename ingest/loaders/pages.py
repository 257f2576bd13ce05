"""Page furniture of printed documents: page numbers and running headers and footers.

A PDF (or its OCR) repeats the same header or footer on most pages and numbers the pages in
the margin; left in, they land in the middle of sentences and split headings from their
titles. Only lines at the top or bottom of a page are considered, and lines that are part of
a regulation's structure ("Pasal 9", "Cukup jelas.") are never taken for furniture.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ingest.regulation_text import line_role

# How many lines at each edge of a page may be a header or footer.
_EDGE_LINES = 3
_PAGE_NUMBER = re.compile(
    r"^(-?\s*\d{1,4}\s*-?|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4}"
    r"|(halaman|hal\.?|page)\s*:?\s*\d{1,4}(\s*(dari|of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)


def join_pages(pages: list[str]) -> str:
    """The text of all pages, without page numbers and running headers or footers.

    Pages are joined with a single line break: a paragraph or a heading that runs over a page
    break continues on the next line, as it would have without the break.
    """
    split = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    split = [_drop_page_numbers(lines) for lines in split]
    repeated = _running_lines(split)
    kept: list[str] = []
    for lines in split:
        edges = set(range(min(_EDGE_LINES, len(lines)))) | set(
            range(max(0, len(lines) - _EDGE_LINES), len(lines))
        )
        kept.extend(
            line
            for index, line in enumerate(lines)
            if not (index in edges and _furniture_key(line) in repeated)
        )
    return "\n".join(kept)


def _drop_page_numbers(lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(2):
        if lines and _PAGE_NUMBER.match(lines[0]):
            lines.pop(0)
        if lines and _PAGE_NUMBER.match(lines[-1]):
            lines.pop()
    return lines


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Edge lines (digits ignored) found on at least half of the pages, at least two."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
        counts.update({_furniture_key(line) for line in edge if _may_be_furniture(line)})
    needed = max(2, math.ceil(len(pages) / 2))
    return {key for key, count in counts.items() if count >= needed}


def _may_be_furniture(line: str) -> bool:
    return len(line) >= 4 and line_role(line) == "text"


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))
