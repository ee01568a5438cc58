"""Starting and ending the sessions the plugin hands to tests."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchSessionError, ArchUsageError, CassetteError
from ..locations import Location
from ..secrets import PLACEHOLDERS, Secret
from ..session.session import END_MODE_END_WITH_LOGOUT, ArchSession
from ..wire.transport import WireSettings
from .logguard import scrub_line
from .options import Settings
from .plan import LIVE, RECORD, REPLAY, Plan, cassette_path, plan_for
from .recording import (
    check_fits_location,
    check_writable,
    session_cassette,
    warn_if_yaml_is_slow,
)
from .runstate import RunState

REPLAY_CLIENT_ID = "replayed-client"


class StartFailure(ArchSessionError):
    """A session could not start; the message says why and what to do."""


@dataclass(frozen=True)
class SessionPlan:
    """Where one session's cassettes are and how they are used."""

    plan: Plan
    location: Location
    start: Path
    logout: Path

    def describe(self, rootdir: Path) -> str:
        """Return the header line's account of this plan."""
        cassette = _relative(self.start, rootdir)
        text = f"location {self.location.name} ({self.location.api_url}), "
        if self.plan.mode == LIVE:
            return text + "mode live (nothing recorded)"
        return text + f"mode {self.plan.mode}, cassette {cassette}"


def plan_session(settings: Settings, cassette_name: str | None = None) -> SessionPlan:
    """Decide how a session with these settings logs in.

    :raises StartFailure: when no location is set.
    """
    location = settings.location
    if location is None:
        raise ArchUsageError(
            "No location is set, so no session can start. Give --arch-location "
            "(or GENESYSCLOUD_REGION, or arch_location in the ini file), e.g. prod."
        )
    name = cassette_name or location.name
    start = cassette_path(settings.cassette_dir, name, "start")
    logout = cassette_path(settings.cassette_dir, name, "logout")
    plan = plan_for(
        settings.record_mode,
        settings.disable_recording,
        settings.has_credentials,
        start.exists(),
    )
    return SessionPlan(plan, location, start, logout)


def open_session(
    state: RunState,
    settings: Settings,
    cassette_name: str | None = None,
    repeats: bool = False,
) -> ArchSession:
    """Start a session as the settings say: replayed, recorded or live.

    :raises StartFailure: with a message for the user, when it cannot start.
    """
    __tracebackhide__ = True
    try:
        chosen = plan_session(settings, cassette_name)
        session = new_session(state, settings)
        session.replayed = chosen.plan.mode == REPLAY
        granted = False
        if chosen.plan.mode == REPLAY:
            granted = _check_replayable(chosen, settings)
        else:
            _check_live(chosen, settings)
        with _cassette(state, chosen, chosen.start, repeats):
            _connect(session, settings, chosen, granted)
    except StartFailure:
        raise
    except ArchSessionError as exc:
        raise StartFailure(str(exc)) from None
    except Exception as exc:
        # Not raised through: the frames below hold credentials in locals.
        raise StartFailure(
            f"Starting the session failed unexpectedly ({type(exc).__name__}: "
            f"{scrub_line(str(exc), state.secrets)}). Please report this."
        ) from None
    state.plans[session.arch_session_id] = chosen
    return session


def close_session(state: RunState, session: ArchSession) -> str:
    """End a session by its end mode; return one line on how it ended."""
    chosen = state.plans.get(session.arch_session_id)
    if chosen is None or session.status == "ended":
        return "session was not running"
    logging_out = session.end_mode == END_MODE_END_WITH_LOGOUT
    try:
        path = chosen.logout if logging_out else None
        with _cassette(state, chosen, path, repeats=False):
            session.end_by_mode()
    except ArchSessionError as exc:
        session.logout_error = exc
        session.end()
    if not logging_out:
        return "session ended (token left valid until it expires)"
    if chosen.plan.mode == REPLAY:
        return "session ended with a replayed logout"
    if session.logout_error is not None:
        return (
            "session ended, but logout failed: the token may stay valid until "
            f"it expires ({session.logout_error})"
        )
    return "session ended with logout (token revoked)"


def new_session(state: RunState, settings: Settings) -> ArchSession:
    session = ArchSession(
        end_terminates_process=False,
        secrets=state.secrets,
        wire=WireSettings(
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            max_retry_wait=settings.max_retry_wait,
        ),
    )
    session.end_mode = settings.end_mode
    session.log_network_activity = True
    session.redirect_port = settings.redirect_port
    return session


def _check_live(chosen: SessionPlan, settings: Settings) -> None:
    """Check, before any request, that a live session can start."""
    if not settings.has_credentials:
        raise StartFailure(_needs_credentials(chosen, settings))
    if chosen.plan.mode == RECORD:
        check_writable(chosen.start.parent)
    if _needs_a_person(settings):
        _check_a_person_can_log_in()


def _needs_a_person(settings: Settings) -> bool:
    return not settings.client_credentials and settings.auth_token is None


def _has_terminal() -> bool:
    """Return whether a person could be at this run's terminal.

    pytest's capture points stdin at /dev/null, so the process's controlling
    terminal is asked instead: a CI job or a detached process has none.
    """
    try:
        handle = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        stdin = sys.__stdin__
        return stdin is not None and stdin.isatty()
    os.close(handle)
    return True


def _check_a_person_can_log_in() -> None:
    """Refuse the browser login where nobody can answer it."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        where = "in CI (CI is set)"
    elif not _has_terminal():
        where = "without a terminal"
    else:
        return
    raise StartFailure(
        f"--arch-no-client-credentials asks for a browser login, which cannot be "
        f"answered {where}. Use an OAuth client with the client credentials grant "
        "(--arch-client-credentials, the default), or an auth token."
    )


@contextlib.contextmanager
def _cassette(
    state: RunState, chosen: SessionPlan, path: Path | None, repeats: bool
) -> Iterator[None]:
    if path is None or chosen.plan.mode == LIVE:
        yield
        return
    if not state.yaml_checked:
        state.yaml_checked = True
        warn_if_yaml_is_slow()
    with session_cassette(
        path, chosen.plan, state.secrets, state.written, repeats=repeats
    ):
        yield


def _connect(
    session: ArchSession, settings: Settings, chosen: SessionPlan, granted: bool
) -> None:
    if chosen.plan.mode == REPLAY:
        _connect_replayed(session, chosen, granted)
    elif settings.auth_token is not None:
        session.connect_with_auth_token(
            chosen.location, settings.auth_token, settings.client_credentials
        )
    elif settings.client_id is not None and settings.client_secret is not None:
        session.connect_with_client_id_and_secret(
            chosen.location,
            settings.client_id,
            settings.client_secret,
            settings.client_credentials,
        )
    else:
        raise StartFailure(_needs_credentials(chosen, settings))


def _connect_replayed(session: ArchSession, chosen: SessionPlan, granted: bool) -> None:
    """Send what the recording holds: a token grant, or a token check."""
    if granted:
        session.connect_with_client_id_and_secret(
            chosen.location,
            REPLAY_CLIENT_ID,
            Secret(PLACEHOLDERS["client_secret"]),
            True,
        )
    else:
        token = Secret(PLACEHOLDERS["access_token"], "access_token")
        session.connect_with_auth_token(chosen.location, token, True)


def _check_replayable(chosen: SessionPlan, settings: Settings) -> bool:
    """Check the session's cassettes can be replayed here.

    :returns: whether the start cassette holds a token grant (else it was
        recorded from a given token, and replays as one).
    """
    needed = [chosen.start]
    if settings.end_mode == END_MODE_END_WITH_LOGOUT:
        needed.append(chosen.logout)
    documents = []
    for path in needed:
        if not path.exists():
            raise StartFailure(_missing_cassette(path, chosen, settings))
        try:
            documents.append(check_fits_location(path, chosen.location))
        except CassetteError as exc:
            raise StartFailure(str(exc)) from None
    return any(
        item["request"]["uri"].endswith("/oauth/token")
        for item in documents[0]["interactions"]
    )


def _record_command(chosen: SessionPlan, settings: Settings) -> str:
    words = [
        "GENESYSCLOUD_OAUTHCLIENT_ID=ID",
        "GENESYSCLOUD_OAUTHCLIENT_SECRET=SECRET",
        "pytest",
        f"--arch-location={settings.location_name or chosen.location.name}",
    ]
    if settings.end_mode == END_MODE_END_WITH_LOGOUT:
        words.append("--arch-end-mode=endWithLogout")
    words.append("--record-mode=once")
    return " ".join(words)


def _missing_cassette(path: Path, chosen: SessionPlan, settings: Settings) -> str:
    return (
        f"No recorded session to replay: {path} does not exist. Record it once "
        f"against your org with: {_record_command(chosen, settings)} "
        "(or give --arch-client-id and --arch-client-secret)."
    )


def _needs_credentials(chosen: SessionPlan, settings: Settings) -> str:
    return (
        f"Recording the session (--record-mode={settings.record_mode}) needs "
        f"credentials, and none were given. Run: {_record_command(chosen, settings)}"
        " (or give --arch-client-id and --arch-client-secret)."
    )


def _relative(path: Path, rootdir: Path) -> str:
    try:
        return str(path.relative_to(rootdir.resolve()))
    except ValueError:
        return str(path)
