"""Each fault of the fake cloud, once through a whole pytest run."""

from __future__ import annotations

import pytest
import yaml

from ..library.helpers import (
    CODE_CLIENT_ID,
    CODE_CLIENT_SECRET,
    client_token,
    user_token,
)
from .conftest import CLIENT_ID, CLIENT_SECRET, Project

FLOWS_TEST = """
def test_flows(arch_session):
    assert arch_session.api.get("/api/v2/flows").status_code == 200
"""


def test_busy_api_is_retried_and_the_test_passes(project: Project) -> None:
    project.pytester.makepyfile(FLOWS_TEST)
    project.cloud.fail("/api/v2/flows", 503, times=2)

    project.run(*project.credentials()).assert_outcomes(passed=1)

    assert project.cloud.count("GET", "/api/v2/flows") == 3


def test_dropped_connection_is_retried(project: Project) -> None:
    project.pytester.makepyfile(FLOWS_TEST)
    project.cloud.drop("/api/v2/flows")

    project.run(*project.credentials()).assert_outcomes(passed=1)

    assert project.cloud.count("GET", "/api/v2/flows") == 2


def test_rate_limited_login_is_waited_out(project: Project) -> None:
    project.pytester.makepyfile(FLOWS_TEST)
    project.cloud.rate_limit_token_endpoint()

    project.run(*project.credentials()).assert_outcomes(passed=1)

    assert project.cloud.count("POST", "/oauth/token") == 2


def test_short_lived_token_is_renewed_and_kept_out_of_test_cassettes(
    project: Project,
) -> None:
    project.cloud.token_lifetime = 1
    project.pytester.makepyfile(
        """
        import time
        import pytest

        @pytest.mark.vcr
        @pytest.mark.parametrize("n", range(3))
        def test_flows_over_time(arch_session, n):
            time.sleep(0.6)
            assert arch_session.api.get("/api/v2/flows").status_code == 200
        """
    )

    result = project.run(*project.credentials(), "--record-mode=once")

    result.assert_outcomes(passed=3)
    assert project.cloud.count("POST", "/oauth/token") >= 2
    for cassette in project.path.glob("cassettes/test_*/*.yaml"):
        document = yaml.safe_load(cassette.read_text())
        uris = [i["request"]["uri"] for i in document["interactions"]]
        assert all(uri.endswith("/api/v2/flows") for uri in uris), cassette
    assert project.leaks(result) == []


def test_given_token_that_expires_mid_run_says_so(project: Project) -> None:
    project.cloud.token_lifetime = 1
    token = client_token(project.cloud, CLIENT_ID, CLIENT_SECRET)
    project.pytester.makepyfile(
        """
        import time

        def test_later(arch_session):
            time.sleep(1.5)
            arch_session.api.get("/api/v2/flows")
        """
    )

    result = project.run(f"--arch-auth-token={token}")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["E *ArchTokenExpiredError: *refused the auth token*it has expired*"]
    )
    assert token not in "\n".join(result.outlines)
    result.stdout.no_fnmatch_line("*transport.py*")


def test_invalid_auth_token_stops_the_run_quickly(project: Project) -> None:
    project.pytester.makepyfile(FLOWS_TEST)

    result = project.run("--arch-auth-token=expired")

    assert result.ret == 99
    assert result.duration < 5
    result.stdout.fnmatch_lines(["*refused the auth token*"])


def test_user_without_the_architect_permission_stops_the_run(
    project: Project,
) -> None:
    project.cloud.add_client(CODE_CLIENT_ID, CODE_CLIENT_SECRET, grant="code")
    token = user_token(project.cloud, ["architect:flow:view"])
    project.pytester.makepyfile(FLOWS_TEST)

    result = project.run(f"--arch-auth-token={token}", "--arch-no-client-credentials")

    assert result.ret == 99
    result.stdout.fnmatch_lines(["*lacks the architect:ui:view permission*"])


def test_slow_yaml_is_warned_about_once(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(
        """
        import pytest

        @pytest.mark.vcr
        @pytest.mark.parametrize("n", range(2))
        def test_flows(arch_session, n):
            assert arch_session.api.get("/api/v2/flows").status_code == 200
        """
    )
    monkeypatch.setattr(yaml, "__with_libyaml__", False)

    result = project.run(*project.credentials(), "--record-mode=once")

    result.assert_outcomes(passed=2)
    assert "\n".join(result.outlines).count("PyYAML has no C loader") == 1
