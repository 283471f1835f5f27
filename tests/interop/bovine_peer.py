"""The bovine-herd peer: bovine_herd_app/herd_app.py served by hypercorn.

It runs from the venv install_peers.sh builds (bovine-herd 0.5.19 with its
own pins), never from the project's venv, and keeps its SQLite database and
its JSON-LD cache in the test's work folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from peerlib import (
    CACHE,
    HERE,
    HOST,
    Peer,
    PeerError,
    ServerProcess,
    free_port,
    session_ca,
)


class BovinePeer(Peer):
    """A bovine-herd server with one actor (default handle `bob`).

    bovine-herd quirks worth knowing when writing scenarios:
    - actor ids are random (`/endpoints/<token>`), not `/users/bob`: use
      `peer.actor` or WebFinger, never guess the URL;
    - every GET of an actor or object must be signed (authorized fetch), so
      an unsigned fetch of `peer.actor` answers 401;
    - it signs with draft-cavage only, and verifies draft-cavage; its RFC
      9421 verifier knows only @method, @path, @authority and headers, so a
      signature over @target-uri (Fedify's) is refused with 401 and a
      double-knocking sender falls back to draft-cavage;
    - inbox processing runs after the 202: `wait_for` skips entries whose
      `parsed_ok` is still None.
    """

    kind = "bovine"

    @classmethod
    def start(cls, workdir: Path, port: int | None = None, handle: str = "bob",
              actor_type: str = "Person") -> "BovinePeer":
        """`actor_type="Group"` makes the actor a group (another chapter)."""
        venv = CACHE / "bovine-venv"
        contexts = CACHE / "jsonld-contexts.json"
        if not (venv / "bin" / "hypercorn").exists() or not contexts.exists():
            raise PeerError("bovine-herd peer not installed: run tests/interop/install_peers.sh")
        port = port or free_port()
        origin = f"https://{HOST}:{port}"
        ca = session_ca()
        data = Path(workdir) / f"bovine-{port}"
        data.mkdir(parents=True, exist_ok=True)
        env = {
            "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(data),
            "PYTHONPATH": str(HERE / "bovine_herd_app"),
            "PYTHONUNBUFFERED": "1",
            "BOVINE_DB_URL": f"sqlite://{data / 'bovine.sqlite3'}",
            "BOVINE_ORIGIN": origin,
            "BOVINE_HANDLE": handle,
            "BOVINE_ACTOR_TYPE": actor_type,
            "BOVINE_JSONLD_CONTEXTS": str(contexts),
            # Every server on loopback speaks TLS with the session CA's
            # certificate, so bovine's https-only WebFinger works as deployed
            # (no BUTCHER_ALLOW_HTTP fallback).
            **ca.trust_env(),
        }
        process = ServerProcess(
            [str(venv / "bin" / "hypercorn"), "--bind", f"{HOST}:{port}",
             "--certfile", str(ca.cert_file), "--keyfile", str(ca.key_file),
             "--workers", "1", "herd_app:app"],
            data / "hypercorn.log", ready_url=f"{origin}/control/ready",
            env=env, cwd=data,  # bovine writes bovine_jsonld_cache.sqlite to cwd
        ).start()
        try:
            return cls(origin, process)
        except Exception:
            process.stop()
            raise
