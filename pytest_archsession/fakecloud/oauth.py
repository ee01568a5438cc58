"""The login side: ``POST /oauth/token`` and ``GET /oauth/authorize``."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import html
from urllib.parse import parse_qs, urlencode

from .messages import HTML_TYPE, RecordedRequest, Reply, json_reply, text_reply
from .messages import token_error as error
from .models import token_body
from .records import CLIENT_CREDENTIALS, CODE, ClientRecord
from .state import CloudState


def parse_basic(header: str) -> tuple[str, str] | None:
    """Return ``(id, secret)`` from a Basic header, split at the first colon."""
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, colon, secret = decoded.partition(":")
    return (client_id, secret) if colon else None


def s256(verifier: str) -> str:
    """Return the PKCE S256 challenge that goes with ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def read_form(request: RecordedRequest) -> dict[str, str]:
    """Return the first value of each field of a form-encoded body."""
    text = request.body.decode("utf-8", "replace")
    fields = parse_qs(text, keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def token_endpoint(state: CloudState, request: RecordedRequest) -> Reply:
    """Answer a token request, with the configured cookie if there is one."""
    reply = grant_token(state, request)
    if state.set_cookie is not None:
        reply.headers.append((state.cookie_header_name, state.set_cookie))
    return reply


def grant_token(state: CloudState, request: RecordedRequest) -> Reply:
    """Authenticate the client and grant a token by the requested grant type."""
    client = authenticate_client(state, request)
    if isinstance(client, Reply):
        return client

    form = read_form(request)
    grant_type = form.get("grant_type")
    if grant_type is None:
        return error("invalid_request", "grant_type is required")
    if grant_type == "client_credentials" and client.grant == CLIENT_CREDENTIALS:
        token = state.issue_token(client.client_id, None, ())
        return json_reply(200, token_body(token.value, token.lifetime))
    if grant_type == "authorization_code" and client.grant == CODE:
        return exchange_code(state, client, form)
    return error(
        "unauthorized_client",
        f"this client is not allowed to use the grant type {grant_type}",
    )


def authenticate_client(
    state: CloudState, request: RecordedRequest
) -> ClientRecord | Reply:
    """Return the client named by the Basic header, or the error to answer."""
    header = request.header("Authorization")
    credentials = parse_basic(header) if header is not None else None
    if credentials is None:
        return error("invalid_client", "authentication failed")

    client_id, secret = credentials
    client = state.client(client_id)
    if client is None:
        return error("invalid_client", "client not found")
    if not hmac.compare_digest(secret.encode(), client.secret.encode()):
        return error("invalid_client", "authentication failed")
    return client


def exchange_code(
    state: CloudState, client: ClientRecord, form: dict[str, str]
) -> Reply:
    """Trade a one-time authorization code for a user token."""
    code = state.take_code(form.get("code", ""))
    if code is None or code.client_id != client.client_id:
        return error("invalid_grant", "the code is unknown, expired or already used")
    if form.get("redirect_uri") != code.redirect_uri:
        return error("invalid_grant", "redirect_uri does not match the authorize call")

    verifier = form.get("code_verifier")
    if code.challenge is not None:
        if verifier is None:
            return error("invalid_grant", "code_verifier is required")
        if not hmac.compare_digest(s256(verifier).encode(), code.challenge.encode()):
            return error("invalid_grant", "code_verifier does not match the challenge")

    token = state.issue_token(client.client_id, code.username, code.scope)
    return json_reply(200, token_body(token.value, token.lifetime))


def authorize_endpoint(state: CloudState, request: RecordedRequest) -> Reply:
    """Log the configured user in without a page and redirect with a code."""
    problem = authorize_problem(state, request)
    if problem is not None:
        return login_page(400, problem)

    redirect_uri = request.param("redirect_uri") or ""
    scope = tuple((request.param("scope") or "").split())
    challenge = request.param("code_challenge") or None
    client_id = request.param("client_id") or ""
    code = state.new_code(client_id, redirect_uri, challenge, scope)

    answer = {"code": code.code}
    if request.param("state") is not None:
        answer["state"] = request.param("state") or ""
    joiner = "&" if "?" in redirect_uri else "?"
    reply = login_page(302, "Logged in; redirecting.")
    reply.headers.append(("Location", redirect_uri + joiner + urlencode(answer)))
    return reply


def authorize_problem(state: CloudState, request: RecordedRequest) -> str | None:
    """Return why the authorize request cannot go on, or None if it can."""
    client = state.client(request.param("client_id") or "")
    if client is None:
        return "client not found"
    if client.grant != CODE:
        return "unauthorized_client: this client cannot use the code grant"
    if request.param("response_type") != "code":
        return "unsupported_response_type: response_type must be code"
    if not request.param("redirect_uri"):
        return "invalid_request: redirect_uri is required"

    method = request.param("code_challenge_method")
    challenge = request.param("code_challenge")
    if challenge and method != "S256":
        return "invalid_request: code_challenge_method must be S256"
    if method is not None and not challenge:
        return "invalid_request: code_challenge is required with its method"
    return None


def login_page(status: int, message: str) -> Reply:
    """Return the small HTML page the login side shows."""
    text = f"<!doctype html><title>FakeCloud login</title><p>{html.escape(message)}"
    return text_reply(status, text, HTML_TYPE)
