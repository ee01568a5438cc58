"""The authorization code grant: authorize, redirect, PKCE and one-time codes."""

from __future__ import annotations

from urllib.parse import urlsplit

from pytest_archsession.fakecloud import FakeCloud

from .http_helpers import (
    CLIENT_ID,
    CODE_CLIENT_ID,
    CODE_CLIENT_SECRET,
    REDIRECT_URI,
    authorize,
    bearer,
    call,
    exchange,
    pkce_pair,
    post_token,
    redirect_params,
    user_token,
)


def test_authorize_redirects_back_with_a_code_and_the_state(cloud: FakeCloud) -> None:
    _, challenge = pkce_pair()

    answer = authorize(cloud, challenge)

    assert answer.status == 302
    location = urlsplit(answer.header("Location") or "")
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    params = redirect_params(answer)
    assert params["state"] == "xyz-state"
    assert len(params["code"]) >= 20


def test_code_with_the_right_verifier_gives_a_user_token(cloud: FakeCloud) -> None:
    verifier, challenge = pkce_pair()
    code = redirect_params(authorize(cloud, challenge))["code"]

    answer = exchange(cloud, code, verifier)

    assert answer.status == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    me = call(cloud, "GET", "/api/v2/users/me", headers=bearer(body["access_token"]))
    assert me.status == 200
    assert me.json()["username"] == "tester"


def test_wrong_verifier_is_invalid_grant(cloud: FakeCloud) -> None:
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    code = redirect_params(authorize(cloud, challenge))["code"]

    answer = exchange(cloud, code, other_verifier)

    assert answer.status == 400
    assert answer.json()["error"] == "invalid_grant"
    assert cloud.issued_tokens == []


def test_a_code_works_only_once(cloud: FakeCloud) -> None:
    verifier, challenge = pkce_pair()
    code = redirect_params(authorize(cloud, challenge))["code"]

    first = exchange(cloud, code, verifier)
    second = exchange(cloud, code, verifier)

    assert first.status == 200
    assert second.status == 400
    assert second.json()["error"] == "invalid_grant"


def test_code_sent_with_another_redirect_uri_is_invalid_grant(cloud: FakeCloud) -> None:
    verifier, challenge = pkce_pair()
    code = redirect_params(authorize(cloud, challenge))["code"]

    answer = post_token(
        cloud,
        CODE_CLIENT_ID,
        CODE_CLIENT_SECRET,
        grant_type="authorization_code",
        code=code,
        redirect_uri="http://localhost:9999/elsewhere",
        code_verifier=verifier,
    )

    assert answer.status == 400
    assert answer.json()["error"] == "invalid_grant"


def test_made_up_code_is_invalid_grant(cloud: FakeCloud) -> None:
    answer = exchange(cloud, "not-a-code", "whatever-verifier")

    assert answer.status == 400
    assert answer.json()["error"] == "invalid_grant"


def test_authorize_for_an_unknown_client_shows_an_error_page(cloud: FakeCloud) -> None:
    _, challenge = pkce_pair()

    answer = authorize(cloud, challenge, client_id="nobody")

    assert answer.status == 400
    assert (answer.header("Content-Type") or "").startswith("text/html")
    assert b"client not found" in answer.body
    assert answer.header("Location") is None


def test_authorize_for_a_client_credentials_client_is_refused(cloud: FakeCloud) -> None:
    _, challenge = pkce_pair()

    answer = authorize(cloud, challenge, client_id=CLIENT_ID)

    assert answer.status == 400
    assert answer.header("Location") is None


def test_plain_challenge_method_is_refused(cloud: FakeCloud) -> None:
    verifier, _ = pkce_pair()

    answer = authorize(cloud, verifier, code_challenge_method="plain")

    assert answer.status == 400


def test_the_added_user_is_the_one_logged_in(cloud: FakeCloud) -> None:
    cloud.add_user(username="flow-author", permissions=["architect:*:*"])

    token = user_token(cloud)

    me = call(
        cloud, "GET", "/api/v2/users/me?expand=authorization", headers=bearer(token)
    ).json()
    assert me["username"] == "flow-author"
    assert me["authorization"]["permissions"] == ["architect:*:*"]
