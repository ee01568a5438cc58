"""The Architect Scripting cycle of a session: run the callback, then end
by the end mode, in the order the reference gives, exiting if asked to."""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ..errors import ArchStateError, ArchUsageError
from .connection import Connection
from .logs import ArchLoggingMixin
from .work import PendingWork

T = TypeVar("T")

STATUS_NOT_STARTED = "notStarted"
STATUS_RUNNING = "running"
STATUS_ENDED = "ended"

END_MODE_END = "end"
END_MODE_END_WITH_LOGOUT = "endWithLogout"
END_MODES = (END_MODE_END, END_MODE_END_WITH_LOGOUT)

#: The exit code a session keeps for its own failures.
RESERVED_EXIT_CODE = 99

SessionCallback = Callable[[Any], Any]


class ArchCycleMixin(ArchLoggingMixin):
    """Running a session's callback and ending it; ``ArchSession`` holds the
    state these methods work on."""

    end_terminates_process: bool
    ended_with_logout: bool
    logout_error: Exception | None
    _status: str
    _end_mode: str
    _end_exit_code: int
    _connection: Connection | None
    _org: dict[str, Any]
    _callback_end: SessionCallback | None
    _callback_end_called: bool
    _work: PendingWork

    def _run_cycle(
        self,
        connect: Callable[[], None],
        callback_start: SessionCallback,
        callback_end: SessionCallback | None,
    ) -> None:
        if self._status == STATUS_RUNNING:
            raise ArchStateError(
                "The session is already running; end it before starting again."
            )
        if not callable(callback_start):
            raise ArchUsageError("callback_start must be a function of the session.")
        self._callback_end = callback_end
        try:
            connect()
            _run_to_completion(callback_start(self))
        except Exception as exc:
            self._end_exit_code = RESERVED_EXIT_CODE
            self.log_error(f"The session failed: {exc}")
        except BaseException:
            self._end_interrupted()
            raise
        self.end_by_mode()

    def _end_interrupted(self) -> None:
        """End by the end mode when the callback exits or is interrupted, and
        let the interruption go on instead of exiting with our own code."""
        self.log_note("The session was interrupted; ending it by its end mode.")
        terminates, self.end_terminates_process = self.end_terminates_process, False
        try:
            self.end_by_mode()
        finally:
            self.end_terminates_process = terminates

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run work in the background; ``end(True)`` waits for it."""
        return self._work.submit(fn, *args, **kwargs)

    def end_by_mode(self, process_pending_async_work: bool = False) -> None:
        """End the session the way ``end_mode`` says."""
        if self._end_mode == END_MODE_END_WITH_LOGOUT:
            self.end_with_logout(process_pending_async_work)
        else:
            self.end(process_pending_async_work)

    def end_with_logout(self, process_pending_async_work: bool = False) -> None:
        """Finish pending work, call the end callback, log out, then end."""
        if self._status == STATUS_ENDED:
            return
        self._finish_work(process_pending_async_work)
        self._call_end_callback()
        if self._connection is not None:
            try:
                self._connection.logout()
                self.ended_with_logout = True
            except Exception as exc:
                self.logout_error = exc
                self.log_warning(
                    f"Logout failed, so the token may stay valid until it expires: "
                    f"{exc}"
                )
        self.end(False)

    def end(self, process_pending_async_work: bool = False) -> None:
        """Finish pending work, call the end callback, mark the session ended,
        and exit the process if ``end_terminates_process`` says so."""
        if self._status == STATUS_ENDED:
            return
        self._finish_work(process_pending_async_work)
        self._call_end_callback()
        if self._connection is not None:
            self._org = self._connection.org
            self._connection.close()
            self._connection = None
        self._status = STATUS_ENDED
        self.log_note("Session ended.")
        if self.end_terminates_process:
            sys.exit(self._end_exit_code)

    def _finish_work(self, wait: bool) -> None:
        cancelled, running = self._work.finish(wait)
        if cancelled or running:
            self.log_note(
                f"Ending without pending work: {cancelled} queued item(s) "
                f"cancelled, {running} running item(s) not waited for."
            )

    def _call_end_callback(self) -> None:
        if self._callback_end is None or self._callback_end_called:
            return
        self._callback_end_called = True
        try:
            _run_to_completion(self._callback_end(self))
        except Exception as exc:
            self.log_error(f"The end callback failed: {exc}")


def _run_to_completion(result: Any) -> None:
    """Wait for a callback's awaitable, even when called inside a running loop
    (then on a thread of its own, as the loop cannot be re-entered)."""
    if not inspect.isawaitable(result):
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_wait_for(result))
        return
    with ThreadPoolExecutor(1, thread_name_prefix="archsession-callback") as pool:
        pool.submit(asyncio.run, _wait_for(result)).result()


async def _wait_for(awaitable: Awaitable[Any]) -> None:
    await awaitable
