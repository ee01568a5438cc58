"""Keep secrets out of every log line of the run, whoever logs it.

Log records are scrubbed as they are made: every secret the run knows, by
value, and credentials by their shape (``Bearer ...``, ``"access_token":
"..."``), which also catches a token in the moment before it is known.
VCR.py logs whole bodies at INFO and DEBUG; its logger is held at WARNING
while the plugin is loaded.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from ..secrets import SecretRegistry

_SHAPES = (
    (re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\1\2SCRUBBED"),
    (
        re.compile(
            r"(?i)([\"']?(?:access_token|refresh_token|id_token|client_secret|"
            r"code_verifier)[\"']?\s*[:=]\s*[\"']?)[^\"'&\s,}]+"
        ),
        r"\1SCRUBBED",
    ),
)

_QUIET_LOGGERS = ("vcr",)


def scrub_line(text: str, secrets: SecretRegistry) -> str:
    """Return a log line with known secrets and credential shapes replaced."""
    text = secrets.scrub_text(text)
    for pattern, replacement in _SHAPES:
        text = pattern.sub(replacement, text)
    return text


class LogGuard:
    """Install and remove the scrubbing of log records for one run."""

    def __init__(self, secrets: SecretRegistry) -> None:
        self.secrets = secrets
        self._previous: Callable[..., logging.LogRecord] | None = None
        self._levels: dict[str, int] = {}

    def install(self) -> None:
        previous = logging.getLogRecordFactory()
        self._previous = previous

        def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            return self._scrubbed(record)

        logging.setLogRecordFactory(make_record)
        for name in _QUIET_LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            if logger.level < logging.WARNING:
                logger.setLevel(logging.WARNING)

    def _scrubbed(self, record: logging.LogRecord) -> logging.LogRecord:
        try:
            message = record.getMessage()
        except Exception:
            return record
        clean = scrub_line(message, self.secrets)
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set: set it, scrubbed.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = scrub_line(text, self.secrets)
        return record

    def remove(self) -> None:
        if self._previous is not None:
            logging.setLogRecordFactory(self._previous)
            self._previous = None
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
        self._levels.clear()
