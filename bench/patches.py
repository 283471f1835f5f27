"""Proposed fixes, applied as monkeypatches so their gain can be measured
with the real harness before anyone edits the code they touch:

    python -m bench.run --patch host-fastpath,switch-interval

runs ``fedchapter serve`` through ``python -m bench.patches NAMES -- ARGS``.
Each patch is the smallest stand-in for a real change described in
docs/performance.md; none of them is meant to stay here once applied (the
applied ones are gone: see git history and docs/performance.md).
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def host_fastpath() -> None:
    """After each successful delivery the worker runs record_success: a
    transaction with a read, an upsert and a delete (five trips to the database
    thread) even for a host that never failed. Nothing needs to be forgotten
    then (and last_success_at is read nowhere), so a read decides."""
    from storage import delivery_hosts

    original = delivery_hosts.DeliveryHostRepository.record_success

    async def record_success(self: delivery_hosts.DeliveryHostRepository, host: str, now: Any) -> bool:
        state = await self.get(host)
        if state is None or (state.available and state.consecutive_failures == 0 and state.paused_until is None):
            return False
        return await original(self, host, now)

    delivery_hosts.DeliveryHostRepository.record_success = record_success  # type: ignore[method-assign]


def switch_interval() -> None:
    """Every database call hands work to aiosqlite's thread and back. On one
    busy core the thread waiting for the GIL gets it only when the holder
    blocks or after the switch interval (5 ms by default), so a request that
    makes ten calls can spend tens of ms queued for the GIL. A shorter interval
    hands it over sooner. Measured: no gain (kept to show it was tried; see
    docs/performance.md): fewer hand-offs help, faster ones do not."""
    sys.setswitchinterval(0.0005)


_ZONE_FORM = """{# "Show times in my zone": a GET form, no script. #}
<form method="get" class="zone-form inline">
  <label for="tz">{{ _('Show times also in') }}</label>
  <select id="tz" name="tz">
    <option value="">{{ _('only the chapter’s zone') }}</option>
    <optgroup label="{{ _('Common') }}">{{ zone_options(reader_tz, True) }}</optgroup>
    <optgroup label="{{ _('All zones') }}">{{ zone_options(reader_tz, False) }}</optgroup>
  </select>
  <button type="submit">{{ _('Show') }}</button>
</form>
"""


PATCHES: dict[str, Callable[[], None]] = {
    "switch-interval": switch_interval,
    "host-fastpath": host_fastpath,
}


def apply(names: list[str]) -> None:
    for name in names:
        PATCHES[name]()


def main() -> None:
    separator = sys.argv.index("--")
    names = [name for name in sys.argv[1:separator] for name in name.split(",") if name]
    apply(names)
    from fedchapter.cli import main as fedchapter_main

    fedchapter_main(sys.argv[separator + 1:])


if __name__ == "__main__":
    main()
