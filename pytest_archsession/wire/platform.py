"""The Platform API calls a session makes for itself."""

from __future__ import annotations

import fnmatch
from typing import Any

import requests

from ..errors import ArchAuthError, ArchPermissionError
from .answers import api_error, error_fields, json_body

ORG_PATH = "/api/v2/organizations/me"
TOKEN_INFO_PATH = "/api/v2/tokens/me"
USER_AUTHORIZATION_PATH = "/api/v2/users/me?expand=authorization"

#: The permission Architect Scripting needs of the user behind a session.
ARCHITECT_PERMISSION = "architect:ui:view"


def get_org(api: requests.Session) -> dict[str, Any]:
    """Return the Organization the session's token belongs to."""
    return json_body(api.get(ORG_PATH), "reading the org info")


def get_token_info(api: requests.Session, hint: str = "") -> dict[str, Any]:
    """Return the TokenInfo of the session's token, checking it works."""
    response = api.get(TOKEN_INFO_PATH)
    if response.ok:
        return json_body(response, "checking the token")
    raise api_error(response, "checking the token", hint)


def get_user_permissions(api: requests.Session) -> list[str]:
    """Return the permissions of the user behind the token.

    :raises ArchAuthError: when the token is a client-credentials token,
        which has no user (the API answers 400 ``not.a.user`` then).
    """
    response = api.get(USER_AUTHORIZATION_PATH)
    if response.status_code == 400 and _is_not_a_user(response):
        raise api_error(
            response,
            "reading the user's permissions",
            "This token belongs to an OAuth client with the client credentials "
            "grant, not to a user. Say so when starting the session "
            "(is_client_credentials_oauth_client=True, or --arch-client-credentials).",
            ArchAuthError,
        )
    user = json_body(response, "reading the user's permissions")
    authorization = user.get("authorization") or {}
    permissions = authorization.get("permissions") or []
    return [str(permission) for permission in permissions]


def _is_not_a_user(response: requests.Response) -> bool:
    fields = error_fields(response)
    code = str(fields.get("code", ""))
    return code == "not.a.user" or "user context" in str(fields.get("message", ""))


def has_permission(held: list[str], needed: str) -> bool:
    """Return whether ``held`` grants ``needed``, ``*`` wildcards included."""
    wanted = needed.lower().split(":")
    for permission in held:
        parts = permission.lower().split(":")
        if len(parts) != len(wanted):
            continue
        if all(fnmatch.fnmatchcase(w, p) for w, p in zip(wanted, parts, strict=True)):
            return True
    return False


def check_architect_permission(api: requests.Session) -> None:
    """Check that the user behind the token may use Architect.

    :raises ArchPermissionError: naming the missing permission.
    """
    if not has_permission(get_user_permissions(api), ARCHITECT_PERMISSION):
        raise ArchPermissionError(
            f"The user behind this token lacks the {ARCHITECT_PERMISSION} "
            "permission, which Architect Scripting requires. Grant it through a "
            "role (for example Architect User), then start again.",
            status=403,
            code="missing.permission",
        )


def logout(api: requests.Session) -> None:
    """Revoke the session's token (``DELETE /api/v2/tokens/me``)."""
    response = api.delete(TOKEN_INFO_PATH)
    if response.status_code in (200, 202, 204):
        return
    raise api_error(response, "logging out")
