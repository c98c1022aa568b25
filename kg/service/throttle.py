"""Slow down a client whose queries keep killing query workers.

A query that crashes a worker costs the server a new process, and one client doing it many times
a second takes throughput from everyone else (issue 15). Past ``limit`` crashes within ``window_s``
seconds, the client is answered 429 with ``Retry-After`` until its oldest crash leaves the window.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class SlowDown(Exception):
    """Answered 429: the client's recent queries crashed workers; ``headers`` carries Retry-After."""

    status = 429

    def __init__(self, retry_after: int):
        super().__init__(f"your recent queries crashed query workers; retry in {retry_after} s")
        self.headers = {"Retry-After": str(retry_after)}


class CrashThrottle:
    def __init__(self, limit: int = 3, window_s: float = 60.0, clock=time.monotonic):
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._crashes: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        crashes = self._crashes[client]
        while crashes and crashes[0] <= now - self.window_s:
            crashes.popleft()
        if not crashes:
            del self._crashes[client]  # the table holds only clients with recent crashes
        return crashes

    def retry_after(self, client: str) -> int:
        """Seconds the client must wait before its next query, or 0."""
        with self._lock:
            now = self._clock()
            crashes = self._recent(client, now)
            if len(crashes) < self.limit:
                return 0
            return max(1, int(crashes[0] + self.window_s - now + 0.999))

    def record(self, client: str) -> None:
        with self._lock:
            now = self._clock()
            self._recent(client, now)
            self._crashes[client].append(now)
