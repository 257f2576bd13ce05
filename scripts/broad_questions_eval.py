"""How broad how-to questions are answered: an overview of the guides, or not.

    DATA_DIR=… .venv/bin/python -m scripts.broad_questions_eval [--split tune|holdout] [--json]

Reads tests/data/bank/broad-questions.jsonl: broad questions ("gimana cara replikasi
inovasi?") should get the overview (bot/overview.py) with the steps or the principle in it;
narrower how-to questions ("… lewat JIPPNas?") should be answered as any other question.
Uses the index in DATA_DIR, as `replikasi eval` does.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from bot.engine import AnswerEngine
from replikasi.settings import Settings

QUESTIONS = Path(__file__).resolve().parents[1] / "tests/data/bank/broad-questions.jsonl"
OVERVIEW_NOTE = "overview of a broad question"
# What the knowledge base's guides say the steps are: the stages, the ATM principle, a route.
STEPS = re.compile(r"persiapan|amati|surat minat", re.I)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("all", "tune", "holdout"), default="all")
    parser.add_argument("--json", action="store_true", help="the summary as JSON")
    args = parser.parse_args()
    engine = AnswerEngine(Settings())
    counts = {"broad": [0, 0], "narrower": [0, 0]}
    rows = []
    for line in QUESTIONS.read_text("utf-8").splitlines():
        question = json.loads(line)
        if args.split != "all" and question["split"] != args.split:
            continue
        answer = engine.answer(question["question"])
        overview = OVERVIEW_NOTE in answer.notes
        group = "broad" if question["broad"] else "narrower"
        ok = overview and bool(STEPS.search(answer.text)) if question["broad"] else not overview
        counts[group][0] += int(ok)
        counts[group][1] += 1
        rows.append((ok, group, question["question"]))
    summary = {
        "broad_overview_with_steps": counts["broad"][0],
        "broad": counts["broad"][1],
        "narrower_without_overview": counts["narrower"][0],
        "narrower": counts["narrower"][1],
    }
    if args.json:
        print(json.dumps(summary))
        return
    for ok, group, text in rows:
        print(f"{'ok ' if ok else 'BAD'} {group:8s} {text}")
    print(
        f"broad: overview with the steps {counts['broad'][0]}/{counts['broad'][1]}; "
        f"narrower: no overview {counts['narrower'][0]}/{counts['narrower'][1]}"
    )


if __name__ == "__main__":
    main()
