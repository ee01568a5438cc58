"""Reading Genesys Cloud's answers: JSON bodies and the errors they carry."""

from __future__ import annotations

from typing import Any, TypeVar, overload
from urllib.parse import urlsplit

import requests

from ..errors import ArchAuthError, ArchHTTPError
from .transport import CORRELATION_HEADER

E = TypeVar("E", bound=ArchHTTPError)


def json_body(response: requests.Response, action: str) -> dict[str, Any]:
    """Return the JSON object of a successful answer.

    :param action: what was being done, for the message ("reading org info").
    :raises ArchHTTPError: when the status is not 2xx or the body is not a
        JSON object.
    """
    if not response.ok:
        raise api_error(response, action)
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ArchHTTPError(
            f"{action.capitalize()} failed: {_where(response)} answered "
            f"{response.status_code} with a body that is not a JSON object.",
            status=response.status_code,
            correlation_id=correlation_id(response),
        )
    return body


def correlation_id(response: requests.Response) -> str | None:
    """Return the correlation id Genesys Cloud gave this answer, if any."""
    return response.headers.get(CORRELATION_HEADER)


def error_fields(response: requests.Response) -> dict[str, Any]:
    """Return the error body's fields, or an empty dict when it has none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@overload
def api_error(
    response: requests.Response, action: str, hint: str = ""
) -> ArchHTTPError: ...


@overload
def api_error(
    response: requests.Response, action: str, hint: str, error_class: type[E]
) -> E: ...


def api_error(
    response: requests.Response,
    action: str,
    hint: str = "",
    error_class: type[ArchHTTPError] | None = None,
) -> ArchHTTPError:
    """Build the error for an API answer with an ``ErrorBody``.

    The message quotes the server's ``message`` and ``code`` and both the
    ``contextId`` and the correlation id, which Genesys Cloud support asks for.
    """
    fields = error_fields(response)
    status = response.status_code
    server_words = fields.get("message") or fields.get("error_description")
    code = fields.get("code") or fields.get("error")
    text = f"{action.capitalize()} failed: {_where(response)} answered {status}"
    if server_words:
        text += f' "{server_words}"'
    if code:
        text += f" (code {code})"
    text += "."
    ids = _ids(fields.get("contextId"), correlation_id(response))
    if ids:
        text += f" {ids}."
    if hint:
        text += f" {hint}"
    if error_class is None:
        error_class = ArchAuthError if status in (401, 403) else ArchHTTPError
    return error_class(
        text,
        status=status,
        correlation_id=correlation_id(response),
        code=str(code) if code else None,
    )


def _ids(context_id: object, correlation: str | None) -> str:
    parts = []
    if correlation:
        parts.append(f"correlation id {correlation}")
    if context_id and context_id != correlation:
        parts.append(f"context id {context_id}")
    return "Quote " + " and ".join(parts) + " to support" if parts else ""


def _where(response: requests.Response) -> str:
    request = response.request
    method = request.method if request is not None else "?"
    url = urlsplit(response.url)
    return f"{method} {url.netloc}{url.path}"
