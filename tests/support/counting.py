"""A repository wrapped to count the calls of each of its async methods: how
tests show that work is batched or skipped, without timing anything."""
from __future__ import annotations

from typing import Any


class Counting:
    """Delegates to ``inner`` and counts the calls of each method by name."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)
        if not callable(method):
            return method

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] = self.calls.get(name, 0) + 1
            return await method(*args, **kwargs)

        return counted
