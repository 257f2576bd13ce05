"""An admin's caption for an uploaded file, kept beside it so a later re-index keeps it.

The caption is the title the admin gave when uploading ("Perwal Kota X tentang ..."). It is
stored in a hidden sidecar file, `.<file name>.caption`, which the ingest never loads as a
document; writing an empty caption removes it (a new upload under the same name starts clean).

Likewise `.<file name>.beside` marks an upload the admin chose to keep beside another version
of the same regulation: its document is its own, never a version that replaces (or is
replaced by) the other (`keep_beside`, `kept_beside`).
"""

from __future__ import annotations

from pathlib import Path

from replikasi.files import write_atomically

MAX_CAPTION_CHARS = 300


def caption_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.caption")


def read_caption(path: Path) -> str:
    try:
        text = caption_path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    return " ".join(text.split())[:MAX_CAPTION_CHARS]


def write_caption(path: Path, caption: str | None) -> None:
    """Save (or, when empty, remove) the caption of the file at `path`."""
    target = caption_path(path)
    text = " ".join((caption or "").split())[:MAX_CAPTION_CHARS]
    if not text:
        target.unlink(missing_ok=True)
        return
    write_atomically(target, (text + "\n").encode("utf-8"), prefix=".caption-")


def beside_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.beside")


def kept_beside(path: Path) -> bool:
    return beside_path(path).is_file()


def keep_beside(path: Path, keep: bool = True) -> None:
    """Mark (or unmark) the file at `path` as kept beside other versions of its regulation."""
    marker = beside_path(path)
    if keep:
        marker.write_text("kept beside other versions by an admin\n", encoding="utf-8")
    else:
        marker.unlink(missing_ok=True)
