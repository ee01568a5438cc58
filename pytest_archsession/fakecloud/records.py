"""Plain records of what the fake cloud knows: clients, users, tokens and codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CLIENT_CREDENTIALS = "client_credentials"
CODE = "code"
GRANTS = (CLIENT_CREDENTIALS, CODE)


@dataclass
class ClientRecord:
    """An OAuth client registered with the fake cloud."""

    client_id: str
    secret: str
    grant: str
    roles_permissions: tuple[str, ...] | None
    created_at: float

    def __repr__(self) -> str:
        """Name the client without its secret."""
        return f"ClientRecord(client_id={self.client_id!r}, grant={self.grant!r})"


@dataclass
class UserRecord:
    """The user that an authorize request logs in."""

    user_id: str
    username: str
    permissions: tuple[str, ...]


@dataclass
class TokenRecord:
    """An issued access token and what it stands for."""

    value: str
    client_id: str
    username: str | None
    scope: tuple[str, ...]
    lifetime: int
    issued_at: float
    deadline: float
    revoked: bool = False

    def __repr__(self) -> str:
        """Describe the token without its value."""
        return f"TokenRecord(client_id={self.client_id!r}, user={self.username!r})"

    def is_expired(self, now: float) -> bool:
        """Return whether the token's lifetime has run out at monotonic ``now``."""
        return now >= self.deadline


@dataclass
class CodeRecord:
    """An authorization code waiting to be exchanged once."""

    code: str
    client_id: str
    redirect_uri: str
    challenge: str | None
    username: str
    scope: tuple[str, ...]
    deadline: float


def has_permission(granted: Iterable[str], wanted: str) -> bool:
    """Return whether ``granted`` holds ``wanted``, a ``*`` part matching any part."""
    wanted_parts = wanted.split(":")
    for permission in granted:
        parts = permission.split(":")
        if len(parts) != len(wanted_parts):
            continue
        if all(
            mine in ("*", theirs)
            for mine, theirs in zip(parts, wanted_parts, strict=True)
        ):
            return True
    return False
