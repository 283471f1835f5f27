"""Starting, stopping and driving the interop peers (and any other server).

Every peer exposes the same small JSON control API under /control/ on its own
port, so a test says what a remote user does in one line:

    peer.follow(chapter_actor_url)
    entry = peer.wait_for(type="Accept")
    peer.vote(question_id, "yes")

Everything here uses bounded waits and kills what it started.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
from tls import TestCA

HERE = Path(__file__).resolve().parent
CACHE = Path(
    os.environ.get("FEDCHAPTER_INTEROP_CACHE", Path.home() / ".cache" / "fedchapter-interop")
)
HOST = "127.0.0.1"


class PeerError(RuntimeError):
    """A peer failed to start, or a control request failed."""


# The session's test CA (conftest makes it first): every server on loopback
# serves HTTPS with its certificate and every client trusts it.
_session_ca: TestCA | None = None


def set_session_ca(ca: TestCA) -> None:
    global _session_ca
    _session_ca = ca


def session_ca() -> TestCA:
    if _session_ca is None:
        raise PeerError("no test CA: conftest's interop_workdir fixture makes it")
    return _session_ca


def verify() -> ssl.SSLContext:
    """httpx's `verify=` for this process's own requests to the servers."""
    return session_ca().client_context()


def anonymous_get(url: str, **kwargs: Any) -> httpx.Response:
    """An unsigned GET from the test itself, as a browser or a curl would."""
    return httpx.get(url, verify=verify(), trust_env=False, timeout=20.0, **kwargs)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], Any], timeout: float, interval: float = 0.1,
               what: str = "condition") -> Any:
    """Call `check` until it returns something truthy; give up after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


# Runs the server command in the background and ends the whole process group
# when the test runner that started it is gone (`PARENT_PID` is its pid), or
# when the server exits.  Teardown normally stops servers first; this covers a
# runner killed by a timeout or SIGKILL, which would otherwise leave them
# running (each is in its own session, out of reach of the runner's signals).
WATCHDOG = (
    '"$@" & server=$!; '
    'while kill -0 "$PARENT_PID" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done; '
    'kill -TERM 0'
)


def _live_group_members(pgid: int) -> list[int]:
    """Pids in process group `pgid` that are not zombies.  Killed servers'
    children are reparented to init, which may reap them late; a zombie holds
    no port and runs nothing, so it does not count."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid pgrp ...": comm may hold spaces, so split
            # after its closing parenthesis.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


class ServerProcess:
    """A server in its own process group, its output in a log file.

    Generic on purpose: the lead's fedchapter fixture can use it too
    (`ServerProcess(["fedchapter", "serve", ...], log, ready_url=...)`).
    """

    def __init__(self, argv: Sequence[str], log_path: Path, *, ready_url: str,
                 env: dict[str, str] | None = None, cwd: Path | None = None,
                 start_timeout: float = 30.0):
        self.argv = list(argv)
        self.log_path = Path(log_path)
        self.ready_url = ready_url
        self.env = env
        self.cwd = cwd
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None

    def start(self) -> "ServerProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        try:
            env = dict(os.environ if self.env is None else self.env, PARENT_PID=str(os.getpid()))
            self.proc = subprocess.Popen(
                ["/bin/sh", "-c", WATCHDOG, "watchdog", *self.argv],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=env, cwd=self.cwd,
                # Own process group: stop() can end it and anything it spawned
                # without touching the test runner.
                start_new_session=True,
            )
        finally:
            log.close()
        try:
            wait_until(self._ready, self.start_timeout, interval=0.2,
                       what=f"{self.argv[0]} at {self.ready_url}")
        except Exception as error:
            self.stop()
            raise PeerError(f"{error}\n--- {self.log_path} ---\n{self.log_tail()}") from None
        return self

    def _ready(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise PeerError(f"{self.argv[0]} exited")
        try:
            return httpx.get(self.ready_url, timeout=2.0, trust_env=False,
                             verify=verify()).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM to the whole process group (watchdog, server and anything it
        spawned), SIGKILL to whatever is left after `timeout`."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the group id is our child's pid
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                wait_until(lambda: self._group_gone(pgid), timeout, interval=0.05)
                break
            except TimeoutError:
                continue
        self.proc.poll()

    def _group_gone(self, pgid: int) -> bool:
        self.proc.poll()  # reap the watchdog
        return not _live_group_members(pgid)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


class Peer:
    """Client of a peer's /control/ API (the same for every peer).

    `received()` entries are dicts with at least: type, id, actor, parsed_ok,
    object_type, object_id, name, object (a summary of the object), error,
    signature ("rfc9421" | "draft-cavage" | None: how the sender signed) and
    raw (the JSON as it arrived).
    """

    kind = "peer"

    def __init__(self, base_url: str, process: ServerProcess | None = None,
                 request_timeout: float = 20.0):
        self.base_url = base_url.rstrip("/")
        self.process = process
        # trust_env=False: loopback traffic never goes through a proxy from
        # the environment.
        self.http = httpx.Client(base_url=self.base_url, timeout=request_timeout,
                                 trust_env=False, verify=verify())
        info = self._call("GET", "ready")
        self.actor: str = info["actor"]        # the peer actor's id
        self.handle: str = info["handle"]      # @name@127.0.0.1:PORT
        self.inbox: str = info["inbox"]
        self.origin = self.base_url

    def __repr__(self) -> str:
        return f"<{self.kind} {self.actor}>"

    # -- plumbing -------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs) -> Any:
        response = self.http.request(method, f"/control/{path}", **kwargs)
        if response.status_code != 200:
            raise PeerError(f"{self.kind} {method} /control/{path} -> "
                            f"{response.status_code}: {response.text[:500]}")
        return response.json()

    def close(self) -> None:
        self.http.close()
        if self.process is not None:
            self.process.stop()

    def down(self) -> None:
        """Stop the peer's server: its port refuses connections until `up()`."""
        self.process.stop()

    def up(self) -> None:
        """Start the server again on the same port (bovine keeps its database;
        the Fedify peer starts afresh: new keys, empty received list)."""
        self.process.start()

    # -- what a remote user does ---------------------------------------------
    def follow(self, target: str) -> dict:
        """Follow an actor URL or @name@host; returns {id, target}."""
        return self._call("POST", "follow", json={"target": target})

    def unfollow(self, target: str) -> dict:
        return self._call("POST", "unfollow", json={"target": target})

    def post(self, content: str, to: Sequence[str] = ()) -> dict:
        """Public Note to the followers (+ `to` actors); returns {id, object}."""
        return self._call("POST", "post", json={"content": content, "to": list(to)})

    def create(self, obj: dict, to: Sequence[str] = ()) -> dict:
        """Publish a Note/Question/Event/Article given as JSON (the peer sets
        id, attributedTo, addressing) to the followers and `to`; {id, object}."""
        return self._call("POST", "create", json={"object": obj, "to": list(to)})

    def delete(self, object_id: str) -> dict:
        """Delete an object this peer published (Delete with a Tombstone, to
        the followers and the object's addressees); {id, object}."""
        return self._call("POST", "delete", json={"object": object_id})

    def reply(self, in_reply_to: str, content: str, to: Sequence[str] = (),
              summary: str | None = None, sensitive: bool | None = None) -> dict:
        """Public reply; delivered to `to`, default the replied object's owner.
        `summary` + `sensitive=True` make it a content warning (Mastodon's CW)."""
        extra = {key: value for key, value in (("summary", summary), ("sensitive", sensitive))
                 if value is not None}
        return self._call("POST", "reply", json={
            "inReplyTo": in_reply_to, "content": content, "to": list(to), **extra})

    def vote(self, question: str, choice: str | Sequence[str]) -> dict:
        """Mastodon-style vote(s) on a Question; returns {votes, owner}."""
        choices = [choice] if isinstance(choice, str) else list(choice)
        return self._call("POST", "vote", json={"question": question, "choices": choices})

    def join(self, event: str, to: str | None = None) -> dict:
        """RSVP: Join the event, sent to `to` or the event's attributedTo."""
        return self._call("POST", "join", json={"event": event, **({"to": to} if to else {})})

    def leave(self, event: str, to: str | None = None) -> dict:
        return self._call("POST", "leave", json={"event": event, **({"to": to} if to else {})})

    def fetch(self, url: str) -> dict:
        """Signed GET as the peer's actor; {url, document, ...}."""
        return self._call("GET", "fetch", params={"url": url})

    def webfinger(self, resource: str) -> dict:
        """The peer's own WebFinger lookup of acct:name@host:port:
        {"resource", "actor"} (Fedify adds "jrd")."""
        return self._call("GET", "webfinger", params={"resource": resource})

    # -- what it saw ----------------------------------------------------------
    def received(self, since: int = 0) -> list[dict]:
        return self._call("GET", "received")[since:]

    def mark(self) -> int:
        """Index to pass as `since` to see only what arrives from now on."""
        return len(self._call("GET", "received"))

    def followers(self) -> list[str]:
        return self._call("GET", "followers")

    def following(self) -> Any:
        return self._call("GET", "following")

    def wait_for(self, match: Callable[[dict], bool] | None = None, *, since: int = 0,
                 timeout: float = 15.0, **fields: Any) -> dict:
        """The first received entry (from index `since`) whose fields equal
        `fields` and for which `match(entry)` is true; waits up to `timeout`.
        Example: peer.wait_for(type="Create", object_type="Event")."""
        def find():
            for entry in self.received(since):
                if entry.get("parsed_ok") is None:
                    continue  # still being processed (bovine processes after 202)
                if all(entry.get(key) == value for key, value in fields.items()) and \
                        (match is None or match(entry)):
                    return entry
            return None
        try:
            return wait_until(find, timeout, interval=0.2,
                              what=f"{self.kind} to receive {fields or match}")
        except TimeoutError as error:
            seen = [(e.get("type"), e.get("object_type"), e.get("error"))
                    for e in self.received(since)]
            raise TimeoutError(f"{error}; received so far: {seen}") from None


class FedifyPeer(Peer):
    """The Fedify peer (tests/interop/fedify_peer/peer.mjs)."""

    kind = "fedify"

    def spec(self, origin: str) -> str | None:
        """HTTP signature spec Fedify last settled on for `origin`:
        "rfc9421" (first knock accepted), "draft-cavage-http-signatures-12"
        (fell back), or None (never delivered there)."""
        return self._call("GET", "spec", params={"origin": origin})["spec"]

    def logs(self) -> list[dict]:
        """Fedify's log records (signature ones at debug level)."""
        return self._call("GET", "logs")

    def fetches(self) -> list[dict]:
        """Signed GETs other servers made here, each checked by Fedify's
        verifier: {url, signature, claimed_key, verified, key, owner, error}."""
        return self._call("GET", "fetches")

    @classmethod
    def start(cls, workdir: Path, port: int | None = None, username: str = "alice",
              actor_type: str = "Person", strict_rfc9421: bool = False) -> "FedifyPeer":
        """`actor_type="Group"` makes the actor a group (another chapter);
        `strict_rfc9421` makes it refuse draft-cavage signatures with 401, as
        a server that verifies only RFC 9421 would."""
        node = CACHE / "node"
        app_dir = CACHE / "fedify-peer"
        if not node.exists() or not (app_dir / "node_modules" / "@fedify" / "fedify").exists():
            raise PeerError("Fedify peer not installed: run tests/interop/install_peers.sh")
        # Node resolves imports next to the script: run a fresh copy of the
        # repo's peer.mjs from beside the cached node_modules.
        script = app_dir / "peer.mjs"
        script.write_bytes((HERE / "fedify_peer" / "peer.mjs").read_bytes())
        port = port or free_port()
        base = f"https://{HOST}:{port}"
        ca = session_ca()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir),
               "NODE_ENV": "test", **ca.trust_env(),
               "PEER_TLS_CERT": str(ca.cert_file), "PEER_TLS_KEY": str(ca.key_file),
               "PEER_USERNAME": username, "PEER_ACTOR_TYPE": actor_type,
               "PEER_STRICT_RFC9421": "1" if strict_rfc9421 else ""}
        process = ServerProcess([str(node), str(script), str(port)],
                                Path(workdir) / f"fedify-{port}.log",
                                ready_url=f"{base}/control/ready", env=env, cwd=app_dir).start()
        try:
            return cls(base, process)
        except Exception:
            process.stop()
            raise
