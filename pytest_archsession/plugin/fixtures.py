"""The fixtures a test asks for: the run's session, extra sessions, and a
fake Genesys Cloud to point them at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from .runstate import RunState, run_state

if TYPE_CHECKING:
    from ..fakecloud import FakeCloud
    from ..session.session import ArchSession

FAKE_CLIENT_ID = "fake-client-id"
FAKE_CLIENT_SECRET = "fake-client-secret"


@pytest.fixture(scope="session")
def arch_session(request: pytest.FixtureRequest) -> Iterator[ArchSession]:
    """Return the run's Architect session, logged in once for the whole run.

    It starts from the --arch-* options, the GENESYSCLOUD_* environment or
    the recorded cassettes, and ends at the end of the run by its end mode.
    A session that cannot start stops the run with exit status 99.
    """
    from .sessions import close_session

    state = run_state(request.config)
    if state.session is not None:
        yield state.session
        return
    handed = _handed_session(request.config, state)
    if handed is not None:
        state.session = handed
        yield handed
        handed.end()
        return
    session = start_run_session(state)
    state.session = session
    yield session
    state.outcome = close_session(state, session)


def start_run_session(state: RunState) -> ArchSession:
    """Start the run's session, or stop the run with exit status 99."""
    from .sessions import StartFailure, open_session

    try:
        return open_session(state, state.settings)
    except StartFailure as exc:
        state.start_failure = str(exc)
        pytest.exit(f"archsession: the session could not start. {exc}", returncode=99)


def _handed_session(config: pytest.Config, state: RunState) -> ArchSession | None:
    if not hasattr(config, "workerinput"):
        return None
    from .sessions import new_session
    from .xdist import handed_failure, handed_session, report_asked_for_failed_session

    if handed_failure(config) is not None:
        report_asked_for_failed_session(config)
        pytest.fail(
            "archsession: the session could not start; the reason is given once "
            "in this run's output.",
            pytrace=False,
        )

    return handed_session(config, new_session(state, state.settings), state.settings)


@pytest.fixture
def arch_session_factory(
    request: pytest.FixtureRequest,
) -> Iterator[Callable[..., ArchSession]]:
    """Return a function that starts extra sessions, ended after the test.

    It takes the run's settings, overridden by keyword: ``location``,
    ``client_id``, ``client_secret``, ``auth_token``, ``end_mode``,
    ``client_credentials``, ``login_url``, ``api_url`` and ``cassette`` (the
    name of its session cassettes, by default the location's). A session
    given its own ``login_url`` or ``api_url`` and no ``cassette`` is live and
    recorded nowhere, as one pointed at ``arch_fake_cloud`` should be.
    """
    from .factory import SessionFactory

    factory = SessionFactory(run_state(request.config))
    yield factory.make
    factory.close_all()


@pytest.fixture
def arch_fake_cloud() -> Iterator[FakeCloud]:
    """Return a fake Genesys Cloud serving on a loopback port.

    It knows one client-credentials OAuth client, ``fake-client-id`` with the
    secret ``fake-client-secret``; ``cloud.url`` is its base URL for both
    --arch-login-url and --arch-api-url.
    """
    from ..fakecloud import FakeCloud

    cloud = FakeCloud(clients={FAKE_CLIENT_ID: FAKE_CLIENT_SECRET})
    cloud.start()
    yield cloud
    cloud.stop()
