"""What lands in cassettes: the session's own, the tests', and nothing secret."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from .conftest import Project

ORG_READER = """
import pytest

@pytest.mark.vcr
def test_reads_org(arch_session):
    response = arch_session.api.get("/api/v2/organizations/me")
    assert response.json()["name"] == "FakeCloud Org"
"""


def interactions(path: Path) -> list[dict[str, Any]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = document["interactions"]
    return found


def cassette_of(project: Project, name: str = "test_reads_org") -> Path:
    return next(project.path.rglob(f"cassettes/*/{name}.yaml"))


def uris(path: Path) -> list[str]:
    return [str(i["request"]["uri"]) for i in interactions(path)]


def test_login_is_in_the_session_cassette_not_the_tests(project: Project) -> None:
    project.pytester.makepyfile(ORG_READER)

    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)

    assert uris(project.session_cassette()) == [
        f"{project.cloud.url}/oauth/token",
        f"{project.cloud.url}/api/v2/organizations/me",
    ]
    assert uris(cassette_of(project)) == [
        f"{project.cloud.url}/api/v2/organizations/me"
    ]


def test_tests_cassette_has_a_placeholder_token(project: Project) -> None:
    project.pytester.makepyfile(ORG_READER)

    result = project.run(*project.credentials(), "--record-mode=once")

    request = interactions(cassette_of(project))[0]["request"]
    assert request["headers"]["Authorization"] == ["Bearer SCRUBBED:ACCESS-TOKEN"]
    assert project.leaks(result) == []


def test_recorded_run_replays_offline_with_the_tests_cassettes(
    project: Project,
) -> None:
    project.pytester.makepyfile(ORG_READER)
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    project.cloud.stop()

    result = project.run("--block-network")

    result.assert_outcomes(passed=1)


def test_set_cookie_on_the_login_is_scrubbed_in_any_casing(project: Project) -> None:
    project.pytester.makepyfile(ORG_READER)
    project.cloud.set_cookie = "session=abc123secretcookie; HttpOnly"
    project.cloud.cookie_header_name = "sEt-CoOkIe"

    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    project.cloud.stop()

    text = project.session_cassette().read_text()
    assert "abc123secretcookie" not in text
    assert "session=SCRUBBED:COOKIE; HttpOnly" in text
    project.run().assert_outcomes(passed=1)


def test_gzip_bodies_are_stored_readable_and_scrubbed(project: Project) -> None:
    project.pytester.makepyfile(ORG_READER)
    project.cloud.gzip = True

    result = project.run(*project.credentials(), "--record-mode=once")

    login = interactions(project.session_cassette())[0]["response"]
    body = login["body"]["string"]
    assert '"access_token":"SCRUBBED:ACCESS-TOKEN"' in body
    assert "Content-Encoding" not in login["headers"]
    assert project.leaks(result) == []
    project.cloud.stop()
    project.run().assert_outcomes(passed=1)


def test_rewrite_holds_one_login_not_two(project: Project) -> None:
    project.pytester.makepyfile(ORG_READER)
    project.run(*project.credentials(), "--record-mode=once")

    project.run(*project.credentials(), "--record-mode=all").assert_outcomes(passed=1)
    project.run(*project.credentials(), "--record-mode=rewrite").assert_outcomes(
        passed=1
    )

    logins = [u for u in uris(project.session_cassette()) if u.endswith("/oauth/token")]
    assert len(logins) == 1


def test_once_with_credentials_keeps_the_recorded_login(project: Project) -> None:
    project.pytester.makepyfile(ORG_READER)
    project.run(*project.credentials(), "--record-mode=once")
    before = project.session_cassette().read_text()

    result = project.run(*project.credentials(), "--record-mode=once")

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["archsession: *mode live*"])
    assert project.session_cassette().read_text() == before


def test_disable_recording_goes_live_and_writes_nothing(project: Project) -> None:
    project.pytester.makepyfile(ORG_READER)

    result = project.run(*project.credentials(), "--disable-recording")

    result.assert_outcomes(passed=1)
    assert list(project.path.rglob("*.yaml")) == []


def test_two_factory_sessions_in_one_test_replay(project: Project) -> None:
    project.pytester.makepyfile(
        """
        import pytest

        @pytest.mark.vcr
        def test_two(arch_session_factory):
            first = arch_session_factory()
            second = arch_session_factory()
            for session in (first, second):
                org = session.api.get("/api/v2/organizations/me").json()
                assert org["name"] == session.org_info.name == "FakeCloud Org"
        """
    )
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    assert project.cloud.count("POST", "/oauth/token") == 2
    project.cloud.stop()

    result = project.run("--block-network")

    result.assert_outcomes(passed=1)


def test_factory_session_with_a_wrong_secret_fails_only_its_test(
    project: Project,
) -> None:
    project.pytester.makepyfile(
        """
        def test_bad(arch_session_factory):
            arch_session_factory(client_secret="wrong")

        def test_good(arch_session):
            assert arch_session.is_connected
        """
    )

    result = project.run(*project.credentials())

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*authentication failed*"])


def test_arch_fake_cloud_fixture_serves_a_whole_session(
    pytester: object,
) -> None:
    from pytest import Pytester

    assert isinstance(pytester, Pytester)
    pytester.makepyfile(
        """
        def test_against_fake(arch_fake_cloud, arch_session_factory):
            session = arch_session_factory(
                location="prod_eu_west_1",
                login_url=arch_fake_cloud.url,
                api_url=arch_fake_cloud.url,
                client_id="fake-client-id",
                client_secret="fake-client-secret",
            )
            assert session.region == "eu-west-1"
            assert session.org_info.name
            assert arch_fake_cloud.count("POST", "/oauth/token") == 1
        """
    )

    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_factory_session_on_its_own_urls_records_nothing(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_fake(arch_fake_cloud, arch_session_factory):
            session = arch_session_factory(
                login_url=arch_fake_cloud.url,
                api_url=arch_fake_cloud.url,
                client_id="fake-client-id",
                client_secret="fake-client-secret",
            )
            assert session.is_connected
        """
    )

    project.run("--record-mode=once").assert_outcomes(passed=1)

    assert list(project.path.rglob("*.yaml")) == []


def test_a_token_revoked_while_recording_still_replays(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The inner run is in this process: hand its test the fake to revoke on.
    monkeypatch.setitem(sys.modules, "outer_fake", SimpleNamespace(cloud=project.cloud))
    project.pytester.makepyfile(
        """
        import os
        import pytest

        @pytest.mark.vcr
        def test_after_revoke(arch_session):
            if os.environ.get("REVOKE"):
                __import__("outer_fake").cloud.revoke_all()
            assert arch_session.api.get("/api/v2/flows").status_code == 200
        """
    )
    monkeypatch.setenv("REVOKE", "1")
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    assert project.cloud.count("POST", "/oauth/token") == 2
    monkeypatch.delenv("REVOKE")
    project.cloud.stop()

    project.run("--block-network").assert_outcomes(passed=1)


def test_code_and_token_query_fields_replay(project: Project) -> None:
    project.pytester.makepyfile(
        """
        import pytest

        @pytest.mark.vcr
        def test_paged(arch_session):
            params = {"code": "US", "token": "next-page-cursor-1234"}
            assert arch_session.api.get("/api/v2/flows", params=params).ok
        """
    )
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    project.cloud.stop()

    project.run("--block-network").assert_outcomes(passed=1)
