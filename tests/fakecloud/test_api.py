"""The API side: org, token facts, logout, the user, and every 401."""

from __future__ import annotations

import gzip
import json
import time
import uuid
from datetime import datetime, timezone

import pytest

from pytest_archsession.fakecloud import FakeCloud

from .http_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    bearer,
    call,
    client_token,
    user_token,
)


def test_org_is_served_with_genesys_field_names(cloud: FakeCloud) -> None:
    answer = call(
        cloud, "GET", "/api/v2/organizations/me", headers=bearer(client_token(cloud))
    )

    assert answer.status == 200
    org = answer.json()
    for field in ("id", "name", "defaultLanguage", "domain", "state", "features"):
        assert field in org
    assert org["selfUri"] == f"/api/v2/organizations/{org['id']}"


def test_edits_to_the_org_are_served(cloud: FakeCloud) -> None:
    cloud.org["name"] = "Renamed Org"
    cloud.org["defaultLanguage"] = "fr"

    org = call(
        cloud, "GET", "/api/v2/organizations/me", headers=bearer(client_token(cloud))
    ).json()

    assert (org["name"], org["defaultLanguage"]) == ("Renamed Org", "fr")


def test_every_api_answer_carries_a_correlation_id(cloud: FakeCloud) -> None:
    token = client_token(cloud)

    ids = [
        call(cloud, "GET", "/api/v2/organizations/me", headers=bearer(token)).header(
            "ININ-Correlation-Id"
        )
        for _ in range(2)
    ]

    assert ids[0] != ids[1]
    assert all(uuid.UUID(value or "") for value in ids)


def test_token_info_names_org_and_client_and_when_it_idles(cloud: FakeCloud) -> None:
    cloud.token_lifetime = 600
    token = client_token(cloud)

    info = call(cloud, "GET", "/api/v2/tokens/me", headers=bearer(token)).json()

    assert info["organization"]["id"] == cloud.org["id"]
    assert info["homeOrganization"]["name"] == cloud.org["name"]
    assert info["OAuthClient"]["id"] == CLIENT_ID
    assert info["OAuthClient"]["organization"]["id"] == cloud.org["id"]
    assert "clonedUser" not in info
    idles = datetime.strptime(info["dateTokenIdles"], "%Y-%m-%dT%H:%M:%S.%fZ")
    remaining = idles.replace(tzinfo=timezone.utc).timestamp() - time.time()
    assert 590 < remaining <= 600


def test_head_tokens_me_tells_valid_from_invalid_without_a_body(
    cloud: FakeCloud,
) -> None:
    good = call(cloud, "HEAD", "/api/v2/tokens/me", headers=bearer(client_token(cloud)))
    bad = call(cloud, "HEAD", "/api/v2/tokens/me", headers=bearer("made-up"))

    assert (good.status, good.body) == (200, b"")
    assert (bad.status, bad.body) == (401, b"")


def test_delete_tokens_me_logs_out_that_token_only(cloud: FakeCloud) -> None:
    gone, kept = client_token(cloud), client_token(cloud)

    logout = call(cloud, "DELETE", "/api/v2/tokens/me", headers=bearer(gone))

    assert (logout.status, logout.body) == (204, b"")
    after = call(cloud, "GET", "/api/v2/organizations/me", headers=bearer(gone))
    assert after.status == 401
    assert after.json()["code"] == "bad.credentials"
    assert (
        call(cloud, "GET", "/api/v2/organizations/me", headers=bearer(kept)).status
        == 200
    )


def test_missing_token_is_401_with_an_error_body(cloud: FakeCloud) -> None:
    answer = call(cloud, "GET", "/api/v2/organizations/me")

    assert answer.status == 401
    body = answer.json()
    assert body["code"] == "authentication.required"
    assert body["status"] == 401
    assert body["contextId"] == answer.header("ININ-Correlation-Id")
    assert (body["details"], body["errors"]) == ([], [])


def test_unknown_token_is_bad_credentials(cloud: FakeCloud) -> None:
    answer = call(cloud, "GET", "/api/v2/organizations/me", headers=bearer("made-up"))

    assert answer.status == 401
    assert answer.json()["code"] == "bad.credentials"


@pytest.mark.parametrize("spoil", ["revoke_all", "expire_all"])
def test_revoked_or_expired_tokens_are_refused(cloud: FakeCloud, spoil: str) -> None:
    token = client_token(cloud)

    getattr(cloud, spoil)()

    answer = call(cloud, "GET", "/api/v2/tokens/me", headers=bearer(token))
    assert answer.status == 401
    assert answer.json()["code"] == "bad.credentials"
    assert (
        call(
            cloud, "GET", "/api/v2/tokens/me", headers=bearer(client_token(cloud))
        ).status
        == 200
    )


def test_token_stops_working_when_its_lifetime_is_over() -> None:
    with FakeCloud(clients={CLIENT_ID: CLIENT_SECRET}, token_lifetime=1) as cloud:
        token = client_token(cloud)
        fresh = call(cloud, "GET", "/api/v2/organizations/me", headers=bearer(token))

        time.sleep(1.1)
        stale = call(cloud, "GET", "/api/v2/organizations/me", headers=bearer(token))

    assert fresh.status == 200
    assert stale.status == 401
    assert "expired" in stale.json()["message"]


def test_users_me_refuses_a_client_credentials_token(cloud: FakeCloud) -> None:
    answer = call(cloud, "GET", "/api/v2/users/me", headers=bearer(client_token(cloud)))

    assert answer.status == 400
    body = answer.json()
    assert body["code"] == "not.a.user"
    assert "user context" in body["message"]


def test_users_me_expands_authorization_only_when_asked(cloud: FakeCloud) -> None:
    cloud.add_user(username="limited", permissions=["routing:queue:view"])
    token = user_token(cloud)

    plain = call(cloud, "GET", "/api/v2/users/me", headers=bearer(token)).json()
    expanded = call(
        cloud, "GET", "/api/v2/users/me?expand=authorization", headers=bearer(token)
    ).json()

    assert "authorization" not in plain
    assert expanded["authorization"]["permissions"] == ["routing:queue:view"]
    assert expanded["id"] == plain["id"]


def test_unknown_path_is_404_error_body(cloud: FakeCloud) -> None:
    answer = call(cloud, "GET", "/api/v2/nowhere", headers=bearer(client_token(cloud)))

    assert answer.status == 404
    assert answer.json()["code"] == "not.found"
    assert answer.json()["contextId"] == answer.header("ININ-Correlation-Id")


def test_gzip_bodies_are_compressed_and_labelled(cloud: FakeCloud) -> None:
    token = client_token(cloud)
    cloud.gzip = True

    answer = call(cloud, "GET", "/api/v2/organizations/me", headers=bearer(token))

    assert answer.header("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(answer.body))["id"] == cloud.org["id"]
