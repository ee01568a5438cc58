"""Options: precedence, environment, ini, and the checks made before any test."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ..library.helpers import client_token
from .conftest import CLIENT_ID, CLIENT_SECRET, Project

ORG_TEST = """
def test_org(arch_session):
    assert arch_session.org_info.name == "FakeCloud Org"
"""


def test_credentials_from_the_environment_log_in_live(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", CLIENT_SECRET)

    result = project.run()

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["archsession: *mode live (nothing recorded)"])
    assert project.cloud.count("POST", "/oauth/token") == 1
    assert not (project.path / "cassettes").exists()


def test_command_line_beats_environment_which_beats_ini(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    monkeypatch.setenv("GENESYSCLOUD_REGION", "prod_mars_9")

    from_env = project.run()
    from_cli = project.run("--arch-location=prod", *project.credentials())

    assert from_env.ret == pytest.ExitCode.USAGE_ERROR
    from_cli.assert_outcomes(passed=1)


def test_location_from_the_environment_replaces_the_ini(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    monkeypatch.setenv("GENESYSCLOUD_REGION", "euw2.pure.cloud")

    result = project.run("--record-mode=none")

    result.stdout.fnmatch_lines(["archsession: location prod_eu_west_2 *"])


def test_a_secret_in_the_ini_file_is_never_used(project: Project) -> None:
    project.pytester.makeini(
        f"""
        [pytest]
        arch_location = prod
        arch_login_url = {project.cloud.url}
        arch_api_url = {project.cloud.url}
        arch_client_id = {CLIENT_ID}
        arch_client_secret = {CLIENT_SECRET}
        """
    )
    project.pytester.makepyfile(ORG_TEST)

    result = project.run()

    assert result.ret == 99
    result.stdout.fnmatch_lines(["*No recorded session to replay*"])
    assert project.cloud.requests == []


def test_auth_token_from_the_environment_starts_the_session(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    monkeypatch.setenv("GENESYSCLOUD_ACCESS_TOKEN", _issue_token(project))
    project.cloud.clear_log()

    result = project.run()

    result.assert_outcomes(passed=1)
    assert project.cloud.count("GET", "/api/v2/tokens/me") == 1
    assert project.cloud.count("POST", "/oauth/token") == 0


def _issue_token(project: Project) -> str:
    return client_token(project.cloud, CLIENT_ID, CLIENT_SECRET)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--arch-end-mode=endWithLogoff"],
            "*--arch-end-mode (ini arch_end_mode) is 'endWithLogoff'*",
        ),
        (["--arch-client-id=x"], "*client secret is missing*"),
        (["--arch-client-id=x", "--arch-client-secret="], "*client secret is empty*"),
        (
            ["--arch-auth-token=t0k3n", "--arch-client-id=x", "--arch-client-secret=y"],
            "*Both an auth token and a client secret*",
        ),
        (
            ["--arch-timeout=soon"],
            "*--arch-timeout (ini arch_timeout) is 'soon'*a number*",
        ),
        (["--arch-timeout=nan"], "*--arch-timeout (ini arch_timeout) is 'nan'*"),
        (["--arch-timeout=inf"], "*--arch-timeout (ini arch_timeout) is 'inf'*"),
        (
            ["--arch-max-retry-wait=nan"],
            "*--arch-max-retry-wait (ini arch_max_retry_wait) is 'nan'*",
        ),
        (["--arch-location="], "*--arch-location was given an empty value*"),
        (["--arch-max-retries=\u0663"], "*--arch-max-retries*a whole number*"),
        (["--arch-timeout=1_0"], "*--arch-timeout*a number*"),
        (["--arch-client-id=  ", "--arch-client-secret=y"], "*client id is empty*"),
        (
            ["--arch-api-url=http://example.invalid"],
            "*Plain http is allowed only to loopback hosts*",
        ),
    ],
)
def test_bad_options_are_usage_errors_before_any_test(
    project: Project, args: list[str], message: str
) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = project.run(*args)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    assert project.cloud.requests == []


def test_dev_is_refused_without_url_overrides(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(ORG_TEST)

    result = pytester.runpytest("--arch-location=dev")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*reserved for Genesys-internal use*"])


def test_dev_is_accepted_with_both_url_overrides(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = project.run("--arch-location=dev", *project.credentials())

    result.assert_outcomes(passed=1)


def test_importing_the_plugin_loads_no_http_or_cassette_library() -> None:
    code = (
        "import sys, pytest_archsession.plugin\n"
        "heavy = {'requests', 'vcr', 'yaml', 'urllib3'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )

    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert out.stdout.strip() == "[]"


def test_a_run_that_never_asks_for_a_session_makes_no_request(
    project: Project,
) -> None:
    project.pytester.makepyfile("def test_plain():\n    assert 1 + 1 == 2\n")

    project.run(*project.credentials()).assert_outcomes(passed=1)

    assert project.cloud.requests == []


def test_browser_login_is_refused_in_ci(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    monkeypatch.setenv("CI", "true")

    result = project.run(*project.credentials(), "--arch-no-client-credentials")

    assert result.ret == 99
    result.stdout.fnmatch_lines(
        ["*browser login, which cannot be answered in CI*client credentials grant*"]
    )
    assert project.cloud.requests == []


def test_reserved_exit_code_fails_the_test_that_sets_it(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_sets_99(arch_session):
            arch_session.end_exit_code = 99
        """
    )

    result = project.run(*project.credentials())

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*exit code 99 is reserved*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_recording_without_credentials_says_how(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = project.run("--record-mode=all")

    assert result.ret == 99
    result.stdout.fnmatch_lines(
        ["*Recording the session (--record-mode=all) needs credentials*"]
    )


def test_factory_refuses_unknown_keywords(project: Project) -> None:
    project.pytester.makepyfile(
        """
        import pytest

        def test_typo(arch_session_factory):
            with pytest.raises(ValueError, match="does not take client_secrett"):
                arch_session_factory(client_secrett="x")
        """
    )

    project.run().assert_outcomes(passed=1)


def test_replay_needs_no_terminal_even_for_a_person_login(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    monkeypatch.setenv("CI", "true")

    result = project.run("--record-mode=none", "--arch-no-client-credentials")

    result.assert_outcomes(passed=1)


def test_command_line_client_wins_over_a_token_in_the_environment(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    monkeypatch.setenv("GENESYSCLOUD_ACCESS_TOKEN", "stale-token-from-the-shell")

    result = project.run(*project.credentials())

    result.assert_outcomes(passed=1)
    assert project.cloud.count("POST", "/oauth/token") == 1


def test_client_id_on_the_command_line_and_secret_in_the_environment(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", CLIENT_SECRET)

    result = project.run(f"--arch-client-id={CLIENT_ID}")

    result.assert_outcomes(passed=1)


def test_a_token_with_a_trailing_line_break_is_stripped(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    token = _issue_token(project)
    monkeypatch.setenv("GENESYSCLOUD_ACCESS_TOKEN", token + "\r\n")

    result = project.run()

    result.assert_outcomes(passed=1)
    assert token not in "\n".join(result.outlines + result.errlines)
