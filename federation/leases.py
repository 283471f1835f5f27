"""Who holds a lease on a queued row: "hostname:pid".

A worker killed with -9 leaves its rows 'sending' until their lease runs out
(5 minutes). A worker starting on the same host can tell that the process
holding them is gone and take them back at once. Rows held by another host
are left to their lease: we cannot see its processes.
"""
from __future__ import annotations

import os
import socket


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def is_gone(owner: str, *, hostname: str | None = None) -> bool:
    """True only when ``owner`` is a process on this host that no longer exists."""
    host, _, pid_text = owner.rpartition(":")
    if host != (hostname or socket.gethostname()) or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    except OverflowError:
        return True  # not a pid this system can have
    return False
