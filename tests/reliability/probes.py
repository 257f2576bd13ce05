"""Running `replikasi` as a separate process and measuring what it cost.

Peak memory comes from the kernel (`wait4` → ru_maxrss, taken by a small launcher so that it
is the command's own figure), time from the wall clock around it. `Outcome` keeps what a
user would see: exit code, stdout, stderr.
"""

from __future__ import annotations

import json
import os
import shutil
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
    """Run the fake CLI through `tests.reliability.measure`, which reports the command's own
    peak RSS (see there why not directly) and wall time."""
    out_path, err_path = workspace.root / "probe.out", workspace.root / "probe.err"
    result_path = workspace.root / "probe.json"
    with out_path.open("wb") as out_file, err_path.open("wb") as err_file:
        subprocess.run(
            [
                sys.executable, "-m", "tests.reliability.measure", str(result_path),
                sys.executable, *FAKE_CLI, *args,
            ],
            cwd=REPO,
            env=workspace.env(),
            stdout=out_file,
            stderr=err_file,
            timeout=timeout,
            check=True,
        )  # fmt: skip
    result = json.loads(result_path.read_text())
    return Outcome(
        result["code"],
        out_path.read_text("utf-8", "replace"),
        err_path.read_text("utf-8", "replace"),
        result["peak_rss_kb"] / 1024,
        result["seconds"],
    )


def starter_workspace(root: Path) -> Workspace:
    workspace = Workspace(root)
    shutil.copytree(KNOWLEDGE, workspace.knowledge)
    return workspace
