"""Writing and reading cassettes: scrubbed, whole or not at all.

Every cassette written while the plugin is loaded goes through
:class:`ScrubbingPersister`: the session's own and the tests'.
"""

from __future__ import annotations

import copy
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from vcr.persisters.filesystem import CassetteNotFoundError, FilesystemPersister
from vcr.request import Request
from vcr.serialize import serialize

from ..errors import CassetteError, ScrubError
from ..secrets import SecretRegistry
from .scrub import FORM_FIELDS, Scrubber, decode_body, fields_for

SUPPORTED_VERSION = 1

#: PyYAML's C loader when it has one: the pure-Python one is ~40 times slower.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class WrittenCassettes:
    """The paths of every cassette written during the run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: list[Path] = []
        self._failures: list[str] = []

    def add(self, path: Path) -> None:
        with self._lock:
            if path not in self._paths:
                self._paths.append(path)

    def fail(self, path: Path, message: str) -> None:
        """Remember that a cassette could not be written, and why."""
        with self._lock:
            self._failures.append(message)

    def take_failures(self) -> list[str]:
        """Return the failures recorded since the last call, and forget them."""
        with self._lock:
            failures, self._failures = self._failures, []
        return failures

    def paths(self) -> list[Path]:
        with self._lock:
            return list(self._paths)


class ScrubbingPersister:
    """Scrub every exchange, then write the cassette atomically.

    :param inner: the persister that loads cassettes (pytest-recording's,
        which also reads extra cassettes named on the marker).
    :param strict: check what is loaded (for the session's own cassettes).
    :param fresh: ignore what is on disk: the cassette is recorded anew.
    """

    def __init__(
        self,
        secrets: SecretRegistry,
        written: WrittenCassettes,
        inner: Any = FilesystemPersister,
        *,
        strict: bool = False,
        fresh: bool = False,
    ) -> None:
        self.scrubber = Scrubber(secrets)
        self.written = written
        self.inner = inner
        self.strict = strict
        self.fresh = fresh

    def load_cassette(self, cassette_path: str, serializer: Any) -> Any:
        """Load a cassette; strictly checked when it is a session cassette."""
        if self.fresh:
            raise CassetteNotFoundError()
        if self.strict:
            check_cassette_file(Path(cassette_path))
        return self.inner.load_cassette(cassette_path, serializer)

    def save_cassette(
        self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any
    ) -> None:
        """Write the cassette for VCR.py; a failure is recorded, not raised.

        VCR.py's frames above this one hold the exchanges before scrubbing, so
        an exception raised through them would show secrets in a traceback
        with ``--showlocals``. The plugin raises the recorded failure itself,
        from a frame of its own, once VCR.py is done.
        """
        try:
            self.write_cassette(cassette_path, cassette_dict, serializer)
        except Exception as exc:
            self.written.fail(Path(cassette_path), _message(exc))

    def write_cassette(
        self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any
    ) -> None:
        """Scrub, serialize and write the cassette in one atomic step.

        :raises CassetteError: when it cannot be scrubbed or written.
        """
        try:
            # The first pass learns the secrets found by their place (a token
            # answer, a credential header), so that the second finds them by
            # value wherever else they went, in earlier exchanges too.
            for _ in range(2):
                clean = {
                    **cassette_dict,
                    "requests": [self.request(r) for r in cassette_dict["requests"]],
                    "responses": [self.response(r) for r in cassette_dict["responses"]],
                }
        except ScrubError as exc:
            raise ScrubError(
                f"The cassette {cassette_path} was not written. {exc}"
            ) from exc
        text = serialize(clean, serializer)
        leaked = self.leaks(text, serializer)
        if leaked:
            raise ScrubError(
                f"The cassette {cassette_path} still held secrets after scrubbing "
                f"({', '.join(leaked)}), so it was not written. This is a gap in "
                "the scrubbing of pytest-archsession: please report it, saying "
                "what kind of exchange was recorded."
            )
        write_atomically(Path(cassette_path), text)
        self.written.add(Path(cassette_path))

    def leaks(self, text: str, serializer: Any) -> list[str]:
        """Return the placeholders of the secrets a serialized cassette holds.

        The strings are read back as well as the text: a serializer may
        escape what it writes (YAML turns ``é`` into ``\\xE9``).
        """
        texts = [text, *strings_of(serializer.deserialize(text))]
        return sorted(
            {kind for part in texts for kind in self.scrubber.secrets.find_in(part)}
        )

    def request(self, request: Request) -> Request:
        """Return a scrubbed copy of a recorded request, its body decoded."""
        headers, body = self.message(
            dict(request.headers), request.body, fields_for(request.uri)
        )
        return Request(request.method, self.scrubber.uri(request.uri), body, headers)

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """Return a scrubbed copy of a recorded response, its body decoded."""
        clean = copy.deepcopy(response)
        body = (clean.get("body") or {}).get("string", b"")
        clean["headers"], body = self.message(clean.get("headers") or {}, body)
        clean["body"] = {"string": body}
        return clean

    def message(
        self,
        headers: dict[str, Any],
        body: Any,
        fields: dict[str, str] = FORM_FIELDS,
    ) -> tuple[dict[str, Any], Any]:
        """Return the headers and body of a message scrubbed, the body decoded
        from its ``Content-Encoding`` and its ``Content-Length`` made to fit.
        """
        encoding = _pop_header(headers, "content-encoding")
        if encoding and isinstance(body, bytes):
            body = decode_body(body, encoding)
        headers = self.scrubber.headers(headers)
        body = self.scrubber.body(body, _header(headers, "content-type"), fields)
        if _header(headers, "content-length") or encoding:
            length = len(body.encode() if isinstance(body, str) else body or b"")
            _set_header(headers, "content-length", str(length))
        return headers, body


def _message(exc: Exception) -> str:
    if isinstance(exc, CassetteError):
        return str(exc)
    return (
        f"A cassette could not be written ({type(exc).__name__}: {exc}). The "
        "old one, if any, is unchanged."
    )


def strings_of(node: Any) -> Iterator[str]:
    """Yield every string of a deserialized cassette, keys and bytes included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings_of(key)
            yield from strings_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_of(item)
    elif isinstance(node, bytes):
        yield node.decode("utf-8", "surrogateescape")
    elif isinstance(node, str):
        yield node


def _find(headers: dict[str, Any], name: str) -> str | None:
    for key in headers:
        if key.lower() == name:
            return key
    return None


def _header(headers: dict[str, Any], name: str) -> str:
    key = _find(headers, name)
    if key is None:
        return ""
    value = headers[key]
    return str(value[0] if isinstance(value, list) and value else value)


def _pop_header(headers: dict[str, Any], name: str) -> str:
    """Remove every line of a header and return their values joined."""
    values: list[Any] = []
    for key in [key for key in headers if key.lower() == name]:
        value = headers.pop(key)
        values.extend(value if isinstance(value, list) else [value])
    return ", ".join(map(str, values))


def _set_header(headers: dict[str, Any], name: str, value: str) -> None:
    key = _find(headers, name) or name
    headers[key] = [value]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the
    new one, never a part of either.

    :raises CassetteError: when the directory cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from exc
        raise


def _cannot_write(path: Path, exc: OSError) -> CassetteError:
    return CassetteError(
        f"Cannot write the cassette {path}: {exc.strerror or exc}. Make its "
        "directory writable and free the path, or point --arch-cassette-dir "
        "elsewhere."
    )


def check_cassette_file(path: Path) -> dict[str, Any]:
    """Read a session cassette and check it is one we can replay.

    :raises CassetteError: naming the file and what is wrong with it.
    """
    redo = "Delete it and record it again (--record-mode=rewrite with credentials)."
    if path.exists() and not path.is_file():
        raise CassetteError(f"The cassette {path} is not a regular file. {redo}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CassetteError(f"The cassette {path} does not exist. {redo}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(
            f"The cassette {path} cannot be read: {exc}. {redo}"
        ) from exc
    if not text.strip():
        raise CassetteError(f"The cassette {path} is empty. {redo}")
    try:
        document = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise CassetteError(f"The cassette {path} is not valid YAML. {redo}") from exc
    if not isinstance(document, dict) or not isinstance(
        document.get("interactions"), list
    ):
        raise CassetteError(
            f"The cassette {path} is not a VCR.py cassette (no interactions). {redo}"
        )
    version = document.get("version")
    if version != SUPPORTED_VERSION:
        raise CassetteError(
            f"The cassette {path} has format version {version!r}; this plugin "
            f"reads version {SUPPORTED_VERSION}. {redo}"
        )
    problem = _shape_problem(document["interactions"])
    if problem:
        raise CassetteError(f"The cassette {path} {problem}. {redo}")
    return document


def _shape_problem(interactions: list[Any]) -> str:
    """Return what is wrong with the interactions' shape, or ``""``."""
    for number, item in enumerate(interactions, start=1):
        request = item.get("request") if isinstance(item, dict) else None
        response = item.get("response") if isinstance(item, dict) else None
        if not isinstance(request, dict) or not isinstance(response, dict):
            return f"has an interaction ({number}) without a request and a response"
        if not isinstance(request.get("uri"), str) or not isinstance(
            request.get("method"), str
        ):
            return f"has a request ({number}) without a method and a URI"
        status = response.get("status")
        code = status.get("code") if isinstance(status, dict) else None
        if isinstance(code, bool) or not isinstance(code, int):
            return f"has a response ({number}) without a numeric status code"
        for part, message in ((request, "request"), (response, "response")):
            if not _headers_fit(part.get("headers")):
                return f"has a {message} ({number}) whose headers are not text"
        body = response.get("body")
        text = body.get("string") if isinstance(body, dict) else None
        if not isinstance(text, str | bytes):
            return f"has a response ({number}) without a body string"
    return ""


def _headers_fit(headers: object) -> bool:
    """Return whether recorded headers map names to text, or lists of it."""
    if headers is None:
        return True
    if not isinstance(headers, dict):
        return False
    for values in headers.values():
        items = values if isinstance(values, list) else [values]
        if not all(isinstance(item, str) for item in items):
            return False
    return True
