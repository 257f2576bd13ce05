"""How long a re-check of registered web sources takes when nothing changed.

    python -m scripts.bench_web_sources [--sources 50] [--rounds 5] [--real-model] [--json]

Starts a local HTTP server on loopback with `--sources` pages (each ~5 passages), registers
them all in a fresh bot store and index (in a temporary folder), then times `check_all` over
every source, `--rounds` times, in two set-ups:

- etag      the server sends an ETag: each check is one conditional GET answered 304;
- no-etag   no validator: each check downloads the page and compares its hash.

Reported: seconds per round (median, min, max), per source, HTTP requests per round and the
embedding calls made during the checks (0 expected: nothing is re-embedded). Adding the
sources uses hash embeddings unless `--real-model` (the configured model) is given; the
checks embed nothing either way.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from bot.telegram.state import open_store
from ingest.history import SCHEDULE, Actor
from ingest.pipeline import run_ingest
from ingest.web.sources import WebSources
from replikasi.embeddings import EmbeddingModel, make_embedding_model
from replikasi.ingest_lock import IngestLock
from replikasi.settings import Settings
from scripts.local_web_server import Route, WebServer, page


class CountingEmbeddings(Embeddings):
    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.calls += 1
        return self.inner.embed_query(text)


def hash_model() -> EmbeddingModel:
    import hashlib
    import re

    class Hashed(Embeddings):
        def _vector(self, text: str) -> list[float]:
            vector = [0.0] * 256
            for token in re.findall(r"\w+", text.lower()):
                vector[int(hashlib.md5(token.encode()).hexdigest()[:8], 16) % 256] += 1.0
            norm = sum(v * v for v in vector) ** 0.5 or 1.0
            return [v / norm for v in vector]

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [self._vector(t) for t in texts]

        def embed_query(self, text: str) -> list[float]:
            return self._vector(text)

    return EmbeddingModel("bench:hash-256", Hashed())


def paragraphs(number: int) -> list[str]:
    return [
        f"Sumber {number}, bagian {part}: profil inovasi pelayanan publik daerah dengan "
        f"tahapan replikasi, indikator kinerja, dan kontak pengelola nomor {number}-{part}. " * 7
        for part in range(5)
    ]


def measure(sources: int, rounds: int, *, etag: bool, real_model: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        base = Path(folder)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=base / "data",
            knowledge_dir=base / "knowledge",
            web_sources_allow_private=True,
        )
        settings.knowledge_dir.mkdir(parents=True)
        (settings.knowledge_dir / "dasar.md").write_text("# Dasar\n\nReplikasi inovasi.\n")
        model = make_embedding_model(settings) if real_model else hash_model()
        counting = CountingEmbeddings(model.embeddings)
        embedding = EmbeddingModel(model.model_id, counting)
        run_ingest(settings, embedding=embedding)
        server = WebServer().start()
        store = open_store(settings)
        lock = IngestLock.for_settings(settings)
        lock.acquire()
        try:
            for number in range(sources):
                tag = f'"{number}"' if etag else ""
                body = page(f"Sumber {number}", *paragraphs(number))
                server.routes[f"/s/{number}"] = Route(body, etag=tag)
            with WebSources(settings, store, store, embedding=embedding) as web:
                added = time.perf_counter()
                for number in range(sources):
                    web.add(server.url(f"/s/{number}"), Actor("bench"))
                add_seconds = time.perf_counter() - added
                counting.calls = 0
                hits_before = sum(server.hits.values())
                times = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    outcomes = web.check_all(SCHEDULE, only_due=False)
                    times.append(time.perf_counter() - started)
                    assert all(o.status == "unchanged" for o in outcomes), outcomes
                requests = (sum(server.hits.values()) - hits_before) / rounds
        finally:
            lock.release()
            store.close()
            server.stop()
    median = statistics.median(times)
    return {
        "setup": "etag" if etag else "no-etag",
        "sources": sources,
        "rounds": rounds,
        "median_seconds": round(median, 4),
        "min_seconds": round(min(times), 4),
        "max_seconds": round(max(times), 4),
        "ms_per_source": round(median / sources * 1000, 2),
        "requests_per_round": requests,
        "embedding_calls_during_checks": counting.calls,
        "add_seconds": round(add_seconds, 2),
        "model": model.model_id,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--real-model", action="store_true", help="add with the real model")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = [
        measure(args.sources, args.rounds, etag=etag, real_model=args.real_model)
        for etag in (True, False)
    ]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    from rich.table import Table

    from replikasi.console import console

    table = Table(title=f"No-change check of {args.sources} web sources ({args.rounds} rounds)")
    columns = (
        "setup",
        "median_seconds",
        "min_seconds",
        "max_seconds",
        "ms_per_source",
        "requests_per_round",
        "embedding_calls_during_checks",
    )
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right")
    for result in results:
        table.add_row(*(str(result[column]) for column in columns))
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
