"""Tune/holdout split of the question bank, decided per fact so that it is reproducible.

A fact is "holdout" when int(sha256(fact_id).hexdigest(), 16) % 10 < 4 (about 40%), else
"tune". A question is "tune" only when every fact it involves is tune.

    .venv/bin/python tests/data/bank/split.py          # print the split of every fact
    .venv/bin/python tests/data/bank/split.py --write  # rewrite the split fields in place
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

BANK = Path(__file__).resolve().parent
FACTS = BANK / "facts.jsonl"
QUESTIONS = BANK / "questions.jsonl"

HOLDOUT = "holdout"
TUNE = "tune"


def fact_split(fact_id: str) -> str:
    """The split of one fact id: "holdout" for about 40% of ids, "tune" otherwise."""
    digest = hashlib.sha256(fact_id.encode("utf-8")).hexdigest()
    return HOLDOUT if int(digest, 16) % 10 < 4 else TUNE


def question_split(fact_ids: Iterable[str]) -> str:
    """A question is tune only when all its facts are tune (and it names at least one)."""
    ids = list(fact_ids)
    if ids and all(fact_split(f) == TUNE for f in ids):
        return TUNE
    return HOLDOUT


def _rewrite(path: Path, *, questions: bool) -> int:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    changed = 0
    for row in rows:
        new = question_split(row["facts"]) if questions else fact_split(row["fact"])
        changed += new != row.get("split")
        row["split"] = new
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite split fields in place")
    args = parser.parse_args()
    if args.write:
        facts = _rewrite(FACTS, questions=False)
        questions = _rewrite(QUESTIONS, questions=True) if QUESTIONS.exists() else 0
        print(f"split fields changed: {facts} facts, {questions} questions")
        return
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        fact = json.loads(line)["fact"]
        print(f"{fact_split(fact):8} {fact}")


if __name__ == "__main__":
    main()
