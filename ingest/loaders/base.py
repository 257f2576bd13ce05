"""What every loader shares: how a file is named, identified and read.

Ids and paths are derived from the path *relative to the knowledge root*, so the same file
gets the same id on every machine and re-ingesting it replaces rather than duplicates it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.documents import LoadError
from ingest.ocr import OcrSettings, PageCallback

# Titles longer than this are sentences, not headlines; fall back to something else.
MAX_TITLE_CHARS = 120

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class LoadOptions:
    """What a caller may tell the loaders beyond the file itself.

    `title`: an admin's caption for an upload; it wins over every title found in the file.
    `ocr`: how scanned PDF pages are read. `on_page`: called after each OCR'd page, so a
    long scan shows progress ("halaman 3/12") in the CLI and in the bot.
    """

    title: str = ""
    ocr: OcrSettings = field(default_factory=OcrSettings)
    on_page: PageCallback | None = None


def relative_path(path: Path, root: Path) -> str:
    """The path shown to admins and stored on documents: relative to root, POSIX style."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return path.name
    text = relative.as_posix()
    return path.name if text in ("", ".") else text


def slugify(text: str) -> str:
    """Lower-case ASCII with runs of anything else collapsed to '-' (accents are folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", folded.lower()).strip("-")


def path_doc_id(path: Path, root: Path, *, with_extension: bool = True) -> str:
    """`peraturan/Pedoman 6 2024.pdf` → `peraturan/pedoman-6-2024.pdf`.

    The extension is part of the id: `perwal.pdf` and `perwal.docx` are two files, and one
    must not silently replace the other in the index.
    """
    relative = Path(relative_path(path, root))
    parts = [slugify(part) or "doc" for part in relative.with_suffix("").parts]
    extension = slugify(relative.suffix)
    if not with_extension or not extension:
        return "/".join(parts)
    return "/".join(parts) + f".{extension}"


def readable_stem(path: Path) -> str:
    """A last-resort title: the file name without extension, separators turned into spaces."""
    words = re.sub(r"[_\-.\s]+", " ", path.stem).strip()
    if not words:
        return path.name
    return words[0].upper() + words[1:] if words.islower() else words


def read_utf8(path: Path, display: str, *, hint: str = "save the file as UTF-8") -> str:
    """Decode a text file strictly, so mojibake never reaches the index silently."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            display,
            f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); {hint}",
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise LoadError(display, "file is empty")
    return text


def first_heading(text: str) -> str | None:
    """The text of the first Markdown heading, if any."""
    for line in text.splitlines():
        match = _HEADING.match(line.strip())
        if match:
            return match.group(1).strip()
    return None


def short_first_line(text: str, *, min_words: int = 1) -> str | None:
    """The first non-empty line when it is short enough to be a title."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line) <= MAX_TITLE_CHARS and len(line.split()) >= min_words:
            return line
        return None
    return None


def table_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """One line per table row, labelled with the header when the first row looks like one.

    Labelling every cell ("Tahun: 2023") keeps a row meaningful once it is cut out of its
    table into a chunk; without a header, cells are simply joined.
    """
    rows = [[cell.strip() for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    header = rows[0]
    if len(rows) > 1 and _looks_like_header(header):
        lines = []
        for row in rows[1:]:
            pairs = [
                f"{label}: {cell}" if label else cell
                for label, cell in zip(header, row, strict=False)
                if cell
            ]
            pairs.extend(cell for cell in row[len(header) :] if cell)
            if pairs:
                lines.append(" | ".join(pairs))
        return lines
    return [" | ".join(cell for cell in row if cell) for row in rows]


def _looks_like_header(row: Sequence[str]) -> bool:
    cells = [cell for cell in row if cell]
    if len(cells) < 2 or len(cells) != len(row):
        return False
    if len({cell.casefold() for cell in cells}) != len(cells):
        return False
    return all(len(cell) <= 60 and not re.fullmatch(r"[\d.,\s%-]+", cell) for cell in cells)
