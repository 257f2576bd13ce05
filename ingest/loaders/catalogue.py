"""Catalogues of innovation profiles (CSV, JSON, YAML): one document per innovation.

Each innovation becomes its own document so a question about one of them retrieves its
whole profile, and its fields (region, year, award) become metadata the bot can filter on.
Column names are matched case-insensitively, with the Indonesian names admins actually use.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ingest.documents import LoadError, MetadataValue, SourceDocument
from ingest.loaders.base import LoadOptions, path_doc_id, read_utf8, relative_path, slugify

logger = logging.getLogger(__name__)

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "name": ("name", "nama", "nama_inovasi", "judul", "title", "inovasi"),
    "agency": ("agency", "instansi", "penyelenggara", "instansi_penyelenggara"),
    "region": ("region", "daerah", "wilayah", "provinsi", "lokasi"),
    "year": ("year", "tahun"),
    "category": ("category", "kategori"),
    "award": ("award", "penghargaan"),
    "summary": ("summary", "ringkasan", "deskripsi", "description"),
    "results": ("results", "result", "hasil", "dampak"),
    "contact_url": ("contact_url", "url", "tautan", "link"),
}
_FIELD_OF = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
_METADATA_FIELDS = ("name", "agency", "region", "year", "category", "award", "contact_url")
_LABELS = (
    ("agency", "Instansi"),
    ("region", "Daerah"),
    ("year", "Tahun"),
    ("category", "Kategori"),
    ("award", "Penghargaan"),
)
_SECTIONS = (("summary", "Ringkasan"), ("results", "Hasil"))
_LIST_KEYS = ("items", "innovations", "inovasi", "data")
_EXPECTED_SHAPE = (
    "expected a list of innovation entries, or an object with an "
    "'items', 'innovations' or 'data' list"
)


def load_catalogue(
    path: Path, root: Path, options: LoadOptions | None = None
) -> list[SourceDocument]:
    display = relative_path(path, root)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records = _csv_records(path, display)
    else:
        text = read_utf8(path, display)
        data = _parse_json(text, display) if suffix == ".json" else _parse_yaml(text, display)
        records = _structured_records(data, display)
    if not records:
        raise LoadError(display, "catalogue has no entries")
    return _documents(records, path, root, display)


def _csv_records(path: Path, display: str) -> list[tuple[str, dict[str, Any]]]:
    text = read_utf8(path, display, hint="in Excel use Save As → 'CSV UTF-8'")
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text)))
    except csv.Error as exc:
        raise LoadError(display, f"not a readable CSV file ({exc})") from exc
    numbered = [(line, row) for line, row in enumerate(rows, start=1) if any(map(str.strip, row))]
    if not numbered:
        raise LoadError(display, "file is empty")
    header = [cell.strip() for cell in numbered[0][1]]
    if not any(_FIELD_OF.get(_normalize_key(column)) == "name" for column in header):
        found = ", ".join(f"'{column}'" for column in header if column) or "none"
        raise LoadError(
            display, f"CSV has no 'name' column (columns found: {found}); add 'name' or 'nama'"
        )
    return [(f"row {line}", dict(zip(header, row, strict=False))) for line, row in numbered[1:]]


def _sniff_delimiter(text: str) -> str:
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ""
    header = next((line for line in sample.split("\n") if line.strip()), "")
    # The sniffer guesses from the whole sample and can be fooled by prose in the cells;
    # the header line has no prose, so it settles doubtful cases.
    if not delimiter or header.count(delimiter) == 0:
        delimiter = max((",", ";", "\t"), key=header.count)
    return delimiter


def _parse_json(text: str, display: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            display, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def _parse_yaml(text: str, display: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise LoadError(display, f"invalid YAML{where}: {problem}") from exc


def _structured_records(data: Any, display: str) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(data, dict):
        by_key = {str(key).lower(): value for key, value in data.items()}
        lists = [by_key[key] for key in _LIST_KEYS if isinstance(by_key.get(key), list)]
        if not lists:
            keys = ", ".join(f"'{key}'" for key in data) or "none"
            raise LoadError(display, f"{_EXPECTED_SHAPE}; found an object with keys: {keys}")
        data = lists[0]
    if not isinstance(data, list):
        raise LoadError(display, f"{_EXPECTED_SHAPE}; found {_kind(data)}")
    records = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise LoadError(
                display, f"entry {number} is {_kind(item)}; each entry must be an object"
            )
        records.append((f"entry {number}", {str(key): value for key, value in item.items()}))
    return records


def _documents(
    records: list[tuple[str, dict[str, Any]]], path: Path, root: Path, display: str
) -> list[SourceDocument]:
    catalogue_id = path_doc_id(path, root, with_extension=False)
    used_ids: dict[str, int] = {}
    documents = []
    for label, record in records:
        fields, extras = _split_fields(record.items())
        name = _text(fields.get("name"))
        if not name:
            logger.warning("%s: %s has no name; skipped", display, label)
            continue
        fields["name"] = name
        base_id = _text(fields.get("id")) or f"{catalogue_id}/{slugify(name) or 'inovasi'}"
        used_ids[base_id] = used_ids.get(base_id, 0) + 1
        doc_id = base_id if used_ids[base_id] == 1 else f"{base_id}-{used_ids[base_id]}"
        url = _url(_text(fields.get("contact_url")))
        if url:
            fields["contact_url"] = url
        metadata: dict[str, MetadataValue] = {}
        for key in _METADATA_FIELDS:
            value = _year(fields.get(key)) if key == "year" else _text(fields.get(key))
            if value != "":
                metadata[key] = value
        metadata.update({key: value for key, value in extras.items() if key not in metadata})
        documents.append(
            SourceDocument(
                doc_id=doc_id,
                title=name,
                text=_profile_text(fields),
                path=display,
                doc_type="innovation",
                source_urls=(url,) if url else (),
                format="catalogue",
                metadata=metadata,
            )
        )
    if not documents:
        found = sorted({_normalize_key(key) for _, record in records for key in record})
        raise LoadError(
            display, f"no entry has a name (fields found: {', '.join(found) or 'none'})"
        )
    return documents


def _split_fields(
    items: Iterable[tuple[str, Any]],
) -> tuple[dict[str, Any], dict[str, MetadataValue]]:
    """Known columns by canonical name; the rest as scalar metadata under their own name."""
    fields: dict[str, Any] = {}
    extras: dict[str, MetadataValue] = {}
    for key, value in items:
        normalized = _normalize_key(key)
        field = _FIELD_OF.get(normalized)
        if field and field not in fields:
            fields[field] = value
            continue
        scalar = _scalar(value)
        if normalized and scalar != "":
            extras[normalized] = scalar
    return fields, extras


def _profile_text(fields: dict[str, Any]) -> str:
    lines = [f"{label}: {value}" for key, label in _LABELS if (value := _text(fields.get(key)))]
    parts = [f"# {fields['name']}"]
    if lines:
        parts.append("\n".join(lines))
    for key, heading in _SECTIONS:
        body = _text(fields.get(key))
        if body:
            parts.append(f"## {heading}\n{body}")
    return "\n\n".join(parts)


def _normalize_key(key: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(key).strip().lower())


def _scalar(value: Any) -> MetadataValue:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return ", ".join(str(item).strip() for item in value if str(item).strip())
    return _text(value)


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _year(value: Any) -> int | str:
    text = _text(value)
    return int(text) if re.fullmatch(r"\d{4}", text) else text


def _url(value: str) -> str:
    if value.startswith(("http://", "https://")):
        return value
    return f"https://{value}" if value.startswith("www.") else ""


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty file)"
    if isinstance(value, bool):
        return "true/false"
    return "a number" if isinstance(value, int | float) else "text"
