"""Faults that tests queue up: fail with a status, stall, or drop the connection.

Each request consumes at most one fault: the oldest queued one whose path (and
method, when given) matches and that has uses left.
"""

from __future__ import annotations

import enum
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .messages import JSON_TYPE, TEXT_TYPE, Reply, api_error
from .models import oauth_error

MAX_STALL_SECONDS = 60.0
"""No stall lasts longer than this, whatever a test asks, so every run ends."""


class FaultKind(enum.Enum):
    """What a fault does to the request it catches."""

    FAIL = "fail"
    STALL = "stall"
    DROP = "drop"


@dataclass
class Fault:
    """One queued fault and how many more requests it catches."""

    kind: FaultKind
    path: str
    method: str | None
    remaining: int
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        """Return whether this fault catches ``method path``."""
        if self.remaining <= 0 or self.path != path:
            return False
        return self.method is None or self.method == method.upper()

    def reply(self) -> Reply:
        """Build the answer of a ``FAIL`` fault, with a fresh correlation id."""
        if self.body is None:
            reply = api_error(self.status, "fakecloud.fault", self.default_message())
        elif isinstance(self.body, bytes):
            reply = Reply(self.status, self.body, "application/octet-stream")
        elif isinstance(self.body, str):
            reply = Reply(self.status, self.body.encode("utf-8"), TEXT_TYPE)
        else:
            reply = Reply(self.status, json.dumps(self.body).encode("utf-8"), JSON_TYPE)
        for name, value in self.headers.items():
            if name.lower() == "content-type":
                reply.content_type = value
            else:
                reply.headers.append((name, value))
        return reply

    def default_message(self) -> str:
        """Return the message of a fault that was given no body."""
        return f"The fake cloud was told to answer {self.status} to {self.path}."


class FaultQueue:
    """The queued faults, safe to use from any thread."""

    def __init__(self) -> None:
        """Start with no faults."""
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue ``fault`` behind the ones already queued."""
        if fault.remaining < 1:
            raise ValueError(f"times must be at least 1, not {fault.remaining}.")
        with self._lock:
            self._faults.append(fault)

    def take(self, method: str, path: str) -> Fault | None:
        """Use up one catch of the oldest fault matching ``method path``."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    self._faults = [f for f in self._faults if f.remaining > 0]
                    return fault
        return None

    def clear(self) -> None:
        """Forget every queued fault."""
        with self._lock:
            self._faults.clear()


def fail_fault(
    path: str,
    status: int,
    *,
    body: Any,
    headers: Mapping[str, str] | None,
    times: int,
    method: str | None,
) -> Fault:
    """Return a fault that answers ``status`` instead of the real answer."""
    if not 100 <= status <= 599:
        raise ValueError(f"status must be an HTTP status code, not {status}.")
    return Fault(
        FaultKind.FAIL,
        path,
        method.upper() if method else None,
        times,
        status=status,
        body=body,
        headers=dict(headers or {}),
    )


def stall_fault(path: str, seconds: float, *, times: int, method: str | None) -> Fault:
    """Return a fault that waits ``seconds`` (at most a minute) before answering."""
    if seconds < 0:
        raise ValueError(f"seconds must not be negative, not {seconds}.")
    wait = min(float(seconds), MAX_STALL_SECONDS)
    upper = method.upper() if method else None
    return Fault(FaultKind.STALL, path, upper, times, seconds=wait)


def drop_fault(path: str, *, times: int, method: str | None) -> Fault:
    """Return a fault that closes the connection without answering."""
    return Fault(FaultKind.DROP, path, method.upper() if method else None, times)


def rate_limit_fault(times: int) -> Fault:
    """Return the token endpoint's way of saying it is rate limited."""
    body = oauth_error("invalid_request", "rate limit exceeded")
    return Fault(FaultKind.FAIL, "/oauth/token", "POST", times, status=400, body=body)
