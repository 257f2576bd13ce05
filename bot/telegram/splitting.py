"""Split Telegram HTML into messages below the 4,096-character limit.

Telegram rejects a whole message when it is too long or when its HTML does not parse, so a
long answer must be cut where a reader expects a break (paragraph, then line, then sentence,
then word) and every part must be valid HTML on its own: a tag left open at a cut is closed
at the end of the part and opened again at the start of the next one. Cuts never fall inside
a tag (`<a href="…">`) or an entity (`&amp;`).

Lengths are counted in UTF-16 code units over the raw HTML: Telegram counts UTF-16 units of
the visible text, which is never longer, so a part that fits here fits there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

TELEGRAM_LIMIT = 4096
# Room kept in every part for the tags closed at its end and re-opened in the next one.
_TAG_RESERVE = 400

_PROTECTED = re.compile(r"<[^<>]*>|&#?\w+;")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^<>]*>")
_PARAGRAPH = re.compile(r"\n\s*\n")
_LINE = re.compile(r"\n")
# After . ! ? … or a citation marker, unless the next thing is the citation of that sentence.
_SENTENCE = re.compile(r"(?<=[.!?…\]])[ \t]+(?!\[\d+\])")
_WORD = re.compile(r"[ \t]+")
_SEPARATORS = (_PARAGRAPH, _LINE, _SENTENCE, _WORD)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """`html` as one or more valid HTML messages, each shorter than `limit` characters."""
    html = html.strip()
    if utf16_len(html) < limit:
        return [html] if html else []
    budget = max(limit - _TAG_RESERVE, limit // 2)
    pieces = _pack(html, budget - 1, _SEPARATORS)
    parts = _rebalance(pieces)
    if any(utf16_len(part) >= limit for part in parts):  # pathological nesting: cut finer
        if budget <= 64:
            raise ValueError("cannot split this HTML into valid Telegram messages")
        return split_message(html, limit=limit // 2 + limit // 4)
    return parts


def _pack(text: str, budget: int, separators: tuple[re.Pattern[str], ...]) -> list[str]:
    """Greedily join the pieces between separators into chunks of at most `budget`."""
    if utf16_len(text) <= budget:
        return [text]
    if not separators:
        return _hard_cut(text, budget)
    pieces = _cut_at(text, separators[0])
    if len(pieces) == 1:
        return _pack(text, budget, separators[1:])
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if utf16_len(current + piece) <= budget:
            current += piece
            continue
        if current.strip():
            chunks.append(current)
        if utf16_len(piece) <= budget:
            current = piece
        else:
            *full, current = _pack(piece, budget, separators[1:])
            chunks.extend(full)
    if current.strip():
        chunks.append(current)
    return chunks


def _cut_at(text: str, separator: re.Pattern[str]) -> list[str]:
    """`text` cut after each separator that lies outside tags and entities."""
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    inside = _span_checker(protected)
    pieces: list[str] = []
    start = 0
    for match in separator.finditer(text):
        if match.start() == 0 or inside(match.start()):
            continue
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]


def _hard_cut(text: str, budget: int) -> list[str]:
    """Last resort for an unbroken run of characters: cut anywhere outside tags/entities."""
    inside = _span_checker([m.span() for m in _PROTECTED.finditer(text)])
    chunks: list[str] = []
    start = 0
    while utf16_len(text[start:]) > budget:
        end, used = start, 0
        while end < len(text) and used + utf16_len(text[end]) <= budget:
            used += utf16_len(text[end])
            end += 1
        while end > start + 1 and inside(end):
            end -= 1
        if inside(end):  # a single tag longer than the budget
            raise ValueError("an HTML tag is longer than the message limit")
        chunks.append(text[start:end])
        start = end
    chunks.append(text[start:])
    return chunks


def _span_checker(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Is a cut at position `i` strictly inside one of `spans`?"""

    def inside(i: int) -> bool:
        return any(start < i < end for start, end in spans)

    return inside


def _rebalance(pieces: list[str]) -> list[str]:
    """Close the tags still open at the end of each piece and reopen them in the next."""
    parts: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, the opening tag as written)
    for piece in pieces:
        prefix = "".join(tag for _, tag in open_tags)
        for match in _TAG.finditer(piece):
            closing, name = match.group(1), match.group(2).lower()
            if not closing:
                open_tags.append((name, match.group(0)))
            elif open_tags and open_tags[-1][0] == name:
                open_tags.pop()
        suffix = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        part = _trim(prefix + piece.strip() + suffix)
        if _visible(part).strip():
            parts.append(part)
    return parts


def _trim(part: str) -> str:
    # Whitespace right inside a re-opened tag (e.g. "<b>\n…") would show as a blank line.
    return re.sub(r"^((?:<[^/][^<>]*>)*)\s+", r"\1", part)


def _visible(html: str) -> str:
    return _PROTECTED.sub(lambda m: "_" if m.group(0).startswith("&") else "", html)
