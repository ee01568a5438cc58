"""The API side: ``/api/v2/...`` endpoints, each behind a bearer token."""

from __future__ import annotations

import math
import re
import time
from urllib.parse import unquote, urlencode

from .messages import RecordedRequest, Reply, api_error, json_reply
from .models import JsonObject, token_info, user_body
from .records import TokenRecord, has_permission
from .state import CloudState

FLOW_VIEW = "architect:flow:view"
DEFAULT_PAGE_SIZE = 25


def authenticate(state: CloudState, request: RecordedRequest) -> TokenRecord | Reply:
    """Return the valid token the request carries, or the 401 to answer."""
    header = request.header("Authorization") or ""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return api_error(
            401,
            "authentication.required",
            "No bearer token was given in the Authorization header.",
        )

    token = state.token(value.strip())
    if token is None or token.revoked:
        return api_error(401, "bad.credentials", "Invalid login credentials.")
    if token.is_expired(time.monotonic()):
        return api_error(
            401, "bad.credentials", "Invalid login credentials: the token has expired."
        )
    return token


def organizations_me(
    state: CloudState, request: RecordedRequest, token: TokenRecord
) -> Reply:
    """Answer ``GET /api/v2/organizations/me`` with the Organization."""
    return json_reply(200, state.org_snapshot())


def tokens_me(state: CloudState, request: RecordedRequest, token: TokenRecord) -> Reply:
    """Answer GET (TokenInfo), HEAD (no body) or DELETE (logout) of tokens/me."""
    if request.method == "DELETE":
        state.revoke(token.value)
        return Reply(204)
    if request.method == "HEAD":
        return Reply(200)

    client = state.client(token.client_id)
    if client is None:
        return api_error(401, "bad.credentials", "The token's client was removed.")
    return json_reply(200, token_info(state.org_snapshot(), client, token))


def users_me(state: CloudState, request: RecordedRequest, token: TokenRecord) -> Reply:
    """Answer ``GET /api/v2/users/me``: only a user token has a user."""
    user = state.user(token.username) if token.username is not None else None
    if user is None:
        return api_error(
            400,
            "not.a.user",
            "This resource needs a user context; a client credentials token "
            "has no user.",
        )
    expand = ",".join(request.query.get("expand", [])).split(",")
    return json_reply(
        200, user_body(user, with_authorization="authorization" in expand)
    )


def permissions_of(state: CloudState, token: TokenRecord) -> tuple[str, ...] | None:
    """Return what the token may do, or None for a client without limits."""
    if token.username is not None:
        user = state.user(token.username)
        return user.permissions if user is not None else ()
    client = state.client(token.client_id)
    return client.roles_permissions if client is not None else ()


def missing_permission(
    state: CloudState, token: TokenRecord, wanted: str
) -> Reply | None:
    """Return the 403 to answer when the token lacks ``wanted``."""
    granted = permissions_of(state, token)
    if granted is None or has_permission(granted, wanted):
        return None
    return api_error(
        403,
        "missing.permissions",
        f"You are missing the following permission: {wanted}.",
    )


def flow(state: CloudState, request: RecordedRequest, token: TokenRecord) -> Reply:
    """Answer ``GET /api/v2/flows/{flowId}``."""
    flow_id = unquote(request.path.rsplit("/", 1)[-1])
    refusal = missing_permission(state, token, FLOW_VIEW)
    if refusal is not None:
        return refusal
    for body in state.flows_snapshot():
        if body.get("id") == flow_id:
            return json_reply(200, body)
    return api_error(404, "not.found", f"Flow {flow_id} was not found.")


def flows(state: CloudState, request: RecordedRequest, token: TokenRecord) -> Reply:
    """Answer ``GET /api/v2/flows``: a filtered page of the Flow bodies."""
    refusal = missing_permission(state, token, FLOW_VIEW)
    if refusal is not None:
        return refusal
    try:
        page_size = positive_param(request, "pageSize", DEFAULT_PAGE_SIZE)
        page_number = positive_param(request, "pageNumber", 1)
    except ValueError as exc:
        return api_error(400, "bad.request", str(exc))

    matching = [f for f in state.flows_snapshot() if flow_matches(request, f)]
    start = (page_number - 1) * page_size
    page = matching[start : start + page_size]
    return json_reply(
        200, listing(request, page, page_number, page_size, len(matching))
    )


def positive_param(request: RecordedRequest, name: str, default: int) -> int:
    """Return query parameter ``name`` as a positive integer."""
    raw = request.param(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, not {raw!r}.")
    return value


def flow_matches(request: RecordedRequest, body: JsonObject) -> bool:
    """Return whether a Flow passes the ``type``, ``name`` and ``deleted`` filters."""
    types = {
        t.upper() for value in request.query.get("type", []) for t in value.split(",")
    }
    if types and str(body.get("type", "")).upper() not in types:
        return False
    name = request.param("name")
    if name is not None and not name_matches(name, str(body.get("name", ""))):
        return False
    wants_deleted = (request.param("deleted") or "false").lower() == "true"
    return wants_deleted or not body.get("deleted", False)


def name_matches(pattern: str, name: str) -> bool:
    """Match a name case-insensitively; ``*`` in the pattern stands for any text."""
    parts = (re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(".*".join(parts), name, flags=re.IGNORECASE) is not None


def listing(
    request: RecordedRequest,
    page: list[JsonObject],
    page_number: int,
    page_size: int,
    total: int,
) -> JsonObject:
    """Return a FlowEntityListing with its page links."""
    page_count = math.ceil(total / page_size)
    body: JsonObject = {
        "entities": page,
        "pageSize": page_size,
        "pageNumber": page_number,
        "total": total,
        "pageCount": page_count,
        "firstUri": page_uri(request, page_size, 1),
        "selfUri": page_uri(request, page_size, page_number),
        "lastUri": page_uri(request, page_size, max(page_count, 1)),
    }
    if page_number < page_count:
        body["nextUri"] = page_uri(request, page_size, page_number + 1)
    if 1 < page_number <= page_count:
        body["previousUri"] = page_uri(request, page_size, page_number - 1)
    return body


def page_uri(request: RecordedRequest, page_size: int, page_number: int) -> str:
    """Return the path of another page with the same filters."""
    kept = [
        (name, value)
        for name, values in request.query.items()
        if name not in ("pageSize", "pageNumber")
        for value in values
    ]
    query = [("pageSize", str(page_size)), ("pageNumber", str(page_number)), *kept]
    return f"{request.path}?{urlencode(query)}"
