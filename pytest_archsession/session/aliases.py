"""camelCase names for every documented member, so scripts port line by line.

The table holds the snake_case names; each camelCase alias is derived from
it, so a member is never written twice.
"""

from __future__ import annotations

from typing import Any

from .naming import camel_case

#: Members of Architect Scripting's ArchSession, by their Python names.
SESSION_MEMBERS = (
    "arch_session_id",
    "auth_token",
    "display_type_name",
    "end",
    "end_exit_code",
    "end_mode",
    "end_terminates_process",
    "end_with_logout",
    "environment",
    "host",
    "is_arch_session",
    "is_connected",
    "is_filter_match",
    "log_error",
    "log_error_and_throw",
    "log_errors",
    "log_network_activity",
    "log_note",
    "log_note_verbose",
    "log_notes",
    "log_notes_verbose",
    "log_str",
    "log_str_type_only",
    "log_warning",
    "log_warnings",
    "org_id",
    "org_info",
    "org_name",
    "region",
    "start_with_auth_token",
    "start_with_client_id_and_secret",
    "status",
)


class CamelCaseAlias:
    """A second name for an attribute: reads, writes and class access go
    through to the snake_case member."""

    def __init__(self, target: str) -> None:
        self.target = target

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        return getattr(owner if obj is None else obj, self.target)

    def __set__(self, obj: object, value: Any) -> None:
        setattr(obj, self.target, value)


def add_camel_case_aliases(
    cls: type, members: tuple[str, ...] = SESSION_MEMBERS
) -> type:
    """Give ``cls`` the camelCase alias of each member that has one."""
    for name in members:
        alias = camel_case(name)
        if alias != name:
            setattr(cls, alias, CamelCaseAlias(name))
    return cls
