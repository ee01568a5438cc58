"""Which code answers which method and path."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import api, oauth
from .messages import RecordedRequest, Reply, api_error
from .records import TokenRecord
from .state import CloudState

Handler = Callable[[CloudState, RecordedRequest], Reply]
ApiHandler = Callable[[CloudState, RecordedRequest, TokenRecord], Reply]


@dataclass(frozen=True)
class Route:
    """A path pattern, the methods it takes, and the code that answers."""

    pattern: re.Pattern[str]
    methods: frozenset[str]
    handler: Handler


def open_route(path: str, methods: str, handler: Handler) -> Route:
    """Return a route answered without a bearer token (the login side)."""
    return Route(re.compile(path), frozenset(methods.split()), handler)


def api_route(path: str, methods: str, handler: ApiHandler) -> Route:
    """Return a route answered only for a valid bearer token."""

    def guarded(state: CloudState, request: RecordedRequest) -> Reply:
        token = api.authenticate(state, request)
        if isinstance(token, Reply):
            return token
        return handler(state, request, token)

    return Route(re.compile(path), frozenset(methods.split()), guarded)


ROUTES = (
    open_route("/oauth/token", "POST", oauth.token_endpoint),
    open_route("/oauth/authorize", "GET", oauth.authorize_endpoint),
    api_route("/api/v2/organizations/me", "GET", api.organizations_me),
    api_route("/api/v2/tokens/me", "GET HEAD DELETE", api.tokens_me),
    api_route("/api/v2/users/me", "GET", api.users_me),
    api_route("/api/v2/flows", "GET", api.flows),
    api_route("/api/v2/flows/[^/]+", "GET", api.flow),
)


def route(state: CloudState, request: RecordedRequest) -> Reply:
    """Answer ``request`` as the matching endpoint would."""
    for candidate in ROUTES:
        if candidate.pattern.fullmatch(request.path) is None:
            continue
        if request.method not in candidate.methods:
            allowed = ", ".join(sorted(candidate.methods))
            reply = api_error(
                405, "method.not.allowed", f"{request.path} only takes {allowed}."
            )
            reply.headers.append(("Allow", allowed))
            return reply
        return candidate.handler(state, request)
    return api_error(404, "not.found", f"There is no resource at {request.path}.")
