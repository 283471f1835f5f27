"""PostgreSQL for tests: a throwaway server, and one schema per chapter.

``FEDCHAPTER_TEST_DATABASE`` chooses:
- unset or ``sqlite``: every chapter on SQLite in its data folder (the default);
- ``postgresql`` (what ``make test-postgres`` sets): start Debian's PostgreSQL
  once per test session, in a temporary folder on a free loopback port, as the
  unprivileged ``postgres`` user when run as root (initdb refuses root);
- ``postgresql://USER@HOST:PORT/DB``: use that server's database.

Each chapter gets its own schema (``CREATE SCHEMA`` is milliseconds where
``CREATE DATABASE`` copies a template), reached through the URL's
``options=-csearch_path=...``. When PostgreSQL is asked for and cannot start,
the tests fail with the reason: they never skip.
"""
from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg

ENV = "FEDCHAPTER_TEST_DATABASE"
_server_url: str | None = None


class PostgresUnavailable(RuntimeError):
    pass


def wanted() -> str:
    return os.environ.get(ENV, "").strip()


def on_postgres() -> bool:
    return wanted().startswith("postgres")


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL is not installed: run 'bash tests/support/install_postgres.sh' (Debian's postgresql)"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


def start_server() -> str:
    """Start a private server; return the URL of its test database. Stopped at exit."""
    bin_dir = _bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="fedchapter-pg-"))
    owner = None
    if os.geteuid() == 0:
        owner = "postgres"
        try:
            record = pwd.getpwnam(owner)
        except KeyError:
            raise PostgresUnavailable("running as root and there is no 'postgres' user to run the server") from None
        os.chown(folder, record.pw_uid, record.pw_gid)
    data, log = folder / "data", folder / "server.log"
    port = _free_port()
    run = lambda command: subprocess.run(  # noqa: E731
        _as_owner(command, owner), capture_output=True, text=True, timeout=120
    )
    done = run([str(bin_dir / "initdb"), "-D", str(data), "-U", "fedchapter", "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
    if done.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {done.stderr.strip()[-300:]}")
    # Durability off: a test server that loses its data on a crash is fine, and fast.
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
               " -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
               " -c shared_buffers=64MB")
    done = run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"])
    if done.returncode != 0:
        detail = log.read_text(errors="replace")[-300:] if log.exists() else done.stderr
        raise PostgresUnavailable(f"PostgreSQL did not start: {detail.strip()}")

    def stop() -> None:
        run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    _exit_on_sigterm()
    base = f"postgresql://fedchapter@127.0.0.1:{port}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute("CREATE DATABASE fedchapter_test")
    return f"{base}/fedchapter_test"


def _exit_on_sigterm() -> None:
    """A run ended by SIGTERM (``timeout``, CI) still stops its server: atexit
    handlers run on SystemExit, not on a signal's default action."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) in (
        signal.SIG_DFL, None,
    ):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def server_url() -> str:
    """The test database, started on first use (once per session)."""
    global _server_url
    if _server_url is None:
        choice = wanted()
        # A test that needs PostgreSQL on a SQLite run (migrate-to) starts one too.
        _server_url = choice if "://" in choice else start_server()
    return _server_url


def with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


def new_database_url(prefix: str = "chapter") -> str:
    """A fresh, empty schema of its own: one chapter's database."""
    url = server_url()
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return with_schema(url, schema)


def database_for(sqlite_path: Path) -> Path | str:
    """Where a test's database goes: the SQLite path given, or a new PostgreSQL schema."""
    return new_database_url() if on_postgres() else sqlite_path


def new_database(name_prefix: str) -> tuple[str, str]:
    """A fresh database of its own (``public`` schema): what a chapter behind
    PgBouncer needs, since PgBouncer does not pass ``options`` on. Returns
    (server URL of the database, database name)."""
    url = server_url()
    name = f"{name_prefix}_{uuid.uuid4().hex[:10]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}", name


def start_pgbouncer(database_url: str) -> str:
    """Debian's PgBouncer in transaction mode in front of ``database_url``'s
    server, on a free loopback port; returns the URL through it. Stopped at exit."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        raise PostgresUnavailable("pgbouncer is not installed: apt-get install pgbouncer")
    info = psycopg.conninfo.conninfo_to_dict(database_url)
    folder = Path(tempfile.mkdtemp(prefix="fedchapter-pgbouncer-"))
    port = _free_port()
    (folder / "users.txt").write_text(f'"{info["user"]}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={info['host']} port={info['port']}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder}/users.txt\n"
        "pool_mode = transaction\nmax_client_conn = 500\ndefault_pool_size = 40\n"
        f"logfile = {folder}/pgbouncer.log\npidfile = {folder}/pgbouncer.pid\n"
    )
    owner = None
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        owner = "postgres"
        record = pwd.getpwnam(owner)
        for path in (folder, folder / "users.txt", folder / "pgbouncer.ini"):
            os.chown(path, record.pw_uid, record.pw_gid)
    process = subprocess.Popen(_as_owner([binary, str(folder / "pgbouncer.ini")], owner),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"postgresql://{info['user']}@127.0.0.1:{port}/{info['dbname']}"
    for _ in range(100):
        try:
            with psycopg.connect(url, autocommit=True, prepare_threshold=None, connect_timeout=2):
                break
        except psycopg.OperationalError:
            if process.poll() is not None:
                raise PostgresUnavailable(f"pgbouncer exited: {process.stderr.read().decode()[-300:]}") from None
            time.sleep(0.1)
    else:
        raise PostgresUnavailable("pgbouncer did not accept connections")

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return url
