from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.instances import Instance, Network, network


@pytest.fixture
async def net(tmp_path: Path) -> AsyncIterator[Network]:
    async with network(tmp_path) as running:
        yield running


@pytest.fixture
async def london(net: Network) -> Instance:
    return await net.chapter("london", name="London Chapter", timezone="Europe/London")
