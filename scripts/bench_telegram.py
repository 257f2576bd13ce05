"""The real bot under load, through the Telegram emulator (run from a repository checkout).

    python -m scripts.bench_telegram [--users 50] [--per-user 10] [--rate 30]
                                     [--questions FILE] [--json]

Not part of the installed package: it drives the e2e Telegram emulator of tests/e2e (so
`npm ci` must have run). It starts the emulator and the bot as its own process (`replikasi
serve`, offline extractive mode, a copy of the index in `DATA_DIR` so the benchmark never
writes to the real bot's database), then simulates users, each in its own private chat,
asking questions drawn (seeded) from a JSONL file. Every user waits for the reply to its
question before asking the next one (closed loop); users are paced so that together they
offer `args.rate` questions per second (default 30, Telegram's global limit per bot; 0 =
unpaced, i.e. saturation). Unpaced, 50 users keep the bot's send queue full, so latency
becomes users / throughput (Little's law).

Latency is measured from posting the user's message to the emulator until the first message
of the bot's reply reaches the simulated user (the parts of a long answer split into several
Telegram messages count as one reply). The bot's peak RSS is its VmHWM in /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from rich.table import Table

from bot.benchmark import DEFAULT_QUESTIONS
from bot.evaluation import load_questions
from replikasi.console import console, err_console
from replikasi.errors import ReplikasiError
from replikasi.logs import configure_logging
from replikasi.settings import Settings, get_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED = 5  # the question draw is the same on every run, so runs compare
DEFAULT_RATE = 30.0  # Telegram's global limit: about 30 messages per second per bot
REPLY_TIMEOUT = 30.0  # a question without any reply by then (and by the end) is lost
GRACE_SECONDS = 1.0  # listen this long after the last reply, to catch duplicates
FIRST_USER_ID = 5_000_001
WARMUP_USER_ID = 5_000_000
# Settings never handed to the benchmarked bot: it must not reach real Telegram, real admins,
# the production state database or an LLM (offline mode is what is measured).
PRIVATE_SETTINGS = {
    "data_dir", "database_url", "telegram_bot_token", "telegram_base_url",
    "telegram_base_file_url", "admin_ids", "coordinator_ids", "allowed_user_ids",
    "allowed_chat_ids", "webhook_url", "webhook_secret", "webhook_listen", "webhook_port",
    "openai_api_key", "openai_base_url", "llm_model", "llm_timeout_seconds", "llm_temperature",
}  # fmt: skip
# target: (metric, comparison, value) as in issue 5
TARGETS = {
    "replies_per_second": (">=", 30.0),
    "latency_ms_p95": ("<=", 1000.0),
    "lost": ("<=", 0),
    "duplicates": ("<=", 0),
    "peak_rss_mb": ("<=", 600.0),
}


def load_harness() -> ModuleType:
    """tests/e2e/telegram_emulator.py: the emulator and its bot tokens."""
    # Under pytest the tests' own copy is imported already: reuse it (and its token counter).
    module = sys.modules.get("telegram_emulator")
    if module is None:
        from tests.e2e import telegram_emulator as module
    try:
        module.TelegramEmulator.check_prerequisites()
    except module.EmulatorUnavailableError as exc:
        raise ReplikasiError(f"The Telegram emulator cannot start (run `npm ci`): {exc}.") from exc
    return module


def prepare_data_dir(settings: Settings, target: Path) -> None:
    """Bring the index up to date (incremental ingest), then copy it for the bot, leaving
    out the bot's own state: the benchmark's 500 questions must not land in the real log."""
    from ingest.pipeline import run_ingest

    report = run_ingest(settings)
    if not report.ok:
        failed = ", ".join(path for path, _ in report.failed)
        raise ReplikasiError(f"The knowledge base did not ingest cleanly ({failed}).")
    shutil.copytree(
        settings.data_dir, target, ignore=shutil.ignore_patterns("bot.sqlite3*", "*.lock")
    )


def bot_environment(
    settings: Settings, data_dir: Path, base_url: str, token: str
) -> dict[str, str]:
    """The environment of `replikasi serve`: this run's settings (the same index, embedder
    and retrieval), minus everything in PRIVATE_SETTINGS, pointed at the emulator."""
    fields = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key.upper() not in fields}
    private = set(PRIVATE_SETTINGS)
    if settings.embedding_backend == "openai":  # its key is needed to embed the questions
        private -= {"openai_api_key", "openai_base_url"}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if name in private or value is None:
            continue
        if hasattr(value, "get_secret_value"):
            value = value.get_secret_value()
        elif isinstance(value, Path):
            value = value.resolve()
        elif isinstance(value, list):
            value = ",".join(str(item) for item in value)
        env[name.upper()] = str(value)
    env.update(
        DATA_DIR=str(data_dir),
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_BASE_URL=f"{base_url}/bot",
        TELEGRAM_BASE_FILE_URL=f"{base_url}/file/bot",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
    )
    return env


class BotProcess:
    """`replikasi serve` in a child process, so its memory and CPU are its own to measure."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.log_path = workdir / "bot.log"
        self._log = self.log_path.open("w", encoding="utf-8")
        # cwd without a .env: the child reads only the environment built above.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "replikasi.cli", "serve"],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_polling(self, emulator: Any, token: str, timeout: float = 120.0) -> None:
        """Until the bot fetches updates: post_init (index loaded) is done by then."""
        deadline = time.monotonic() + timeout
        while not emulator.bot_calls(token, "getUpdates"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise ReplikasiError(f"The bot did not start polling.\n{self.log_tail()}")
            time.sleep(0.2)

    def peak_rss_mb(self) -> float | None:
        """The most memory the bot has held so far, VmHWM (Linux only; psutil not needed)."""
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # reported in kB
        return None

    def log_tail(self, lines: int = 20) -> str:
        self._log.flush()
        tail = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(tail[-lines:]) or "(the bot wrote nothing)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # a clean shutdown, as in production
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def process_cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process so far, from /proc/<pid>/stat (Linux only)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


@dataclass
class ChatLog:
    """What one simulated user saw: when it asked, and when each reply began.

    The bot answers a private chat's questions one at a time, in order, and without quoting
    them (Telegram quotes only in groups), so the n-th reply answers the n-th question. A
    reply is one message, or several when a long answer is split; every answer ends with its
    buttons, so a message after one without buttons continues the same reply.
    """

    sent: list[float] = field(default_factory=list)  # when each question was posted
    replied: list[float] = field(default_factory=list)  # when each reply's first part came
    messages: int = 0  # every bot message, split parts included
    extra: int = 0  # replies beyond the questions asked: duplicates
    reply_open: bool = False  # a reply began and its part with the buttons is still due
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def on_bot_message(self, message: dict[str, Any], seen: float) -> None:
        if "edit_date" in message:  # an edit (no buttons are pressed here) is not a reply
            return
        self.messages += 1
        if not self.reply_open:
            if len(self.replied) < len(self.sent):
                self.replied.append(seen)
            else:
                self.extra += 1
        self.reply_open = "reply_markup" not in message
        self.changed.set()

    async def wait_reply(self, number: int, deadline: float) -> None:
        while len(self.replied) <= number and (left := deadline - time.perf_counter()) > 0:
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)


class LoadRun:
    """Simulated users and one poller that hands the bot's messages to their chats (one
    long poll for all chats, not one per user: the emulator is single-threaded too)."""

    def __init__(
        self, url: str, token: str, plan: list[list[str]], rate: float, pids: tuple[int, int | None]
    ) -> None:
        self.token, self.plan, self.rate, self.pids = token, plan, rate, pids
        self.client = httpx.AsyncClient(
            base_url=url, timeout=30.0, limits=httpx.Limits(max_connections=len(plan) + 8)
        )
        self.chats: dict[int, ChatLog] = {}
        self.started = self.finished = 0.0
        # CPU used in between (100 = one core) by the bot, and by the emulator and this process
        self.cpu_percent: tuple[int, ...] = ()

    async def run(self) -> None:
        poller = asyncio.create_task(self._poll())
        try:
            await self._ask(WARMUP_USER_ID, "Apa itu replikasi inovasi?", 60.0)  # caches warm
            before, self.started = self._cpu(), time.perf_counter()
            await asyncio.gather(*(self._user(i, qs) for i, qs in enumerate(self.plan)))
            after, self.finished = self._cpu(), time.perf_counter()
            if before and after:
                wall = self.finished - self.started
                used = zip(after, before, strict=True)
                self.cpu_percent = tuple(round(100 * (a - b) / wall) for a, b in used)
            await asyncio.sleep(GRACE_SECONDS)
        finally:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
            await self.client.aclose()

    def _cpu(self) -> tuple[float, float] | None:
        bot, emulator = (process_cpu_seconds(pid) for pid in self.pids)
        if bot is None or emulator is None:
            return None
        return bot, emulator + time.process_time()

    async def _post(self, route: str, payload: dict[str, Any]) -> Any:
        response = await self.client.post(route, json=payload)
        body = response.json()
        if not body.get("ok"):
            raise ReplikasiError(f"The Telegram emulator refused {route}: {body}")
        return body["result"]

    async def _poll(self) -> None:
        after = 0
        while True:
            payload = {"token": self.token, "after": after, "timeout": 5}
            for event in await self._post("/e2e/botMessages", payload):
                after = max(after, event["seq"])
                if (chat := self.chats.get(event["chatId"])) is not None:
                    chat.on_bot_message(event["message"], time.perf_counter())

    async def _ask(self, user_id: int, question: str, timeout: float) -> None:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}
        chat = {**user, "type": "private"}
        log = self.chats.get(user_id)
        if log is None:  # as if the user had started the bot: it may write to this chat
            log = self.chats[user_id] = ChatLog()
            await self._post("/e2e/registerChat", {"chat": chat})
        message: dict[str, Any] = {"botToken": self.token, "from": user, "chat": chat}
        message.update(text=question, date=int(time.time()))
        # Counted as asked before it is posted: the reply may be polled before the post returns.
        number = len(log.sent)
        log.sent.append(time.perf_counter())
        await self._post("/sendMessage", message)
        await log.wait_reply(number, log.sent[number] + timeout)
        if user_id == WARMUP_USER_ID and len(log.replied) <= number:
            raise ReplikasiError(f"The bot did not answer a first question in {timeout:.0f} s.")

    async def _user(self, index: int, questions: list[str]) -> None:
        # Paced closed loop: question k is due at start + k * interval, or as soon as the
        # previous one is answered if the bot is late; starts are staggered over one interval.
        interval = len(self.plan) / self.rate if self.rate > 0 else 0.0
        start = self.started + index / self.rate if self.rate > 0 else self.started
        for k, question in enumerate(questions):
            await asyncio.sleep(max(0.0, start + k * interval - time.perf_counter()))
            await self._ask(FIRST_USER_ID + index, question, REPLY_TIMEOUT)


def question_plan(questions: list[str], users: int, per_user: int) -> list[list[str]]:
    rng = random.Random(SEED)
    return [[rng.choice(questions) for _ in range(per_user)] for _ in range(users)]


def summarize(run: LoadRun, rss: float | None) -> dict[str, Any]:
    chats = [log for user_id, log in run.chats.items() if user_id != WARMUP_USER_ID]
    questions = sum(len(log.sent) for log in chats)
    latencies = sorted(
        (seen - sent) * 1000
        for log in chats
        for sent, seen in zip(log.sent, log.replied, strict=False)
    )
    replied = sorted(seen for log in chats for seen in log.replied)
    seconds = (replied[-1] - run.started) if replied else 0.0
    # Sustained rate: n replies are n - 1 intervals between the first and the last one.
    span = replied[-1] - replied[0] if len(replied) > 1 else seconds
    quantiles = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else latencies * 99
    )
    duplicates = sum(log.extra for log in chats)
    return {
        "users": len(chats),
        "questions": questions,
        "replies": len(latencies),
        "messages": sum(log.messages for log in chats),
        "offered_rate": run.rate,
        "seconds": round(seconds, 2),
        "replies_per_second": round((len(replied) - 1) / span if span > 0 else 0.0, 1),
        "latency_ms_p50": round(quantiles[49], 1) if latencies else None,
        "latency_ms_p95": round(quantiles[94], 1) if latencies else None,
        "latency_ms_p99": round(quantiles[98], 1) if latencies else None,
        "latency_ms_max": round(latencies[-1], 1) if latencies else None,
        "lost": questions - len(latencies),
        "duplicates": duplicates,
        "peak_rss_mb": None if rss is None else round(rss, 1),
        "bot_cpu_percent": run.cpu_percent[0] if run.cpu_percent else None,
        "harness_cpu_percent": run.cpu_percent[1] if run.cpu_percent else None,
    }


def result_table(summary: dict[str, Any]) -> Table:
    table = Table(title="Telegram load benchmark (offline mode)")
    for column in ("metric", "value", "target"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for key, value in summary.items():
        target = ""
        if key in TARGETS:
            op, limit = TARGETS[key]
            met = value is not None and (value >= limit if op == ">=" else value <= limit)
            target = f"{'[green]✓' if met else '[red]✗'} {op} {limit:g}[/]"
        table.add_row(key, "-" if value is None else str(value), target)
    return table


def cmd_bench_telegram(args: argparse.Namespace, settings: Settings, questions_path: Path) -> int:
    out = err_console if args.json else console
    if args.users < 1 or args.per_user < 1:
        raise ReplikasiError("--users and --per-user must be at least 1.")
    rate = getattr(args, "rate", None)  # --rate: 0 = unpaced
    rate = DEFAULT_RATE if rate is None else float(rate)
    harness = load_harness()
    questions = [q.question for q in load_questions(questions_path)]
    if not questions:
        raise ReplikasiError(f"{questions_path} has no questions.")
    plan = question_plan(questions, args.users, args.per_user)
    with tempfile.TemporaryDirectory(prefix="replikasi-bench-") as tmp:
        workdir = Path(tmp)
        out.print(f"Checking the index in [bold]{settings.data_dir}[/bold]…")
        prepare_data_dir(settings, workdir / "data")
        with harness.TelegramEmulator() as emulator:
            token = harness.make_bot_token()
            env = bot_environment(settings, workdir / "data", emulator.url, token)
            bot = BotProcess(env, workdir)
            try:
                out.print("Starting the bot (`replikasi serve`) against the emulator…")
                bot.wait_until_polling(emulator, token)
                out.print(
                    f"{args.users} users × {args.per_user} questions, "
                    + (f"paced to {rate:g} questions/s…" if rate > 0 else "unpaced…")
                )
                run = LoadRun(emulator.url, token, plan, rate, (bot.process.pid, emulator.pid))
                asyncio.run(run.run())
                summary = summarize(run, bot.peak_rss_mb())
            except BaseException:
                out.print(f"[dim]Bot log (last lines):\n{bot.log_tail()}[/dim]", highlight=False)
                raise
            finally:
                bot.stop()
    out.print(result_table(summary))
    if args.json:
        print(json.dumps(summary))
    return 0 if summary["lost"] == 0 and summary["duplicates"] == 0 else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_telegram",
        description="The bot under Telegram load, through the emulator (see docs/benchmarks.md).",
    )
    parser.add_argument("--questions", help="JSONL question file (default: the public eval set)")
    parser.add_argument("--users", type=int, default=50, help="simulated Telegram users")
    parser.add_argument("--per-user", type=int, default=10, help="questions each user asks")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="questions/s all users offer together (default 30, Telegram's limit; 0 = unpaced)",
    )
    parser.add_argument("--json", action="store_true", help="results as JSON on the last line")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    configure_logging(settings)
    questions = Path(args.questions) if args.questions else DEFAULT_QUESTIONS
    try:
        return cmd_bench_telegram(args, settings, questions)
    except ReplikasiError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
