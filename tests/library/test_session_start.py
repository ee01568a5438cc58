"""Starting a session: with a client id and secret, with a token, and failing."""

from __future__ import annotations

import asyncio
import base64
import time
from urllib.parse import parse_qs

import pytest

from pytest_archsession import (
    ArchAuthError,
    ArchHTTPError,
    ArchPermissionError,
    ArchSession,
    ArchStateError,
    Location,
    resolve_location,
)
from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET, client_token, user_token

ORG = "/api/v2/organizations/me"
TOKEN = "/oauth/token"


def nothing(session: ArchSession) -> None:
    """Do no work: the start callback of tests that only look at the start."""


def error_lines(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")


def test_client_credentials_start_runs_the_callback_then_ends(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    seen: list[tuple[str, str]] = []

    session.start_with_client_id_and_secret(
        location,
        lambda s: seen.append((s.status, s.org_info.name)),
        CLIENT_ID,
        CLIENT_SECRET,
        None,
        True,
    )

    assert seen == [("running", "FakeCloud Org")]
    assert (session.status, session.end_exit_code) == ("ended", 0)
    assert not session.is_connected


def test_the_secret_is_sent_as_utf8_basic_credentials(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    """A secret holding ':' and non-ASCII text reaches the login intact."""
    grant = next(r for r in cloud.requests if r.path == TOKEN)

    scheme, _, encoded = (grant.header("Authorization") or "").partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode("utf-8") == f"{CLIENT_ID}:{CLIENT_SECRET}"
    assert parse_qs(grant.body.decode()) == {"grant_type": ["client_credentials"]}


def test_a_wrong_secret_fails_the_start_with_exit_code_99(
    session: ArchSession,
    location: Location,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[ArchSession] = []

    session.start_with_client_id_and_secret(
        location, ran.append, CLIENT_ID, "not-the-secret", None, True
    )

    assert ran == []
    assert (session.status, session.end_exit_code) == ("ended", 99)
    assert "authentication failed" in error_lines(caplog)
    assert "Check the client secret" in error_lines(caplog)


def test_an_unknown_client_says_it_may_live_in_another_region(
    session: ArchSession, cloud: FakeCloud, caplog: pytest.LogCaptureFixture
) -> None:
    """C13: 'client not found' usually means the wrong location: say so."""
    location = resolve_location("eu-west-2", cloud.url, cloud.url)

    session.start_with_client_id_and_secret(
        location, nothing, "client-from-elsewhere", CLIENT_SECRET, None, True
    )

    assert session.end_exit_code == 99
    errors = error_lines(caplog)
    assert "client not found" in errors
    assert "prod_eu_west_2" in errors
    assert "another region" in errors


def test_an_unknown_client_raises_an_auth_error_when_connecting(
    session: ArchSession, location: Location
) -> None:
    with pytest.raises(ArchAuthError) as caught:
        session.connect_with_client_id_and_secret(location, "nobody", "x", True)

    assert (caught.value.status, caught.value.code) == (400, "invalid_client")
    assert caught.value.correlation_id
    assert caught.value.correlation_id in str(caught.value)


def test_a_failing_org_read_quotes_the_server_and_the_correlation_id(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    cloud.fail(ORG, 500)

    with pytest.raises(ArchHTTPError) as caught:
        session.connect_with_client_id_and_secret(
            location, CLIENT_ID, CLIENT_SECRET, True
        )

    message = str(caught.value)
    assert "The fake cloud was told to answer 500" in message
    assert f"correlation id {caught.value.correlation_id}" in message
    assert session.status != "running"


def test_a_good_client_credentials_token_starts_the_session(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    token = client_token(cloud)
    tokens_seen: list[str] = []

    session.start_with_auth_token(
        location, lambda s: tokens_seen.append(s.auth_token), token, None, True
    )

    assert tokens_seen == [token]
    assert session.end_exit_code == 0
    assert cloud.count("POST", TOKEN) == 1


def test_a_user_token_with_the_architect_permission_starts_the_session(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    token = user_token(cloud, ["architect:ui:view"])
    ran: list[str] = []

    session.start_with_auth_token(location, lambda s: ran.append(s.status), token)

    assert ran == ["running"]
    assert session.end_exit_code == 0
    assert cloud.count("GET", "/api/v2/users/me") == 1


def test_an_invalid_token_fails_the_start_quickly(
    session: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """C21: a token the API answers 401 to ends the start in well under seconds."""
    ran: list[ArchSession] = []
    started = time.monotonic()

    session.start_with_auth_token(location, ran.append, "expired", None, True)

    assert time.monotonic() - started < 2.0
    assert ran == []
    assert (session.status, session.end_exit_code) == ("ended", 99)
    assert "refused the auth token" in error_lines(caplog)
    assert "get a new token for this location" in error_lines(caplog)
    assert cloud.count("POST", TOKEN) == 0


def test_a_word_like_token_leaves_the_message_readable(
    session: ArchSession, location: Location, caplog: pytest.LogCaptureFixture
) -> None:
    session.start_with_auth_token(location, nothing, "expired", None, True)

    assert "it has expired" in error_lines(caplog)


def test_a_client_credentials_token_without_the_flag_says_to_set_it(
    session: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = client_token(cloud)

    session.start_with_auth_token(location, nothing, token)

    assert session.end_exit_code == 99
    assert "is_client_credentials_oauth_client=True" in error_lines(caplog)


def test_a_user_without_the_architect_permission_fails_cleanly(
    session: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """C20: exit 99, the permission named, and nothing left running."""
    token = user_token(cloud, ["architect:flow:view"])
    ran: list[ArchSession] = []

    session.start_with_auth_token(location, ran.append, token)

    assert ran == []
    assert session.end_exit_code == 99
    assert "architect:ui:view" in error_lines(caplog)
    assert (session.status, session.is_connected) == ("ended", False)
    with pytest.raises(ArchStateError):
        session.api  # noqa: B018


def test_a_missing_permission_raises_when_connecting(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    token = user_token(cloud, [])

    with pytest.raises(ArchPermissionError, match="architect:ui:view"):
        session.connect_with_auth_token(location, token)

    assert session.status != "running"
    assert not session.is_connected


@pytest.mark.parametrize("held", ["architect:*:*", "architect:ui:*", "*:*:*"])
def test_wildcard_permissions_grant_the_architect_permission(
    session: ArchSession, location: Location, cloud: FakeCloud, held: str
) -> None:
    token = user_token(cloud, [held])

    session.start_with_auth_token(location, nothing, token)

    assert session.end_exit_code == 0


def test_starting_a_running_session_is_refused(
    connected: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    with pytest.raises(ArchStateError, match="already running"):
        connected.start_with_client_id_and_secret(
            location, nothing, CLIENT_ID, CLIENT_SECRET, None, True
        )
    with pytest.raises(ArchStateError):
        connected.connect_with_auth_token(location, client_token(cloud), True)

    assert connected.status == "running"
    assert connected.api.get("/api/v2/flows").status_code == 200


def test_an_async_start_callback_is_awaited_before_the_end(
    session: ArchSession, location: Location
) -> None:
    steps: list[str] = []

    async def work(s: ArchSession) -> None:
        steps.append("work begins")
        await asyncio.sleep(0.05)
        steps.append(f"work done while {s.status}")

    session.start_with_client_id_and_secret(
        location, work, CLIENT_ID, CLIENT_SECRET, lambda s: steps.append("end"), True
    )

    assert steps == ["work begins", "work done while running", "end"]
    assert session.end_exit_code == 0


def test_an_exception_in_the_start_callback_sets_exit_code_99(
    session: ArchSession, location: Location, caplog: pytest.LogCaptureFixture
) -> None:
    ended: list[str] = []

    def work(s: ArchSession) -> None:
        s.end_exit_code = 7
        raise LookupError("flow 'Main Menu' is missing")

    session.start_with_client_id_and_secret(
        location, work, CLIENT_ID, CLIENT_SECRET, lambda s: ended.append(s.status), True
    )

    assert session.end_exit_code == 99
    assert "flow 'Main Menu' is missing" in error_lines(caplog)
    assert ended == ["running"]
    assert session.status == "ended"
