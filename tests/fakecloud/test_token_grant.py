"""The token endpoint: client credentials, its errors, rate limit and cookies."""

from __future__ import annotations

import base64

import pytest

from pytest_archsession.fakecloud import FakeCloud

from .http_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    CODE_CLIENT_ID,
    CODE_CLIENT_SECRET,
    FORM,
    bearer,
    call,
    client_token,
    post_token,
)


def test_client_credentials_grant_answers_a_bearer_token(cloud: FakeCloud) -> None:
    cloud.token_lifetime = 3600

    answer = post_token(
        cloud, CLIENT_ID, CLIENT_SECRET, grant_type="client_credentials"
    )

    assert answer.status == 200
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert cloud.issued_tokens == [body["access_token"]]
    assert (
        call(
            cloud, "GET", "/api/v2/tokens/me", headers=bearer(body["access_token"])
        ).status
        == 200
    )


def test_each_grant_issues_a_different_token(cloud: FakeCloud) -> None:
    first, second = client_token(cloud), client_token(cloud)

    assert first != second
    assert cloud.issued_tokens == [first, second]


def test_secret_with_colons_and_non_ascii_is_split_at_the_first_colon() -> None:
    secret = "pä:ss:wörd€"
    with FakeCloud(clients={"cölon-client": secret}) as cloud:
        answer = post_token(
            cloud, "cölon-client", secret, grant_type="client_credentials"
        )

        assert answer.status == 200, answer.body


def test_secret_encoded_as_latin1_is_refused() -> None:
    with FakeCloud(clients={"client": "pässword"}) as cloud:
        pair = "client:pässword".encode("latin-1")
        headers = {"Authorization": "Basic " + base64.b64encode(pair).decode(), **FORM}

        answer = call(
            cloud,
            "POST",
            "/oauth/token",
            headers=headers,
            body=b"grant_type=client_credentials",
        )

        assert answer.status == 400
        assert answer.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("client_id", "secret", "description"),
    [
        ("nobody", CLIENT_SECRET, "client not found"),
        (CLIENT_ID, "wrong-secret", "authentication failed"),
    ],
)
def test_bad_client_is_invalid_client(
    cloud: FakeCloud, client_id: str, secret: str, description: str
) -> None:
    answer = post_token(cloud, client_id, secret, grant_type="client_credentials")

    assert answer.status == 400
    assert answer.json() == {
        "error": "invalid_client",
        "description": description,
        "error_description": description,
    }
    assert cloud.issued_tokens == []


def test_missing_basic_header_is_invalid_client(cloud: FakeCloud) -> None:
    body = f"grant_type=client_credentials&client_id={CLIENT_ID}".encode()

    answer = call(cloud, "POST", "/oauth/token", headers=FORM, body=body)

    assert answer.status == 400
    assert answer.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("client_id", "secret", "grant_type"),
    [
        (CODE_CLIENT_ID, CODE_CLIENT_SECRET, "client_credentials"),
        (CLIENT_ID, CLIENT_SECRET, "authorization_code"),
        (CLIENT_ID, CLIENT_SECRET, "password"),
    ],
)
def test_grant_the_client_may_not_use_is_unauthorized_client(
    cloud: FakeCloud, client_id: str, secret: str, grant_type: str
) -> None:
    answer = post_token(cloud, client_id, secret, grant_type=grant_type, code="x")

    assert answer.status == 400
    assert answer.json()["error"] == "unauthorized_client"


def test_rate_limited_token_endpoint_says_so_then_recovers(cloud: FakeCloud) -> None:
    cloud.rate_limit_token_endpoint(times=2)

    answers = [
        post_token(cloud, CLIENT_ID, CLIENT_SECRET, grant_type="client_credentials")
        for _ in range(3)
    ]

    assert [a.status for a in answers] == [400, 400, 200]
    assert answers[0].json()["error"] == "invalid_request"
    assert "rate limit exceeded" in answers[0].json()["error_description"]
    assert cloud.count("POST", "/oauth/token") == 3


@pytest.mark.parametrize("header_name", ["Set-Cookie", "set-cookie", "SET-COOKIE"])
def test_token_answer_sets_the_cookie_with_the_chosen_casing(
    cloud: FakeCloud, header_name: str
) -> None:
    cloud.set_cookie = "JSESSIONID=abc123; Path=/; HttpOnly"
    cloud.cookie_header_name = header_name

    answer = post_token(
        cloud, CLIENT_ID, CLIENT_SECRET, grant_type="client_credentials"
    )

    sent = [
        (name, value) for name, value in answer.headers if name.lower() == "set-cookie"
    ]
    assert sent == [(header_name, "JSESSIONID=abc123; Path=/; HttpOnly")]


def test_no_cookie_unless_asked(cloud: FakeCloud) -> None:
    answer = post_token(
        cloud, CLIENT_ID, CLIENT_SECRET, grant_type="client_credentials"
    )

    assert answer.header("Set-Cookie") is None
