"""``fedchapter init --network`` and ``fedchapter affiliate`` as an admin runs them."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.fedchapter.cli.test_federation_cli import run


def test_init_network_makes_a_network_and_affiliate_refuses_what_it_cannot_reach(tmp_path: Path) -> None:
    network = tmp_path / "network"
    made = run("init", "--data", str(network), "--base-url", "http://127.0.0.1:8125", "--handle", "alliance",
               "--name", "Alliance", "--admin-password", "a long password", "--dev", "--network")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines()[0] == "@alliance@127.0.0.1:8125"
    database = sqlite3.connect(network / "fedchapter.sqlite3")
    assert database.execute("SELECT COUNT(*) FROM network_self").fetchone() == (1,)
    database.close()

    result = run("affiliate", "--data", str(network), "@alliance@127.0.0.1:9")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("fedchapter: error: network: cannot reach @alliance@127.0.0.1:9")
    assert len(result.stderr.splitlines()) == 1
    database = sqlite3.connect(network / "fedchapter.sqlite3")
    assert database.execute("SELECT COUNT(*) FROM affiliations").fetchone() == (0,)
    database.close()
