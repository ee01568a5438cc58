"""Values that must never be written anywhere: the type that hides them, and
the registry that lets a cassette writer find and replace them.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

#: Kinds of secret, each with the placeholder that replaces it on disk.
PLACEHOLDERS: dict[str, str] = {
    "client_secret": "SCRUBBED:CLIENT-SECRET",
    "access_token": "SCRUBBED:ACCESS-TOKEN",
    "basic": "SCRUBBED:BASIC-CREDENTIAL",
    "code": "SCRUBBED:AUTHORIZATION-CODE",
    "verifier": "SCRUBBED:PKCE-VERIFIER",
    "refresh_token": "SCRUBBED:REFRESH-TOKEN",
}

#: Secrets shorter than this, and plain lowercase words, are not searched
#: for by value: they would match ordinary text ("expired"). They are still
#: removed by place (headers, token fields). Real secrets and tokens are
#: long and mixed.
MIN_SCRUB_LENGTH = 8

#: What ``requests`` leaves unescaped when it quotes a URL it is given.
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"

#: Where a secret that begins with a letter or digit may begin: not glued to
#: another letter or digit, so that a token that happens to be a word is not
#: replaced inside other words; but right after a percent escape, as in the
#: ``%3D`` of a URL nested in another.
_BEFORE = r"(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))"
#: ...and where one that ends with a letter or digit may end.
_AFTER = r"(?![A-Za-z0-9])"


class Secret:
    """A string that hides itself from ``repr``, ``str`` and formatting.

    Call :meth:`reveal` at the one place the raw value is needed.
    """

    __slots__ = ("_kind", "_value")

    def __init__(self, value: str, kind: str = "client_secret") -> None:
        if kind not in PLACEHOLDERS:
            raise ValueError(f"Unknown secret kind {kind!r}.")
        self._value = value
        self._kind = kind

    @property
    def kind(self) -> str:
        """Return the kind of secret this is (``client_secret``, ...)."""
        return self._kind

    def reveal(self) -> str:
        """Return the raw value."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({self._kind}, hidden)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("A Secret cannot be pickled: pass it explicitly.")


def encoded_forms(value: str) -> set[str]:
    """Return the forms ``value`` can take on the wire: raw, percent-encoded
    (path and form style) and base64 (standard and URL-safe, padded or not).
    """
    raw = value.encode("utf-8")
    forms = {
        value,
        quote(value, safe=""),
        quote_plus(value),
        quote(value),
        quote(value, safe=_URI_SAFE),
        json.dumps(value)[1:-1],
        repr(raw)[2:-1],
    }
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode("ascii")
        forms.update((text, text.rstrip("=")))
    return {form for form in forms if _searchable(form)}


def _searchable(value: str) -> bool:
    return len(value) >= MIN_SCRUB_LENGTH and not value.isalpha()


#: A secret this long is found even glued to letters or digits: no word or
#: ordinary text is that long and mixed (tokens are ~40 characters and up).
UNBOUNDED_LENGTH = 20


def _bounded(value: str) -> str:
    """Return the pattern of ``value``, bounded only at an edge that is a letter
    or digit: ``/``, ``.`` or ``=`` at its edge is a boundary of its own. A
    long secret is not bounded at all.
    """
    if len(value) >= UNBOUNDED_LENGTH:
        return re.escape(value)
    before = _BEFORE if value[0].isalnum() else ""
    after = _AFTER if value[-1].isalnum() else ""
    return f"{before}{re.escape(value)}{after}"


class SecretRegistry:
    """Every secret one run knows, with its placeholder, safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._placeholders: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._pattern: re.Pattern[str] | None = None
        self._known: set[str] = set()

    def add(
        self, secret: Secret | str, kind: str | None = None, *, numbered: bool = True
    ) -> None:
        """Remember ``secret`` so that every form of it can be scrubbed.

        :param numbered: give it a placeholder of its own (``...-2``); a value
            found only in a recording shares its kind's first placeholder.
        """
        value = secret.reveal() if isinstance(secret, Secret) else secret
        kind = kind or (secret.kind if isinstance(secret, Secret) else "access_token")
        if not value or is_placeholder(value):
            return
        with self._lock:
            if value in self._known:
                return
            placeholder = (
                self._next_placeholder(kind) if numbered else PLACEHOLDERS[kind]
            )
            self._known.add(value)
            for form in encoded_forms(value):
                self._placeholders.setdefault(form, placeholder)
            self._pattern = None

    def add_basic(self, client_id: str, client_secret: Secret) -> None:
        """Remember the Basic credential built from a client id and secret."""
        pair = f"{client_id}:{client_secret.reveal()}".encode()
        self.add(base64.b64encode(pair).decode("ascii"), "basic")

    def _next_placeholder(self, kind: str) -> str:
        count = self._counts.get(kind, 0) + 1
        self._counts[kind] = count
        base = PLACEHOLDERS[kind]
        return base if count == 1 else f"{base}-{count}"

    def replacements(self) -> list[tuple[str, str]]:
        """Return (value, placeholder) pairs, longest value first."""
        with self._lock:
            pairs = list(self._placeholders.items())
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def _compiled(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        with self._lock:
            if self._pattern is None and self._placeholders:
                values = sorted(self._placeholders, key=len, reverse=True)
                self._pattern = re.compile("|".join(map(_bounded, values)))
            return self._pattern, dict(self._placeholders)

    def scrub_text(self, text: str) -> str:
        """Return ``text`` with every known secret replaced by its placeholder."""
        pattern, placeholders = self._compiled()
        if pattern is None:
            return text
        return pattern.sub(lambda match: placeholders[match.group(0)], text)

    def find_in(self, text: str) -> Iterator[str]:
        """Yield the placeholder of every known secret that ``text`` holds."""
        pattern, placeholders = self._compiled()
        if pattern is None:
            return
        for match in pattern.finditer(text):
            yield placeholders[match.group(0)]

    def __len__(self) -> int:
        with self._lock:
            return len(self._placeholders)

    def __repr__(self) -> str:
        return f"SecretRegistry({len(self)} values, hidden)"


def has_control_character(value: str) -> bool:
    """Return whether ``value`` holds a character no HTTP header can carry."""
    return any(ord(char) < 32 or ord(char) == 127 for char in value)


def is_placeholder(value: str) -> bool:
    """Return whether ``value`` is one of our placeholders, not a secret."""
    return value.startswith("SCRUBBED:")
