"""Faults and bad input as a user meets them: the exit status and the words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import CLIENT_ID, CLIENT_SECRET, Project

ORG_TEST = """
def test_org(arch_session):
    assert arch_session.org_info.name == "FakeCloud Org"
"""


def recorded(project: Project) -> Path:
    project.pytester.makepyfile(ORG_TEST)
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    return project.session_cassette()


def test_failed_logout_does_not_fail_the_tests(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)
    project.cloud.fail("/api/v2/tokens/me", 500, method="DELETE", times=10)

    result = project.run(*project.credentials(), "--arch-end-mode=endWithLogout")

    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        ["archsession: session ended, but logout failed: the token may stay valid*"]
    )


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("", "is empty"),
        ("interactions: [unclosed\n", "is not valid YAML"),
        ("just text\n", "is not a VCR.py cassette"),
        ("interactions: []\nversion: 7\n", "has format version 7"),
        ("interactions: [null]\nversion: 1\n", "has an interaction (1) without"),
        (
            "interactions:\n- request: {uri: 5}\n  response: {}\nversion: 1\n",
            "has a request (1) without a method and a URI",
        ),
    ],
)
def test_a_broken_session_cassette_names_the_file_and_the_fix(
    project: Project, content: str, complaint: str
) -> None:
    cassette = recorded(project)
    cassette.write_text(content)

    result = project.run()

    assert result.ret == 99
    result.stdout.fnmatch_lines(
        [f"*{cassette.name} {complaint}*--record-mode=rewrite with credentials*"]
    )


def test_a_cassette_of_another_host_is_refused(project: Project) -> None:
    cassette = recorded(project)
    port = project.cloud.url.rsplit(":", 1)[1]
    cassette.write_text(cassette.read_text().replace(port, "1"))

    result = project.run()

    assert result.ret == 99
    result.stdout.fnmatch_lines(["*was recorded against 127.0.0.1:1, not this run's*"])


def test_recording_into_a_folder_that_cannot_be_written_fails_first(
    project: Project,
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    (project.path / "blocked").write_text("a file where a folder should be")

    result = project.run(
        *project.credentials(), "--record-mode=once", "--arch-cassette-dir=blocked"
    )

    assert result.ret == 99
    result.stdout.fnmatch_lines(["*Cannot record: the cassette folder *not writable*"])
    assert project.cloud.requests == []


def test_a_factory_cassette_name_cannot_escape_the_folder(project: Project) -> None:
    project.pytester.makepyfile(
        """
        import pytest
        from pytest_archsession import CassetteError

        def test_escape(arch_session_factory):
            with pytest.raises(Exception, match="not a plain file name"):
                arch_session_factory(cassette="../../outside")
        """
    )

    project.run().assert_outcomes(passed=1)
    assert not (project.path.parent / "outside-start.yaml").exists()


def test_a_secret_written_into_a_cassette_fails_the_run_loudly(
    project: Project,
) -> None:
    project.pytester.makepyfile(
        f"""
        from pathlib import Path

        def test_leaks(arch_session):
            folder = Path("cassettes")
            folder.mkdir(exist_ok=True)
            (folder / "handmade.yaml").write_text("token: {CLIENT_SECRET}")
        """
    )

    result = project.run(*project.credentials())

    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "archsession: SECRET FOUND IN A CASSETTE WRITTEN BY THIS RUN*",
            "*handmade.yaml: SCRUBBED:CLIENT-SECRET",
        ]
    )


def test_verbose_failing_run_shows_no_secret_anywhere(project: Project) -> None:
    project.cloud.gzip = True
    project.cloud.set_cookie = "session=cookie-value-0123456789; HttpOnly"
    project.pytester.makepyfile(
        """
        import logging
        import pytest

        @pytest.mark.vcr
        def test_prints_and_fails(arch_session):
            logging.getLogger("pytest_archsession").setLevel(logging.DEBUG)
            arch_session.log_notes_verbose = True
            api = arch_session.api
            flows = api.get("/api/v2/flows").json()
            print(arch_session, repr(arch_session), arch_session.log_str, api)
            assert flows["total"] == 0
        """
    )

    result = project.run(
        *project.credentials(),
        "--record-mode=once",
        "-vv",
        "-l",
        "--setup-show",
        "--log-level=DEBUG",
        "-rA",
    )

    result.assert_outcomes(failed=1)
    assert project.leaks(result) == []
    assert "cookie-value-0123456789" not in "\n".join(result.outlines)


def test_stalled_login_fails_within_the_timeout_naming_the_host(
    project: Project,
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    project.cloud.stall("/oauth/token", 10)

    result = project.run(*project.credentials(), "--arch-timeout=0.5")

    assert result.ret == 99
    assert result.duration < 5
    result.stdout.fnmatch_lines(
        ["*127.0.0.1:* did not answer POST /oauth/token within 0.5 s*"]
    )


def test_rate_limit_beyond_the_cap_says_both_numbers(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_flows(arch_session):
            arch_session.api.get("/api/v2/flows")
        """
    )
    project.cloud.fail("/api/v2/flows", 429, headers={"Retry-After": "58"})

    result = project.run(*project.credentials(), "--arch-max-retry-wait=2")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*asked to wait 58 s*capped at 2 s*"])


def test_client_of_another_region_says_so(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)

    result = project.run(
        "--arch-client-id=elsewhere", f"--arch-client-secret={CLIENT_SECRET}"
    )

    assert result.ret == 99
    result.stdout.fnmatch_lines(
        ["*client not found*may belong to an org in another region*"]
    )
    assert CLIENT_ID not in "\n".join(result.outlines)


def test_guard_sees_a_secret_that_yaml_escaped(project: Project) -> None:
    project.pytester.makepyfile(
        f"""
        from pathlib import Path
        import yaml

        def test_leaks(arch_session):
            folder = Path("cassettes")
            folder.mkdir(exist_ok=True)
            text = yaml.safe_dump({{"token": {CLIENT_SECRET!r}}})
            assert {CLIENT_SECRET!r} not in text
            (folder / "escaped.yaml").write_text(text)
        """
    )

    result = project.run(*project.credentials())

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*escaped.yaml: SCRUBBED:CLIENT-SECRET"])


def test_session_cassette_that_cannot_be_saved_stops_the_run_without_leaking(
    project: Project,
) -> None:
    project.pytester.makepyfile(ORG_TEST)
    project.session_cassette().mkdir(parents=True)

    result = project.run(*project.credentials(), "--record-mode=rewrite", "-l", "-vv")

    assert result.ret == 99
    result.stdout.fnmatch_lines(
        ["*Cannot write the cassette *prod_us_east_1-start.yaml*"]
    )
    assert project.leaks(result) == []


def test_test_cassette_that_cannot_be_saved_errors_the_test_without_leaking(
    project: Project,
) -> None:
    project.pytester.makepyfile(
        """
        import pytest

        @pytest.mark.vcr
        def test_flows(arch_session):
            assert arch_session.api.get("/api/v2/flows").status_code == 200
        """
    )
    blocked = (
        project.path
        / "cassettes"
        / "test_test_cassette_that_cannot_be_saved_errors_the_test_without_leaking"
    )
    (blocked / "test_flows.yaml").mkdir(parents=True)

    result = project.run(*project.credentials(), "--record-mode=once", "-l", "-vv")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*CassetteError: Cannot write the cassette *test_flows.yaml*"]
    )
    assert project.leaks(result) == []


def test_a_session_cassette_that_is_a_folder_is_refused(project: Project) -> None:
    project.session_cassette().mkdir(parents=True)
    project.pytester.makepyfile(ORG_TEST)

    result = project.run()

    assert result.ret == 99
    result.stdout.fnmatch_lines(["*prod_us_east_1-start.yaml is not a regular file*"])


def test_set_cookie2_is_scrubbed_too(project: Project) -> None:
    project.pytester.makepyfile(ORG_TEST)
    project.cloud.set_cookie = "sid=COOKIESECRET123abc; Path=/"
    project.cloud.cookie_header_name = "Set-Cookie2"

    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)

    assert "COOKIESECRET123abc" not in project.session_cassette().read_text()


def test_a_request_missing_from_a_cassette_shows_no_token_with_locals(
    project: Project,
) -> None:
    first = """
        import os
        import pytest

        @pytest.mark.vcr
        def test_flows(arch_session):
            arch_session.api.get("/api/v2/flows")
            if os.environ.get("SECOND"):
                arch_session.api.get("/api/v2/flows/x")
    """
    project.pytester.makepyfile(first)
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=1)
    os.environ["SECOND"] = "1"
    try:
        result = project.run(
            *project.credentials(), "--record-mode=once", "-l", "--junitxml=j.xml"
        )
    finally:
        del os.environ["SECOND"]

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*CannotOverwriteExistingCassetteException*"])
    assert project.leaks(result) == []
