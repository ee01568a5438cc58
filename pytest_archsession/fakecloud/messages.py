"""What a request looked like when it arrived, and what the fake cloud answers."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from .models import error_body, oauth_error

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True, repr=False)
class RecordedRequest:
    """One request as the fake cloud received it, before any fault applied."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def __repr__(self) -> str:
        """Show the request's shape; header values and body may hold secrets."""
        names = ", ".join(self.headers)
        return (
            f"RecordedRequest({self.method} {self.path}, query={sorted(self.query)}, "
            f"headers=[{names}], body={len(self.body)} bytes)"
        )

    def header(self, name: str) -> str | None:
        """Return the value of header ``name``, matched case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    def param(self, name: str) -> str | None:
        """Return the first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else None


def new_correlation_id() -> str:
    """Return a fresh ``ININ-Correlation-Id``."""
    return str(uuid.uuid4())


@dataclass
class Reply:
    """An answer to write: status, headers and body."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    correlation_id: str = field(default_factory=new_correlation_id)

    @property
    def is_json(self) -> bool:
        """Return whether the body is JSON (only JSON is ever compressed)."""
        return self.content_type == JSON_TYPE


def json_reply(
    status: int, payload: Any, *, correlation_id: str | None = None
) -> Reply:
    """Return a reply carrying ``payload`` as JSON."""
    reply = Reply(status, json.dumps(payload).encode("utf-8"), JSON_TYPE)
    if correlation_id is not None:
        reply.correlation_id = correlation_id
    return reply


def text_reply(status: int, text: str, content_type: str = TEXT_TYPE) -> Reply:
    """Return a reply carrying ``text``."""
    return Reply(status, text.encode("utf-8"), content_type)


def api_error(status: int, code: str, message: str) -> Reply:
    """Return an ErrorBody reply whose ``contextId`` is its correlation id."""
    context_id = new_correlation_id()
    payload = error_body(status, code, message, context_id)
    return json_reply(status, payload, correlation_id=context_id)


def token_error(error: str, description: str) -> Reply:
    """Return a 400 answer of the token endpoint."""
    return json_reply(400, oauth_error(error, description))
