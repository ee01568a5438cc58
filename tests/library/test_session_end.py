"""Ending a session: the end modes, logout, the end callback and pending work."""

from __future__ import annotations

import threading
import time

import pytest

from pytest_archsession import ArchSession, Location
from pytest_archsession.fakecloud import FakeCloud
from pytest_archsession.session.cycle import SessionCallback

from .helpers import CLIENT_ID, CLIENT_SECRET, is_token_accepted

TOKENS_ME = "/api/v2/tokens/me"


def nothing(session: ArchSession) -> None:
    """Do no work: the start callback of tests that only look at the end."""


def start(
    session: ArchSession,
    location: Location,
    callback_start: SessionCallback = nothing,
    callback_end: SessionCallback | None = None,
) -> None:
    session.start_with_client_id_and_secret(
        location, callback_start, CLIENT_ID, CLIENT_SECRET, callback_end, True
    )


def test_end_with_logout_revokes_the_token_with_one_delete(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    session.end_mode = "endWithLogout"

    start(session, location)

    assert cloud.count("DELETE", TOKENS_ME) == 1
    assert not is_token_accepted(cloud, cloud.issued_tokens[-1])
    assert session.ended_with_logout
    assert (session.status, session.end_exit_code) == ("ended", 0)


def test_end_leaves_the_token_valid(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    start(session, location)

    assert cloud.count("DELETE", TOKENS_ME) == 0
    assert is_token_accepted(cloud, cloud.issued_tokens[-1])
    assert session.status == "ended"


def test_a_failed_logout_is_logged_and_the_session_still_ends(
    session: ArchSession,
    location: Location,
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
) -> None:
    session.end_mode = "endWithLogout"
    cloud.fail(TOKENS_ME, 500, method="DELETE")

    start(session, location)

    assert (session.status, session.end_exit_code) == ("ended", 0)
    assert not session.ended_with_logout
    assert session.logout_error is not None
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("Logout failed" in line and "500" in line for line in warnings)


def test_the_end_callback_runs_once_before_the_logout(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    calls: list[tuple[ArchSession, int, str]] = []
    session.end_mode = "endWithLogout"

    def on_end(s: ArchSession) -> None:
        calls.append((s, cloud.count("DELETE", TOKENS_ME), s.status))

    start(session, location, callback_end=on_end)

    assert calls == [(session, 0, "running")]
    assert cloud.count("DELETE", TOKENS_ME) == 1


def test_an_exception_in_the_end_callback_is_logged_and_keeps_the_exit_code(
    session: ArchSession, location: Location, caplog: pytest.LogCaptureFixture
) -> None:
    def work(s: ArchSession) -> None:
        s.end_exit_code = 7

    def on_end(s: ArchSession) -> None:
        raise RuntimeError("could not write the report")

    start(session, location, work, on_end)

    assert (session.status, session.end_exit_code) == ("ended", 7)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("could not write the report" in line for line in errors)


def test_the_end_callback_also_runs_when_the_start_fails(
    session: ArchSession, location: Location
) -> None:
    ended: list[str] = []

    session.start_with_client_id_and_secret(
        location, nothing, CLIENT_ID, "wrong", lambda s: ended.append(s.status), True
    )

    assert session.end_exit_code == 99
    assert len(ended) == 1


def test_ending_twice_is_harmless(connected: ArchSession, cloud: FakeCloud) -> None:
    connected.end()
    connected.end_with_logout()
    connected.end()

    assert connected.status == "ended"
    assert cloud.count("DELETE", TOKENS_ME) == 0


def test_end_can_wait_for_pending_work(connected: ArchSession) -> None:
    release = threading.Event()
    future = connected.submit(lambda: release.wait(5) and "done")
    threading.Timer(0.1, release.set).start()

    connected.end(process_pending_async_work=True)

    assert future.done()
    assert future.result() == "done"


def test_end_without_waiting_cancels_queued_work(connected: ArchSession) -> None:
    release = threading.Event()
    busy = [connected.submit(release.wait, 5) for _ in range(4)]
    queued = connected.submit(time.sleep, 0)

    connected.end()
    release.set()

    assert queued.cancelled()
    assert connected.status == "ended"
    assert all(f.result(timeout=5) for f in busy)


def test_end_with_logout_waits_for_pending_work_before_revoking(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    def read_flows() -> int:
        time.sleep(0.1)
        return connected.api.get("/api/v2/flows").status_code

    future = connected.submit(read_flows)

    connected.end_with_logout(process_pending_async_work=True)

    assert future.result() == 200
    assert cloud.count("DELETE", TOKENS_ME) == 1
