"""Which machine a SQLite chapter belongs to.

SQLite is one machine's file: its locks and, in WAL mode, the shared memory of
the ``-shm`` file work between processes of one machine only. A second
machine that opens the same data folder over a network file system (NFS,
SMB, a cluster volume) would not see the first one's locks and corrupt the
database. So the data folder records the machine that runs it (hostname and
``/etc/machine-id``) in ``sqlite-machine.toml``, and ``serve`` and ``worker``
refuse to start on another machine. Several machines share a chapter on
PostgreSQL only.

The record is a file beside the database, not a row in it, so the check runs
before anything opens (and migrates) the database, and a refused start
changes nothing.
"""
from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import tomli_w

OWNER_FILE = "sqlite-machine.toml"
# systemd's, then D-Bus's older place for the same id.
MACHINE_ID_FILES = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


class OtherMachine(Exception):
    """The SQLite database belongs to another machine; the message is one line."""


@dataclass(frozen=True)
class Machine:
    hostname: str
    # Empty where the system has none (some containers): then the hostname decides.
    machine_id: str = ""

    def is_same_as(self, other: Machine) -> bool:
        # The machine id survives a renamed host; the hostname is all a
        # machine without one can offer.
        if self.machine_id and other.machine_id:
            return self.machine_id == other.machine_id
        return self.hostname == other.hostname


def this_machine() -> Machine:
    machine_id = ""
    for path in MACHINE_ID_FILES:
        try:
            machine_id = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if machine_id:
            break
    return Machine(hostname=socket.gethostname(), machine_id=machine_id)


def recorded_owner(folder: Path) -> Machine | None:
    """The machine recorded in the data folder, or None if none is."""
    path = folder / OWNER_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise OtherMachine(f"{path} cannot be read ({error}); remove it on the machine that runs the chapter") from None
    return Machine(hostname=str(raw.get("hostname", "")), machine_id=str(raw.get("machine_id", "")))


def record_owner(folder: Path, machine: Machine) -> None:
    """Write the owner beside the database, whole or not at all."""
    path = folder / OWNER_FILE
    partial = path.with_name(path.name + ".writing")
    text = (
        "# The machine that runs this chapter's SQLite database. fedchapter serve and\n"
        "# worker refuse to start on any other (docs/databases.md, \"One machine for a SQLite chapter\").\n"
        + tomli_w.dumps({
            "hostname": machine.hostname,
            "machine_id": machine.machine_id,
            "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        })
    )
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def other_owner(folder: Path) -> Machine | None:
    """The machine recorded in the data folder if it is not this one."""
    owner = recorded_owner(folder)
    return None if owner is None or owner.is_same_as(this_machine()) else owner


def claim_for_this_machine(folder: Path, *, take_over: bool = False) -> None:
    """Record this machine as the owner if none is recorded (or with
    ``take_over``); refuse, writing nothing, if another machine is."""
    here = this_machine()
    owner = recorded_owner(folder)
    if owner is not None and owner.is_same_as(here):
        if owner != here:
            record_owner(folder, here)  # renamed, or a machine id appeared: keep it current
        return
    if owner is not None and not take_over:
        raise OtherMachine(
            f"the SQLite database in {folder} belongs to machine {owner.hostname!r} ({OWNER_FILE}),"
            f" not this one ({here.hostname!r}): SQLite cannot be shared between machines;"
            " to run processes on several machines move the chapter to PostgreSQL (fedchapter migrate-to),"
            " or, if the chapter has moved here for good and the old machine is stopped, start once with --take-over"
        )
    record_owner(folder, here)
