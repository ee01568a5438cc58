"""Every error pytest-archsession raises, in one hierarchy.

Messages are whole sentences: what failed, in the server's own words where
there are some, then what to do about it.
"""

from __future__ import annotations


class ArchSessionError(Exception):
    """Base class of every error raised by pytest-archsession."""


class ArchUsageError(ArchSessionError, ValueError):
    """A value given by the user is not valid: a location, an option, a mode."""


class ArchStateError(ArchSessionError, RuntimeError):
    """The session was asked for something its status does not allow."""


class ArchConnectionError(ArchSessionError):
    """Genesys Cloud could not be reached, or did not answer in time."""


class ArchHTTPError(ArchSessionError):
    """Genesys Cloud answered with an error status.

    :param status: the HTTP status code.
    :param correlation_id: the ``ININ-Correlation-Id`` of the answer, if any.
    :param code: the error code of the body (``bad.credentials``,
        ``invalid_client``, ...), if any.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        correlation_id: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.correlation_id = correlation_id
        self.code = code


class ArchAuthError(ArchHTTPError):
    """Logging in failed, or a token was refused."""


class ArchTokenExpiredError(ArchAuthError):
    """A token given by the user has expired and cannot be renewed here."""


class ArchPermissionError(ArchAuthError):
    """The logged-in user lacks a permission Architect Scripting needs."""


class ArchRateLimitError(ArchHTTPError):
    """Genesys Cloud kept asking us to slow down beyond the configured wait."""


class CassetteError(ArchSessionError):
    """A session cassette is missing, unreadable or does not fit this run."""


class ScrubError(CassetteError):
    """A recorded exchange could not be scrubbed, so it was not written."""


class ArchSessionWarning(UserWarning):
    """Something the user should know that need not fail the run."""
