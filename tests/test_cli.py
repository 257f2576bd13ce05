"""The `replikasi` command as a user runs it: output, exit codes, and one-sentence errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replikasi import cli
from replikasi.settings import Settings, get_settings
from tests.ci import require_shared
from tests.conftest import SHARED

EVAL_KEYS = {
    "n", "answerable", "unanswerable", "recall_at_1", "recall_at_5", "mrr",
    "answer_coverage", "answered_rate", "abstain_rate", "not_known_rate",
    "citation_validity", "answer_chars_p50", "latency_ms_p50", "latency_ms_p95", "mode",
}  # fmt: skip


@pytest.fixture
def use_settings(monkeypatch: pytest.MonkeyPatch):
    def apply(settings: Settings) -> None:
        monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("KNOWLEDGE_DIR", str(settings.knowledge_dir))
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


def test_ask_json(starter_index, use_settings, capsys):
    use_settings(starter_index)
    assert cli.main(["ask", "--json", "Berapa jumlah hub inovasi saat ini?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "extractive" and data["abstained"] is False
    assert "54" in data["answer"]
    assert data["citations"] and data["citations"][0]["doc_id"] == "hub-inovasi"
    # the five best passages, and up to two more read for one sentence near the question
    assert 5 <= len(data["chunks"]) <= 7
    assert {"score", "dense", "lexical"} <= set(data["chunks"][0])
    assert data["timings_ms"]["total"] > 0


def test_ask_plain_shows_sources(starter_index, use_settings, capsys):
    use_settings(starter_index)
    assert cli.main(["ask", "Apa", "itu", "SINOVIK?"]) == 0
    out = capsys.readouterr().out
    assert "Sistem Informasi Inovasi Pelayanan Publik" in out and "Sumber:" in out


def test_eval_json_summary_is_the_last_line(starter_index, use_settings, capsys):
    questions = require_shared(SHARED / "eval" / "questions.jsonl")
    use_settings(starter_index)
    assert cli.main(["eval", str(questions), "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    summary = json.loads(last)
    assert set(summary) == EVAL_KEYS
    assert summary["n"] == 24 and summary["citation_validity"] == 1.0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ask", ""], "Pertanyaannya kosong"),
        (["ask", "x" * 10_000], "terlalu panjang"),
        (["eval", "/nonexistent/questions.jsonl"], "Cannot read the eval file"),
    ],
)
def test_bad_input_gets_one_clear_sentence(starter_index, use_settings, capsys, argv, expected):
    use_settings(starter_index)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_empty_eval_file(starter_index, use_settings, capsys, tmp_path: Path):
    use_settings(starter_index)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    assert cli.main(["eval", str(empty)]) == 2
    assert "holds no questions" in capsys.readouterr().err


def test_missing_index_is_one_sentence(settings, use_settings, capsys):
    use_settings(settings)
    assert cli.main(["ask", "Apa itu KIPP?"]) == 2
    err = capsys.readouterr().err
    assert "replikasi ingest" in err and "Traceback" not in err
    assert cli.main(["sources"]) == 1
    assert "empty" in capsys.readouterr().out


@pytest.mark.slow  # `replikasi ingest` with the real model
def test_ingest_reports_bad_files_and_exits_non_zero(
    settings, knowledge_copy, use_settings, capsys
):
    (knowledge_copy / "rusak.pdf").write_bytes(b"garbage")
    use_settings(settings.model_copy(update={"knowledge_dir": knowledge_copy}))
    assert cli.main(["ingest"]) == 1
    out = capsys.readouterr().out
    assert "rusak.pdf" in out and "Ingest summary" in out
    assert cli.main(["sources"]) == 0
    assert "Indexed documents (13)" in capsys.readouterr().out


def test_the_core_cli_imports_no_shell_and_production_code_no_tests() -> None:
    """The dependency direction: replikasi (core) ← ingest ← bot; tests are not shipped."""
    import subprocess
    import sys

    probe = (
        "import sys, replikasi.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('bot', 'ingest', 'tests')))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result
    repo = Path(__file__).resolve().parents[1]
    for package in ("replikasi", "ingest", "bot"):
        for source in (repo / package).rglob("*.py"):
            text = source.read_text(encoding="utf-8")
            assert "from tests" not in text and "import tests" not in text, source
    for source in (repo / "ingest").rglob("*.py"):
        assert "from bot" not in source.read_text(encoding="utf-8"), source


def test_chat_keeps_small_talk_out_of_the_conversation(
    starter_index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "makasih" between a question and its follow-up is answered in kind and is no turn
    a follow-up could lean on."""
    from argparse import Namespace

    from bot import cli_commands

    lines = iter(["apa itu SINOVIK?", "makasih", "siapa yang ngelola?"])

    def read(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    histories: list[list[str]] = []
    answer = cli_commands.AnswerEngine.answer

    def recorded(engine, question, history=(), **kwargs):
        histories.append([turn.question for turn in history])
        return answer(engine, question, history, **kwargs)

    monkeypatch.setattr(cli_commands.console, "input", read)
    monkeypatch.setattr(cli_commands.AnswerEngine, "answer", recorded)
    assert cli_commands.cmd_chat(Namespace(), starter_index) == 0
    assert histories == [[], ["apa itu SINOVIK?"], ["apa itu SINOVIK?"]]
