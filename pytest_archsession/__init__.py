"""Genesys Cloud Architect Scripting sessions for Python, and a pytest plugin.

The names below are loaded on first use, so that importing the plugin costs
a test run nothing until a session is asked for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import (
        ArchAuthError,
        ArchConnectionError,
        ArchHTTPError,
        ArchPermissionError,
        ArchRateLimitError,
        ArchSessionError,
        ArchSessionWarning,
        ArchStateError,
        ArchTokenExpiredError,
        ArchUsageError,
        CassetteError,
    )
    from .locations import Location, resolve_location
    from .secrets import Secret
    from .session.filters import ArchFilterObject, create_filter_object
    from .session.session import ArchSession
    from .wire.transport import WireSettings

_EXPORTS = {
    "ArchSession": ".session.session",
    "ArchFilterObject": ".session.filters",
    "create_filter_object": ".session.filters",
    "Location": ".locations",
    "resolve_location": ".locations",
    "Secret": ".secrets",
    "WireSettings": ".wire.transport",
    "ArchSessionError": ".errors",
    "ArchSessionWarning": ".errors",
    "ArchUsageError": ".errors",
    "ArchStateError": ".errors",
    "ArchConnectionError": ".errors",
    "ArchHTTPError": ".errors",
    "ArchAuthError": ".errors",
    "ArchTokenExpiredError": ".errors",
    "ArchPermissionError": ".errors",
    "ArchRateLimitError": ".errors",
    "CassetteError": ".errors",
}

__all__ = [
    "ArchAuthError",
    "ArchConnectionError",
    "ArchFilterObject",
    "ArchHTTPError",
    "ArchPermissionError",
    "ArchRateLimitError",
    "ArchSession",
    "ArchSessionError",
    "ArchSessionWarning",
    "ArchStateError",
    "ArchTokenExpiredError",
    "ArchUsageError",
    "CassetteError",
    "Location",
    "Secret",
    "WireSettings",
    "create_filter_object",
    "resolve_location",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_archsession' has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)
