"""A start that fails half way leaves nothing behind; async callbacks run
whatever loop the caller is in."""

from __future__ import annotations

import asyncio

import pytest

from pytest_archsession import ArchHTTPError, ArchSession, Location
from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET


def test_org_failure_after_login_revokes_the_fresh_token(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    cloud.fail("/api/v2/organizations/me", 404, times=10)

    with pytest.raises(ArchHTTPError, match="Reading the org info failed"):
        session.connect_with_client_id_and_secret(
            location, CLIENT_ID, CLIENT_SECRET, True
        )

    assert cloud.count("DELETE", "/api/v2/tokens/me") == 1
    assert not session.is_connected
    assert session.status == "notStarted"


def test_async_callback_runs_when_called_inside_a_running_loop(
    session: ArchSession, location: Location
) -> None:
    seen: list[str] = []

    async def callback(running: ArchSession) -> None:
        await asyncio.sleep(0)
        seen.append(running.org_info.name)

    async def script() -> None:
        session.start_with_client_id_and_secret(
            location, callback, CLIENT_ID, CLIENT_SECRET, None, True
        )

    asyncio.run(script())

    assert seen == ["FakeCloud Org"]
    assert session.end_exit_code == 0
