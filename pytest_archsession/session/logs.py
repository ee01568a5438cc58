"""Logging as Architect Scripting objects do it: gated by flags, each line
closed by the object's log string, never carrying a secret.
"""

from __future__ import annotations

import logging
from typing import NoReturn

from ..errors import ArchSessionError
from ..secrets import SecretRegistry

logger = logging.getLogger("pytest_archsession")


class ArchLoggingMixin:
    """The ``log_*`` methods and the flags that gate them.

    Subclasses provide ``log_str`` and ``secrets``.
    """

    log_errors: bool = True
    log_warnings: bool = True
    log_notes: bool = True
    log_notes_verbose: bool = False
    log_network_activity: bool = False

    secrets: SecretRegistry

    @property
    def log_str(self) -> str:
        """Return a string that names this object in log lines."""
        return self.log_str_type_only

    @property
    def log_str_type_only(self) -> str:
        """Return a log string holding only the object's type."""
        return f"[{type(self).__name__}]"

    def _emit(self, level: int, text: str, header: str | None = None) -> None:
        clean = self.secrets.scrub_text(str(text))
        logger.log(level, "%s %s", clean, header or self.log_str)

    def log_error(self, error_str: str) -> None:
        """Log an error when ``log_errors`` is set."""
        if self.log_errors:
            self._emit(logging.ERROR, error_str)

    def log_error_and_throw(self, error_str: str) -> NoReturn:
        """Log an error as :meth:`log_error` does, then raise it."""
        _require_text(error_str)
        self.log_error(error_str)
        raise ArchSessionError(self.secrets.scrub_text(error_str))

    def log_warning(self, warning_str: str) -> None:
        """Log a warning when ``log_warnings`` is set."""
        _require_text(warning_str)
        if self.log_warnings:
            self._emit(logging.WARNING, warning_str)

    def log_note(self, note_str: str) -> None:
        """Log a note when ``log_notes`` is set."""
        _require_text(note_str)
        if self.log_notes:
            self._emit(logging.INFO, note_str)

    def log_note_verbose(self, note_str: str) -> None:
        """Log a detailed note when ``log_notes_verbose`` is set."""
        _require_text(note_str)
        if self.log_notes_verbose:
            self._emit(logging.DEBUG, note_str)


def _require_text(text: object) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("A log message must be a non-blank string.")
