"""``FakeCloud``: start, steer and inspect the fake Genesys Cloud from a test."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from .faults import drop_fault, fail_fault, rate_limit_fault, stall_fault
from .handlers import HOST, FakeCloudServer
from .messages import RecordedRequest
from .models import JsonObject
from .records import CLIENT_CREDENTIALS
from .state import DEFAULT_PERMISSIONS, DEFAULT_USERNAME, CloudState

JOIN_SECONDS = 5.0


class FakeCloud:
    """A fake Genesys Cloud serving both login and API on one loopback port.

    :param clients: client-credentials OAuth clients, id to secret.
    :param token_lifetime: the ``expires_in`` of issued tokens, in seconds.
    :param port: the port to listen on; 0 takes any free one.
    """

    def __init__(
        self,
        clients: Mapping[str, str] | None = None,
        token_lifetime: int = 86400,
        *,
        port: int = 0,
    ) -> None:
        """Prepare the fake cloud; nothing listens before ``start``."""
        self._state = CloudState(token_lifetime)
        for client_id, secret in (clients or {}).items():
            self.add_client(client_id, secret)
        self._port = port
        self._server: FakeCloudServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False

    def __repr__(self) -> str:
        """Show where the fake cloud listens and who may log in, never secrets."""
        where = self.url if self._server is not None else "not started"
        return f"<FakeCloud {where} clients={self._state.client_ids()!r}>"

    def start(self) -> FakeCloud:
        """Listen and serve in a daemon thread; return the fake cloud itself."""
        if self._server is not None or self._stopped:
            raise RuntimeError(
                "A FakeCloud starts once; make a new one to start again."
            )
        self._server = FakeCloudServer(self._port, self._state)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fakecloud-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end stalls, cut open connections and close the socket."""
        server, self._server = self._server, None
        self._stopped = True
        if server is None:
            return
        self._state.stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(JOIN_SECONDS)

    def __enter__(self) -> FakeCloud:
        """Start the fake cloud for the ``with`` block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the fake cloud at the end of the ``with`` block."""
        self.stop()

    @property
    def port(self) -> int:
        """Return the port the fake cloud listens on."""
        if self._server is None:
            raise RuntimeError("The FakeCloud is not running; call start() first.")
        return self._server.server_port

    @property
    def url(self) -> str:
        """Return the base URL of both login and API, ``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"

    def add_client(
        self,
        client_id: str,
        secret: str,
        *,
        grant: str = CLIENT_CREDENTIALS,
        roles_permissions: Iterable[str] | None = None,
    ) -> None:
        """Register an OAuth client for grant ``client_credentials`` or ``code``.

        :param roles_permissions: what a client-credentials token may do, such as
            ``architect:flow:view``; None allows everything.
        """
        self._state.add_client(client_id, secret, grant, roles_permissions)

    def add_user(
        self,
        username: str = DEFAULT_USERNAME,
        permissions: Iterable[str] = DEFAULT_PERMISSIONS,
    ) -> None:
        """Set the user that an authorize request logs in, with its permissions."""
        self._state.add_user(username, permissions)

    @property
    def org(self) -> JsonObject:
        """Return the Organization body served (edit it in place or replace it)."""
        return self._state.org

    @org.setter
    def org(self, body: JsonObject) -> None:
        with self._state.lock:
            self._state.org = body

    @property
    def flows(self) -> list[JsonObject]:
        """Return the Flow bodies served (edit them in place or replace them)."""
        return self._state.flows

    @flows.setter
    def flows(self, bodies: list[JsonObject]) -> None:
        with self._state.lock:
            self._state.flows = bodies

    @property
    def token_lifetime(self) -> int:
        """Return the ``expires_in`` given to tokens issued from now on."""
        return self._state.token_lifetime

    @token_lifetime.setter
    def token_lifetime(self, seconds: int) -> None:
        self._state.token_lifetime = seconds

    @property
    def gzip(self) -> bool:
        """Return whether JSON answers are sent with Content-Encoding: gzip."""
        return self._state.gzip

    @gzip.setter
    def gzip(self, enabled: bool) -> None:
        self._state.gzip = enabled

    @property
    def set_cookie(self) -> str | None:
        """Return the cookie that token answers set, if any."""
        return self._state.set_cookie

    @set_cookie.setter
    def set_cookie(self, value: str | None) -> None:
        self._state.set_cookie = value

    @property
    def cookie_header_name(self) -> str:
        """Return the spelling of the cookie header, ``Set-Cookie`` by default."""
        return self._state.cookie_header_name

    @cookie_header_name.setter
    def cookie_header_name(self, name: str) -> None:
        self._state.cookie_header_name = name

    @property
    def requests(self) -> list[RecordedRequest]:
        """Return a copy of the request log, in order of arrival."""
        return self._state.requests()

    def count(self, method: str, path: str) -> int:
        """Return how many requests had ``method`` and exactly ``path`` (no query)."""
        return self._state.count(method, path)

    def clear_log(self) -> None:
        """Forget every logged request."""
        self._state.clear_log()

    @property
    def issued_tokens(self) -> list[str]:
        """Return every access token issued so far, oldest first."""
        return self._state.issued_tokens()

    def revoke_all(self) -> None:
        """Make every issued token invalid: the API answers 401 to it."""
        self._state.revoke_all()

    def expire_all(self) -> None:
        """Make every issued token expired now: the API answers 401 to it."""
        self._state.expire_all()

    def fail(
        self,
        path: str,
        status: int,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
        method: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status``.

        :param body: a dict or list (sent as JSON), str, bytes, or None for an
            ErrorBody.
        :param headers: extra headers, such as ``{"Retry-After": "2"}``.
        """
        fault = fail_fault(
            path, status, body=body, headers=headers, times=times, method=method
        )
        self._state.faults.add(fault)

    def stall(
        self, path: str, seconds: float, *, times: int = 1, method: str | None = None
    ) -> None:
        """Read the next ``times`` matching requests, then wait before answering.

        The wait never exceeds ``seconds`` nor a minute, and stopping ends it.
        """
        self._state.faults.add(stall_fault(path, seconds, times=times, method=method))

    def drop(self, path: str, *, times: int = 1, method: str | None = None) -> None:
        """Close the connection of the next ``times`` matching requests unanswered."""
        self._state.faults.add(drop_fault(path, times=times, method=method))

    def rate_limit_token_endpoint(self, times: int = 1) -> None:
        """Answer the next ``times`` token requests 400 ``rate limit exceeded``."""
        self._state.faults.add(rate_limit_fault(times))

    def clear_faults(self) -> None:
        """Forget every fault not yet used up."""
        self._state.faults.clear()
