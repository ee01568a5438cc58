"""Logging a session in: the token, its checks, the org, the API client."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ArchStateError
from ..locations import Location
from ..secrets import Secret, SecretRegistry
from ..wire import platform
from ..wire.oauth import TokenGrant, request_client_credentials
from ..wire.tokenstore import TokenStore
from ..wire.transport import Exchange, WireSession, WireSettings, session_traffic
from ..wire.usergrant import UserLogin
from .tokens import SessionToken

#: An auth token given by the user is assumed to live this long unless the
#: token info says otherwise.
GIVEN_TOKEN_LIFETIME = 86400.0


@dataclass
class ConnectOptions:
    """Everything a login needs besides the credentials.

    :param on_exchange: receives every HTTP exchange, for the network log.
    :param user_login: performs the authorization code grant for a person;
        given the login session, returns the grant.
    """

    location: Location
    secrets: SecretRegistry
    wire: WireSettings = field(default_factory=WireSettings)
    on_exchange: Callable[[Exchange], None] | None = None
    user_login: Callable[[WireSession], TokenGrant] | None = None
    replayed: bool = False
    redirect_port: int = 9001
    login_wait: float = 120.0
    token_store: Path | None = None
    browser_opener: Callable[[str], object] | None = None


class Connection:
    """A logged-in session's token, org and API client."""

    def __init__(
        self,
        options: ConnectOptions,
        token: SessionToken,
        login: WireSession | None = None,
    ) -> None:
        self.location = options.location
        self.token = token
        self.replayed = options.replayed
        self._login = login
        self.api = WireSession(
            options.location.api_url,
            options.wire,
            token_source=token,
            on_exchange=options.on_exchange,
        )
        self.org: dict[str, Any] = {}

    def load_org(self) -> None:
        """Read the org the token belongs to."""
        with session_traffic():
            self.org = platform.get_org(self.api)

    def logout(self) -> None:
        """Revoke the token in use on the server.

        It goes out on a client of its own that never renews the token: a
        refused logout must not log in again and leave a new token behind.
        """
        revoking = WireSession(
            self.api.base_url,
            self.api.settings,
            token_source=FixedToken(self.token.grant.access_token),
            on_exchange=self.api.on_exchange,
        )
        with session_traffic(), revoking:
            platform.logout(revoking)

    def close(self) -> None:
        """Release the HTTP connections."""
        self.api.close()
        if self._login is not None:
            self._login.close()

    @contextmanager
    def closed_on_failure(self, *, revoke: bool) -> Iterator[None]:
        """Close the connection if the block fails, so a half-made login
        leaves nothing open; revoke the token too when it is ours alone."""
        try:
            yield
        except BaseException:
            if revoke and not self.replayed:
                with suppress(Exception):
                    self.logout()
            self.close()
            raise


class FixedToken:
    """A token source that hands out one token and never renews it."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def bearer_token(self) -> str:
        return self._token.reveal()

    def renew_after_refusal(self) -> bool:
        return False

    def refused_again(self) -> None:
        return None


def login_wire(options: ConnectOptions) -> WireSession:
    """Return a session bound to the login service; the grant is retried too."""
    return WireSession(
        options.location.login_url,
        options.wire,
        on_exchange=options.on_exchange,
        retry_unsafe=True,
    )


def connect_client(
    options: ConnectOptions,
    client_id: str,
    client_secret: Secret,
    is_client_credentials: bool,
) -> Connection:
    """Log in with a client id and secret, as an OAuth client or a person."""
    options.secrets.add(client_secret)
    options.secrets.add_basic(client_id, client_secret)
    login = login_wire(options)

    def grant() -> TokenGrant:
        with session_traffic():
            return _grant()

    def _grant() -> TokenGrant:
        if is_client_credentials:
            new = request_client_credentials(
                login, options.location, client_id, client_secret
            )
        else:
            new = _user_grant(options, login, client_id, client_secret)
        options.secrets.add(new.access_token)
        return new

    renew = grant if is_client_credentials and not options.replayed else None
    token = SessionToken(grant(), renew, replayed=options.replayed)
    connection = Connection(options, token, login)
    with connection.closed_on_failure(revoke=is_client_credentials):
        if not is_client_credentials:
            with session_traffic():
                platform.check_architect_permission(connection.api)
        connection.load_org()
    return connection


def _user_grant(
    options: ConnectOptions, login: WireSession, client_id: str, client_secret: Secret
) -> TokenGrant:
    """Log a person in through the browser, or reuse their stored token."""
    if options.replayed:
        raise ArchStateError("A replayed session never opens a browser login.")
    user_login = options.user_login or UserLogin(
        location=options.location,
        client_id=client_id,
        client_secret=client_secret,
        secrets=options.secrets,
        redirect_port=options.redirect_port,
        opener=options.browser_opener,
        wait_seconds=options.login_wait,
        store=TokenStore(options.token_store),
    )
    return user_login(login)


def connect_token(
    options: ConnectOptions, auth_token: Secret, is_client_credentials: bool
) -> Connection:
    """Start from a token the user already has, after checking it works."""
    options.secrets.add(auth_token)
    grant = TokenGrant(auth_token, "bearer", GIVEN_TOKEN_LIFETIME, time.monotonic())
    token = SessionToken(grant, None, replayed=options.replayed)
    connection = Connection(options, token)
    hint = (
        "The token has expired, was revoked, or belongs to another region: "
        "get a new token for this location."
    )
    with connection.closed_on_failure(revoke=False):
        with session_traffic():
            platform.get_token_info(connection.api, hint)
            if not is_client_credentials:
                platform.check_architect_permission(connection.api)
        connection.load_org()
    return connection


def resume_connection(
    options: ConnectOptions,
    token: Secret,
    org: dict[str, Any],
    seconds_left: float,
    client: tuple[str, Secret] | None = None,
) -> Connection:
    """Build a connection from a token and org obtained elsewhere.

    :param client: a client-credentials client that may log in again when
        the token is spent; without one the token cannot be renewed.
    """
    options.secrets.add(token)
    grant = TokenGrant(token, "bearer", seconds_left, time.monotonic())
    renew = None
    if client is not None and not options.replayed:
        login = login_wire(options)
        client_id, client_secret = client
        options.secrets.add(client_secret)
        options.secrets.add_basic(client_id, client_secret)

        def renew() -> TokenGrant:
            with session_traffic():
                new = request_client_credentials(
                    login, options.location, client_id, client_secret
                )
            options.secrets.add(new.access_token)
            return new

    connection = Connection(
        options, SessionToken(grant, renew, replayed=options.replayed)
    )
    connection.org = dict(org)
    return connection
