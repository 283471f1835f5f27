"""A real fedchapter process for interop scenarios.

`Chapter.start(workdir)` runs `fedchapter init --dev` on a fresh data folder
and `fedchapter serve` on a free 127.0.0.1 port, through the public command
line only (shared/docs/interfaces.md), so the peers meet fedchapter exactly as
a deployment would run it: over HTTPS (`serve --tls-cert/--tls-key` with the
session CA's certificate), trusting that CA through `SSL_CERT_FILE`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

import chapter_db
from peerlib import HOST, Peer, PeerError, ServerProcess, free_port, session_ca, verify

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "interop-admin-password"


def fedchapter_command() -> list[str]:
    """The project's `fedchapter`, from the venv running the tests."""
    script = Path(sys.executable).parent / "fedchapter"
    return [str(script)] if script.exists() else [sys.executable, "-m", "fedchapter"]


class Chapter:
    """One chapter: `base` (https://127.0.0.1:PORT), `handle` (@name@host:port),
    `actor` (the Group's id) and `api`, an httpx client for /api/v1 with the
    admin's Bearer token."""

    def __init__(self, base: str, handle: str, actor: str, process: ServerProcess, data: Path,
                 token: str | None = None):
        self.base = base
        self.origin = base
        self.handle = handle
        self.actor = actor
        self.data = data
        self.process = process
        self._api: httpx.Client | None = None
        self._token = token
        self._followers: set[str] = set()
        self._followed: dict[str, str] = {}

    @property
    def api(self) -> httpx.Client:
        # Made on first use: `fedchapter token create` costs a few seconds.
        if self._api is None:
            token = self._token or self.cli("token", "create", "--username", ADMIN_USERNAME).strip()
            self._api = httpx.Client(base_url=f"{self.base}/api/v1", timeout=20.0,
                                     trust_env=False, verify=verify(),
                                     headers={"Authorization": f"Bearer {token}"})
        return self._api

    def cli(self, *args: str, timeout: float = 60.0) -> str:
        """Run `fedchapter --data DATA ARGS...`; its stdout, or PeerError."""
        return _run_cli(self.data, args, timeout)

    def __repr__(self) -> str:
        return f"<chapter {self.actor}>"

    # -- what the chapter did (read from its database, read-only) -------------
    @property
    def database(self) -> Path:
        return self.data / "fedchapter.sqlite3"

    def inbox_row(self, activity_id: str, timeout: float = 15.0) -> dict:
        """{activity_id, actor_id, type, state, error} once the inbox worker has
        processed the activity (state done / ignored / failed)."""
        return chapter_db.processed_inbox_row(self.database, activity_id, timeout)

    def deliveries_to(self, origin: str) -> list[dict]:
        """The delivery queue's rows to the server at `origin` (state queued /
        sending / delivered / failed, attempts, last_error)."""
        return chapter_db.deliveries(self.database, origin.split("://", 1)[1])

    def following_state(self, actor_id: str) -> str | None:
        """pending / accepted / rejected for an actor the chapter follows."""
        return chapter_db.following_state(self.database, actor_id)

    def follow(self, target: str) -> str:
        """`fedchapter follow TARGET` (once per target: each CLI run costs
        seconds); the actor URL it printed."""
        if target not in self._followed:
            self._followed[target] = self.cli("follow", target).strip()
        return self._followed[target]

    def ensure_follower(self, peer: Peer) -> None:
        """Make `peer` follow this chapter (once per chapter): what makes the
        chapter deliver its Creates and Updates to the peer."""
        if peer.actor in self._followers:
            return
        since = peer.mark()
        follow = peer.follow(self.actor)
        peer.wait_for(type="Accept", actor=self.actor, object_id=follow["id"], since=since)
        self._followers.add(peer.actor)

    def add_member(self, actor: str) -> dict:
        """`POST /api/v1/members {actor}`; adding an existing member again is
        fine (scenarios share one chapter)."""
        response = self.api.post("members", json={"actor": actor})
        if response.status_code == 409:
            listed = self.api.get("members", params={"limit": 500}).json()["items"]
            return next(item for item in listed if item.get("ap_id") == actor)
        assert response.status_code == 201, response.text
        return response.json()

    @classmethod
    def start(cls, workdir: Path, handle: str = "reds", name: str = "Reds",
              openness: str = "open", timeout: float = 60.0) -> "Chapter":
        command = fedchapter_command()
        port = free_port()
        base = f"https://{HOST}:{port}"
        data = Path(workdir) / f"chapter-{handle}-{port}"
        ca = session_ca()

        # init prints the handle, then the actor URL, one per line.
        printed = _run_cli(data, ("init", "--base-url", base, "--handle", handle,
                                  "--name", name, "--openness", openness, "--dev",
                                  "--admin-username", ADMIN_USERNAME,
                                  "--admin-password", ADMIN_PASSWORD), timeout)
        words = printed.split()
        handle_printed = next(word for word in words if word.startswith("@"))
        actor = next(word for word in words if word.startswith("http"))
        # The admin's API token is made while the server starts: each CLI run
        # spends seconds loading Python modules.
        with ThreadPoolExecutor(max_workers=1) as pool:
            token = pool.submit(_run_cli, data, ("token", "create", "--username", ADMIN_USERNAME),
                                timeout)
            process = ServerProcess([*command, "--data", str(data), "serve", "--host", HOST,
                                     "--port", str(port), "--tls-cert", str(ca.cert_file),
                                     "--tls-key", str(ca.key_file)],
                                    data.parent / f"chapter-{handle}-{port}.log",
                                    env=_cli_env(),
                                    ready_url=f"{base}/.well-known/nodeinfo",
                                    start_timeout=timeout).start()
            try:
                return cls(base, handle_printed, actor, process, data, token.result().strip())
            except Exception:
                process.stop()
                raise

    def close(self) -> None:
        if self._api is not None:
            self._api.close()
        self.process.stop()


def _cli_env() -> dict[str, str]:
    """The environment plus trust in the session CA (the peers serve HTTPS)."""
    return {**os.environ, **session_ca().trust_env()}


def _run_cli(data: Path, args: tuple[str, ...], timeout: float) -> str:
    result = subprocess.run([*fedchapter_command(), "--data", str(data), *args],
                            capture_output=True, text=True, timeout=timeout, env=_cli_env())
    if result.returncode != 0:
        raise PeerError(f"fedchapter {args[0]} failed ({result.returncode}): "
                        f"{result.stderr.strip()}")
    return result.stdout
