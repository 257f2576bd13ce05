"""Upload a regulation as an admin through the Telegram emulator, once per format, and measure
how many questions on its articles are answered with the right Pasal named in the answer.

    .venv/bin/python -m scripts.regulation_upload_eval [--formats pdf,docx,txt,scan]
        [--questions tests/data/regulations/questions.jsonl] [--split all|tune|holdout]
        [--file scan=path/to/scan.pdf ...] [--json]

For each format a fresh bot (the real engine, offline model) over the starter knowledge base
(knowledge/, indexed once per run) receives the file from an admin on the emulator, exactly
as in Telegram; the upload's reply (title, type, passages, OCR pages) and `/sumber` are read
back, then every answerable question with an `article` ("Pasal 9") is asked in a chat of its
own. An answer counts when its text, before the sources list, names that Pasal ("Pasal 9",
"Pasal 9 ayat (2)"; never "Pasal 19"). The files default to the test regulation built by
tests/regulation_fixtures.py (born-digital PDF, DOCX, TXT and a scan rasterised from the PDF);
`--file FORMAT=PATH` uploads a file of your own instead (another regulation: pass its
questions too). Needs `npm ci` (the emulator) and, for scans, Tesseract (`make ocr`).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from rich.table import Table

from replikasi.console import console, err_console
from replikasi.errors import ReplikasiError
from replikasi.settings import Settings

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "tests" / "data" / "regulations" / "questions.jsonl"
FORMATS = ("pdf", "docx", "txt", "scan")
ADMIN = 5101
ASKER = 5200  # each question is asked in a chat of its own, from ASKER + its number
TARGET_SHARE = 0.90  # issue 10: at least 90% of questions on articles name the right Pasal
UPLOAD_TIMEOUT = 900.0  # a scan on a busy machine: OCR takes seconds per page
ANSWER_TIMEOUT = 120.0
MIME = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
    ".md": "text/markdown",
}
_SOURCES = re.compile(r"\n\n<b>(?:Sumber|Sources):</b>")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class ArticleQuestion:
    id: str
    question: str
    article: str  # "Pasal 9"
    split: str = ""


@dataclass
class UploadRun:
    """What one upload through the emulator showed the admin, and the answers after it."""

    format: str
    file: str
    ack: str = ""
    progress: list[str] = field(default_factory=list)  # edits of the acknowledgement
    reply: str = ""  # the upload's final message
    sources: str = ""  # /sumber afterwards
    upload_seconds: float = 0.0
    answers: dict[str, str] = field(default_factory=dict)  # question id -> answer HTML
    named: list[str] = field(default_factory=list)  # ids answered with the right Pasal

    @property
    def share(self) -> float:
        return len(self.named) / len(self.answers) if self.answers else 0.0

    @property
    def title(self) -> str:
        found = re.search(r"📄 <b>(.*?)</b>", self.reply)
        return html.unescape(found.group(1)) if found else ""

    @property
    def kind(self) -> str:
        found = re.search(r"(?:Jenis|Type): (.*?) · (\d+) ", self.reply)
        return html.unescape(found.group(1)) if found else ""

    @property
    def passages(self) -> int:
        found = re.search(r" · (\d+) (?:potongan teks|passages)", self.reply)
        return int(found.group(1)) if found else 0

    @property
    def ocr_pages(self) -> int:
        found = re.search(r"(?:dengan OCR|by OCR) \((\d+) ", self.reply)
        return int(found.group(1)) if found else 0

    def summary(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "file": self.file,
            "title": self.title,
            "type": self.kind,
            "passages": self.passages,
            "ocr_pages": self.ocr_pages,
            "progress_edits": len(self.progress),
            "upload_seconds": round(self.upload_seconds, 1),
            "questions": len(self.answers),
            "article_named": len(self.named),
            "share": round(self.share, 3),
            "missed": sorted(set(self.answers) - set(self.named)),
        }


# -- what counts -----------------------------------------------------------------------------
def answer_body(reply_html: str) -> str:
    """The answer's text as a user reads it, without the sources list under it."""
    body = _SOURCES.split(reply_html, maxsplit=1)[0]
    return html.unescape(_TAG.sub("", body))


def names_article(reply_html: str, article: str) -> bool:
    """Whether the answer's text, not its sources line, names `article` (as `replikasi
    eval` counts it)."""
    from bot.evaluation import names_article as names_in

    return names_in(answer_body(reply_html), article)


def load_article_questions(path: Path = QUESTIONS, split: str = "all") -> list[ArticleQuestion]:
    """The answerable questions that name the article holding their answer."""
    try:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReplikasiError(f"Cannot read the questions {path}: {exc}.") from exc
    questions = [
        ArticleQuestion(str(r["id"]), str(r["question"]), str(r["article"]), str(r.get("split")))
        for r in rows
        if r.get("answerable", True) and r.get("article")
    ]
    if split != "all":
        questions = [q for q in questions if q.split == split]
    if not questions:
        raise ReplikasiError(f"{path} holds no answerable question with an 'article' ({split}).")
    return questions


# -- the files ---------------------------------------------------------------------------------
def regulation_files(folder: Path, formats: Sequence[str] = FORMATS) -> dict[str, Path]:
    """The test regulation in the requested formats (the scan rasterised from the PDF)."""
    from tests.regulation_fixtures import PERWAL, write_docx, write_pdf, write_scan, write_txt

    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    pdf = write_pdf(folder / f"{PERWAL}.pdf")
    builders: dict[str, Callable[[], Path]] = {
        "pdf": lambda: pdf,
        "docx": lambda: write_docx(folder / f"{PERWAL}.docx"),
        "txt": lambda: write_txt(folder / f"{PERWAL}.txt"),
        "scan": lambda: write_scan(pdf, folder / f"{PERWAL}-scan.pdf"),
    }
    for name in formats:
        files[name] = builders[name]()
    return files


def base_settings(base: Path, **fields: Any) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=base / "data",
        knowledge_dir=base / "knowledge",
        embedding_backend="local",
        openai_api_key=None,
        openai_base_url=None,
        chroma_host=None,
        **fields,
    )


def build_starter(base: Path, embedding: Any) -> Path:
    """knowledge/ indexed in `base` (the knowledge base an admin adds the regulation to)."""
    from ingest.pipeline import run_ingest

    shutil.copytree(REPO / "knowledge", base / "knowledge")
    report = run_ingest(base_settings(base), embedding=embedding)
    if not report.ok:
        raise ReplikasiError(f"Indexing knowledge/ failed: {report.failed}.")
    return base


# -- through the emulator ----------------------------------------------------------------------
def load_harness() -> ModuleType:
    """tests/e2e/telegram_emulator.py (the copy pytest imported, when under pytest)."""
    module: ModuleType | None = sys.modules.get("telegram_emulator")
    if module is None:
        from tests.e2e import telegram_emulator

        module = telegram_emulator
    try:
        module.TelegramEmulator.check_prerequisites()
    except module.EmulatorUnavailableError as exc:
        raise ReplikasiError(f"The Telegram emulator cannot start (run `npm ci`): {exc}.") from exc
    return module


def upload_and_ask(
    harness: ModuleType,
    emulator: Any,
    starter: Path,
    workdir: Path,
    fmt: str,
    path: Path,
    questions: Sequence[ArticleQuestion],
    embedding: Any,
    on_answer: Callable[[int, int], None] | None = None,
) -> UploadRun:
    """A fresh bot over a copy of `starter`: the admin uploads `path`, then `/sumber`, then
    every question in a chat of its own."""
    from bot.engine import AnswerEngine
    from bot.retrieval import HybridRetriever
    from bot.telegram.app import build_application
    from bot.telegram.state import BotStore

    base = workdir / fmt
    shutil.copytree(starter, base)
    token = harness.make_bot_token()
    settings = base_settings(
        base,
        telegram_bot_token=token,
        telegram_base_url=emulator.base_url,
        telegram_base_file_url=emulator.base_file_url,
        admin_ids=[ADMIN],
        max_upload_mb=50,
    )
    engine = AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=embedding))
    store = BotStore.open(settings)
    run = UploadRun(fmt, path.name)
    runner = harness.BotRunner(build_application(settings, engine=engine, store=store))
    runner.start()
    try:
        admin = harness.EmulatorUser(emulator, token, user_id=ADMIN)
        started = time.monotonic()
        admin.send_document(path.name, path.read_bytes(), MIME.get(path.suffix.lower(), ""))
        while not run.reply:
            [message] = admin.wait_for_replies(1, timeout=UPLOAD_TIMEOUT)
            text = str(message.get("text", ""))
            if message.get("edit_date"):
                run.progress.append(text)
            elif not run.ack:
                run.ack = text
            else:
                run.reply = text
        run.upload_seconds = time.monotonic() - started
        admin.send_command("sumber")
        run.sources = "\n".join(str(m.get("text", "")) for m in _all_replies(admin))
        for number, question in enumerate(questions):
            user = harness.EmulatorUser(emulator, token, user_id=ASKER + number)
            user.send_text(question.question)
            [answer] = user.wait_for_replies(1, timeout=ANSWER_TIMEOUT)
            run.answers[question.id] = str(answer.get("text", ""))
            if names_article(run.answers[question.id], question.article):
                run.named.append(question.id)
            if on_answer is not None:
                on_answer(number + 1, len(questions))
    finally:
        runner.stop()
        store.close()
    return run


def _all_replies(user: Any, quiet: float = 1.5) -> list[dict[str, Any]]:
    """Every message the bot sends to `user` until it has been quiet for `quiet` seconds."""
    replies = user.wait_for_replies(1, timeout=ANSWER_TIMEOUT)
    while True:
        try:
            replies += user.wait_for_replies(1, timeout=quiet)
        except TimeoutError:
            return replies


# -- the command ---------------------------------------------------------------------------
def results_table(runs: Sequence[UploadRun]) -> Table:
    table = Table(title=f"Questions on articles answered with the right Pasal named "
                        f"(target {TARGET_SHARE:.0%})")  # fmt: skip
    for column in ("format", "type", "passages", "OCR pages", "upload s", "named", "share"):
        table.add_column(column, justify="left" if column in ("format", "type") else "right")
    for run in runs:
        table.add_row(
            run.format,
            run.kind or "[red]not recognised[/red]",
            str(run.passages),
            str(run.ocr_pages) if run.ocr_pages else "-",
            f"{run.upload_seconds:.1f}",
            f"{len(run.named)}/{len(run.answers)}",
            f"{run.share:.0%}",
        )
    return table


def parse_files(values: Sequence[str]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for value in values:
        fmt, _, path = value.partition("=")
        if not path or not Path(path).is_file():
            raise ReplikasiError(f"--file {value!r}: give FORMAT=PATH of an existing file.")
        files[fmt] = Path(path)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default=",".join(FORMATS), help="pdf,docx,txt,scan")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--split", choices=("all", "tune", "holdout"), default="all")
    parser.add_argument("--file", action="append", default=[], help="FORMAT=PATH to upload")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--answers", action="store_true", help="with --json: every answer's text as well"
    )
    args = parser.parse_args(argv)
    try:
        runs = evaluate(args)
    except ReplikasiError as exc:
        err_console.print(f"[red]{exc}[/red]")
        return 2
    if args.json:
        records = [run.summary() for run in runs]
        if args.answers:
            for record, run in zip(records, runs, strict=True):
                record["answers"] = {key: answer_body(text) for key, text in run.answers.items()}
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        console.print(results_table(runs))
        for run in runs:
            console.print(
                f"{run.format}: {run.title} — missed: {', '.join(run.summary()['missed'])}"
            )
    return 0


def evaluate(args: argparse.Namespace) -> list[UploadRun]:
    from replikasi.embeddings import make_embedding_model

    questions = load_article_questions(args.questions, args.split)
    given = parse_files(args.file)
    formats = [f for f in args.formats.split(",") if f] if not given else list(given)
    unknown = set(formats) - set(FORMATS) - set(given)
    if unknown:
        raise ReplikasiError(f"Unknown format(s) {sorted(unknown)}; choose from {FORMATS}.")
    harness = load_harness()
    runs: list[UploadRun] = []
    with tempfile.TemporaryDirectory(prefix="regulation-eval-") as tmp:
        workdir = Path(tmp)
        files = given or regulation_files(workdir / "files", formats)
        embedding = make_embedding_model(base_settings(workdir / "starter"))
        err_console.print("Indexing knowledge/ for the bot…")
        starter = build_starter(workdir / "starter", embedding)
        with harness.TelegramEmulator() as emulator:
            for fmt in formats:
                err_console.print(f"{fmt}: uploading {files[fmt].name} as an admin…")

                def progress(done: int, total: int, fmt: str = fmt) -> None:
                    if done % 10 == 0 or done == total:
                        err_console.print(f"{fmt}: {done}/{total} questions asked")

                run = upload_and_ask(
                    harness, emulator, starter, workdir / "bots", fmt, files[fmt],
                    questions, embedding, progress,
                )  # fmt: skip
                runs.append(run)
    return runs


if __name__ == "__main__":
    raise SystemExit(main())
