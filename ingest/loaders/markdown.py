"""Markdown and plain-text files, with optional YAML front matter.

Front matter is how admins give a document a stable id, a proper title, its type and the
URLs to cite. Plain text is left exactly as written (regulation lines such as "BAB I" or
"Pasal 3" are detected later by the regulation chunker) unless it is a copied web page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ingest.documents import DOC_TYPES, LoadError, MetadataValue, SourceDocument
from ingest.loaders.base import (
    LoadOptions,
    first_heading,
    path_doc_id,
    read_utf8,
    readable_stem,
    relative_path,
    short_first_line,
)
from ingest.loaders.boilerplate import clean_web_text, looks_like_web_page
from ingest.loaders.pages import join_pages
from ingest.regulation import as_regulation

_KNOWN_KEYS = frozenset({"id", "title", "type", "source_urls", "source_url", "updated", "language"})


def load_markdown(
    path: Path, root: Path, options: LoadOptions | None = None
) -> list[SourceDocument]:
    return [_load(path, root, plain=False)]


def load_plain_text(
    path: Path, root: Path, options: LoadOptions | None = None
) -> list[SourceDocument]:
    return [_load(path, root, plain=True)]


def _load(path: Path, root: Path, *, plain: bool) -> SourceDocument:
    display = relative_path(path, root)
    front, body = split_front_matter(read_utf8(path, display), display)
    doc_type = "document"
    if "\f" in body:
        # Text saved from a PDF (pdftotext) keeps its page breaks and page furniture.
        body = join_pages(body.split("\f"))
    if plain and front is None and looks_like_web_page(body):
        body = clean_web_text(body)
        doc_type = "article"
    body = body.strip("\n")
    if not body.strip():
        where = "after the front matter" if front is not None else "once web-page junk is removed"
        raise LoadError(display, f"no text {where}")
    front = front or {}

    declared_title = title = _string(front, "title", display)
    # A copied news page about a regulation is an article, not the regulation.
    declared_type = _string(front, "type", display).lower() or (
        doc_type if doc_type == "article" else ""
    )
    if not title:
        title = (
            (None if plain else first_heading(body))
            or short_first_line(body)
            or readable_stem(path)
        )
    doc_type = _string(front, "type", display).lower() or doc_type
    if doc_type not in DOC_TYPES:
        raise LoadError(
            display,
            f"unknown type '{doc_type}' in front matter (use one of: {', '.join(DOC_TYPES)})",
        )
    document = SourceDocument(
        doc_id=_string(front, "id", display) or path_doc_id(path, root),
        title=title,
        text=body,
        path=display,
        doc_type=doc_type,
        source_urls=_source_urls(front, display),
        updated=_string(front, "updated", display),
        language=_string(front, "language", display) or "id",
        format="text" if plain else "markdown",
        metadata=_extra_metadata(front),
    )
    return as_regulation(
        document,
        declared_title=declared_title,
        declared_type=declared_type,
        identity=not _string(front, "id", display),
    )


def split_front_matter(text: str, display: str) -> tuple[dict[str, Any] | None, str]:
    """Separate a leading `---` YAML block from the body; (None, text) when there is none."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text
    end = next(
        (number for number, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")),
        None,
    )
    if end is None:
        raise LoadError(display, "front matter opened with '---' on line 1 is never closed")
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LoadError(display, f"invalid YAML front matter{where}: {problem}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LoadError(
            display, f"invalid front matter (lines 2-{end}): expected 'key: value' lines"
        )
    return {str(key).strip().lower(): value for key, value in data.items()}, "\n".join(
        lines[end + 1 :]
    )


def _string(front: dict[str, Any], key: str, display: str) -> str:
    value = front.get(key)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value).strip()
    raise LoadError(display, f"front matter '{key}' must be a single value, not {_kind(value)}")


def _source_urls(front: dict[str, Any], display: str) -> tuple[str, ...]:
    value = front.get("source_urls", front.get("source_url"))
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LoadError(display, "front matter 'source_urls' must be a URL or a list of URLs")
    return tuple(url.strip() for url in value if url.strip())


def _extra_metadata(front: dict[str, Any]) -> dict[str, MetadataValue]:
    """Unknown scalar keys are kept so admins can tag documents without code changes."""
    extras: dict[str, MetadataValue] = {}
    for key, value in front.items():
        if key in _KNOWN_KEYS:
            continue
        if isinstance(value, dt.date):
            extras[key] = value.isoformat()
        elif isinstance(value, str | int | float | bool):
            extras[key] = value.strip() if isinstance(value, str) else value
    return extras


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
