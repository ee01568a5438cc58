"""Work a session runs in the background, and what ending does to it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class PendingWork:
    """A small thread pool whose futures a session may wait for on ending."""

    def __init__(self, max_workers: int = 4) -> None:
        self._max_workers = max_workers
        self._executor: ThreadPoolExecutor | None = None
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn(*args, **kwargs)`` in the background; return its future."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    self._max_workers, thread_name_prefix="archsession-work"
                )
            future = self._executor.submit(fn, *args, **kwargs)
            self._futures.append(future)
            return future

    def pending(self) -> int:
        """Return how many submitted items have not finished."""
        with self._lock:
            return sum(not future.done() for future in self._futures)

    def finish(self, wait: bool) -> tuple[int, int]:
        """Wait for all work, or cancel what has not started.

        :returns: how many items were cancelled, and how many were left
            running without being waited for.
        """
        with self._lock:
            executor, self._executor = self._executor, None
            futures, self._futures = self._futures, []
        if executor is None:
            return 0, 0
        if wait:
            executor.shutdown(wait=True)
            return 0, 0
        cancelled = sum(future.cancel() for future in futures)
        executor.shutdown(wait=False, cancel_futures=True)
        running = sum(not future.done() for future in futures)
        return cancelled, running
