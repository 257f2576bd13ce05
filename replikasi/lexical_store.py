"""Keeps the BM25 index in step with the active Chroma generation.

The BM25 files are tied to a generation by its collection name (the fingerprint), so after any
ingest the old files no longer match and the index is rebuilt from exactly what Chroma holds.
"""

from __future__ import annotations

import logging
import shutil

from chromadb.api.models.Collection import Collection

from replikasi.index import iter_chunks, passage_text
from replikasi.lexical import BM25Index
from replikasi.settings import Settings

log = logging.getLogger(__name__)


def refresh_lexical_index(settings: Settings, collection: Collection) -> BM25Index:
    """Load the BM25 index for `collection`, building and saving it when missing or stale."""
    directory = settings.data_dir / "bm25"
    existing = BM25Index.load(directory, collection.name)
    if existing is not None:
        return existing
    ids: list[str] = []
    texts: list[str] = []
    for page in iter_chunks(collection):
        for chunk_id, body, meta in zip(page.ids, page.documents, page.metadatas, strict=True):
            ids.append(chunk_id)
            texts.append(
                passage_text(str(meta.get("title", "")), str(meta.get("section", "")), body)
            )
    index = BM25Index.build(ids, texts)
    try:
        if directory.exists():
            shutil.rmtree(directory, ignore_errors=True)
        index.save(directory, collection.name)
    except OSError as exc:  # a read-only data dir only costs a rebuild next time
        log.warning("Could not save the BM25 index to %s: %s", directory, exc)
    return index
