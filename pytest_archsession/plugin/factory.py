"""Extra sessions, each with its own options, ended at the test's teardown."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..errors import ArchUsageError
from ..locations import resolve_location
from ..secrets import Secret
from ..session.session import ArchSession
from .options import END_MODES, Settings
from .runstate import RunState
from .sessions import close_session, open_session

_ALLOWED = (
    "location",
    "client_id",
    "client_secret",
    "auth_token",
    "end_mode",
    "client_credentials",
    "login_url",
    "api_url",
    "cassette",
)


class SessionFactory:
    """Make sessions from the run's settings and keyword overrides."""

    def __init__(self, state: RunState) -> None:
        self.state = state
        self.made: list[ArchSession] = []

    def make(self, **overrides: Any) -> ArchSession:
        """Start one more session; it replays with repeats allowed, so two
        sessions of one test may share one recorded login."""
        __tracebackhide__ = True
        # Hidden at once: --full-trace shows this frame's locals whatever
        # __tracebackhide__ says, and the keywords may hold a secret.
        overrides = _hiding_secrets(overrides)
        unknown = sorted(set(overrides) - set(_ALLOWED))
        if unknown:
            raise ArchUsageError(
                f"arch_session_factory does not take {', '.join(unknown)}; it "
                f"takes {', '.join(_ALLOWED)}."
            )
        settings = _override(self.state.settings, overrides)
        session = open_session(
            self.state, settings, overrides.get("cassette"), repeats=True
        )
        self.made.append(session)
        return session

    def close_all(self) -> None:
        """End every session made, newest first, each by its end mode."""
        while self.made:
            close_session(self.state, self.made.pop())


def _hiding_secrets(overrides: dict[str, Any]) -> dict[str, Any]:
    """Return the keywords with the secret ones wrapped in :class:`Secret`."""
    hidden = dict(overrides)
    for key, kind in (
        ("client_secret", "client_secret"),
        ("auth_token", "access_token"),
    ):
        value = hidden.get(key)
        if value is not None and not isinstance(value, Secret):
            hidden[key] = Secret(str(value).strip(), kind)
    return hidden


def _override(settings: Settings, overrides: dict[str, Any]) -> Settings:
    changes: dict[str, Any] = {}
    if {"location", "login_url", "api_url"} & set(overrides):
        base = settings.location
        kept = base if base is not None and base.is_overridden else None
        name = overrides.get("location") or settings.location_name or ""
        changes["location_name"] = name
        changes["location"] = resolve_location(
            name,
            overrides.get("login_url") or (kept.login_url if kept else None),
            overrides.get("api_url") or (kept.api_url if kept else None),
        )
    for key in ("client_secret", "auth_token"):
        if overrides.get(key) is not None:
            changes[key] = overrides[key]
    if overrides.get("client_id") is not None:
        changes["client_id"] = overrides["client_id"]
    if overrides.get("client_credentials") is not None:
        changes["client_credentials"] = bool(overrides["client_credentials"])
    if {"login_url", "api_url"} & set(overrides) and "cassette" not in overrides:
        # Pointed at URLs of its own (a fake cloud on a port of this run, say),
        # the session is live: a recording of it would not replay elsewhere.
        changes["disable_recording"] = True
    mode = overrides.get("end_mode")
    if mode is not None:
        if mode not in END_MODES:
            raise ArchUsageError(
                f"Unknown end mode {mode!r}; use {' or '.join(END_MODES)}."
            )
        changes["end_mode"] = mode
    return replace(settings, **changes)
