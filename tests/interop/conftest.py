"""Fixtures for the interop tests: real ActivityPub peers on 127.0.0.1.

`chapter` is a real fedchapter (`init --dev` + `serve` on a free port).
`fedify_peer` and `bovine_peer` are session-wide (a peer starts in about a
second; its received list grows over the session, so use `peer.mark()` /
`since=` or match on ids you just created).  `fresh_fedify_peer` and
`fresh_bovine_peer` start a private one for a test that needs a clean slate.

If tests/interop/install_peers.sh has not been run the tests are skipped with
that reason, or fail if FEDCHAPTER_INTEROP_REQUIRE=1 (as `make interop` sets,
after running the installer).
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

# Import the helpers whatever pytest's import mode or rootdir is.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bovine_peer import BovinePeer  # noqa: E402
from chapter import Chapter  # noqa: E402
from peerlib import CACHE, FedifyPeer, Peer, PeerError, set_session_ca  # noqa: E402
from tls import TestCA  # noqa: E402

_running: list[Peer | Chapter] = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "interop: needs the real ActivityPub peers from tests/interop/install_peers.sh")


def _installed(kind: str) -> str | None:
    """None if `kind` is installed, else the skip reason."""
    needed = {
        "fedify": [CACHE / "node", CACHE / "fedify-peer" / "node_modules" / "@fedify" / "fedify"],
        "bovine": [CACHE / "bovine-venv" / "bin" / "hypercorn", CACHE / "jsonld-contexts.json"],
    }[kind]
    missing = [str(path) for path in needed if not path.exists()]
    if missing:
        return (f"{kind} peer not installed (missing {', '.join(missing)}); "
                "run `bash tests/interop/install_peers.sh` or `make interop`")
    return None


def _launch(kind: str, workdir: Path) -> Peer:
    cls = FedifyPeer if kind == "fedify" else BovinePeer
    try:
        peer = cls.start(workdir)
    except PeerError:
        # Most likely the free port was taken between picking and binding.
        peer = cls.start(workdir)
    _running.append(peer)
    return peer


def _skip_or_fail(reason: str) -> None:
    # `make interop` installs first and sets FEDCHAPTER_INTEROP_REQUIRE=1, so a
    # missing peer there is an error, never a quiet skip.
    if os.environ.get("FEDCHAPTER_INTEROP_REQUIRE") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _start(kind: str, workdir: Path) -> Peer:
    reason = _installed(kind)
    if reason:
        _skip_or_fail(reason)
    return _launch(kind, workdir)


def _stop(peer: Peer | Chapter) -> None:
    peer.close()
    if peer in _running:
        _running.remove(peer)


@pytest.fixture(scope="session")
def interop_workdir(tmp_path_factory) -> Path:
    """Peers' logs and databases (kept by pytest's tmp_path retention), and
    the session's test CA: every server here serves HTTPS with a certificate
    it signed, and every client is told to trust it."""
    workdir = tmp_path_factory.mktemp("interop")
    set_session_ca(TestCA.create(workdir / "tls"))
    return workdir


@pytest.fixture(scope="session")
def _session_servers(interop_workdir, request):
    """Everything session-wide, started side by side: each takes seconds
    (Node or Python loading libraries, RSA keys, `fedchapter init`).  The
    session peers always; the strangers and the chapter only when a collected
    test uses them."""
    used = {name for item in request.session.items for name in item.fixturenames}
    jobs: dict[str, tuple] = {}
    for kind in ("fedify", "bovine"):
        if _installed(kind) is None:
            jobs[kind] = (_launch, kind, interop_workdir)
            if used & {"stranger", f"stranger_{kind}_peer"}:
                jobs[f"stranger_{kind}"] = (_launch, kind, interop_workdir / "stranger")
    if "chapter" in used:
        jobs["chapter"] = (_launch_chapter, interop_workdir)
    with ThreadPoolExecutor(max_workers=max(len(jobs), 1)) as pool:
        futures = {name: pool.submit(*job) for name, job in jobs.items()}
    started, errors = {}, {}
    for name, future in futures.items():
        try:
            started[name] = future.result()
        except Exception as error:  # reported by the fixture that needs it
            errors[name] = error
    yield started, errors
    for server in started.values():
        _stop(server)


def _launch_chapter(workdir: Path) -> Chapter:
    started = Chapter.start(workdir)
    _running.append(started)
    return started


def _session_server(name: str, kind: str, servers) -> Peer | Chapter:
    started, errors = servers
    if name in errors:
        raise errors[name]
    if name not in started:
        _skip_or_fail(_installed(kind))
    return started[name]


@pytest.fixture(scope="session")
def fedify_peer(_session_servers) -> FedifyPeer:
    return _session_server("fedify", "fedify", _session_servers)


@pytest.fixture(scope="session")
def bovine_peer(_session_servers) -> BovinePeer:
    return _session_server("bovine", "bovine", _session_servers)


@pytest.fixture(scope="session")
def stranger_fedify_peer(_session_servers) -> FedifyPeer:
    """A second Fedify peer for the session that no scenario makes a member."""
    return _session_server("stranger_fedify", "fedify", _session_servers)


@pytest.fixture(scope="session")
def stranger_bovine_peer(_session_servers) -> BovinePeer:
    """A second bovine peer for the session that no scenario makes a member."""
    return _session_server("stranger_bovine", "bovine", _session_servers)


@pytest.fixture(scope="session")
def chapter(_session_servers) -> Chapter:
    """A fedchapter server (`init --dev` + `serve`) for the whole session; its
    log is attached to failure reports like the peers'."""
    started, errors = _session_servers
    if "chapter" in errors:
        raise errors["chapter"]
    return started["chapter"]


@pytest.fixture
def fresh_fedify_peer(tmp_path, interop_workdir) -> FedifyPeer:
    peer = _start("fedify", tmp_path)
    yield peer
    _stop(peer)


@pytest.fixture
def fresh_bovine_peer(tmp_path, interop_workdir) -> BovinePeer:
    peer = _start("bovine", tmp_path)
    yield peer
    _stop(peer)


# -- one scenario, both peers --------------------------------------------------
PEER_KINDS = ["fedify", "bovine"]


@pytest.fixture(params=PEER_KINDS)
def peer(request) -> Peer:
    """The session peer of each kind in turn: `test_x[fedify]`, `test_x[bovine]`."""
    return request.getfixturevalue(f"{request.param}_peer")


@pytest.fixture(params=PEER_KINDS)
def stranger(request) -> Peer:
    """A peer of each kind in turn that is never a member of any chapter
    (the session peers become members in the voting scenarios)."""
    return request.getfixturevalue(f"stranger_{request.param}_peer")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of every running peer's log."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for peer in _running:
            if peer.process is not None:
                label = getattr(peer, "kind", "fedchapter")
                report.sections.append(
                    (f"{label} log ({peer.process.log_path})", peer.process.log_tail()))


def pytest_sessionfinish(session, exitstatus):
    # Belt and braces: fixtures stop their peers, but a crashed fixture
    # teardown must not leave servers running.
    for peer in list(_running):
        _stop(peer)
