"""Tokens that run out: renewed when the session can, a clear error when not."""

from __future__ import annotations

import time

import pytest

from pytest_archsession import ArchSession, ArchTokenExpiredError, Location
from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET, client_token

FLOWS = "/api/v2/flows"
TOKEN = "/oauth/token"


def test_a_short_lived_client_token_is_renewed_transparently(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    """C16: a 2 s token in a 5 s run: every call works, a few logins happen."""
    cloud.token_lifetime = 2
    session.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)
    first_token = session.auth_token
    statuses: list[int] = []

    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        statuses.append(session.api.get(FLOWS).status_code)
        time.sleep(0.25)

    assert set(statuses) == {200}
    assert 3 <= cloud.count("POST", TOKEN) <= 6
    assert session.auth_token != first_token
    assert session.auth_token == cloud.issued_tokens[-1]


def test_a_revoked_client_token_is_replaced_on_the_next_call(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.revoke_all()

    answer = connected.api.get(FLOWS)

    assert answer.status_code == 200
    assert cloud.count("POST", TOKEN) == 2
    assert cloud.count("GET", FLOWS) == 2


def test_a_given_token_that_expires_gives_a_clear_error(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    session.connect_with_auth_token(location, client_token(cloud), True)
    cloud.expire_all()

    with pytest.raises(ArchTokenExpiredError) as caught:
        session.api.get(FLOWS)

    message = str(caught.value)
    assert "refused the auth token" in message
    assert "cannot be renewed" in message
    assert caught.value.status == 401
    assert cloud.count("POST", TOKEN) == 1


def test_a_given_token_that_expires_mid_callback_sets_exit_code_99(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    def work(s: ArchSession) -> None:
        cloud.expire_all()
        s.api.get(FLOWS)

    session.start_with_auth_token(location, work, client_token(cloud), None, True)

    assert (session.status, session.end_exit_code) == ("ended", 99)
