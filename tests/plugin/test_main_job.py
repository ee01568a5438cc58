"""The main job end to end: record a run live, then replay it offline."""

from __future__ import annotations

import pytest
import yaml

from .conftest import Project

ORG_TEST = """
def test_org_name(arch_session):
    assert arch_session.status == "running"
    assert arch_session.org_info.name == "FakeCloud Org"
"""


def record(project: Project, *extra: str) -> pytest.RunResult:
    return project.run(
        *project.credentials(),
        "--record-mode=once",
        "--arch-end-mode=endWithLogout",
        *extra,
    )


def test_live_recording_logs_in_once_and_logs_out(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = record(project)

    result.assert_outcomes(passed=1)
    assert project.cloud.count("POST", "/oauth/token") == 1
    assert project.cloud.count("GET", "/api/v2/organizations/me") == 1
    assert project.cloud.count("DELETE", "/api/v2/tokens/me") == 1
    assert project.session_cassette("start").is_file()
    assert project.session_cassette("logout").is_file()
    assert project.leaks(result) == []


def test_header_and_summary_say_what_the_session_did(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = record(project)

    result.stdout.fnmatch_lines(
        [
            "archsession: location prod_us_east_1 (*), mode record, cassette "
            "cassettes/arch_session/prod_us_east_1-start.yaml",
            "archsession: session ended with logout (token revoked)",
        ]
    )


def test_replay_needs_no_cloud_no_credentials_and_no_network(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)
    record(project).assert_outcomes(passed=1)
    project.cloud.stop()

    result = project.run("--arch-end-mode=endWithLogout", "--block-network")

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["archsession: location prod_us_east_1 (*), mode replay*"]
    )


def test_replayed_session_token_is_a_placeholder(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_token(arch_session):
            assert arch_session.auth_token == "SCRUBBED:ACCESS-TOKEN"
        """
    )
    record(project)
    project.cloud.stop()

    project.run("--arch-end-mode=endWithLogout").assert_outcomes(passed=1)


def test_session_cassette_holds_no_secret_and_placeholders(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)
    record(project)

    document = yaml.safe_load(project.session_cassette().read_text())

    login = document["interactions"][0]
    assert login["request"]["headers"]["Authorization"] == [
        "Basic SCRUBBED:BASIC-CREDENTIAL"
    ]
    assert (
        '"access_token":"SCRUBBED:ACCESS-TOKEN"' in login["response"]["body"]["string"]
    )


def test_wrong_secret_ends_the_run_with_99_and_says_why(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = project.run(
        f"--arch-client-id={project.credentials()[0].split('=', 1)[1]}",
        "--arch-client-secret=not-the-secret",
        "--record-mode=once",
    )

    assert result.ret == 99
    result.stdout.fnmatch_lines(["*the session could not start*authentication failed*"])
    result.stdout.no_fnmatch_line("*Traceback*")
    assert not project.session_cassette().exists()


def test_missing_cassette_in_none_mode_ends_with_99_and_the_fix(
    project: Project,
) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = project.run("--record-mode=none")

    assert result.ret == 99
    result.stdout.fnmatch_lines(
        [
            "*No recorded session to replay: *prod_us_east_1-start.yaml does not "
            "exist*GENESYSCLOUD_OAUTHCLIENT_ID=ID GENESYSCLOUD_OAUTHCLIENT_SECRET="
            "SECRET pytest --arch-location=prod --record-mode=once*"
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")


def test_unknown_location_is_a_usage_error_before_any_test(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = project.run("--arch-location=prod_mars_1")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*Unknown location 'prod_mars_1'*prod_eu_west_1*"])
    assert project.cloud.requests == []


def test_end_exit_code_set_by_a_test_becomes_the_exit_status(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_sets_code(arch_session):
            arch_session.end_exit_code = 3
        """
    )

    result = project.run(*project.credentials())

    result.assert_outcomes(passed=1)
    assert result.ret == 3


def test_end_exit_code_also_replaces_a_failing_status(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_sets_code(arch_session):
            arch_session.end_exit_code = 5
            assert False
        """
    )

    assert project.run(*project.credentials()).ret == 5


def test_one_login_serves_every_test_of_the_run(project: Project) -> None:
    project.pytester.makepyfile(
        test_a="def test_a(arch_session):\n    assert arch_session.is_connected\n",
        test_b="def test_b(arch_session):\n    assert arch_session.is_connected\n",
    )

    project.run(*project.credentials()).assert_outcomes(passed=2)

    assert project.cloud.count("POST", "/oauth/token") == 1
    assert project.cloud.count("DELETE", "/api/v2/tokens/me") == 0
