"""Tokens from earlier user logins, kept in a private JSON file for reuse.

The file maps a login URL and a client id to an access token and the wall
clock time it expires. Only its owner may read it: the file is created with
mode 0600 inside directories created with mode 0700, and every write
replaces it whole, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

from ..secrets import Secret
from .oauth import TokenGrant

logger = logging.getLogger("pytest_archsession")

#: The layout of the file; a file of another version is ignored.
STORE_VERSION = 1

STORE_DIRECTORY = "pytest-archsession"
STORE_FILE = "tokens.json"

StoredToken = tuple[Secret, float]


def default_store_path() -> Path:
    """Return ``tokens.json`` in the user's cache directory.

    ``XDG_CACHE_HOME`` names that directory when it holds an absolute path;
    otherwise it is ``~/.cache``.
    """
    cache = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(cache) if os.path.isabs(cache) else Path.home() / ".cache"
    return base / STORE_DIRECTORY / STORE_FILE


class TokenStore:
    """Save, find and forget user tokens, one per login URL and client id.

    A store that cannot be read, or holds something other than what this
    class writes, is ignored with a warning: the worst it can cost is a new
    login. Writes that fail are warned about too.

    :param path: the JSON file; :func:`default_store_path` when None.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()

    def __repr__(self) -> str:
        return f"<TokenStore {self.path}>"

    def load(self, login_url: str, client_id: str) -> StoredToken | None:
        """Return the stored token and its expiry (``time.time()`` seconds).

        The token may have expired already: the caller decides what is left
        enough. Returns None when nothing usable is stored.
        """
        entry = self._read().get(_login_key(login_url), {}).get(client_id)
        if entry is None:
            return None
        token = entry.get("access_token") if isinstance(entry, dict) else None
        expires_at = _expiry(entry)
        if not isinstance(token, str) or not token or expires_at is None:
            logger.warning(
                "Ignoring a malformed entry for client %s in the token store %s.",
                client_id,
                self.path,
            )
            return None
        return Secret(token, "access_token"), expires_at

    def save(self, login_url: str, client_id: str, grant: TokenGrant) -> None:
        """Store the token of ``grant`` for reuse until it expires."""
        tokens = self._read()
        _drop_expired(tokens)
        entry = {
            "access_token": grant.access_token.reveal(),
            "expires_at": time.time() + grant.seconds_left(),
        }
        tokens.setdefault(_login_key(login_url), {})[client_id] = entry
        self._write(tokens)

    def forget(self, login_url: str, client_id: str) -> None:
        """Remove the token stored for this login URL and client id, if any."""
        tokens = self._read()
        clients = tokens.get(_login_key(login_url), {})
        if clients.pop(client_id, None) is None:
            return
        if not clients:
            del tokens[_login_key(login_url)]
        self._write(tokens)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            self._ignore(f"it could not be read ({_reason(exc)})")
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            self._ignore("it is not valid JSON")
            return {}
        if not isinstance(data, dict) or data.get("version") != STORE_VERSION:
            self._ignore("it is not in the layout this version writes")
            return {}
        tokens = data.get("tokens")
        if not isinstance(tokens, dict):
            self._ignore("it is not in the layout this version writes")
            return {}
        return {
            login: clients
            for login, clients in tokens.items()
            if isinstance(clients, dict)
        }

    def _ignore(self, why: str) -> None:
        logger.warning(
            "Ignoring the token store %s because %s; the next login will replace it.",
            self.path,
            why,
        )

    def _write(self, tokens: dict[str, dict[str, Any]]) -> None:
        # Two processes saving at once: the later write wins and the other's
        # new entry is lost, which costs that process one more login later.
        text = json.dumps({"version": STORE_VERSION, "tokens": tokens}, indent=1)
        try:
            _make_private_directories(self.path.parent)
            _replace_privately(self.path, text)
        except OSError as exc:
            logger.warning(
                "Could not write the token store %s (%s); the next session "
                "will log in through the browser again.",
                self.path,
                _reason(exc),
            )


def _login_key(login_url: str) -> str:
    return login_url.rstrip("/")


def _expiry(entry: object) -> float | None:
    value = entry.get("expires_at") if isinstance(entry, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _drop_expired(tokens: dict[str, dict[str, Any]]) -> None:
    now = time.time()
    for login in list(tokens):
        clients = tokens[login]
        for client_id in list(clients):
            expires_at = _expiry(clients[client_id])
            if expires_at is None or expires_at <= now:
                del clients[client_id]
        if not clients:
            del tokens[login]


def _make_private_directories(directory: Path) -> None:
    """Create ``directory`` and its missing parents, each with mode 0700.

    Directories that exist already keep their mode: they may be shared ones
    such as the home directory.
    """
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)


def _replace_privately(path: Path, text: str) -> None:
    """Write ``text`` to a new 0600 file beside ``path``, then move it there."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__
