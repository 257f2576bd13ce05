"""Where a file of the knowledge folder came from on the web, kept beside it.

A page or document added by its address (/tambah, `replikasi ingest --url`) is saved under
the knowledge folder with a hidden sidecar, `.<file name>.source`, holding that address. The
loaders put it first among the document's `source_urls`, so answers link to the official
page, and a later re-index of the whole folder keeps the link.
"""

from __future__ import annotations

from pathlib import Path

from replikasi.files import write_atomically

MAX_URL_CHARS = 2000


def origin_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.source")


def read_origin(path: Path) -> str:
    try:
        text = origin_path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return text if text.startswith(("http://", "https://")) and len(text) <= MAX_URL_CHARS else ""


def write_origin(path: Path, url: str | None) -> None:
    """Save (or, when empty, remove) the address the file at `path` was fetched from."""
    target = origin_path(path)
    if not url:
        target.unlink(missing_ok=True)
        return
    write_atomically(target, (url.strip() + "\n").encode("utf-8"), prefix=".source-")
