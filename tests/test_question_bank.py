"""The question bank (tests/data/bank) stays valid against knowledge/, and its checker bites."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BANK = Path(__file__).resolve().parent / "data" / "bank"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BANK / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


check_bank = _load("check_bank")
split = _load("split")


@pytest.fixture(scope="module")
def bank() -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    return (
        check_bank.load_jsonl(BANK / "facts.jsonl"),
        check_bank.load_jsonl(BANK / "questions.jsonl"),
        check_bank.load_documents(),
    )


def test_the_bank_passes_every_check(bank) -> None:
    facts, questions, docs = bank
    public = None
    if check_bank.PUBLIC_EVAL.exists():
        public = [row["question"] for row in check_bank.load_jsonl(check_bank.PUBLIC_EVAL)]
    report = check_bank.check_bank(facts, questions, docs, public)
    assert report.errors == [], "\n".join(report.errors[:20])


def test_the_command_prints_a_json_summary_and_exits_zero(capsys) -> None:
    assert check_bank.main(["--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    counts = report["summary"]["questions"]
    assert counts["total"] >= 400
    assert set(counts["split"]) == {"tune", "holdout"}


def test_the_split_is_decided_by_fact() -> None:
    ids = [row["fact"] for row in check_bank.load_jsonl(BANK / "facts.jsonl")]
    holdout = [f for f in ids if split.fact_split(f) == "holdout"]
    assert 0.3 < len(holdout) / len(ids) < 0.5
    tune_fact = next(f for f in ids if split.fact_split(f) == "tune")
    assert split.question_split([tune_fact]) == "tune"
    assert split.question_split([tune_fact, holdout[0]]) == "holdout"
    assert split.question_split([]) == "holdout"


def test_the_checker_reports_a_broken_bank(bank) -> None:
    facts, questions, docs = bank
    broken = copy.deepcopy(questions)
    answerable = [q for q in broken if q["answerable"]]
    unanswerable = [q for q in broken if not q["answerable"]]
    answerable[0]["must_mention"] = [["a phrase no knowledge file contains"]]
    answerable[1]["split"] = "tune" if answerable[1]["split"] == "holdout" else "holdout"
    answerable[2]["facts"] = ["kipp.no-such-fact"]
    unanswerable[0]["must_mention"] = [["kipp"]]
    broken.append(dict(answerable[3]))  # duplicate id and text

    errors = "\n".join(check_bank.check_bank(facts, broken, docs).errors)

    assert f"question {answerable[0]['id']}: 'a phrase no knowledge file contains'" in errors
    assert f"question {answerable[1]['id']}: split" in errors
    assert f"question {answerable[2]['id']}: facts missing or unknown" in errors
    assert f"question {unanswerable[0]['id']}: an unanswerable question has no must_mention" in (
        errors
    )
    assert f"question {answerable[3]['id']}: duplicate id" in errors


def test_the_checker_requires_every_fact_to_be_asked_twice(bank) -> None:
    facts, questions, docs = bank
    fact = next(f["fact"] for f in facts if f["type"] == "kb")
    kept = [q for q in questions if fact not in q["facts"] or q["kind"] == "follow-up"]
    kept += [next(q for q in questions if fact in q["facts"] and q["kind"] != "follow-up")]

    errors = check_bank.check_bank(facts, kept, docs).errors

    assert f"fact {fact}: asked 1 times outside follow-ups, needs 2" in errors


def test_the_checker_flags_a_copy_of_a_public_question(bank) -> None:
    facts, questions, docs = bank
    public = [questions[0]["question"].upper()]
    errors = check_bank.check_bank(facts, questions, docs, public).errors
    assert any("too close to public eval question" in e for e in errors)
