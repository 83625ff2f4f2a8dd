"""Answers remembered up to a bound: the engine asks the same questions at every step (a parameter's
value on a day, a day's first instant, a sentence that names no day), and a long run must not grow
without end."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Remembered(dict[K, V]):
    """A dict of answers that forgets them all once it holds `limit` of them.

    Emptying it whole keeps a look-up a plain `dict.get` (no bookkeeping per hit, unlike an LRU
    cache); the answers are pure, so one forgotten is only worked out again."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        """Remember `value` for `key` (forgetting everything first when full) and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
