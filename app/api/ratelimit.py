"""Writes are rate-limited per API key: a token bucket each, held in this process.

Every POST, PUT, PATCH or DELETE made with a valid key spends one token of that key's bucket;
the bucket holds at most ``burst`` tokens and refills at ``per_minute`` a minute. A write that
finds the bucket empty is refused with 429 before its route runs, so it changes nothing.
Several API processes each keep their own buckets.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from starlette.exceptions import HTTPException

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """One token bucket per key; ``clock`` gives seconds (monotonic), so tests need no sleep."""

    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("the rate must be positive and the burst at least 1")
        self.per_minute, self.burst = per_minute, burst
        self._per_second = per_minute / 60
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one of ``key``'s tokens: 0 if there was one, else the seconds until there is."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self._per_second)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self._per_second


def retry_after(wait: float) -> int:
    """Whole seconds for ``Retry-After``: rounded up, never below 1."""
    return max(1, math.ceil(wait))


def charge_write(request: Request, key: str) -> None:
    """Charge a write made with ``key`` to its bucket once per request; 429 when it is empty."""
    if request.method not in WRITE_METHODS or getattr(request.state, "write_charged", False):
        return
    request.state.write_charged = True
    buckets: TokenBuckets = request.app.state.write_limits
    wait = buckets.take(key)
    if wait > 0:
        seconds = retry_after(wait)
        raise HTTPException(
            429,
            f"the API key '{key}' writes faster than {buckets.per_minute:g} a minute (bursts of "
            f"up to {buckets.burst}); retry in {seconds} s",
            headers={"Retry-After": str(seconds)},
        )
