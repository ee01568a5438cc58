"""An HTTP session bound to one base URL, with timeouts, bounded retries and
bearer tokens that renew themselves.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import requests

from ..errors import ArchConnectionError, ArchRateLimitError, ArchUsageError

#: Statuses that mean "try again shortly" for a request safe to repeat.
RETRY_STATUSES = frozenset({502, 503, 504})

#: Methods that may be sent twice without harm.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

CORRELATION_HEADER = "ININ-Correlation-Id"

#: Bounds of the settings: an hour to answer, a day of waiting for retries.
MAX_TIMEOUT = 3600.0
MAX_WAIT = 86400.0

_traffic = threading.local()


@contextmanager
def session_traffic() -> Iterator[None]:
    """Mark the requests sent inside the block, on this thread, as the
    session's own (logins, renewals, logout), not a caller's."""
    outer = getattr(_traffic, "active", False)
    _traffic.active = True
    try:
        yield
    finally:
        _traffic.active = outer


def is_session_traffic() -> bool:
    """Return whether this thread is sending the session's own requests."""
    return bool(getattr(_traffic, "active", False))


@dataclass(frozen=True)
class WireSettings:
    """How patient the client is with Genesys Cloud.

    :param timeout: seconds to connect, and seconds to wait for an answer.
    :param max_retries: retries of one request after the first try.
    :param max_retry_wait: seconds of waiting allowed across those retries.
    """

    timeout: float = 30.0
    max_retries: int = 3
    max_retry_wait: float = 60.0

    def __post_init__(self) -> None:
        if not 0 < self.timeout <= MAX_TIMEOUT:
            raise ArchUsageError(
                f"The timeout must be a number of seconds above 0 and at most "
                f"{MAX_TIMEOUT:g}, not {self.timeout}."
            )
        if not (0 <= self.max_retries <= 100 and 0 <= self.max_retry_wait <= MAX_WAIT):
            raise ArchUsageError(
                "The retry limits must be finite and not negative: give "
                f"0 <= max_retries <= 100 and 0 <= max_retry_wait <= {MAX_WAIT:g} "
                "(max_retries=0 turns retries off)."
            )


@dataclass(frozen=True)
class Exchange:
    """One request and its outcome, for the network activity log."""

    method: str
    url: str
    status: int | None
    seconds: float
    correlation_id: str | None
    attempt: int


class TokenSource(Protocol):
    """Whatever hands out the bearer token of a session."""

    def bearer_token(self) -> str:
        """Return a token that is valid now, renewing it first if it is due."""

    def renew_after_refusal(self) -> bool:
        """Renew a token the server refused; return whether to send again."""

    def refused_again(self) -> None:
        """React to a refusal of the request sent again after renewal."""


def is_token_rate_limit(response: requests.Response) -> bool:
    """Return whether the token endpoint is telling us to slow down.

    The login service signals its rate limit as a 400 ``invalid_request``
    whose text mentions the limit, not as a 429.
    """
    return response.status_code == 400 and "rate limit" in response.text.lower()


def retry_after_seconds(response: requests.Response) -> float | None:
    """Return how long the server asked us to wait, if it said so."""
    value = response.headers.get("Retry-After")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0.0, when.timestamp() - time.time())
    reset = response.headers.get("inin-ratelimit-reset")
    if reset and reset.strip().isdigit():
        return float(reset.strip())
    return None


class WireSession(requests.Session):
    """A ``requests.Session`` whose relative URLs start at ``base_url``.

    Every request gets a timeout. Answers of 429 (and the login service's
    own rate-limit answer) are waited out and retried; 502, 503, 504 and
    dropped connections are retried with backoff for requests safe to send
    twice. A 401 lets ``token_source`` renew the token once.

    :param retry_unsafe: retry non-idempotent methods too (the token grant,
        which changes nothing on the server).
    """

    def __init__(
        self,
        base_url: str,
        settings: WireSettings | None = None,
        *,
        token_source: TokenSource | None = None,
        on_exchange: Callable[[Exchange], None] | None = None,
        retry_unsafe: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"
        self.settings = settings or WireSettings()
        self.token_source = token_source
        self.on_exchange = on_exchange
        self.retry_unsafe = retry_unsafe
        self._sleep = sleep
        self.headers["Accept"] = "application/json"

    def __repr__(self) -> str:
        return f"<WireSession {self.base_url}>"

    def request(  # type: ignore[override]
        self, method: str, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Send a request, relative to ``base_url``, retried as the class says."""
        __tracebackhide__ = True  # frames here hold the bearer token
        full_url = self._absolute(url)
        kwargs.setdefault("timeout", (self.settings.timeout, self.settings.timeout))
        return _Attempts(self, method.upper(), full_url, args, kwargs).run()

    def _absolute(self, url: str | bytes) -> str:
        text = url.decode() if isinstance(url, bytes) else url
        if urlsplit(text).scheme:
            return text
        return urljoin(self.base_url, text.lstrip("/"))

    def send_once(
        self, method: str, url: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> requests.Response:
        """Send exactly one request with the current bearer token."""
        __tracebackhide__ = True
        if self.token_source is not None:
            headers = dict(kwargs.pop("headers", None) or {})
            headers["Authorization"] = f"Bearer {self.token_source.bearer_token()}"
            kwargs["headers"] = headers
        return super().request(method, url, *args, **kwargs)


class _Attempts:
    """The tries of one request, and the waiting between them."""

    def __init__(
        self,
        wire: WireSession,
        method: str,
        url: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        self.wire = wire
        self.method = method
        self.url = url
        self.args = args
        self.kwargs = kwargs
        self.waited = 0.0
        self.renewed = False
        self.may_repeat = wire.retry_unsafe or method in IDEMPOTENT_METHODS

    def run(self) -> requests.Response:
        __tracebackhide__ = True
        attempt = 0
        while True:
            last = attempt >= self.wire.settings.max_retries
            response = self._send(attempt, last)
            if response is None:
                attempt += 1
                continue
            # Sending again with a renewed token is not a retry: it happens
            # at most once, even when no retries are left.
            if response.status_code == 401:
                if self._renew():
                    continue
                if self.renewed and self.wire.token_source is not None:
                    self.wire.token_source.refused_again()
            wait = self._wait_for(response, attempt)
            if wait is None or last:
                return response
            self._pause(wait)
            attempt += 1

    def _send(self, attempt: int, last: bool) -> requests.Response | None:
        __tracebackhide__ = True
        started = time.monotonic()
        host = urlsplit(self.url).netloc
        try:
            response = self.wire.send_once(
                self.method, self.url, self.args, dict(self.kwargs)
            )
        except requests.Timeout:
            self._report(None, started, attempt, None)
            raise ArchConnectionError(
                f"{host} did not answer {self.method} {_path(self.url)} within "
                f"{self.wire.settings.timeout:g} s. Check the location and your "
                "network, or raise --arch-timeout."
            ) from None  # the chained errors' frames hold the credentials
        except requests.ConnectionError as exc:
            self._report(None, started, attempt, None)
            if last or not self.may_repeat:
                raise ArchConnectionError(
                    f"Could not reach {host} for {self.method} {_path(self.url)}: "
                    f"{_reason(exc)}. Check the location, proxy and network."
                ) from None
            self._pause(self._backoff(attempt))
            return None
        except Exception as exc:
            # Raised on from here, without the frames below: requests' and
            # urllib3's locals hold the request's headers, bearer included,
            # and --showlocals would print them.
            self._report(None, started, attempt, None)
            raise exc.with_traceback(None) from None
        self._report(response, started, attempt, response.headers)
        return response

    def _renew(self) -> bool:
        __tracebackhide__ = True
        if self.renewed or self.wire.token_source is None:
            return False
        self.renewed = True
        return self.wire.token_source.renew_after_refusal()

    def _wait_for(self, response: requests.Response, attempt: int) -> float | None:
        status = response.status_code
        if status == 429 or is_token_rate_limit(response):
            asked = retry_after_seconds(response)
            wait = self._backoff(attempt) if asked is None else asked
            self._check_budget(wait, asked)
            return wait
        if status in RETRY_STATUSES and self.may_repeat:
            return min(self._backoff(attempt), self._budget_left())
        return None

    def _check_budget(self, wait: float, asked: float | None) -> None:
        cap = self.wire.settings.max_retry_wait
        if self.waited + wait <= cap:
            return
        said = f"asked to wait {asked:g} s" if asked is not None else "kept refusing"
        raise ArchRateLimitError(
            f"Genesys Cloud rate-limited {self.method} {_path(self.url)} and {said}, "
            f"but the retry wait is capped at {cap:g} s "
            f"({self.waited:g} s already spent). Raise --arch-max-retry-wait "
            "(ini arch_max_retry_wait) or send fewer requests.",
            status=429,
        )

    def _budget_left(self) -> float:
        return max(0.0, self.wire.settings.max_retry_wait - self.waited)

    def _backoff(self, attempt: int) -> float:
        return min(0.25 * 2.0**attempt, 8.0, self._budget_left())

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.wire._sleep(seconds)

    def _report(
        self,
        response: requests.Response | None,
        started: float,
        attempt: int,
        headers: Any,
    ) -> None:
        if self.wire.on_exchange is None:
            return
        correlation = headers.get(CORRELATION_HEADER) if headers else None
        self.wire.on_exchange(
            Exchange(
                method=self.method,
                url=_without_query(self.url),
                status=response.status_code if response is not None else None,
                seconds=time.monotonic() - started,
                correlation_id=correlation,
                attempt=attempt + 1,
            )
        )


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _reason(exc: BaseException) -> str:
    """Return the innermost cause of a connection error, in a few words."""
    while (inner := exc.__cause__ or exc.__context__) is not None:
        exc = inner
    return (str(exc) or type(exc).__name__)[:200]
