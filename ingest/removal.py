"""Take documents out of the index (/hapus), and read what the index holds of one document.

Removal builds a new generation without the documents' passages (the others are copied
with their embeddings, nothing is embedded) and switches to it like any ingest, under the
ingest lock: questions keep being answered from the previous generation meanwhile.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.loaders.captions import caption_path
from ingest.loaders.origins import origin_path
from ingest.pipeline import IngestReport, _copy_kept
from replikasi.errors import IndexMissingError, ReplikasiError
from replikasi.index import KnowledgeIndex, model_of
from replikasi.ingest_lock import ingest_lease
from replikasi.lexical_store import refresh_lexical_index
from replikasi.records import MetaKey
from replikasi.settings import Settings


def remove_documents(settings: Settings, doc_ids: Sequence[str]) -> IngestReport:
    """Remove `doc_ids` from the index; the report lists those that were there.

    Raises IngestBusyError when another ingest runs, ReplikasiError when it would leave the
    index empty.
    """
    started = time.perf_counter()
    with ingest_lease(settings) as lease:
        index = KnowledgeIndex.open(settings)
        previous = index.active()
        if previous is None:
            raise IndexMissingError()
        documents = index.documents()
        leaving = set(doc_ids) & {doc.doc_id for doc in documents}
        report = IngestReport(removed=sorted(leaving))
        if not leaving:
            return report
        keep = {doc.doc_id for doc in documents} - leaving
        if not keep:
            raise ReplikasiError(
                "That is the only document in the knowledge base; add another one before "
                "removing it."
            )
        target = index.create_generation(model_of(previous))
        try:
            _copy_kept(previous, target, keep)
            report.chunks = target.count()
            refresh_lexical_index(settings, target)
            lease.verify()
            index.activate(target, stale_before=lease.started)
        except BaseException:
            index.discard(target.name)
            raise
    report.seconds = time.perf_counter() - started
    return report


def passage_hashes(settings: Settings, doc_id: str) -> list[str]:
    """A hash per passage of `doc_id` as indexed now (empty when it is not indexed)."""
    collection = KnowledgeIndex.open(settings).active()
    if collection is None:
        return []
    page: Any = collection.get(where={MetaKey.DOC_ID: doc_id}, include=["documents"])
    return [hashlib.sha256((text or "").encode("utf-8")).hexdigest() for text in page["documents"]]


def delete_source_file(settings: Settings, source_path: str) -> None:
    """Delete a document's file from the knowledge folder, with its caption and address
    sidecars (nothing outside the knowledge folder is ever deleted)."""
    path = Path(source_path)
    if not path.resolve().is_relative_to(settings.knowledge_dir.resolve()):
        return
    for leftover in (path, caption_path(path), origin_path(path)):
        with contextlib.suppress(OSError):
            leftover.unlink(missing_ok=True)
