"""The Python counterpart of Architect Scripting's ``ArchSession``."""

from __future__ import annotations

import secrets as _random
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from ..errors import ArchStateError, ArchUsageError
from ..locations import Location, resolve_location
from ..secrets import Secret, SecretRegistry, has_control_character
from ..wire.oauth import TokenGrant
from ..wire.transport import Exchange, WireSession, WireSettings
from .aliases import add_camel_case_aliases
from .connection import (
    Connection,
    ConnectOptions,
    connect_client,
    connect_token,
    resume_connection,
)
from .cycle import (
    END_MODE_END,
    END_MODE_END_WITH_LOGOUT,
    END_MODES,
    RESERVED_EXIT_CODE,
    STATUS_ENDED,
    STATUS_NOT_STARTED,
    STATUS_RUNNING,
    ArchCycleMixin,
    SessionCallback,
)
from .orginfo import OrgInfo
from .work import PendingWork

__all__ = [
    "END_MODES",
    "END_MODE_END",
    "END_MODE_END_WITH_LOGOUT",
    "STATUS_ENDED",
    "ArchSession",
]


class ArchSession(ArchCycleMixin):
    """A session with one Genesys Cloud org, started, run and ended.

    :param end_terminates_process: exit the process with ``end_exit_code``
        once the session ends (the Architect Scripting default).
    :param secrets: where the session records the secrets it handles, so
        that whatever writes exchanges to disk can scrub them.
    :param wire: timeouts and retry limits for every request.
    """

    display_type_name = "ArchSession"
    is_arch_session = True

    def __init__(
        self,
        *,
        end_terminates_process: bool = True,
        secrets: SecretRegistry | None = None,
        wire: WireSettings | None = None,
    ) -> None:
        self.arch_session_id = _random.token_hex(4)
        self.end_terminates_process = end_terminates_process
        self.secrets = secrets if secrets is not None else SecretRegistry()
        self.wire_settings = wire or WireSettings()
        self.user_login: Callable[[WireSession], TokenGrant] | None = None
        self.redirect_port = 9001
        self.login_wait = 120.0
        self.token_store: Path | None = None
        self.browser_opener: Callable[[str], object] | None = None
        self.replayed = False
        self._status = STATUS_NOT_STARTED
        self._end_mode = END_MODE_END
        self._end_exit_code = 0
        self._location: Location | None = None
        self._connection: Connection | None = None
        self._org: dict[str, Any] = {}
        self._callback_end: SessionCallback | None = None
        self._callback_end_called = False
        self._work = PendingWork()
        self.ended_with_logout = False
        self.logout_error: Exception | None = None

    # -- what the session is -------------------------------------------------

    @property
    def status(self) -> str:
        """Return ``'notStarted'``, ``'running'`` or ``'ended'``."""
        return self._status

    @property
    def end_mode(self) -> str:
        """Return how the start methods end the session: ``end`` or
        ``endWithLogout``."""
        return self._end_mode

    @end_mode.setter
    def end_mode(self, mode: str) -> None:
        if mode not in END_MODES:
            raise ArchUsageError(
                f"Unknown end mode {mode!r}. Use {END_MODE_END!r} or "
                f"{END_MODE_END_WITH_LOGOUT!r}."
            )
        self._end_mode = mode

    @property
    def end_exit_code(self) -> int:
        """Return the code the process exits with when the session ends."""
        return self._end_exit_code

    @end_exit_code.setter
    def end_exit_code(self, code: int) -> None:
        if isinstance(code, bool) or not isinstance(code, int):
            raise ArchUsageError(
                f"The end exit code must be an int, not {type(code).__name__}."
            )
        if code == RESERVED_EXIT_CODE:
            raise ArchUsageError(
                "The exit code 99 is reserved for session failures; pick another."
            )
        if not 0 <= code <= 255:
            raise ArchUsageError(
                f"The end exit code must be from 0 to 255, not {code}: a process "
                "exit status keeps only its lowest 8 bits."
            )
        self._end_exit_code = code

    @property
    def is_connected(self) -> bool:
        """Return whether the session is logged in."""
        return self._connection is not None

    @property
    def location(self) -> Location | None:
        """Return the resolved location the session was started with."""
        return self._location

    @property
    def environment(self) -> str:
        """Return the location's environment (``prod``, ``dev``, ``test``)."""
        return self._location.environment if self._location else ""

    @property
    def host(self) -> str:
        """Return the location's domain."""
        return self._location.host if self._location else ""

    @property
    def region(self) -> str:
        """Return the location's AWS region."""
        return self._location.region if self._location else ""

    @property
    def auth_token(self) -> str:
        """Return the raw access token of the running session."""
        return self._require_connection().token.bearer_token()

    @property
    def token_seconds_left(self) -> float:
        """Return how many seconds the current token has left to live."""
        return self._require_connection().token.grant.seconds_left()

    @property
    def org_info(self) -> OrgInfo:
        """Return the org the session is logged in to."""
        if self._connection is not None:
            self._org = self._connection.org
        return OrgInfo(self._org)

    @property
    def org_id(self) -> str:
        """Return the org's id (deprecated: use ``org_info.id``)."""
        _deprecated("org_id", "org_info.id")
        return self.org_info.id

    @property
    def org_name(self) -> str:
        """Return the org's name (deprecated: use ``org_info.name``)."""
        _deprecated("org_name", "org_info.name")
        return self.org_info.name

    @property
    def api(self) -> requests.Session:
        """Return the HTTP client bound to the API base URL with the token."""
        return self._require_connection().api

    @property
    def log_str(self) -> str:
        """Return a string that names this session in log lines."""
        org = self.org_info
        return (
            f"[ArchSession, Environment:'{self.environment}', Host:'{self.host}', "
            f"Region:'{self.region}', ArchSessionId:'{self.arch_session_id}', "
            f"OrgName:'{org.name}', OrgId:'{org.id}']"
        )

    def __repr__(self) -> str:
        return f"<ArchSession {self.arch_session_id} {self._status} {self.host!r}>"

    def is_filter_match(self, arch_filter_object: Any) -> bool:
        """Return whether this session matches the filter object."""
        from .filters import matches

        return matches(self, arch_filter_object)

    # -- two-phase use: connect now, end later -------------------------------

    def connect_with_client_id_and_secret(
        self,
        location: str | Location,
        client_id: str,
        client_secret: str | Secret,
        is_client_credentials_oauth_client: bool = False,
    ) -> None:
        """Log in now with a client id and secret; end later with
        :meth:`end_by_mode`, :meth:`end` or :meth:`end_with_logout`."""
        secret = _secret(client_secret, "client secret")
        if not isinstance(client_id, str) or not client_id.strip():
            raise ArchUsageError("The client id is empty: give the OAuth client id.")
        options = self._begin(location)
        self._connected(
            connect_client(
                options, client_id, secret, is_client_credentials_oauth_client
            )
        )

    def connect_with_auth_token(
        self,
        location: str | Location,
        auth_token: str | Secret,
        is_client_credentials_oauth_client: bool = False,
    ) -> None:
        """Start now from an existing auth token; end later by the end mode."""
        token = _secret(auth_token, "auth token", kind="access_token")
        options = self._begin(location)
        self._connected(
            connect_token(options, token, is_client_credentials_oauth_client)
        )

    def resume(
        self,
        location: str | Location,
        auth_token: str | Secret,
        org: dict[str, Any],
        seconds_left: float,
        client: tuple[str, str | Secret] | None = None,
    ) -> None:
        """Run on a token and org that another process already obtained,
        without sending any request (pytest-xdist workers do this).

        :param client: the id and secret of a client-credentials client, to
            log in again when the token is spent.
        """
        token = _secret(auth_token, "auth token", kind="access_token")
        renewal = None
        if client is not None:
            renewal = (client[0], _secret(client[1], "client secret"))
        options = self._begin(location)
        self._connected(resume_connection(options, token, org, seconds_left, renewal))

    def _begin(self, location: str | Location) -> ConnectOptions:
        if self._status == STATUS_RUNNING:
            raise ArchStateError(
                "The session is already running; end it before starting again."
            )
        self._location = resolve_location(location)
        self._status = STATUS_NOT_STARTED
        self._callback_end_called = False
        self.ended_with_logout = False
        self.logout_error = None
        return ConnectOptions(
            location=self._location,
            secrets=self.secrets,
            wire=self.wire_settings,
            on_exchange=self._log_exchange,
            user_login=self.user_login,
            replayed=self.replayed,
            redirect_port=self.redirect_port,
            login_wait=self.login_wait,
            token_store=self.token_store,
            browser_opener=self.browser_opener,
        )

    def _connected(self, connection: Connection) -> None:
        self._connection = connection
        self._status = STATUS_RUNNING
        self.log_note("Session started.")

    def _require_connection(self) -> Connection:
        if self._connection is None:
            raise ArchStateError(
                f"The session is {self._status}, not running: start it first."
            )
        return self._connection

    def _log_exchange(self, exchange: Exchange) -> None:
        if not self.log_network_activity:
            return
        status = exchange.status if exchange.status is not None else "no answer"
        self.log_note(
            f"{exchange.method} {exchange.url} -> {status} in "
            f"{exchange.seconds * 1000:.0f} ms (try {exchange.attempt}, "
            f"correlation id {exchange.correlation_id or '-'})"
        )

    # -- the Architect Scripting cycle: start, run, end -----------------------

    def start_with_client_id_and_secret(
        self,
        location: str | Location,
        callback_start: SessionCallback,
        client_id: str,
        client_secret: str | Secret,
        callback_end: SessionCallback | None = None,
        is_client_credentials_oauth_client: bool = False,
    ) -> None:
        """Log in, run ``callback_start(session)``, then end by the end mode."""
        self._run_cycle(
            lambda: self.connect_with_client_id_and_secret(
                location, client_id, client_secret, is_client_credentials_oauth_client
            ),
            callback_start,
            callback_end,
        )

    def start_with_auth_token(
        self,
        location: str | Location,
        callback_start: SessionCallback,
        auth_token: str | Secret,
        callback_end: SessionCallback | None = None,
        is_client_credentials_oauth_client: bool = False,
    ) -> None:
        """Start from a token, run ``callback_start(session)``, then end."""
        self._run_cycle(
            lambda: self.connect_with_auth_token(
                location, auth_token, is_client_credentials_oauth_client
            ),
            callback_start,
            callback_end,
        )


def _secret(value: str | Secret, what: str, kind: str = "client_secret") -> Secret:
    if isinstance(value, Secret):
        secret = value
    elif isinstance(value, str):
        secret = Secret(value, kind)
    else:
        raise ArchUsageError(f"The {what} must be a string.")
    if not secret.reveal().strip():
        raise ArchUsageError(f"The {what} is empty: give the value itself.")
    if has_control_character(secret.reveal()):
        raise ArchUsageError(
            f"The {what} holds a control character (a line break, say), which "
            "no HTTP header can carry. Strip it: a trailing newline often comes "
            "from the file or variable it was read from."
        )
    return secret


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"ArchSession.{old} is deprecated; use ArchSession.{new}.",
        DeprecationWarning,
        stacklevel=3,
    )


add_camel_case_aliases(ArchSession)
