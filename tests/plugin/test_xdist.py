"""Under pytest-xdist the run still logs in once and logs out at most once."""

from __future__ import annotations

from .conftest import Project

MANY_TESTS = """
import pytest

@pytest.mark.parametrize("n", range(8))
def test_uses_session(arch_session, n):
    assert arch_session.org_info.name == "FakeCloud Org"
    assert arch_session.api.get("/api/v2/flows").status_code == 200
"""


def test_four_workers_share_one_login_and_one_logout(project: Project) -> None:
    project.pytester.makepyfile(MANY_TESTS)

    result = project.run(
        "-n", "4", *project.credentials(), "--arch-end-mode=endWithLogout"
    )

    result.assert_outcomes(passed=8)
    assert project.cloud.count("POST", "/oauth/token") == 1
    assert project.cloud.count("DELETE", "/api/v2/tokens/me") == 1
    assert project.cloud.count("GET", "/api/v2/flows") == 8
    result.stdout.fnmatch_lines(["archsession: session ended with logout*"])


def test_replay_under_xdist_works_as_without_it(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_org(arch_session):
            assert arch_session.org_info.name == "FakeCloud Org"

        def test_again(arch_session):
            assert arch_session.status == "running"
        """
    )
    project.run(*project.credentials(), "--record-mode=once").assert_outcomes(passed=2)
    project.cloud.stop()

    result = project.run("-n", "2", "--block-network")

    result.assert_outcomes(passed=2)


def test_a_session_that_cannot_start_is_reported_once(project: Project) -> None:
    project.pytester.makepyfile(MANY_TESTS)

    result = project.run("-n", "4", "--arch-client-id=x", "--arch-client-secret=y")

    assert result.ret == 99
    assert "\n".join(result.outlines).count("client not found") == 1
    assert project.cloud.count("POST", "/oauth/token") == 1
    result.assert_outcomes(errors=8)


def test_plain_tests_under_xdist_need_no_session(project: Project) -> None:
    project.pytester.makepyfile(
        "import pytest\n\n"
        "@pytest.mark.parametrize('n', range(4))\n"
        "def test_plain(n):\n"
        "    assert n >= 0\n"
    )

    result = project.run("-n", "2")

    result.assert_outcomes(passed=4)
    assert result.ret == 0


def test_exit_code_set_in_a_worker_is_the_runs(project: Project) -> None:
    project.pytester.makepyfile(
        """
        def test_sets_code(arch_session):
            arch_session.end_exit_code = 6

        def test_plain(arch_session):
            assert arch_session.is_connected
        """
    )

    result = project.run("-n", "2", *project.credentials())

    result.assert_outcomes(passed=2)
    assert result.ret == 6


def test_workers_renew_a_spent_token_themselves(project: Project) -> None:
    project.cloud.token_lifetime = 1
    project.pytester.makepyfile(
        """
        import time
        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_later(arch_session, n):
            time.sleep(1.2)
            assert arch_session.api.get("/api/v2/flows").status_code == 200
        """
    )

    result = project.run("-n", "2", *project.credentials())

    result.assert_outcomes(passed=4)
    assert project.cloud.count("POST", "/oauth/token") >= 2
