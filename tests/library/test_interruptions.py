"""A script that exits or is interrupted inside its callback still ends its
session by the end mode; exit codes stay within what a process can return."""

from __future__ import annotations

import sys

import pytest

from pytest_archsession import ArchSession, ArchUsageError, Location
from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET


@pytest.mark.parametrize("raised", [SystemExit(3), KeyboardInterrupt()])
def test_exit_inside_the_callback_still_logs_out(
    session: ArchSession,
    location: Location,
    cloud: FakeCloud,
    raised: BaseException,
) -> None:
    session.end_mode = "endWithLogout"

    def work(running: ArchSession) -> None:
        raise raised

    with pytest.raises(type(raised)):
        session.start_with_client_id_and_secret(
            location, work, CLIENT_ID, CLIENT_SECRET, None, True
        )

    assert session.status == "ended"
    assert cloud.count("DELETE", "/api/v2/tokens/me") == 1


def test_sys_exit_code_of_the_callback_is_the_process_status(
    session: ArchSession, location: Location
) -> None:
    session.end_terminates_process = True

    def work(running: ArchSession) -> None:
        sys.exit(4)

    with pytest.raises(SystemExit) as exited:
        session.start_with_client_id_and_secret(
            location, work, CLIENT_ID, CLIENT_SECRET, None, True
        )

    assert exited.value.code == 4


@pytest.mark.parametrize("code", [256, -1, 355])
def test_exit_codes_outside_a_byte_are_refused(session: ArchSession, code: int) -> None:
    with pytest.raises(ArchUsageError, match="from 0 to 255"):
        session.end_exit_code = code


def test_a_refused_logout_does_not_log_in_again(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    cloud.revoke_all()
    logins = cloud.count("POST", "/oauth/token")

    connected.end_with_logout()

    assert connected.status == "ended"
    assert connected.logout_error is not None
    assert cloud.count("POST", "/oauth/token") == logins


def test_a_control_character_inside_a_secret_is_refused(
    session: ArchSession, location: Location
) -> None:
    with pytest.raises(ArchUsageError, match="control character") as refused:
        session.connect_with_client_id_and_secret(
            location, CLIENT_ID, "pa\nss-word-1234", True
        )

    assert "pa\nss" not in str(refused.value)
