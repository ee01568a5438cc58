"""The session's own cassettes, and keeping session traffic out of the tests'.

A session logs in under ``<cassette dir>/arch_session/<location>-start.yaml``
and logs out under ``...-logout.yaml``. What it sends while a test's cassette
is open (a token renewal, say) is left out of that cassette, so a test's
cassette holds only what the test itself sent.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ArchSessionWarning, CassetteError
from ..locations import Location
from ..secrets import SecretRegistry
from ..wire.transport import is_session_traffic
from .persister import ScrubbingPersister, WrittenCassettes, check_cassette_file
from .plan import MATCH_ON, RECORD, Plan


def check_fits_location(path: Path, location: Location) -> dict[str, Any]:
    """Check that a session cassette was recorded for this location's hosts.

    :returns: the cassette's document.
    :raises CassetteError: naming the file, the hosts found and what to do.
    """
    document = check_cassette_file(path)
    if not document["interactions"]:
        raise CassetteError(
            f"The cassette {path} holds no interactions. Record it again "
            "(--record-mode=rewrite with credentials)."
        )
    expected = {urlsplit(location.login_url).netloc, urlsplit(location.api_url).netloc}
    found = set()
    for interaction in document["interactions"]:
        found.add(urlsplit(interaction["request"]["uri"]).netloc)
    stray = found - expected
    if stray or not found:
        raise CassetteError(
            f"The cassette {path} was recorded against "
            f"{', '.join(sorted(stray)) or 'no host'}, "
            f"not this run's location {location.name} ({', '.join(sorted(expected))}). "
            "Run with the location it was recorded for, or record it again "
            "(--record-mode=rewrite with credentials)."
        )
    return document


def warn_if_yaml_is_slow() -> bool:
    """Warn that replay will be slow when PyYAML lacks its C loader.

    :returns: whether the warning was given.
    """
    import yaml

    if getattr(yaml, "__with_libyaml__", False):
        return False
    warnings.warn(
        ArchSessionWarning(
            "PyYAML has no C loader (libyaml) here, so cassettes replay with its "
            "pure-Python loader, about 40 times slower. Install a PyYAML wheel "
            "built with libyaml, or build PyYAML with the libyaml headers "
            "(libyaml-dev) present."
        ),
        stacklevel=2,
    )
    return True


def check_writable(folder: Path) -> None:
    """Check, before anything is recorded, that cassettes can be written here.

    :raises CassetteError: naming the folder and what to do.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".archsession-write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise CassetteError(
            f"Cannot record: the cassette folder {folder} is not writable "
            f"({exc.strerror or exc}). Make it writable, or point "
            "--arch-cassette-dir at a folder that is."
        ) from None


@contextmanager
def session_cassette(
    path: Path,
    plan: Plan,
    secrets: SecretRegistry,
    written: WrittenCassettes,
    *,
    repeats: bool = False,
) -> Iterator[None]:
    """Route the exchanges inside the block through one session cassette.

    Nothing is written if the block fails, so a failed login never becomes a
    recording that later replays the failure.
    """
    from vcr import VCR
    from vcr.errors import CannotOverwriteExistingCassetteException

    fresh = plan.mode == RECORD
    persister = ScrubbingPersister(secrets, written, strict=True, fresh=fresh)
    vcr = VCR(record_mode=plan.vcr_mode, match_on=MATCH_ON)
    vcr.register_persister(persister)
    context = vcr.use_cassette(
        str(path), record_on_exception=False, allow_playback_repeats=repeats
    )
    try:
        with context:
            yield
        raise_failures(written)
    except CannotOverwriteExistingCassetteException as exc:
        raise CassetteError(
            f"The cassette {path} has no recorded answer for a request the session "
            f"sent ({_first_line(exc)}). Record it again: --record-mode=rewrite "
            "with credentials."
        ) from None


def raise_failures(written: WrittenCassettes) -> None:
    """Raise, from here, the cassette writes that failed inside VCR.py.

    :raises CassetteError: with every failure's message.
    """
    failures = written.take_failures()
    if failures:
        raise CassetteError(" ".join(failures))


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else "?"


def adopt_test_vcr(
    vcr: Any, secrets: SecretRegistry, written: WrittenCassettes
) -> None:
    """Make a test's VCR.py scrub what it writes and leave session traffic out.

    pytest-recording builds one ``VCR`` per test; its merged configuration is
    wrapped so that whatever ``vcr_config`` or the marker say, the cassette
    is written through :class:`ScrubbingPersister`.
    """
    merge = vcr.get_merged_config

    def merged_config(**kwargs: Any) -> dict[str, Any]:
        config: dict[str, Any] = merge(**kwargs)
        config["persister"] = ScrubbingPersister(
            secrets, written, inner=config["persister"]
        )
        config["before_record_request"] = _without_session_traffic(
            config["before_record_request"]
        )
        return config

    vcr.get_merged_config = merged_config


def _without_session_traffic(
    before_record_request: Callable[[Any], Any],
) -> Callable[[Any], Any]:
    def before_record(request: Any) -> Any:
        if is_session_traffic():
            return None
        return before_record_request(request)

    return before_record
