"""Scrubbing recorded exchanges before they reach the disk.

Secrets are removed by place (credential headers, cookies, sensitive fields
of query strings, forms and JSON bodies) and by value (every secret the run
knows, in every form it takes on the wire). Compressed bodies are stored
decoded so that what they hold can be seen and scrubbed.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import ScrubError
from ..secrets import PLACEHOLDERS, SecretRegistry, is_placeholder

CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
COOKIE_HEADERS = frozenset({"cookie", "set-cookie", "set-cookie2"})

#: Field names whose values are secrets in JSON bodies, with their kinds.
JSON_FIELDS: dict[str, str] = {
    "access_token": "access_token",
    "refresh_token": "refresh_token",
    "id_token": "access_token",
    "client_secret": "client_secret",
    "code_verifier": "verifier",
    "password": "client_secret",
}

#: ...and in query strings and form bodies of any request.
FORM_FIELDS: dict[str, str] = dict(JSON_FIELDS)

#: ...and of OAuth exchanges, which also send the authorization code and
#: tokens under plain names. Elsewhere ``code`` and ``token`` are often no
#: secret (a country code, a page cursor) and must replay as sent; the
#: session's own codes and tokens are still found by value.
OAUTH_FIELDS: dict[str, str] = {**FORM_FIELDS, "code": "code", "token": "access_token"}


def fields_for(uri: str) -> dict[str, str]:
    """Return the sensitive form fields of a request to ``uri``."""
    path = urlsplit(uri).path
    return (
        OAUTH_FIELDS if "/oauth/" in path or path.endswith("/callback") else FORM_FIELDS
    )


COOKIE_PLACEHOLDER = "SCRUBBED:COOKIE"


class Scrubber:
    """Scrub one exchange at a time with the secrets of a run."""

    def __init__(self, secrets: SecretRegistry) -> None:
        self.secrets = secrets

    def text(self, value: str) -> str:
        """Replace every known secret in ``value``."""
        return self.secrets.scrub_text(value)

    def data(self, value: bytes) -> bytes:
        """Replace every known secret in a body that is not text."""
        for secret, placeholder in self.secrets.replacements():
            value = value.replace(secret.encode("utf-8"), placeholder.encode())
        return value

    def headers(self, headers: dict[str, Any]) -> dict[str, Any]:
        """Return headers with credentials and cookies replaced."""
        clean: dict[str, Any] = {}
        for name, values in headers.items():
            many = isinstance(values, list)
            items = values if many else [values]
            items = [self._header(name.lower(), str(item)) for item in items]
            clean[name] = items if many else items[0]
        return clean

    def _header(self, name: str, value: str) -> str:
        if name in CREDENTIAL_HEADERS:
            scheme, _, credential = value.partition(" ")
            if not credential:
                return PLACEHOLDERS["access_token"]
            kind = "basic" if scheme.lower() == "basic" else "access_token"
            known = self.text(credential)
            if not is_placeholder(known):
                self.secrets.add(credential, kind, numbered=False)
                known = PLACEHOLDERS[kind]
            return f"{scheme} {known}"
        if name in COOKIE_HEADERS:
            return _scrub_cookie(value, set_cookie=name.startswith("set-"))
        return self.text(value)

    def uri(self, uri: str) -> str:
        """Return a URI with sensitive query fields and known secrets replaced."""
        parts = urlsplit(uri)
        if parts.query:
            parts = parts._replace(query=self._pairs(parts.query, fields_for(uri)))
        return self.text(urlunsplit(parts))

    def _pairs(self, text: str, fields: dict[str, str]) -> str:
        """Return a query or form with its secret fields replaced, or as it
        was sent when it has none, so that a recorded request still matches.
        """
        pairs = parse_qsl(text, keep_blank_values=True)
        clean = [(k, self._field(k, v, fields)) for k, v in pairs]
        return text if clean == pairs else urlencode(clean, safe=":")

    def _field(self, name: str, value: str, fields: dict[str, str]) -> str:
        kind = fields.get(name.lower())
        if kind is None or is_placeholder(value):
            return self.text(value)
        known = self.text(value)
        if is_placeholder(known):
            return known
        # Found by its place: known from now on, so found wherever it is.
        self.secrets.add(value, kind, numbered=False)
        return PLACEHOLDERS[kind]

    def body(
        self,
        body: bytes | str | None,
        content_type: str,
        fields: dict[str, str] = FORM_FIELDS,
    ) -> bytes | str | None:
        """Return a body with sensitive fields and known secrets replaced.

        :param fields: the sensitive names of a form body (see
            :func:`fields_for`).
        """
        if body is None or body == b"" or body == "":
            return body
        if isinstance(body, bytes):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return self.data(body)
            return self._text_body(text, content_type, fields).encode("utf-8")
        return self._text_body(body, content_type, fields)

    def _text_body(self, text: str, content_type: str, fields: dict[str, str]) -> str:
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind.endswith("json") or kind.endswith("+json") or _looks_like_json(text):
            try:
                document = json.loads(text)
            except ValueError:
                return self.text(text)
            clean = self._json(document)
            if clean == document:
                return self.text(text)
            return json.dumps(clean, separators=(",", ":"))
        if kind == "application/x-www-form-urlencoded" or _looks_like_form(text):
            return self.text(self._pairs(text, fields))
        return self.text(text)

    def _json(self, node: Any) -> Any:
        if isinstance(node, dict):
            return {
                self.text(key): self._field(key, value, JSON_FIELDS)
                if isinstance(value, str)
                else self._json(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [self._json(item) for item in node]
        if isinstance(node, str):
            return self.text(node)
        return node


def _looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    return stripped[:1] in ("{", "[")


_FORM = re.compile(r"^[\w.~%+-]+=[^&]*(&[\w.~%+-]+=[^&]*)*$")


def _looks_like_form(text: str) -> bool:
    return "=" in text and bool(_FORM.match(text.strip()))


#: Where a Set-Cookie line folded from several starts its next cookie: at a
#: comma followed by ``name=``. The comma of an Expires date is followed by
#: the day of the month and a space, so it does not split.
_NEXT_COOKIE = re.compile(r",\s*(?=[^;,=\s]+=)")


def _scrub_cookie(value: str, *, set_cookie: bool) -> str:
    if set_cookie:
        return ", ".join(map(_scrub_set_cookie, _NEXT_COOKIE.split(value)))
    cookies = []
    for part in value.split(";"):
        name = part.partition("=")[0].strip()
        if name:
            cookies.append(f"{name}={COOKIE_PLACEHOLDER}")
    return "; ".join(cookies)


def _scrub_set_cookie(value: str) -> str:
    first, _, attributes = value.partition(";")
    name = first.partition("=")[0].strip()
    tail = f";{attributes}" if attributes else ""
    return f"{name}={COOKIE_PLACEHOLDER}{tail}"


def decode_body(body: bytes, encoding: str) -> bytes:
    """Return a body decoded from its ``Content-Encoding``.

    Some HTTP stacks hand the recorder a body already decoded while the
    header still names the coding: a body that is valid UTF-8 text and not
    in that coding is taken as it is.

    :raises ScrubError: for a body that cannot be decoded here.
    """
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    try:
        for coding in reversed(codings):
            body = _decode_one(body, coding)
    except ScrubError:
        if not _is_text(body):
            raise
    return body


def _is_text(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_one(body: bytes, coding: str) -> bytes:
    try:
        if coding in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if coding == "deflate":
            try:
                return _inflate(body, zlib.MAX_WBITS)
            except zlib.error:
                return _inflate(body, -zlib.MAX_WBITS)
        if coding == "br":
            return _decode_brotli(body)
        if coding == "identity":
            return body
    except (zlib.error, OSError, EOFError) as exc:
        raise _undecodable(coding, exc) from exc
    raise ScrubError(
        f"A body is encoded as {coding!r}, which cannot be decoded here, so it "
        "cannot be scrubbed. Ask the server for gzip or an uncompressed answer "
        "(Accept-Encoding)."
    )


def _inflate(body: bytes, wbits: int) -> bytes:
    """Inflate one whole zlib or raw deflate stream, and nothing after it.

    Text that was never compressed now and then passes for the start of a raw
    deflate stream; it fails here instead of turning into other bytes.
    """
    inflater = zlib.decompressobj(wbits)
    data = inflater.decompress(body) + inflater.flush()
    if not inflater.eof or inflater.unused_data:
        raise zlib.error("the stream is cut short or followed by other bytes")
    return data


def _decode_brotli(body: bytes) -> bytes:
    try:
        import brotli  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        try:
            import brotlicffi as brotli  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ImportError as exc:
            raise ScrubError(
                "A body is compressed with br (Brotli) and no Brotli decoder is "
                "installed, so it cannot be scrubbed. Install brotli "
                "(pip install brotli), or ask the server for gzip "
                "(Accept-Encoding: gzip)."
            ) from exc
    try:
        decoded: bytes = brotli.decompress(body)
    except brotli.error as exc:
        raise _undecodable("br", exc) from exc
    return decoded


def _undecodable(coding: str, exc: Exception) -> ScrubError:
    return ScrubError(
        f"A {coding} body could not be decoded ({exc}), so it cannot be "
        "scrubbed. Check that the Content-Encoding header fits the body, or ask "
        "the server for an uncompressed answer (Accept-Encoding)."
    )
