"""BM25 keyword search over the knowledge-base chunks, the lexical half of hybrid retrieval.

Dense embeddings miss exact names and numbers ("SINOVIK", "6/2024", "2928"); BM25 catches
them. We tokenize with `replikasi.indonesian.tokenize` (Sastrawi stemming, informal-word
expansion) and hand bm25s only token ids, so its English stemmer and stopwords never run.

The index is saved next to the vector store and tied to it by a fingerprint: `load` returns
None unless the saved fingerprint and tokenizer version match, and the caller rebuilds.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import uuid
from collections.abc import Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

import bm25s
import numpy as np

from replikasi.indonesian import TOKENIZER_VERSION, tokenize

logger = logging.getLogger(__name__)

_FORMAT_VERSION = 1
_META_FILE = "meta.json"
_BM25_DIR = "bm25s"
# Lucene's BM25 keeps every score of a matching document above zero and gives exactly zero to
# documents without a query term, so "score > 0" means "matched". (BM25+/BM25L add a constant
# to every document, which would make that test useless.)
_METHOD = "lucene"


class BM25Index:
    """An immutable BM25 index over chunks identified by string ids."""

    def __init__(self, ids: Sequence[str], retriever: bm25s.BM25 | None) -> None:
        self._ids = list(ids)
        self._rows = {chunk_id: row for row, chunk_id in enumerate(self._ids)}
        if len(self._rows) != len(self._ids):
            raise ValueError("BM25Index ids must be unique")
        # None when no document has a single token: every search is then empty.
        self._retriever = retriever
        self._vocab: dict[str, int] = retriever.vocab_dict if retriever is not None else {}

    def __len__(self) -> int:
        return len(self._ids)

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str]) -> BM25Index:
        """Tokenize `texts` and index them under `ids` (same order, same length)."""
        if len(ids) != len(texts):
            raise ValueError(f"got {len(ids)} ids for {len(texts)} texts")
        vocab: dict[str, int] = {}
        corpus_token_ids = [
            [vocab.setdefault(token, len(vocab)) for token in tokenize(text)] for text in texts
        ]
        if not vocab:
            return cls(ids, None)
        retriever = bm25s.BM25(method=_METHOD)
        # A (token ids, vocab) tuple skips bm25s's own tokenizer; no empty token is needed
        # because search() never passes a query without known tokens.
        retriever.index((corpus_token_ids, vocab), create_empty_token=False, show_progress=False)
        return cls(ids, retriever)

    def search(
        self, query: str, k: int, allowed_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return up to `k` (id, score) pairs with score > 0, best first.

        `allowed_ids` restricts the results (e.g. to one document type); ids not in the
        index are ignored.
        """
        if k <= 0 or self._retriever is None:
            return []
        # Each distinct term counts once: repeating a word in a question adds no weight.
        token_ids = list(dict.fromkeys(self._vocab[t] for t in tokenize(query) if t in self._vocab))
        if not token_ids:
            return []
        scores = self._retriever.get_scores_from_ids(token_ids)
        rows = np.flatnonzero(scores > 0)
        if allowed_ids is not None:
            rows = self._restrict(rows, allowed_ids)
        if rows.size > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        # Sort by score, then by corpus order, so equal scores come back in a stable order.
        rows = rows[np.lexsort((rows, -scores[rows]))]
        return [(self._ids[row], float(scores[row])) for row in rows.tolist()]

    def _restrict(self, rows: np.ndarray, allowed_ids: Collection[str]) -> np.ndarray:
        # Cheapest direction first: few matches and a set to test them against, or else a
        # mask built from the allowed ids.
        if isinstance(allowed_ids, AbstractSet | Mapping) and rows.size <= len(allowed_ids):
            keep = [row for row in rows.tolist() if self._ids[row] in allowed_ids]
            return np.asarray(keep, dtype=rows.dtype)
        mask = np.zeros(len(self._ids), dtype=bool)
        allowed_rows = [self._rows[i] for i in allowed_ids if i in self._rows]
        mask[allowed_rows] = True
        return rows[mask[rows]]

    def save(self, directory: Path, fingerprint: str) -> None:
        """Write the index to `directory`, replacing what is there only once fully written.

        Readers see the old index or the new one, or for an instant no directory (which
        `load` reports as None, i.e. "rebuild"), never a half-written mix.
        """
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the index from a bot run as another user
        retired = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex}")
        try:
            if self._retriever is not None:
                self._retriever.save(staging / _BM25_DIR)
            meta = {
                "format": _FORMAT_VERSION,
                "tokenizer": TOKENIZER_VERSION,
                "fingerprint": fingerprint,
                "has_terms": self._retriever is not None,
                "ids": self._ids,
            }
            # Written last: a directory without it is never accepted by load().
            (staging / _META_FILE).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
            # A non-empty directory cannot be replaced in one rename, hence the two steps.
            if directory.exists():
                directory.rename(retired)
            staging.rename(directory)
        except BaseException:
            if retired.exists() and not directory.exists():
                retired.rename(directory)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(retired, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path, fingerprint: str) -> BM25Index | None:
        """Return the index saved in `directory`, or None if it is missing, unreadable, or
        was saved for another fingerprint or tokenizer version."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / _META_FILE).read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            logger.warning("Ignoring unreadable BM25 index in %s: %s", directory, error)
            return None
        if not isinstance(meta, dict) or (
            meta.get("format"),
            meta.get("tokenizer"),
            meta.get("fingerprint"),
        ) != (_FORMAT_VERSION, TOKENIZER_VERSION, fingerprint):
            logger.info("BM25 index in %s is stale; it will be rebuilt", directory)
            return None
        try:
            ids = [str(chunk_id) for chunk_id in meta["ids"]]
            retriever = None
            if meta["has_terms"]:
                retriever = bm25s.BM25.load(directory / _BM25_DIR, show_progress=False)
                if retriever.scores["num_docs"] != len(ids):
                    raise ValueError("document count does not match the saved ids")
            return cls(ids, retriever)
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("Ignoring unreadable BM25 index in %s: %s", directory, error)
            return None
