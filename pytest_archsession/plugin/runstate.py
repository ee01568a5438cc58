"""What the plugin knows about one run, kept on ``config.stash``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..secrets import SecretRegistry
from .options import Settings

if TYPE_CHECKING:
    from ..session.session import ArchSession
    from .logguard import LogGuard
    from .persister import WrittenCassettes


@dataclass
class RunState:
    """The run's settings, its secrets, its session and how it went.

    :param start_failure: why the session could not start, once a test
        asked for it and it failed.
    :param deferred_failure: why the xdist controller could not start the
        session, kept until a test asks for it.
    :param outcome: one line on how the session ended, for the summary.
    """

    settings: Settings
    secrets: SecretRegistry = field(default_factory=SecretRegistry)
    session: ArchSession | None = None
    start_failure: str | None = None
    deferred_failure: str | None = None
    outcome: str | None = None
    warnings: list[str] = field(default_factory=list)
    plans: dict[str, Any] = field(default_factory=dict)
    worker_exit_code: int = 0
    started_at: float = field(default_factory=time.time)
    leaks: dict[Path, list[str]] = field(default_factory=dict)
    log_guard: LogGuard | None = None
    yaml_checked: bool = False
    _written: WrittenCassettes | None = None

    def remember_given_secrets(self) -> None:
        """Record the secrets given as options, so that scrubbing knows them
        before any session starts."""
        settings = self.settings
        for secret in (settings.client_secret, settings.auth_token):
            if secret is not None:
                self.secrets.add(secret)
        if settings.client_id and settings.client_secret is not None:
            self.secrets.add_basic(settings.client_id, settings.client_secret)

    def raise_cassette_failures(self) -> None:
        """Raise the cassette writes that failed since the last check, if any."""
        if self._written is not None:
            from .recording import raise_failures

            raise_failures(self._written)

    @property
    def written(self) -> WrittenCassettes:
        """Return the record of cassettes written in this run."""
        if self._written is None:
            from .persister import WrittenCassettes

            self._written = WrittenCassettes()
        return self._written


RUN_STATE = pytest.StashKey[RunState]()


def run_state(config: pytest.Config) -> RunState:
    """Return the run's state; the plugin sets it up at configure time."""
    return config.stash[RUN_STATE]
