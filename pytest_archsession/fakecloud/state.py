"""Everything the fake cloud remembers, behind one lock."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Iterable

from .faults import FaultQueue
from .messages import RecordedRequest
from .models import JsonObject, default_flows, default_org, user_id_for
from .records import GRANTS, ClientRecord, CodeRecord, TokenRecord, UserRecord

CODE_LIFETIME_SECONDS = 300.0
DEFAULT_USERNAME = "tester"
DEFAULT_PERMISSIONS = ("architect:ui:view", "architect:flow:view")


class CloudState:
    """Clients, the login user, tokens, codes, org, flows, faults and the log."""

    def __init__(self, token_lifetime: int) -> None:
        """Start with no clients, the default user, org and flows."""
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.faults = FaultQueue()
        self.token_lifetime = token_lifetime
        self.gzip = False
        self.set_cookie: str | None = None
        self.cookie_header_name = "Set-Cookie"
        self.org: JsonObject = default_org()
        self.flows: list[JsonObject] = default_flows()
        self._clients: dict[str, ClientRecord] = {}
        self._users: dict[str, UserRecord] = {}
        self._login_username = DEFAULT_USERNAME
        self._tokens: dict[str, TokenRecord] = {}
        self._codes: dict[str, CodeRecord] = {}
        self._log: list[RecordedRequest] = []
        self.add_user(DEFAULT_USERNAME, DEFAULT_PERMISSIONS)

    def add_client(
        self,
        client_id: str,
        secret: str,
        grant: str,
        roles_permissions: Iterable[str] | None,
    ) -> None:
        """Register (or replace) an OAuth client."""
        if grant not in GRANTS:
            raise ValueError(f"grant must be one of {GRANTS}, not {grant!r}.")
        permissions = None if roles_permissions is None else tuple(roles_permissions)
        record = ClientRecord(client_id, secret, grant, permissions, time.time())
        with self.lock:
            self._clients[client_id] = record

    def client(self, client_id: str) -> ClientRecord | None:
        """Return the client called ``client_id``, if there is one."""
        with self.lock:
            return self._clients.get(client_id)

    def client_ids(self) -> list[str]:
        """Return the registered client ids."""
        with self.lock:
            return list(self._clients)

    def add_user(self, username: str, permissions: Iterable[str]) -> None:
        """Register ``username`` and make it the user that authorize logs in."""
        user = UserRecord(user_id_for(username), username, tuple(permissions))
        with self.lock:
            self._users[username] = user
            self._login_username = username

    def user(self, username: str) -> UserRecord | None:
        """Return the user called ``username``, if there is one."""
        with self.lock:
            return self._users.get(username)

    def login_user(self) -> UserRecord:
        """Return the user that an authorize request logs in."""
        with self.lock:
            return self._users[self._login_username]

    def issue_token(
        self, client_id: str, username: str | None, scope: tuple[str, ...]
    ) -> TokenRecord:
        """Mint a token for ``client_id`` (and ``username``, for a user login)."""
        with self.lock:
            lifetime = self.token_lifetime
            value = secrets.token_urlsafe(32)
            deadline = time.monotonic() + lifetime
            record = TokenRecord(
                value, client_id, username, scope, lifetime, time.time(), deadline
            )
            self._tokens[value] = record
            return record

    def token(self, value: str) -> TokenRecord | None:
        """Return the record of token ``value``, valid or not."""
        with self.lock:
            return self._tokens.get(value)

    def revoke(self, value: str) -> None:
        """Make token ``value`` invalid from now on."""
        with self.lock:
            record = self._tokens.get(value)
            if record is not None:
                record.revoked = True

    def revoke_all(self) -> None:
        """Make every issued token invalid from now on."""
        with self.lock:
            for record in self._tokens.values():
                record.revoked = True

    def expire_all(self) -> None:
        """Make every issued token expired from now on."""
        now = time.monotonic()
        with self.lock:
            for record in self._tokens.values():
                record.deadline = min(record.deadline, now)

    def issued_tokens(self) -> list[str]:
        """Return every access token issued so far, oldest first."""
        with self.lock:
            return list(self._tokens)

    def new_code(
        self,
        client_id: str,
        redirect_uri: str,
        challenge: str | None,
        scope: tuple[str, ...],
    ) -> CodeRecord:
        """Log the login user in for ``client_id`` and return a one-time code."""
        with self.lock:
            username = self._login_username
            deadline = time.monotonic() + CODE_LIFETIME_SECONDS
            code = secrets.token_urlsafe(24)
            record = CodeRecord(
                code, client_id, redirect_uri, challenge, username, scope, deadline
            )
            self._codes[code] = record
            return record

    def take_code(self, code: str) -> CodeRecord | None:
        """Use up ``code``: it is never valid again, whatever happens next."""
        with self.lock:
            record = self._codes.pop(code, None)
        if record is None or time.monotonic() >= record.deadline:
            return None
        return record

    def record(self, request: RecordedRequest) -> None:
        """Append ``request`` to the request log."""
        with self.lock:
            self._log.append(request)

    def requests(self) -> list[RecordedRequest]:
        """Return a copy of the request log, in order of arrival."""
        with self.lock:
            return list(self._log)

    def count(self, method: str, path: str) -> int:
        """Return how many logged requests had ``method`` and exactly ``path``."""
        wanted = method.upper()
        with self.lock:
            return sum(1 for r in self._log if r.method == wanted and r.path == path)

    def clear_log(self) -> None:
        """Forget every logged request."""
        with self.lock:
            self._log.clear()

    def org_snapshot(self) -> JsonObject:
        """Return a private copy of the Organization body."""
        with self.lock:
            return copy.deepcopy(self.org)

    def flows_snapshot(self) -> list[JsonObject]:
        """Return a private copy of the Flow bodies."""
        with self.lock:
            return copy.deepcopy(self.flows)
