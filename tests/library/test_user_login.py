"""The user login end to end: a browser stand-in, the loopback callback, the
code exchange with PKCE, and the token store, against the fake cloud.
"""

from __future__ import annotations

import logging
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from pytest_archsession.errors import (
    ArchAuthError,
    ArchConnectionError,
    ArchUsageError,
)
from pytest_archsession.fakecloud import FakeCloud
from pytest_archsession.fakecloud.oauth import read_form, s256
from pytest_archsession.locations import Location
from pytest_archsession.secrets import Secret, SecretRegistry
from pytest_archsession.session.session import ArchSession
from pytest_archsession.wire.oauth import TokenGrant
from pytest_archsession.wire.tokenstore import TokenStore
from pytest_archsession.wire.transport import WireSession
from pytest_archsession.wire.usergrant import Opener, UserLogin, pkce_pair

from .helpers import CODE_CLIENT_ID, CODE_CLIENT_SECRET

AUTHORIZE = "/oauth/authorize"
TOKEN = "/oauth/token"
TOKEN_INFO = "/api/v2/tokens/me"


class Browser:
    """Stand in for a web browser: follow the login page's redirect home."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.http.trust_env = False
        self.pages: list[requests.Response] = []

    def __call__(self, url: str) -> None:
        self.pages.append(self.http.get(url, timeout=5))

    def visit(self, url: str) -> None:
        """Show ``url`` to the listener as the browser would, with no redirect."""
        self.pages.append(self.http.get(url, timeout=5, allow_redirects=False))

    def redirect_of(self, url: str) -> str:
        """Return where the login page sends the browser, without going there."""
        answer = self.http.get(url, timeout=5, allow_redirects=False)
        assert answer.status_code == 302
        return answer.headers["Location"]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Return where the tests keep their token store, in directories not yet made."""
    return tmp_path / "cache" / "pytest-archsession" / "tokens.json"


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Return a browser stand-in that follows redirects on loopback."""
    stand_in = Browser()
    with stand_in.http:
        yield stand_in


def user_login(
    location: Location,
    opener: Opener,
    store_path: Path | None = None,
    *,
    registry: SecretRegistry | None = None,
    wait_seconds: float = 10,
) -> UserLogin:
    return UserLogin(
        location=location,
        client_id=CODE_CLIENT_ID,
        client_secret=Secret(CODE_CLIENT_SECRET),
        secrets=registry if registry is not None else SecretRegistry(),
        redirect_port=0,
        opener=opener,
        wait_seconds=wait_seconds,
        store=TokenStore(store_path) if store_path is not None else None,
    )


def log_in(login: UserLogin) -> TokenGrant:
    with WireSession(login.location.login_url, retry_unsafe=True) as wire:
        return login(wire)


def no_browser(url: str) -> None:
    raise AssertionError("The login page was opened although a token was stored.")


def callback_of(url: str) -> tuple[str, str]:
    """Return the redirect URI and state of an authorize URL."""
    query = parse_qs(urlsplit(url).query)
    return query["redirect_uri"][0], query["state"][0]


def username_of(cloud: FakeCloud, token: Secret) -> str:
    headers = {"Authorization": f"Bearer {token.reveal()}"}
    answer = requests.get(f"{cloud.url}/api/v2/users/me", headers=headers, timeout=5)
    assert answer.status_code == 200
    return str(answer.json()["username"])


def test_a_whole_login_gives_a_user_token_and_stores_it(
    cloud: FakeCloud, location: Location, store_path: Path, browser: Browser
) -> None:
    grant = log_in(user_login(location, browser, store_path))

    assert username_of(cloud, grant.access_token) == "tester"
    assert grant.access_token.reveal() in cloud.issued_tokens
    assert [page.status_code for page in browser.pages] == [200]
    assert "close this window" in browser.pages[0].text
    stored = TokenStore(store_path).load(location.login_url, CODE_CLIENT_ID)
    assert stored is not None
    assert stored[0] == grant.access_token
    assert stored[1] == pytest.approx(time.time() + 86400, abs=60)


def test_the_authorize_request_asks_for_a_code_with_pkce(
    cloud: FakeCloud, location: Location, browser: Browser
) -> None:
    log_in(user_login(location, browser))

    (authorize,) = [r for r in cloud.requests if r.path == AUTHORIZE]
    (exchange,) = [r for r in cloud.requests if r.path == TOKEN]
    form = read_form(exchange)
    assert authorize.param("response_type") == "code"
    assert authorize.param("client_id") == CODE_CLIENT_ID
    assert authorize.param("code_challenge_method") == "S256"
    assert form["grant_type"] == "authorization_code"
    assert form["redirect_uri"] == authorize.param("redirect_uri")
    assert s256(form["code_verifier"]) == authorize.param("code_challenge")
    assert form["redirect_uri"].startswith("http://localhost:")
    assert form["redirect_uri"].endswith("/callback")


def test_a_second_login_reuses_the_stored_token(
    cloud: FakeCloud, location: Location, store_path: Path, browser: Browser
) -> None:
    first = log_in(user_login(location, browser, store_path))
    cloud.clear_log()

    second = log_in(user_login(location, no_browser, store_path))

    assert second.access_token == first.access_token
    assert second.seconds_left() == pytest.approx(86400, abs=60)
    assert cloud.count("GET", AUTHORIZE) == 0
    assert cloud.count("POST", TOKEN) == 0
    assert cloud.count("GET", TOKEN_INFO) == 1


def test_an_expired_stored_token_means_a_new_login(
    cloud: FakeCloud, location: Location, store_path: Path, browser: Browser
) -> None:
    stale = Secret("stale-token-from-yesterday", "access_token")
    spent = TokenGrant(stale, "bearer", 3600, time.monotonic() - 7200)
    TokenStore(store_path).save(location.login_url, CODE_CLIENT_ID, spent)

    grant = log_in(user_login(location, browser, store_path))

    assert grant.access_token != stale
    assert cloud.count("GET", TOKEN_INFO) == 0
    assert cloud.count("GET", AUTHORIZE) == 1
    assert cloud.count("POST", TOKEN) == 1
    stored = TokenStore(store_path).load(location.login_url, CODE_CLIENT_ID)
    assert stored is not None
    assert stored[0] == grant.access_token


def test_a_stored_token_the_api_refuses_means_a_new_login(
    cloud: FakeCloud, location: Location, store_path: Path, browser: Browser
) -> None:
    first = log_in(user_login(location, browser, store_path))
    cloud.revoke_all()
    cloud.clear_log()

    second = log_in(user_login(location, browser, store_path))

    assert second.access_token != first.access_token
    assert cloud.count("GET", TOKEN_INFO) == 1
    assert cloud.count("GET", AUTHORIZE) == 1
    stored = TokenStore(store_path).load(location.login_url, CODE_CLIENT_ID)
    assert stored is not None
    assert stored[0] == second.access_token


def test_the_store_is_readable_by_its_owner_only(
    location: Location, store_path: Path, browser: Browser
) -> None:
    log_in(user_login(location, browser, store_path))

    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store_path.parent.parent.stat().st_mode) == 0o700
    assert [path.name for path in store_path.parent.iterdir()] == ["tokens.json"]


def test_a_corrupt_store_is_ignored_with_a_warning_and_replaced(
    location: Location,
    store_path: Path,
    browser: Browser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_text("{half a file", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="pytest_archsession"):
        grant = log_in(user_login(location, browser, store_path))

    assert f"Ignoring the token store {store_path}" in caplog.text
    assert "not valid JSON" in caplog.text
    stored = TokenStore(store_path).load(location.login_url, CODE_CLIENT_ID)
    assert stored is not None
    assert stored[0] == grant.access_token


def test_a_callback_with_another_state_fails_clearly(
    cloud: FakeCloud, location: Location, browser: Browser
) -> None:
    def forged(url: str) -> None:
        target = urlsplit(browser.redirect_of(url))
        query = parse_qs(target.query)
        query["state"] = ["someone-elses-state"]
        browser.visit(target._replace(query=urlencode(query, doseq=True)).geturl())

    with pytest.raises(ArchAuthError, match="state that does not match") as caught:
        log_in(user_login(location, forged))

    assert caught.value.code == "state_mismatch"
    assert browser.pages[0].status_code == 400
    assert "Login failed" in browser.pages[0].text
    assert cloud.count("POST", TOKEN) == 0


def test_an_access_denied_callback_fails_clearly(
    cloud: FakeCloud, location: Location, browser: Browser
) -> None:
    def refused(url: str) -> None:
        redirect_uri, state = callback_of(url)
        answer = {"error": "access_denied", "error_description": "user said no"}
        browser.visit(f"{redirect_uri}?{urlencode({**answer, 'state': state})}")

    with pytest.raises(ArchAuthError) as caught:
        log_in(user_login(location, refused))

    assert '"access_denied" (user said no)' in str(caught.value)
    assert "The user declined" in str(caught.value)
    assert caught.value.code == "access_denied"
    assert browser.pages[0].status_code == 403
    assert cloud.count("POST", TOKEN) == 0


def test_a_login_the_browser_never_finishes_times_out(location: Location) -> None:
    shown: list[str] = []

    with pytest.raises(ArchAuthError, match="did not complete within 1 s") as caught:
        log_in(user_login(location, shown.append, wait_seconds=1))

    redirect_uri, _ = callback_of(shown[0])
    assert redirect_uri in str(caught.value)
    port = urlsplit(redirect_uri).port
    assert port is not None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_a_redirect_port_in_use_fails_clearly(location: Location) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        login = user_login(location, no_browser)
        login.redirect_port = taken.getsockname()[1]

        with pytest.raises(ArchConnectionError, match="pick another redirect port"):
            log_in(login)


def test_a_redirect_port_out_of_range_is_a_usage_error(location: Location) -> None:
    with pytest.raises(ArchUsageError, match="not a TCP port"):
        UserLogin(
            location=location,
            client_id=CODE_CLIENT_ID,
            client_secret=Secret(CODE_CLIENT_SECRET),
            secrets=SecretRegistry(),
            redirect_port=70000,
        )


def test_the_fake_refuses_a_verifier_that_does_not_fit_the_challenge(
    cloud: FakeCloud, location: Location, browser: Browser
) -> None:
    _, other_challenge = pkce_pair()

    def swapped(url: str) -> None:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        query["code_challenge"] = [other_challenge]
        browser(parts._replace(query=urlencode(query, doseq=True)).geturl())

    with pytest.raises(ArchAuthError, match="code_verifier does not match"):
        log_in(user_login(location, swapped))

    assert browser.pages[0].status_code == 200
    assert cloud.count("POST", TOKEN) == 1
    assert cloud.issued_tokens == []


def test_the_code_verifier_and_token_are_registered_and_never_logged(
    cloud: FakeCloud,
    location: Location,
    store_path: Path,
    browser: Browser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry = SecretRegistry()

    with caplog.at_level(logging.DEBUG, logger="pytest_archsession"):
        grant = log_in(user_login(location, browser, store_path, registry=registry))
        log_in(user_login(location, no_browser, store_path, registry=registry))

    (exchange,) = [r for r in cloud.requests if r.path == TOKEN]
    form = read_form(exchange)
    hidden = [form["code"], form["code_verifier"], grant.access_token.reveal()]
    assert [registry.scrub_text(value) for value in hidden] == [
        "SCRUBBED:AUTHORIZATION-CODE",
        "SCRUBBED:PKCE-VERIFIER",
        "SCRUBBED:ACCESS-TOKEN",
    ]
    ours = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name == "pytest_archsession"
    )
    assert "Reusing the stored token" in ours
    assert not [value for value in hidden if value in ours]


def start_session(
    session: ArchSession,
    location: Location,
    opener: Opener,
    caplog: pytest.LogCaptureFixture,
) -> list[str]:
    login = user_login(location, opener, registry=session.secrets)
    session.user_login = login
    seen: list[str] = []

    def callback_start(running: ArchSession) -> None:
        seen.append(running.org_info.name)

    with caplog.at_level(logging.INFO, logger="pytest_archsession"):
        session.start_with_client_id_and_secret(
            location, callback_start, CODE_CLIENT_ID, CODE_CLIENT_SECRET, None, False
        )
    return seen


def test_a_session_runs_as_the_person_who_logged_in(
    cloud: FakeCloud,
    session: ArchSession,
    location: Location,
    browser: Browser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen = start_session(session, location, browser, caplog)

    assert session.end_exit_code == 0
    assert seen == [cloud.org["name"]]
    assert cloud.count("GET", "/api/v2/users/me") == 1


def test_a_user_without_architect_ui_view_fails_the_session(
    cloud: FakeCloud,
    session: ArchSession,
    location: Location,
    browser: Browser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cloud.add_user(username="viewer", permissions=["architect:flow:view"])

    seen = start_session(session, location, browser, caplog)

    assert session.end_exit_code == 99
    assert session.status == "ended"
    assert seen == []
    failures = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(failures) == 1
    assert "lacks the architect:ui:view permission" in failures[0]
