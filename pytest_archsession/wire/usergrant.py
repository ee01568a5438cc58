"""Logging a person in: the authorization code grant with PKCE, through a
browser and a one-shot listener on the loopback interface.

A token from an earlier login is reused while it lives and the API still
accepts it; a new one is saved for the next session.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import secrets
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from ..errors import ArchAuthError, ArchConnectionError, ArchUsageError
from ..locations import Location
from ..secrets import Secret, SecretRegistry
from .oauth import TokenGrant, request_token
from .platform import TOKEN_INFO_PATH
from .transport import WireSession

if TYPE_CHECKING:
    from .tokenstore import TokenStore

logger = logging.getLogger("pytest_archsession")

AUTHORIZE_PATH = "/oauth/authorize"
CALLBACK_PATH = "/callback"
#: The redirect URI says ``localhost``, as OAuth clients are set up; browsers
#: that try ``::1`` first fall back to this address when it is refused.
LISTEN_HOST = "127.0.0.1"

#: The redirect port Architect Scripting documents for its OAuth clients.
DEFAULT_REDIRECT_PORT = 9001

DEFAULT_WAIT_SECONDS = 120.0

#: A stored token with less life left than this is not worth reusing.
REUSE_MARGIN = 60.0

Opener = Callable[[str], object]


def pkce_pair() -> tuple[Secret, str]:
    """Return a fresh PKCE verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return Secret(verifier, "verifier"), challenge


def authorize_url(
    login_url: str, client_id: str, redirect_uri: str, state: str, challenge: str
) -> str:
    """Return the login page address that starts the code grant."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{login_url.rstrip('/')}{AUTHORIZE_PATH}?{query}"


def open_in_browser(url: str) -> object:
    """Open ``url`` in the user's web browser."""
    import webbrowser

    return webbrowser.open(url)


@dataclass(frozen=True)
class CallbackOutcome:
    """What the browser brought back: a code, or why there is none.

    :param error: a short error code (the login service's own, such as
        ``access_denied``, or ``state_mismatch`` and ``no_code``).
    :param status: the status the browser was answered with.
    """

    code: Secret | None = None
    error: str = ""
    failure: str = ""
    status: int = 200


class UserLogin:
    """Log a person in through the browser, reusing a stored token if it works.

    An instance is the ``user_login`` of :class:`ConnectOptions`: call it
    with the session bound to the login service and it returns the grant.

    :param secrets: receives the code and the verifier as soon as they exist.
    :param redirect_port: the loopback port of the redirect URI, which must
        match the OAuth client's; 0 takes any free port (tests).
    :param opener: shows the login page; given its URL. The default opens the
        user's web browser.
    :param wait_seconds: how long to wait for the browser to come back.
    :param store: where earlier tokens are found and new ones saved; None
        logs in every time.
    """

    def __init__(
        self,
        *,
        location: Location,
        client_id: str,
        client_secret: Secret,
        secrets: SecretRegistry,
        redirect_port: int = DEFAULT_REDIRECT_PORT,
        opener: Opener | None = None,
        wait_seconds: float = DEFAULT_WAIT_SECONDS,
        store: TokenStore | None = None,
    ) -> None:
        if isinstance(redirect_port, bool) or not 0 <= redirect_port <= 65535:
            raise ArchUsageError(
                f"The redirect port {redirect_port!r} is not a TCP port. Give the "
                "port of the OAuth client's redirect URI (9001 by default)."
            )
        if not wait_seconds > 0:
            raise ArchUsageError(
                f"The browser login wait must be positive, not {wait_seconds!r}."
            )
        self.location = location
        self.client_id = client_id
        self.client_secret = client_secret
        self.secrets = secrets
        self.redirect_port = redirect_port
        self.opener = opener or open_in_browser
        self.wait_seconds = wait_seconds
        self.store = store

    def __repr__(self) -> str:
        return f"<UserLogin {self.client_id!r} at {self.location.login_url}>"

    def __call__(self, login: WireSession) -> TokenGrant:
        """Return a stored token the API accepts, or log in and store the new one."""
        stored = self.stored_grant(login)
        if stored is not None:
            logger.info("Reusing the stored token of %s.", self.client_id)
            return stored
        grant = self.browser_login(login)
        if self.store is not None:
            self.store.save(self.location.login_url, self.client_id, grant)
        return grant

    def stored_grant(self, login: WireSession) -> TokenGrant | None:
        """Return the stored token if it has life left and the API accepts it."""
        if self.store is None:
            return None
        found = self.store.load(self.location.login_url, self.client_id)
        if found is None:
            return None
        token, expires_at = found
        self.secrets.add(token)
        left = expires_at - time.time()
        if left < REUSE_MARGIN:
            return None
        if not self._accepted(login, token):
            logger.info("The stored token was refused; logging in again.")
            self.store.forget(self.location.login_url, self.client_id)
            return None
        return TokenGrant(token, "bearer", left, time.monotonic())

    def _accepted(self, login: WireSession, token: Secret) -> bool:
        __tracebackhide__ = True  # a local holds the token
        api = WireSession(
            self.location.api_url, login.settings, on_exchange=login.on_exchange
        )
        headers = {"Authorization": f"Bearer {token.reveal()}"}
        with api:
            return api.get(TOKEN_INFO_PATH, headers=headers).status_code == 200

    def browser_login(self, login: WireSession) -> TokenGrant:
        """Log in through the browser and trade the code for a token."""
        __tracebackhide__ = True  # locals hold the code and the verifier
        verifier, challenge = pkce_pair()
        self.secrets.add(verifier)
        state = secrets.token_urlsafe(24)
        with CallbackListener(self.redirect_port, state, self.secrets) as listener:
            url = authorize_url(
                self.location.login_url,
                self.client_id,
                listener.redirect_uri,
                state,
                challenge,
            )
            code = self._code_from_browser(listener, url)
        form = {
            "grant_type": "authorization_code",
            "code": code.reveal(),
            "redirect_uri": listener.redirect_uri,
            "code_verifier": verifier.reveal(),
        }
        grant = request_token(
            login, self.location, self.client_id, self.client_secret, form
        )
        self.secrets.add(grant.access_token)
        return grant

    def _code_from_browser(self, listener: CallbackListener, url: str) -> Secret:
        deadline = time.monotonic() + self.wait_seconds
        logger.info(
            "Waiting up to %g s for the browser login at %s.",
            self.wait_seconds,
            self.location.login_url,
        )
        if self.opener(url) is False:
            logger.warning(
                "No browser could be opened; open this page to log in: %s", url
            )
        outcome = listener.wait(max(0.0, deadline - time.monotonic()))
        if outcome is None:
            raise ArchAuthError(
                f"The browser login did not complete within {self.wait_seconds:g} "
                f"s: nothing came back to {listener.redirect_uri}. Finish the "
                "login sooner or allow more time (wait_seconds), and check that "
                f"the OAuth client's redirect URI is {listener.redirect_uri}.",
                status=408,
            )
        if outcome.code is None:
            raise ArchAuthError(
                outcome.failure, status=outcome.status, code=outcome.error
            )
        return outcome.code


class CallbackListener:
    """Listen on loopback for the one redirect that ends a browser login.

    A callback counts only if it carries the expected ``state``; a missing
    or different one, or an ``error``, ends the wait with a failure.
    """

    def __init__(self, port: int, state: str, registry: SecretRegistry) -> None:
        try:
            self._server = _CallbackServer(port, state, registry)
        except OSError as exc:
            raise ArchConnectionError(
                f"Could not listen on localhost port {port} for the login "
                f"callback ({exc.strerror or exc}). Close whatever holds the "
                "port, or pick another redirect port (the OAuth client's "
                "redirect URI must name the same one)."
            ) from exc
        self.redirect_uri = (
            f"http://localhost:{self._server.server_port}{CALLBACK_PATH}"
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="archsession-login-callback",
            daemon=True,
        )

    def __enter__(self) -> CallbackListener:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5.0)

    def wait(self, seconds: float) -> CallbackOutcome | None:
        """Return the callback's outcome, or None if none came in time."""
        if not self._server.done.wait(seconds):
            return None
        return self._server.outcome


class _CallbackServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, state: str, registry: SecretRegistry) -> None:
        self.expected_state = state
        self.registry = registry
        self.done = threading.Event()
        self.outcome: CallbackOutcome | None = None
        self.lock = threading.Lock()
        super().__init__((LISTEN_HOST, port), _CallbackHandler)

    def server_bind(self) -> None:
        # Skip HTTPServer's reverse name lookup, which can take seconds.
        socketserver.TCPServer.server_bind(self)
        self.server_name = LISTEN_HOST
        self.server_port = self.socket.getsockname()[1]

    def settle(self, outcome: CallbackOutcome) -> bool:
        """Keep the first outcome only; return whether this one was it."""
        with self.lock:
            if self.outcome is not None:
                return False
            self.outcome = outcome
        self.done.set()
        return True


class _CallbackHandler(BaseHTTPRequestHandler):
    server: _CallbackServer
    timeout = 10.0

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds the code: log the path alone, nothing else.
        logger.debug("Login callback request for %s.", urlsplit(self.path).path)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != CALLBACK_PATH:
            self._answer(404, "Not here", "This is not the login callback.")
            return
        outcome = _read_callback(parts.query, self.server.expected_state)
        if outcome.code is not None:
            self.server.registry.add(outcome.code)
        if not self.server.settle(outcome):
            self._answer(409, "Already done", "This login has already finished.")
        elif outcome.code is None:
            self._answer(outcome.status, "Login failed", outcome.failure)
        else:
            self._answer(200, "Logged in", "You may close this window.")

    def _answer(self, status: int, title: str, message: str) -> None:
        page = (
            f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}"
            f"</title><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(page)


def _read_callback(query: str, expected_state: str) -> CallbackOutcome:
    fields = {name: values[0] for name, values in parse_qs(query).items()}
    state = fields.get("state", "")
    if not secrets.compare_digest(state.encode(), expected_state.encode()):
        return CallbackOutcome(
            error="state_mismatch",
            status=400,
            failure="The browser login came back with a state that does not "
            "match this login, so its answer was not used. A stale browser tab "
            "or another program may have called the callback: start again.",
        )
    if "error" in fields:
        error = _printable(fields["error"])
        status = 403 if error == "access_denied" else 400
        return CallbackOutcome(error=error, status=status, failure=_refusal(fields))
    code = fields.get("code")
    if not code:
        return CallbackOutcome(
            error="no_code",
            status=400,
            failure="The browser login came back without a code or an error. "
            "Check that the login URL points at Genesys Cloud.",
        )
    return CallbackOutcome(code=Secret(code, "code"))


def _refusal(fields: dict[str, str]) -> str:
    error = _printable(fields["error"])
    words = _printable(fields.get("error_description", ""))
    said = f'"{error}" ({words})' if words else f'"{error}"'
    if error == "access_denied":
        hint = (
            "The user declined, or may not authorize this OAuth client: log in "
            "as a user who may, or check the client's roles."
        )
    else:
        hint = (
            "Check that the OAuth client uses the code grant and that its "
            "redirect URI is the one this session listens on."
        )
    return f"The browser login was refused with {said}. {hint}"


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())[:200]
