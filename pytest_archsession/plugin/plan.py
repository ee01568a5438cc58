"""Deciding, without loading VCR.py, how the session's exchanges are handled
and where its cassettes live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CassetteError

SESSION_FOLDER = "arch_session"
MATCH_ON = ("method", "scheme", "host", "port", "path", "query")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


REPLAY = "replay"
RECORD = "record"
LIVE = "live"


@dataclass(frozen=True)
class Plan:
    """How the session's exchanges are handled in this run.

    :param mode: ``replay`` (from cassettes, no network), ``record`` (live,
        and written anew to the session's cassettes) or ``live`` (live,
        nothing written).
    """

    mode: str

    @property
    def vcr_mode(self) -> str:
        """Return the VCR.py record mode of a session cassette in this plan."""
        return "none" if self.mode == REPLAY else "all"


def plan_for(
    record_mode: str | None,
    disable_recording: bool,
    has_credentials: bool,
    recorded: bool,
) -> Plan:
    """Decide replay, record or live from pytest-recording's options.

    With no ``--record-mode``, credentials decide: given, the session is
    live and nothing is recorded; not given, it replays. With ``once`` or
    ``new_episodes`` and credentials, a login already recorded is kept and
    the session logs in live, so that tests recording new cassettes hold a
    real token; a missing one is recorded.

    :param recorded: whether the session's start cassette exists.
    """
    if disable_recording:
        return Plan(LIVE)
    if record_mode in (None, "none"):
        return Plan(LIVE if has_credentials and record_mode is None else REPLAY)
    if record_mode in ("once", "new_episodes") and recorded:
        return Plan(LIVE if has_credentials else REPLAY)
    return Plan(RECORD)


def cassette_path(cassette_dir: Path, name: str, part: str) -> Path:
    """Return the path of a session cassette, refusing names that escape.

    :param part: ``start`` or ``logout``.
    :raises CassetteError: when ``name`` is not a plain file name.
    """
    if not _SAFE_NAME.match(name) or ".." in name:
        raise CassetteError(
            f"The session cassette name {name!r} is not a plain file name. Use "
            "letters, digits, '.', '_' and '-' only."
        )
    folder = (cassette_dir / SESSION_FOLDER).resolve()
    path = (folder / f"{name}-{part}.yaml").resolve()
    if path.parent != folder:
        raise CassetteError(f"The session cassette {path} would leave {folder}.")
    return path
