from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.instances import Instance, Network, network
from tests.support.smtp import Mailbox, smtp_server


@pytest.fixture
async def net(tmp_path: Path) -> AsyncIterator[Network]:
    async with network(tmp_path) as running:
        yield running


@pytest.fixture
async def london(net: Network) -> Instance:
    return await net.chapter("london", name="London Chapter", timezone="Europe/London")


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) in the test process, on its own port."""
    with smtp_server() as running:
        yield running
