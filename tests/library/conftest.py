"""Fixtures for the library's tests: a fake cloud on loopback and sessions on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from pytest_archsession import ArchSession, Location, WireSettings, resolve_location
from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET, CODE_CLIENT_ID, CODE_CLIENT_SECRET

#: Patient enough for loopback, impatient enough to keep the run short.
FAST_WIRE = WireSettings(timeout=1.0, max_retries=2, max_retry_wait=3.0)

SessionMaker = Callable[..., ArchSession]
"""Make a session: ``make_session(wire=WireSettings(...))``."""


@pytest.fixture
def cloud() -> Iterator[FakeCloud]:
    """Run a fake cloud with a client-credentials client and a code-grant client."""
    with FakeCloud(clients={CLIENT_ID: CLIENT_SECRET}) as running:
        running.add_client(CODE_CLIENT_ID, CODE_CLIENT_SECRET, grant="code")
        yield running


@pytest.fixture
def location(cloud: FakeCloud) -> Location:
    """Return ``prod`` pointed at the fake cloud for both login and API."""
    return resolve_location("prod", cloud.url, cloud.url)


@pytest.fixture
def make_session() -> Iterator[SessionMaker]:
    """Make sessions that stay in the process; end any left running at teardown."""
    made: list[ArchSession] = []

    def make(wire: WireSettings = FAST_WIRE) -> ArchSession:
        session = ArchSession(end_terminates_process=False, wire=wire)
        made.append(session)
        return session

    yield make
    for session in made:
        if session.status == "running":
            session.end()


@pytest.fixture
def session(make_session: SessionMaker) -> ArchSession:
    """Return a fresh session that does not exit the process when it ends."""
    return make_session()


@pytest.fixture
def connected(session: ArchSession, location: Location) -> ArchSession:
    """Return a session logged in to the fake cloud with client credentials."""
    session.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)
    return session
