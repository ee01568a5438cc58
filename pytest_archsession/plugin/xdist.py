"""One session for a whole pytest-xdist run.

The controller logs in (or replays) before the workers start, hands each
worker the token and the org, and ends the session after they are done, so
a run makes one token request and at most one logout however many workers
it has. A worker reports the exit code its tests set back to the controller.

A session the controller cannot start fails only the tests that ask for
it, each in a line; the reason is told once, and the run exits 99.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ..locations import Location

if TYPE_CHECKING:
    from ..session.session import ArchSession
    from .options import Settings

HANDOFF_KEY = "archsession"
FAILURE_KEY = "archsession_start_failure"
EXIT_CODE_KEY = "archsession_end_exit_code"
USED_FAILED_KEY = "archsession_asked_for_failed_session"


def is_controller(config: pytest.Config) -> bool:
    """Return whether this process distributes tests to xdist workers."""
    return not hasattr(config, "workerinput") and config.pluginmanager.hasplugin(
        "dsession"
    )


def handoff(session: ArchSession) -> dict[str, Any]:
    """Return what a worker needs to run on the controller's session."""
    location = session.location
    assert location is not None
    return {
        "location": {
            "name": location.name,
            "environment": location.environment,
            "region": location.region,
            "host": location.host,
            "login_url": location.login_url,
            "api_url": location.api_url,
        },
        "token": session.auth_token,
        "seconds_left": session.token_seconds_left,
        "org": dict(session.org_info),
        "replayed": session.replayed,
    }


def handed_session(
    config: pytest.Config, make: ArchSession, settings: Settings
) -> ArchSession | None:
    """Resume the controller's session in a worker, if it handed one over.

    A worker given a client-credentials client logs in again itself when the
    token is spent; it never logs out (the controller does).
    """
    data = getattr(config, "workerinput", {}).get(HANDOFF_KEY)
    if data is None:
        return None
    client = None
    if settings.client_credentials and settings.client_id and settings.client_secret:
        client = (settings.client_id, settings.client_secret)
    make.replayed = bool(data["replayed"])
    make.resume(
        Location(**data["location"]),
        data["token"],
        data["org"],
        float(data["seconds_left"]),
        client,
    )
    return make


def handed_failure(config: pytest.Config) -> str | None:
    """Return why the controller's session could not start, if it could not."""
    failure: str | None = getattr(config, "workerinput", {}).get(FAILURE_KEY)
    return failure


def report_asked_for_failed_session(config: pytest.Config) -> None:
    """Tell the controller that a test here needed the session that failed."""
    output = getattr(config, "workeroutput", None)
    if output is not None:
        output[USED_FAILED_KEY] = True


def report_exit_code(config: pytest.Config, code: int) -> None:
    """Tell the controller the exit code a worker's tests set."""
    output = getattr(config, "workeroutput", None)
    if output is not None and code:
        output[EXIT_CODE_KEY] = code
