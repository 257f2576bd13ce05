"""Probe 1 of issue 13: `replikasi ingest & replikasi ingest` on one data directory.

Before the lock, 3 of 6 trials left the bot saying "the knowledge index is empty or
missing". Here 2 and 4 real `replikasi ingest` processes start together, 20 trials each,
each trial after a change in `knowledge/`; then processes are killed with SIGKILL at random
moments. After every trial the active index must answer and hold the latest change, every
process must have either finished or been told "Another ingest is running (since …, by …)",
and no generation or segment folder may be left behind.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from bot.retrieval import HybridRetriever
from replikasi.chroma_segments import orphan_segment_folders
from replikasi.index import KnowledgeIndex, iter_chunks
from replikasi.settings import Settings
from tests.fakes import hash_embedding_model
from tests.reliability.probes import Outcome, Workspace, finish, starter_workspace

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

TRIALS = 20
KILL_TRIALS = 12
BUSY = "Another ingest is running (since "


def _settings(workspace: Workspace) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=workspace.data, knowledge_dir=workspace.knowledge
    )


def _change(workspace: Workspace, trial: int) -> str:
    marker = f"penanda-uji-{trial:03d}"
    (workspace.knowledge / "berubah.md").write_text(
        f"# Dokumen yang berubah\n\nIsi percobaan {marker} tentang replikasi inovasi daerah.\n"
    )
    return marker


def _indexed_text(settings: Settings, doc_id: str) -> str:
    collection = KnowledgeIndex.open(settings).active()
    assert collection is not None, "the active index is gone"
    texts = []
    for page in iter_chunks(collection):
        texts.extend(
            t
            for t, m in zip(page.documents, page.metadatas, strict=True)
            if m.get("doc_id") == doc_id
        )
    return "\n".join(texts)


def assert_index_answers(settings: Settings) -> None:
    index = KnowledgeIndex.open(settings)
    collection = index.active()
    assert collection is not None and collection.count() > 0, "no index answers"
    results = HybridRetriever(settings, embedding=hash_embedding_model()).search(
        "Berapa jumlah hub inovasi?", k=3
    )
    assert results, "the index does not answer"


def assert_tidy(settings: Settings) -> None:
    assert len(KnowledgeIndex.open(settings).generations()) == 1
    assert orphan_segment_folders(settings.chroma_dir) == []


def assert_finished_or_told(outcome: Outcome) -> bool:
    """True for a winner; a loser must have been told who holds the lock."""
    if outcome.code == 0:
        return True
    assert outcome.code == 2, outcome.text
    assert outcome.err.startswith(f"Error: {BUSY}"), outcome.text
    assert ", by `" in outcome.err and " on " in outcome.err and "Traceback" not in outcome.text
    return False


@pytest.mark.parametrize("processes", [2, 4])
def test_concurrent_ingests_lose_nothing_and_tell_every_loser(
    tmp_path: Path, processes: int, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = starter_workspace(tmp_path)
    settings = _settings(workspace)
    assert workspace.run("ingest").code == 0
    winners = losers = 0
    for trial in range(TRIALS):
        marker = _change(workspace, trial)
        started = time.perf_counter()
        running = [workspace.start("ingest") for _ in range(processes)]
        outcomes = [finish(process, started) for process in running]
        won = [assert_finished_or_told(outcome) for outcome in outcomes]
        assert any(won), [o.text for o in outcomes]
        winners += sum(won)
        losers += len(won) - sum(won)
        assert marker in _indexed_text(settings, "berubah.md"), f"trial {trial}: change lost"
        assert_index_answers(settings)
        assert_tidy(settings)
    with capsys.disabled():
        print(
            f"\n[reliability] {processes} concurrent ingests x {TRIALS} trials: "
            f"{winners} finished, {losers} told busy, 0 indexes lost"
        )


def test_kill_9_at_random_moments_never_loses_the_active_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = starter_workspace(tmp_path)
    # Slow embedding (one chunk per batch) so that kills land inside the work, not only
    # before or after it.
    workspace.extra_env.update(EMBEDDING_BATCH_SIZE="1", REPLIKASI_TEST_EMBED_DELAY="0.02")
    settings = _settings(workspace)
    assert workspace.run("ingest").code == 0
    rng = random.Random(13)
    killed = 0
    for trial in range(KILL_TRIALS):
        _change(workspace, trial)
        (workspace.knowledge / "berubah.md").write_text(  # many chunks to re-embed each time
            (workspace.knowledge / "berubah.md").read_text()
            + "\n\n".join(
                f"## Bagian {i}\n\n" + f"Kalimat {trial} nomor {i}. " * 80 for i in range(20)
            )
        )
        started = time.perf_counter()
        running = [workspace.start("ingest") for _ in range(3)]
        time.sleep(rng.uniform(1.0, 5.0))
        for victim in rng.sample(running, k=rng.randint(1, 3)):
            if victim.poll() is None:
                victim.send_signal(signal.SIGKILL)
                killed += 1
        for process in running:
            outcome = finish(process, started)
            if outcome.code != -signal.SIGKILL:
                assert_finished_or_told(outcome)
        assert_index_answers(settings)
    # The next ingest is not blocked by the dead, and clears what they left.
    _change(workspace, KILL_TRIALS)
    final = workspace.run("ingest")
    assert final.code == 0, final.text
    assert_index_answers(settings)
    assert_tidy(settings)
    with capsys.disabled():
        print(
            f"\n[reliability] kill -9: {KILL_TRIALS} trials x 3 ingests, {killed} killed "
            "mid-run, index answered after every trial, 0 lost"
        )
