"""C23: with every log level and the network log on, no secret is ever shown."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from pytest_archsession import ArchSession, ArchSessionError, Location, Secret
from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET, client_token, user_token

WRONG_SECRET = "wr0ng:sécret-attempt-17"


def shown_forms(client_id: str, secret: str) -> list[str]:
    """Return the secret as typed, as a form field, and inside the Basic header."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode("ascii")
    return [secret, quote(secret, safe=""), basic]


def chain(error: BaseException) -> Iterator[BaseException]:
    """Yield an error and every error it was raised from or during."""
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def described(error: BaseException) -> str:
    return "\n".join(f"{e!r}\n{e}" for e in chain(error))


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Return every record as formatted, as raw message and as raw arguments."""
    lines = [caplog.text]
    for record in caplog.records:
        lines += [record.getMessage(), str(record.msg), repr(record.args)]
    return "\n".join(lines)


@pytest.fixture
def chatty(session: ArchSession, caplog: pytest.LogCaptureFixture) -> ArchSession:
    """Return a session that logs everything it can, captured at DEBUG."""
    caplog.set_level(logging.DEBUG)
    session.log_network_activity = True
    session.log_notes_verbose = True
    return session


def assert_hidden(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text


def test_a_failing_login_shows_no_secret(
    chatty: ArchSession, location: Location, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ArchSessionError) as caught:
        chatty.connect_with_client_id_and_secret(
            location, CLIENT_ID, WRONG_SECRET, True
        )
    chatty.start_with_client_id_and_secret(
        location, lambda s: None, CLIENT_ID, WRONG_SECRET, None, True
    )

    logged = everything_logged(caplog)
    assert "/oauth/token -> 400" in logged
    assert "authentication failed" in logged
    shown = [logged, described(caught.value)]
    shown += [repr(chatty), repr(vars(chatty)), repr(chatty.secrets)]
    assert_hidden("\n".join(shown), shown_forms(CLIENT_ID, WRONG_SECRET))


def test_a_login_failing_after_the_grant_shows_no_token(
    chatty: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cloud.fail("/api/v2/organizations/me", 503, times=5)

    with pytest.raises(ArchSessionError) as caught:
        chatty.connect_with_client_id_and_secret(
            location, CLIENT_ID, CLIENT_SECRET, True
        )

    shown = everything_logged(caplog) + described(caught.value) + repr(vars(chatty))
    assert "/api/v2/organizations/me -> 503" in shown
    assert cloud.issued_tokens
    assert_hidden(shown, [*cloud.issued_tokens, *shown_forms(CLIENT_ID, CLIENT_SECRET)])


def test_a_successful_session_shows_no_secret_or_token(
    chatty: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shown: list[str] = []

    def work(s: ArchSession) -> None:
        s.api.get("/api/v2/flows")
        s.log_note_verbose(f"working with token {s.auth_token}")
        shown.extend([repr(s), repr(vars(s)), repr(s.api), repr(s.org_info)])

    chatty.end_mode = "endWithLogout"
    chatty.start_with_client_id_and_secret(
        location, work, CLIENT_ID, CLIENT_SECRET, None, True
    )

    logged = everything_logged(caplog)
    assert "GET" in logged
    assert "/api/v2/flows -> 200" in logged
    assert "DELETE" in logged
    assert "working with token SCRUBBED:ACCESS-TOKEN" in logged
    shown += [logged, repr(chatty), repr(chatty.secrets)]
    assert_hidden(
        "\n".join(shown), [*cloud.issued_tokens, *shown_forms(CLIENT_ID, CLIENT_SECRET)]
    )


def test_errors_about_a_given_token_show_no_token(
    chatty: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chatty.connect_with_auth_token(location, client_token(cloud), True)
    cloud.expire_all()

    with pytest.raises(ArchSessionError) as caught:
        chatty.api.get("/api/v2/flows")
    chatty.end()
    chatty.start_with_auth_token(location, lambda s: None, user_token(cloud, []))

    shown = everything_logged(caplog) + described(caught.value) + repr(vars(chatty))
    assert "architect:ui:view" in shown
    assert_hidden(shown, cloud.issued_tokens)


def test_a_secret_hides_itself_however_it_is_printed() -> None:
    secret = Secret(CLIENT_SECRET)

    shown = [
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        format(secret, ">80"),
    ]

    assert_hidden("\n".join(shown), [CLIENT_SECRET])
    assert secret.reveal() == CLIENT_SECRET
