"""Validate the question bank (facts.jsonl + questions.jsonl) against knowledge/.

    .venv/bin/python tests/data/bank/check_bank.py          # summary tables, exit 1 on errors
    .venv/bin/python tests/data/bank/check_bank.py --json   # the same as JSON

Checks: the schema of both files, unique ids, the per-fact split (split.py) and the question
split derived from it, every fact from knowledge/ asked at least twice outside follow-ups, the
minimum counts the bank promises, no copy of a public eval question, and that every
must_mention alternative of an answerable question occurs, normalised as `replikasi eval`
normalises answers, in at least one of the question's `sources` documents.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.evaluation import normalize_for_match

BANK = Path(__file__).resolve().parent
REPO = BANK.parents[2]
KNOWLEDGE = REPO / "knowledge"
PUBLIC_EVAL = REPO.parent / "shared" / "eval" / "questions.jsonl"

sys.path.insert(0, str(BANK))
from split import fact_split, question_split  # noqa: E402

KINDS = (
    "formal",
    "chat",
    "en",
    "acronym",
    "two-part",
    "follow-up",
    "near-miss",
    "personal",
    "off-topic",
    "timeline",
    "contact",
    "procedure",
)
EXPECTS = ("answer", "not_known", "abstain")
FACT_TYPES = ("kb", "inferred", "near-miss", "personal", "off-topic")
ANSWERABLE_FACT_TYPES = ("kb", "inferred")
QUESTION_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "question": str,
    "lang": str,
    "answerable": bool,
    "sources": list,
    "must_mention": list,
    "facts": list,
    "split": str,
    "kind": str,
    "expect": str,
    "history": list,
}
FACT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "fact": str,
    "doc": (str, type(None)),
    "summary": str,
    "split": str,
    "type": str,
    "sources": list,
}
MINIMUMS = {"questions": 400, "two-part": 40, "follow-up": 30, "unanswerable": 80}
MIN_ASKED = 2
MAX_GROUPS = 4
# Jaccard similarity of word sets above which a bank question counts as a copy of a public one.
COPY_SIMILARITY = 0.75


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}, line {number}: not valid JSON ({exc}).") from exc
    return rows


def load_documents(knowledge: Path = KNOWLEDGE) -> dict[str, str]:
    """Document id -> normalised body text (front matter removed) of every knowledge file."""
    docs = {}
    for path in sorted(knowledge.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        meta: dict[str, Any] = {}
        match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
        if match:
            meta = yaml.safe_load(match.group(1)) or {}
            text = text[match.end() :]
        docs[str(meta.get("id", path.stem))] = normalize_for_match(text)
    return docs


def _check_fields(
    row: dict[str, Any], fields: dict[str, type | tuple[type, ...]], where: str
) -> list[str]:
    errors = []
    for name, kind in fields.items():
        if name not in row:
            errors.append(f"{where}: missing field {name!r}")
        elif not isinstance(row[name], kind):
            errors.append(f"{where}: field {name!r} has the wrong type")
    return errors


def check_facts(facts: list[dict[str, Any]], docs: dict[str, str]) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for row in facts:
        where = f"fact {row.get('fact', '?')}"
        field_errors = _check_fields(row, FACT_FIELDS, where)
        errors += field_errors
        if field_errors:
            continue
        fact = row["fact"]
        if fact in seen:
            errors.append(f"{where}: duplicate fact id")
        seen.add(fact)
        if row["split"] != fact_split(fact):
            errors.append(f"{where}: split {row['split']!r}, split.py says {fact_split(fact)!r}")
        if row["type"] not in FACT_TYPES:
            errors.append(f"{where}: unknown type {row['type']!r}")
        if row["doc"] is not None and row["doc"] not in docs:
            errors.append(f"{where}: doc {row['doc']!r} is not in knowledge/")
        if row["type"] in ANSWERABLE_FACT_TYPES:
            if fact.split(".", 1)[0] != row["doc"]:
                errors.append(f"{where}: the id must start with its doc id")
            if row["doc"] not in row["sources"]:
                errors.append(f"{where}: sources must include its own doc")
        errors += _unknown_sources(row["sources"], docs, where)
    return errors


def _unknown_sources(sources: list[str], docs: dict[str, str], where: str) -> list[str]:
    return [f"{where}: source {s!r} is not in knowledge/" for s in sources if s not in docs]


def check_question(
    row: dict[str, Any], facts: dict[str, dict[str, Any]], docs: dict[str, str]
) -> list[str]:
    where = f"question {row.get('id', '?')}"
    errors = _check_fields(row, QUESTION_FIELDS, where)
    if errors:
        return errors
    if not re.fullmatch(r"b\d{4}", row["id"]):
        errors.append(f"{where}: id must look like b0001")
    if not row["question"].strip():
        errors.append(f"{where}: empty question")
    if row["lang"] not in ("id", "en"):
        errors.append(f"{where}: lang must be 'id' or 'en'")
    if row["kind"] not in KINDS:
        errors.append(f"{where}: unknown kind {row['kind']!r}")
    if row["expect"] not in EXPECTS:
        errors.append(f"{where}: unknown expect {row['expect']!r}")
    if row["answerable"] != (row["expect"] == "answer"):
        errors.append(f"{where}: answerable must be true exactly when expect is 'answer'")
    if bool(row["history"]) != (row["kind"] == "follow-up"):
        errors.append(f"{where}: a follow-up (and only a follow-up) has a history")
    register = row.get("register")  # optional: "formal"/"chat" Indonesian, or "en"
    allowed = ("en",) if row["lang"] == "en" else ("formal", "chat")
    if register is not None and register not in allowed:
        errors.append(f"{where}: register must be one of {allowed} for lang {row['lang']!r}")
    if not all(isinstance(h, str) and h.strip() for h in row["history"]):
        errors.append(f"{where}: history must be a list of questions")
    unknown = [f for f in row["facts"] if f not in facts]
    if not row["facts"] or unknown:
        errors.append(f"{where}: facts missing or unknown: {unknown}")
        return errors
    if row["split"] != question_split(row["facts"]):
        errors.append(f"{where}: split {row['split']!r} disagrees with its facts")
    errors += _unknown_sources(row["sources"], docs, where)
    types = {facts[f]["type"] for f in row["facts"]}
    if row["answerable"]:
        errors += _check_answerable(row, types, docs, where)
    else:
        if row["must_mention"]:
            errors.append(f"{where}: an unanswerable question has no must_mention")
        if row["sources"] and row["expect"] != "not_known":
            errors.append(f"{where}: only a not_known question may list sources")
        if types <= set(ANSWERABLE_FACT_TYPES):
            errors.append(f"{where}: an unanswerable question needs a near-miss/off-topic fact")
    return errors


def _check_answerable(
    row: dict[str, Any], types: set[str], docs: dict[str, str], where: str
) -> list[str]:
    errors = []
    if not types <= set(ANSWERABLE_FACT_TYPES):
        errors.append(f"{where}: an answerable question may only name facts from knowledge/")
    if not row["sources"]:
        errors.append(f"{where}: an answerable question needs sources")
    groups = row["must_mention"]
    if not 1 <= len(groups) <= MAX_GROUPS:
        errors.append(f"{where}: must_mention needs 1 to {MAX_GROUPS} groups")
    texts = [docs[s] for s in row["sources"] if s in docs]
    for group in groups:
        if not isinstance(group, list) or not group:
            errors.append(f"{where}: each must_mention group is a non-empty list")
            continue
        for alt in group:
            needle = normalize_for_match(alt) if isinstance(alt, str) else ""
            if not needle:
                errors.append(f"{where}: empty must_mention alternative")
            elif not any(needle in text for text in texts):
                errors.append(f"{where}: {alt!r} occurs in none of its sources {row['sources']}")
    return errors


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", normalize_for_match(text)))


def check_public_copies(questions: list[dict[str, Any]], public: list[str]) -> list[str]:
    errors = []
    public_words = [(q, _words(q)) for q in public]
    for row in questions:
        words = _words(row["question"])
        for text, other in public_words:
            similarity = len(words & other) / len(words | other) if words | other else 0.0
            if similarity >= COPY_SIMILARITY:
                errors.append(f"question {row['id']}: too close to public eval question {text!r}")
    return errors


def check_bank(
    facts: list[dict[str, Any]],
    questions: list[dict[str, Any]],
    docs: dict[str, str],
    public: list[str] | None = None,
) -> Report:
    report = Report()
    report.errors += check_facts(facts, docs)
    by_id = {row["fact"]: row for row in facts if "fact" in row}
    ids = Counter(row.get("id") for row in questions)
    report.errors += [f"question {i}: duplicate id" for i, n in ids.items() if n > 1]
    texts = Counter(
        (normalize_for_match(r.get("question", "")), tuple(r.get("history", []))) for r in questions
    )
    report.errors += [f"duplicate question text: {t[0]!r}" for t, n in texts.items() if n > 1]
    for row in questions:
        report.errors += check_question(row, by_id, docs)
    if public:
        report.errors += check_public_copies(questions, public)

    valid = [r for r in questions if isinstance(r.get("facts"), list)]
    # Follow-ups also name the facts of their history, so they do not count as asking a fact.
    asked = Counter(f for r in valid if r.get("kind") != "follow-up" for f in set(r["facts"]))
    used = Counter(f for r in valid for f in set(r["facts"]))
    for fact, row in by_id.items():
        if row.get("type") in ANSWERABLE_FACT_TYPES and asked[fact] < MIN_ASKED:
            report.errors.append(
                f"fact {fact}: asked {asked[fact]} times outside follow-ups, needs {MIN_ASKED}"
            )
        elif not used[fact]:
            report.warnings.append(f"fact {fact}: no question uses it")

    report.summary = summarise(facts, questions, asked)
    counts = report.summary["questions"]
    minimum_checks = {
        "questions": counts["total"],
        "two-part": counts["by_kind"].get("two-part", 0),
        "follow-up": counts["by_kind"].get("follow-up", 0),
        "unanswerable": counts["unanswerable"],
    }
    for name, value in minimum_checks.items():
        if value < MINIMUMS[name]:
            report.errors.append(
                f"only {value} {name} questions, the bank promises {MINIMUMS[name]}"
            )
    return report


def _table(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        cell = table.setdefault(str(row.get(key)), {"tune": 0, "holdout": 0, "total": 0})
        cell[row.get("split", "?")] = cell.get(row.get("split", "?"), 0) + 1
        cell["total"] += 1
    return dict(sorted(table.items()))


def summarise(
    facts: list[dict[str, Any]], questions: list[dict[str, Any]], asked: Counter[str]
) -> dict[str, Any]:
    answerable_facts = [f for f in facts if f.get("type") in ANSWERABLE_FACT_TYPES]
    return {
        "facts": {
            "total": len(facts),
            "by_type": _table(facts, "type"),
            "answerable_asked_min": min((asked[f["fact"]] for f in answerable_facts), default=0),
        },
        "questions": {
            "total": len(questions),
            "answerable": sum(bool(q.get("answerable")) for q in questions),
            "unanswerable": sum(not q.get("answerable") for q in questions),
            "by_kind": dict(Counter(q.get("kind") for q in questions)),
            "kind": _table(questions, "kind"),
            "lang": _table(questions, "lang"),
            "register": _table(questions, "register"),
            "expect": _table(questions, "expect"),
            "split": _table(questions, "split"),
        },
    }


def _print_table(title: str, table: dict[str, dict[str, int]]) -> None:
    print(f"\n{title:<14}{'tune':>8}{'holdout':>9}{'total':>8}")
    for name, cell in table.items():
        print(f"{name:<14}{cell.get('tune', 0):>8}{cell.get('holdout', 0):>9}{cell['total']:>8}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    public = None
    if PUBLIC_EVAL.exists():
        public = [row["question"] for row in load_jsonl(PUBLIC_EVAL)]
    report = check_bank(
        load_jsonl(BANK / "facts.jsonl"),
        load_jsonl(BANK / "questions.jsonl"),
        load_documents(),
        public,
    )
    if args.json:
        print(json.dumps(vars(report), ensure_ascii=False, indent=2))
        return 1 if report.errors else 0
    questions = report.summary["questions"]
    facts = report.summary["facts"]
    print(
        f"{facts['total']} facts, {questions['total']} questions "
        f"({questions['answerable']} answerable, {questions['unanswerable']} not); "
        f"every fact from knowledge/ asked at least {facts['answerable_asked_min']} times"
    )
    _print_table("fact type", facts["by_type"])
    for name in ("kind", "lang", "register", "expect", "split"):
        _print_table(name, questions[name])
    if public is None:
        print(f"\nnote: {PUBLIC_EVAL} not found; the copy check was skipped")
    for warning in report.warnings:
        print(f"warning: {warning}")
    for error in report.errors:
        print(f"error: {error}")
    print(f"\n{len(report.errors)} errors" if report.errors else "\nbank OK")
    return 1 if report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
