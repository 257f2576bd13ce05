"""Running `replikasi` as a separate process and measuring what it cost.

Peak memory comes from the kernel (`wait4` → ru_maxrss of exactly that child, not of the test
process), time from the wall clock around it. `Outcome` keeps what a user would see: exit
code, stdout, stderr.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import KNOWLEDGE, REPO

FAKE_CLI = ["-m", "tests.reliability.fake_cli"]
MB = 1024 * 1024


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    peak_rss_mb: float = 0.0
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class Workspace:
    """A knowledge folder and a data folder, and the environment that points at them."""

    root: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def knowledge(self) -> Path:
        return self.root / "knowledge"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("OPENAI_", "TELEGRAM_", "CHROMA_", "DATABASE_"))
        }
        env.update(
            DATA_DIR=str(self.data),
            KNOWLEDGE_DIR=str(self.knowledge),
            PYTHONIOENCODING="utf-8",
            COLUMNS="200",
        )
        env.update(self.extra_env)
        return env

    def start(self, *args: str, fake: bool = True) -> subprocess.Popen[bytes]:
        command = [sys.executable, *(FAKE_CLI if fake else ["-m", "replikasi.cli"]), *args]
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def run(self, *args: str, fake: bool = True, timeout: float = 300) -> Outcome:
        started = time.perf_counter()
        process = self.start(*args, fake=fake)
        return finish(process, started, timeout)


def finish(process: subprocess.Popen[bytes], started: float, timeout: float = 300) -> Outcome:
    """Wait for `process` and keep what it said."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return Outcome(
        process.returncode,
        out.decode("utf-8", "replace"),
        err.decode("utf-8", "replace"),
        seconds=time.perf_counter() - started,
    )


def run_measured(workspace: Workspace, *args: str, timeout: float = 300) -> Outcome:
    """Run the fake CLI and measure its peak RSS with wait4 (stdout/stderr to files, so the
    child cannot block on a full pipe while we wait)."""
    out_path, err_path = workspace.root / "probe.out", workspace.root / "probe.err"
    with out_path.open("wb") as out_file, err_path.open("wb") as err_file:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *FAKE_CLI, *args],
            cwd=REPO,
            env=workspace.env(),
            stdout=out_file,
            stderr=err_file,
        )
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.kill(process.pid, signal.SIGKILL)
                os.wait4(process.pid, 0)
                raise TimeoutError(f"{args} did not finish within {timeout} s")
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Outcome(
        process.returncode,
        out_path.read_text("utf-8", "replace"),
        err_path.read_text("utf-8", "replace"),
        usage.ru_maxrss / 1024,  # kilobytes on Linux
        seconds,
    )


def starter_workspace(root: Path) -> Workspace:
    workspace = Workspace(root)
    shutil.copytree(KNOWLEDGE, workspace.knowledge)
    return workspace
