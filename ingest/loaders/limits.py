"""Resource limits checked before a parser sees the file: hostile files are refused cheaply.

A 1 MB Word file can inflate to gigabytes, ten thousand nested <div>s make the HTML reader
quadratic (then recursive past Python's limit), and deeply nested JSON or YAML ends in a
RecursionError. Each check below reads the file once, without recursion and in bounded
memory, and a refusal is one sentence (a `LoadError` reason) telling the admin what to do.
The limits sit far above what real regulations, web pages and catalogues need.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

from ingest.documents import LoadError

MB = 1024 * 1024
# Word files: python-docx reads every part of the package into memory and parses its XML.
MAX_ARCHIVE_MEMBERS = 5000
MAX_ARCHIVE_INFLATED_BYTES = 200 * MB
MAX_ARCHIVE_XML_BYTES = 40 * MB
# Text and XML compress 5-20x; a zip bomb ~1000x. Small members may compress as they like.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_MIN_BYTES = 1 * MB
# Web pages: real ones nest a few dozen levels and hold some thousands of elements.
MAX_HTML_DEPTH = 200
MAX_HTML_ELEMENTS = 100_000
# Catalogues: a list of flat entries needs three or four levels.
MAX_NESTING_DEPTH = 50

# fmt: off
_VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "frame", "basefont", "isindex",
})
# fmt: on
# Comments, scripts and styles are skipped whole: their content is not markup.
_HTML_TOKEN = re.compile(
    rb"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<(/?)([a-zA-Z][\w:.-]*)[^>]*?(/?)>",
    re.S | re.I,
)
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_YAML_FLOW_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|#[^\n]*|[\[\]{}]")


def check_file_limits(path: Path, display: str) -> None:
    """Refuse a file whose structure would exhaust memory, time or the stack when parsed."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        check_archive(path, display)
    elif suffix in (".html", ".htm"):
        check_html(path.read_bytes(), display)
    elif suffix == ".json":
        check_json_depth(path.read_bytes().decode("utf-8", "replace"), display)
    elif suffix in (".yaml", ".yml"):
        check_yaml_depth(path.read_bytes().decode("utf-8", "replace"), display)


def check_archive(path: Path, display: str) -> None:
    """Sizes from the zip directory, before anything is inflated. (Python's zipfile never
    inflates a member past the size its directory declares: a lying directory fails the
    CRC check instead of filling memory.)"""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the loader says so in its own words
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise LoadError(
            display,
            f"the Word file holds {len(members):,} parts, more than the {MAX_ARCHIVE_MEMBERS:,} "
            "a document needs; it looks damaged or built to exhaust the server, so it was "
            "not read",
        )
    total = sum(member.file_size for member in members)
    xml = sum(member.file_size for member in members if _is_xml_part(member.filename))
    for member in members:
        inflated, packed = member.file_size, max(member.compress_size, 1)
        if inflated >= RATIO_CHECK_MIN_BYTES and inflated / packed > MAX_COMPRESSION_RATIO:
            raise LoadError(
                display,
                f"the Word file unpacks to {_size(total)} ({member.filename} is compressed "
                f"{inflated // packed:,}:1), which only a file built to exhaust the server "
                "does; it was not read",
            )
    if total > MAX_ARCHIVE_INFLATED_BYTES or xml > MAX_ARCHIVE_XML_BYTES:
        raise LoadError(
            display,
            f"the Word file unpacks to {_size(total)} ({_size(xml)} of text and layout), more "
            f"than the {_size(MAX_ARCHIVE_INFLATED_BYTES)} this server reads; remove large "
            "images or split it into several documents",
        )


def check_html(data: bytes, display: str) -> None:
    """Nesting depth and element count as the HTML reader will build them (it does not
    close unclosed tags implicitly, so they nest), in one pass with an explicit stack."""
    stack: list[bytes] = []
    open_names: Counter[bytes] = Counter()
    elements = 0
    for match in _HTML_TOKEN.finditer(data):
        if match.group(3) is None:
            continue  # a comment, script or style
        name = match.group(3).lower()
        if match.group(2):  # an end tag closes back to its element, if one is open
            if open_names[name]:
                while stack:
                    top = stack.pop()
                    open_names[top] -= 1
                    if top == name:
                        break
            continue
        elements += 1
        if elements > MAX_HTML_ELEMENTS:
            raise LoadError(
                display,
                f"the web page has more than {MAX_HTML_ELEMENTS:,} HTML elements; save just "
                "the article (or its text) and upload that",
            )
        if name in _VOID_ELEMENTS or match.group(4):
            continue
        stack.append(name)
        open_names[name] += 1
        if len(stack) > MAX_HTML_DEPTH:
            raise LoadError(
                display,
                f"the web page nests its elements more than {MAX_HTML_DEPTH} levels deep, "
                "which real pages never do; save just the article (or its text) and upload "
                "that",
            )


def check_json_depth(text: str, display: str) -> None:
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                raise _too_deep(display, "JSON")
        elif token in "]}":
            depth = max(depth - 1, 0)


def check_yaml_depth(text: str, display: str) -> None:
    """Flow nesting ([..], {..}) and block nesting (indentation, "- - -" on one line)."""
    depth = 0
    for match in _YAML_FLOW_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                raise _too_deep(display, "YAML")
        elif token in "]}":
            depth = max(depth - 1, 0)
    indents: list[int] = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        dashes = len(re.match(r"(?:-\s+)*", stripped).group().split("-")) - 1  # type: ignore[union-attr]
        if len(indents) + dashes > MAX_NESTING_DEPTH:
            raise _too_deep(display, "YAML")


def _too_deep(display: str, kind: str) -> LoadError:
    return LoadError(
        display,
        f"the {kind} nests more than {MAX_NESTING_DEPTH} levels deep; a catalogue is a list "
        "of flat entries (name, summary, region…), so flatten it",
    )


def _is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _size(count: int) -> str:
    return f"{count / MB:,.0f} MB" if count >= MB else f"{count / 1024:,.0f} KB"


# Plain text and Markdown become roughly one passage per this many bytes (chunks of up to
# 1200 characters overlapping by 150); the estimate errs on the generous side so that only
# files that certainly exceed the limit are refused before they are read.
TEXT_BYTES_PER_CHUNK_ESTIMATE = 1050
TEXT_ESTIMATE_MARGIN = 1.5
_TEXT_SUFFIXES = (".txt", ".md", ".markdown")


def check_text_volume(path: Path, display: str, max_chunks: int) -> None:
    """Refuse a text file far too big for one document before reading it (a 30 MB TXT
    would take 8 s to read and hours to embed)."""
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        return
    estimate = int(path.stat().st_size / TEXT_BYTES_PER_CHUNK_ESTIMATE)
    if estimate > max_chunks * TEXT_ESTIMATE_MARGIN:
        raise LoadError(display, too_many_chunks_reason(estimate, max_chunks, approximate=True))


def too_many_chunks_reason(count: int, limit: int, *, approximate: bool = False) -> str:
    about = "about " if approximate else ""
    return (
        f"the document would make {about}{count:,} passages, more than "
        f"MAX_CHUNKS_PER_DOCUMENT ({limit:,}) allows; split it into smaller files (for example "
        "one per chapter) or raise MAX_CHUNKS_PER_DOCUMENT"
    )
