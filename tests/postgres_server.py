"""A real PostgreSQL server for the tests, started once per session (a pytest plugin).

The server comes from the machine's PostgreSQL binaries (Debian: the `postgresql` package,
which `make test` installs when it is missing; `initdb` and `pg_ctl` live in
/usr/lib/postgresql/<version>/bin). The cluster is created in a temporary directory and
listens on a free port on 127.0.0.1, with its unix socket in that directory, so it never
meets a server already running on the machine. PostgreSQL refuses to run as root, so as root
the binaries run as the `postgres` user (created by the Debian package).

`postgres_url` gives each test a fresh, empty database on that server.

Without the binaries the PostgreSQL tests are skipped with the reason, except in CI
(CI=true), where they fail: CI must not pass by silently testing nothing.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.ci import skip_or_fail

DEBIAN_BINARIES = Path("/usr/lib/postgresql")
START_TIMEOUT_SECONDS = 60
SUPERUSER = "postgres"
# Durability is not what the tests are about; without it databases are created in a blink.
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PostgresUnavailable(Exception):
    """The server cannot be started here; the message says why."""


@dataclass
class PostgresServer:
    port: int
    host: str = "127.0.0.1"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        # FORCE: a test that failed half-way may have left connections open.
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def find_binaries() -> Path:
    """The directory holding initdb and pg_ctl: Debian's newest version, else the PATH."""
    debian = sorted(
        (p.parent for p in DEBIAN_BINARIES.glob("*/bin/initdb")),
        key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0,
    )
    if debian and (debian[-1] / "pg_ctl").exists():
        return debian[-1]
    initdb = shutil.which("initdb")
    if initdb and (Path(initdb).parent / "pg_ctl").exists():
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL's initdb/pg_ctl were not found (install Debian's `postgresql` package; "
        "`make test` does so when run as root)"
    )


def _server_user() -> str | None:
    """Who runs the server: ourselves, or as root an unprivileged account."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise PostgresUnavailable("running as root and there is no `postgres` user to run as")


def _command(args: list[str], user: str | None) -> list[str]:
    if user is None:
        return args
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", user, "--", *args]
    return ["su", user, "-s", "/bin/sh", "-c", shlex.join(args)]


def _run(args: list[str], user: str | None, cwd: Path) -> None:
    # cwd: the server user cannot read the test's own (root-only) working directory.
    done = subprocess.run(
        _command(args, user),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise PostgresUnavailable(
            f"`{shlex.join(args)}` failed ({done.returncode}): "
            f"{(done.stderr or done.stdout).strip()[-2000:]}"
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _log_tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace").strip()[-2000:]
    except OSError:
        return ""


def start_server(root: Path) -> PostgresServer:
    """initdb + pg_ctl start in `root` (which must be empty and reachable by the user)."""
    binaries = find_binaries()
    user = _server_user()
    if user is not None:
        shutil.chown(root, user)
    root.chmod(0o700)
    data = root / "data"
    _run(
        [
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",  # only reachable from this machine, for the session
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ],
        user,
        root,
    )
    log = root / "server.log"
    problem: PostgresUnavailable | None = None
    for _ in range(3):  # a free port can be taken between finding and binding it
        port = _free_port()
        options = f"-h 127.0.0.1 -p {port} -k {root} {SERVER_OPTIONS}"
        try:
            _run(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    str(START_TIMEOUT_SECONDS),
                    "start",
                ],
                user,
                root,
            )
        except PostgresUnavailable as exc:
            problem = PostgresUnavailable(f"{exc}\n{_log_tail(log)}")
            continue
        return PostgresServer(port=port)
    assert problem is not None
    raise problem


def stop_server(root: Path) -> None:
    binaries = find_binaries()
    # immediate: the data is thrown away next, so no checkpoint is worth waiting for.
    args = [str(binaries / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"]
    subprocess.run(_command(args, _server_user()), cwd=root, capture_output=True, check=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    # Not pytest's tmp_path: it lives under a root-only directory the server user cannot
    # enter, and a unix socket path must stay under ~100 bytes.
    root = Path(tempfile.mkdtemp(prefix="replikasi-pg-"))
    try:
        try:
            server = start_server(root)
        except PostgresUnavailable as exc:
            skip_or_fail(f"PostgreSQL is not available: {exc}")
        try:
            yield server
        finally:
            stop_server(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


_databases = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for one test: its postgresql:// URL."""
    name = f"replikasi_test_{os.getpid()}_{next(_databases)}"
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        postgres_server.drop_database(name)
