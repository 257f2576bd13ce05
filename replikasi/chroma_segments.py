"""Disk space of removed generations, for embedded Chroma.

chromadb 1.5 `delete_collection` leaves the collection's vector segment folder on disk
(upstream chroma-core/chroma#5520): ~1 MB per generation and ingest, forever. After a switch,
folders that no segment in Chroma's own catalogue (chroma.sqlite3) names are removed. Only
UUID-named folders are considered, and nothing is removed when the catalogue cannot be read.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

CATALOGUE = "chroma.sqlite3"
_SEGMENT_FOLDER = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def live_segments(persist_dir: Path) -> set[str] | None:
    """Ids of the segments Chroma knows, or None when its catalogue cannot be read."""
    catalogue = persist_dir / CATALOGUE
    if not catalogue.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True, timeout=5.0) as conn:
            return {str(row[0]) for row in conn.execute("SELECT id FROM segments")}
    except sqlite3.Error as exc:
        log.debug("Cannot read Chroma's segment catalogue %s: %s", catalogue, exc)
        return None


def orphan_segment_folders(persist_dir: Path) -> list[Path]:
    live = live_segments(persist_dir)
    if live is None:
        return []
    return sorted(
        path
        for path in persist_dir.iterdir()
        if path.is_dir() and _SEGMENT_FOLDER.match(path.name) and path.name not in live
    )


def remove_orphan_segments(persist_dir: Path) -> int:
    """Remove the folders of deleted collections; returns how many were removed."""
    removed = 0
    for folder in orphan_segment_folders(persist_dir):
        try:
            shutil.rmtree(folder)
            removed += 1
        except OSError as exc:
            log.warning("Could not remove the unused index folder %s: %s", folder, exc)
    if removed:
        log.info("Removed %d unused index folder(s) from %s", removed, persist_dir)
    return removed
