"""The wire: timeouts, bounded retries and Retry-After, over real loopback sockets."""

from __future__ import annotations

import email.utils
import logging
import time

import pytest

from pytest_archsession import (
    ArchConnectionError,
    ArchRateLimitError,
    ArchSession,
    ArchUsageError,
    Location,
    WireSettings,
)
from pytest_archsession.fakecloud import FakeCloud
from pytest_archsession.wire.transport import WireSession

from .conftest import SessionMaker
from .helpers import CLIENT_ID, CLIENT_SECRET, client_token

FLOWS = "/api/v2/flows"
ORG = "/api/v2/organizations/me"
TOKEN = "/oauth/token"


class Clock:
    """Stand in for ``time.sleep``: remember each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def bearer_wire(cloud: FakeCloud, settings: WireSettings, clock: Clock) -> WireSession:
    """Return a wire to the fake's API carrying a valid token, on a fake clock."""
    wire = WireSession(cloud.url, settings, sleep=clock.sleep)
    wire.headers["Authorization"] = f"Bearer {client_token(cloud)}"
    return wire


def test_a_429_is_waited_out_for_its_retry_after_then_succeeds(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.fail(FLOWS, 429, headers={"Retry-After": "1"})
    started = time.monotonic()

    answer = connected.api.get(FLOWS)

    assert answer.status_code == 200
    assert time.monotonic() - started >= 0.9
    assert cloud.count("GET", FLOWS) == 2


def test_a_long_retry_after_is_honoured_when_the_cap_allows(cloud: FakeCloud) -> None:
    """C15: a 58 s wait within a 60 s cap is waited for, not refused."""
    clock = Clock()
    wire = bearer_wire(cloud, WireSettings(max_retry_wait=60.0), clock)
    cloud.fail(ORG, 429, headers={"Retry-After": "58"})

    answer = wire.get(ORG)

    assert answer.status_code == 200
    assert clock.waits == [58.0]


def test_a_retry_after_beyond_the_cap_fails_naming_both_waits(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    """C15: the error says the wait asked for and the cap that forbids it."""
    cloud.fail(FLOWS, 429, headers={"Retry-After": "58"})
    started = time.monotonic()

    with pytest.raises(ArchRateLimitError) as caught:
        connected.api.get(FLOWS)

    message = str(caught.value)
    assert "58 s" in message
    assert "capped at 3 s" in message
    assert "--arch-max-retry-wait" in message
    assert time.monotonic() - started < 1.0
    assert cloud.count("GET", FLOWS) == 1


def test_a_retry_after_beyond_the_cap_at_login_fails_the_start(
    session: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cloud.fail(ORG, 429, headers={"Retry-After": "58"})

    session.start_with_client_id_and_secret(
        location, lambda s: None, CLIENT_ID, CLIENT_SECRET, None, True
    )

    assert session.end_exit_code == 99
    assert "58 s" in caplog.text
    assert "capped at 3 s" in caplog.text


def test_a_retry_after_given_as_an_http_date_is_honoured(cloud: FakeCloud) -> None:
    clock = Clock()
    wire = bearer_wire(cloud, WireSettings(max_retry_wait=60.0), clock)
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    cloud.fail(ORG, 429, headers={"Retry-After": when})

    answer = wire.get(ORG)

    assert answer.status_code == 200
    assert len(clock.waits) == 1
    assert 28.0 <= clock.waits[0] <= 30.5


def test_the_token_endpoint_rate_limit_answer_is_retried(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    cloud.rate_limit_token_endpoint(times=2)
    ran: list[str] = []

    session.start_with_client_id_and_secret(
        location,
        lambda s: ran.append(s.org_info.name),
        CLIENT_ID,
        CLIENT_SECRET,
        None,
        True,
    )

    assert ran == ["FakeCloud Org"]
    assert session.end_exit_code == 0
    assert cloud.count("POST", TOKEN) == 3


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_gateway_error_on_a_get_is_retried(
    connected: ArchSession, cloud: FakeCloud, status: int
) -> None:
    cloud.fail(FLOWS, status)

    answer = connected.api.get(FLOWS)

    assert answer.status_code == 200
    assert cloud.count("GET", FLOWS) == 2


def test_gateway_errors_are_retried_only_max_retries_times(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.fail(FLOWS, 503, times=10)

    answer = connected.api.get(FLOWS)

    assert answer.status_code == 503
    assert cloud.count("GET", FLOWS) == 3


def test_rate_limit_answers_are_retried_only_max_retries_times(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.fail(FLOWS, 429, headers={"Retry-After": "0"}, times=10)

    answer = connected.api.get(FLOWS)

    assert answer.status_code == 429
    assert cloud.count("GET", FLOWS) == 3


def test_backoff_between_gateway_errors_stays_within_the_wait_cap(
    cloud: FakeCloud,
) -> None:
    clock = Clock()
    settings = WireSettings(max_retries=6, max_retry_wait=1.0)
    wire = bearer_wire(cloud, settings, clock)
    cloud.fail(ORG, 502, times=10)

    wire.get(ORG)

    assert cloud.count("GET", ORG) == 7
    assert sum(clock.waits) <= 1.0


def test_a_dropped_connection_on_a_get_is_retried(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.drop(FLOWS)

    answer = connected.api.get(FLOWS)

    assert answer.status_code == 200
    assert cloud.count("GET", FLOWS) == 2


def test_a_connection_dropped_every_time_fails_naming_the_host(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.drop(FLOWS, times=10)

    with pytest.raises(ArchConnectionError) as caught:
        connected.api.get(FLOWS)

    assert f"127.0.0.1:{cloud.port}" in str(caught.value)
    assert f"GET {FLOWS}" in str(caught.value)
    assert cloud.count("GET", FLOWS) == 3


def test_a_stalled_token_endpoint_fails_the_start_within_the_timeout(
    make_session: SessionMaker,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """C22: the login gives up after the timeout and says which host stalled."""
    session = make_session(WireSettings(timeout=0.5, max_retries=2))
    cloud.stall(TOKEN, 10)
    started = time.monotonic()

    session.start_with_client_id_and_secret(
        location, lambda s: None, CLIENT_ID, CLIENT_SECRET, None, True
    )

    assert time.monotonic() - started < 1.5
    assert session.end_exit_code == 99
    assert session.status == "ended"
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(f"127.0.0.1:{cloud.port} did not answer" in line for line in errors)
    assert any("within 0.5 s" in line for line in errors)


def test_a_stalled_api_call_fails_within_the_timeout(
    make_session: SessionMaker, location: Location, cloud: FakeCloud
) -> None:
    session = make_session(WireSettings(timeout=0.5))
    session.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)
    cloud.stall(FLOWS, 10)
    started = time.monotonic()

    with pytest.raises(ArchConnectionError, match=f"127.0.0.1:{cloud.port}"):
        session.api.get(FLOWS)

    assert time.monotonic() - started < 1.5


def test_a_post_to_the_api_is_not_retried_on_503(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.fail(FLOWS, 503, method="POST", times=3)

    answer = connected.api.post(FLOWS, json={"name": "New flow"})

    assert answer.status_code == 503
    assert cloud.count("POST", FLOWS) == 1


def test_a_post_to_the_api_is_not_resent_after_a_dropped_connection(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.drop(FLOWS, method="POST", times=3)

    with pytest.raises(ArchConnectionError):
        connected.api.post(FLOWS, json={"name": "New flow"})

    assert cloud.count("POST", FLOWS) == 1


def test_a_refused_token_is_renewed_even_with_no_retries_left(
    make_session: SessionMaker, location: Location, cloud: FakeCloud
) -> None:
    session = make_session(WireSettings(timeout=1.0, max_retries=0))
    session.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)
    cloud.revoke_all()

    answer = session.api.get(FLOWS)

    assert answer.status_code == 200
    assert cloud.count("POST", TOKEN) == 2


def test_every_api_call_carries_the_current_bearer_token(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    connected.api.get(FLOWS)

    sent = cloud.requests[-1]
    assert sent.path == FLOWS
    assert sent.header("Authorization") == f"Bearer {cloud.issued_tokens[-1]}"


def test_compressed_answers_are_read(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    cloud.gzip = True

    session.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)

    assert session.org_info.name == "FakeCloud Org"
    assert session.api.get(FLOWS).json()["total"] == 3


@pytest.mark.parametrize(
    "settings",
    [
        {"timeout": 0},
        {"timeout": -1.0},
        {"max_retries": -1},
        {"max_retry_wait": -0.5},
    ],
)
def test_wire_settings_refuse_values_that_cannot_work(
    settings: dict[str, float],
) -> None:
    with pytest.raises(ArchUsageError):
        WireSettings(**settings)  # type: ignore[arg-type]
