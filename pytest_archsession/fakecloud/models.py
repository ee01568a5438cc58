"""JSON bodies of the fake cloud, spelled with Genesys Cloud's own field names.

The ids are fixed so that exchanges recorded from the fake cloud replay the same
way every time.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from .records import CLIENT_CREDENTIALS, ClientRecord, TokenRecord, UserRecord

JsonObject = dict[str, Any]

ORG_ID = "d236727a-36af-4540-9e9f-dd7fc30bfdb1"
ORG_NAME = "FakeCloud Org"
HOME_DIVISION_ID = "3786e51b-312d-420a-b29f-56f999a66c1d"
DEFAULT_SITE_ID = "f48c8a58-883b-4a5a-b72f-5a170940a38f"
ROLE_ID = "3b625071-fefc-422e-bfda-a4839b4fe8a4"
USER_NAMESPACE = uuid.UUID("39a74bbc-c68a-4aa3-b3be-5528b053ccfc")
FLOW_VERSION_CREATED_MS = 1735689600000

DEFAULT_FLOWS = (
    ("37f40b3f-ebca-4f0c-b08d-af0fd4a911ef", "Main Inbound Call", "INBOUNDCALL"),
    ("e1a6bb77-b9b2-4a90-befb-562f673268d4", "Support Web Chat", "INBOUNDCHAT"),
    ("994e45af-6d6c-44f6-a4a0-3314687794c7", "Order Status Workflow", "WORKFLOW"),
)


def iso8601(epoch_seconds: float) -> str:
    """Format a moment the way Genesys Cloud does: UTC, milliseconds, ``Z``."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def default_org() -> JsonObject:
    """Return the Organization body served until a test edits it."""
    return {
        "id": ORG_ID,
        "name": ORG_NAME,
        "defaultLanguage": "en-us",
        "defaultCountryCode": "US",
        "thirdPartyOrgName": "fakecloud-org",
        "domain": "fakecloud-org",
        "version": 1,
        "state": "active",
        "defaultSiteId": DEFAULT_SITE_ID,
        "voicemailEnabled": True,
        "productPlatform": "PureCloud",
        "features": {
            "purecloud": True,
            "contactCenter": True,
            "chat": True,
            "directory": True,
            "hipaa": False,
            "pci": False,
        },
        "selfUri": f"/api/v2/organizations/{ORG_ID}",
    }


def home_division() -> JsonObject:
    """Return the division every default flow and user belongs to."""
    return {
        "id": HOME_DIVISION_ID,
        "name": "Home",
        "selfUri": f"/api/v2/authorization/divisions/{HOME_DIVISION_ID}",
    }


def flow_version(flow_id: str, version: str, version_type: str) -> JsonObject:
    """Return a FlowVersion body of flow ``flow_id``."""
    return {
        "id": version,
        "name": version,
        "commitVersion": version,
        "configurationVersion": version,
        "type": version_type,
        "secure": False,
        "debug": False,
        "dateCreated": FLOW_VERSION_CREATED_MS,
        "selfUri": f"/api/v2/flows/{flow_id}/versions/{version}",
    }


def flow_body(flow_id: str, name: str, flow_type: str) -> JsonObject:
    """Return a published, checked-in Flow body."""
    return {
        "id": flow_id,
        "name": name,
        "description": f"{name} (served by the fake cloud)",
        "type": flow_type,
        "division": home_division(),
        "active": True,
        "system": False,
        "deleted": False,
        "publishedVersion": flow_version(flow_id, "1.0", "PUBLISH"),
        "checkedInVersion": flow_version(flow_id, "1.0", "CHECKIN"),
        "selfUri": f"/api/v2/flows/{flow_id}",
    }


def default_flows() -> list[JsonObject]:
    """Return the three Flow bodies served until a test edits them."""
    return [flow_body(*flow) for flow in DEFAULT_FLOWS]


def named_entity(org: JsonObject) -> JsonObject:
    """Return the NamedEntity that points at ``org``."""
    return {"id": org.get("id"), "name": org.get("name")}


def token_info(org: JsonObject, client: ClientRecord, token: TokenRecord) -> JsonObject:
    """Return the TokenInfo body of ``token``; ``clonedUser`` is never present."""
    grant_type = "CLIENT-CREDENTIALS" if client.grant == CLIENT_CREDENTIALS else "CODE"
    oauth_client = {
        "id": client.client_id,
        "name": f"FakeCloud client {client.client_id}",
        "dateCreated": iso8601(client.created_at),
        "authorizedGrantType": grant_type,
        "state": "active",
        "organization": named_entity(org),
    }
    return {
        "organization": named_entity(org),
        "homeOrganization": named_entity(org),
        "authorizedScope": list(token.scope),
        "dateTokenIdles": iso8601(token.issued_at + token.lifetime),
        "OAuthClient": oauth_client,
    }


def user_id_for(username: str) -> str:
    """Return the fixed user id that goes with ``username``."""
    return str(uuid.uuid5(USER_NAMESPACE, username))


def permission_policy(permission: str) -> JsonObject:
    """Return a ResourcePermissionPolicy body for one ``domain:entity:action``."""
    domain, _, rest = permission.partition(":")
    entity, _, action = rest.partition(":")
    return {
        "id": str(uuid.uuid5(USER_NAMESPACE, permission)),
        "domain": domain,
        "entityName": entity,
        "actionSet": [action],
        "allowConditions": False,
    }


def user_body(user: UserRecord, *, with_authorization: bool) -> JsonObject:
    """Return the User body; ``authorization`` only when it was expanded."""
    body: JsonObject = {
        "id": user.user_id,
        "name": user.username,
        "division": home_division(),
        "email": f"{user.username}@fakecloud.invalid",
        "state": "active",
        "username": user.username,
        "version": 1,
        "selfUri": f"/api/v2/users/{user.user_id}",
    }
    if with_authorization:
        body["authorization"] = {
            "roles": [{"id": ROLE_ID, "name": "FakeCloud Tester"}],
            "unusedRoles": [],
            "permissions": list(user.permissions),
            "permissionPolicies": [permission_policy(p) for p in user.permissions],
        }
    return body


def error_body(status: int, code: str, message: str, context_id: str) -> JsonObject:
    """Return an ErrorBody, the shape of every API error."""
    return {
        "message": message,
        "code": code,
        "status": status,
        "contextId": context_id,
        "details": [],
        "errors": [],
    }


def oauth_error(error: str, description: str) -> JsonObject:
    """Return the error body of the token endpoint."""
    return {
        "error": error,
        "description": description,
        "error_description": description,
    }


def token_body(value: str, lifetime: int) -> JsonObject:
    """Return the token endpoint's answer to a granted request."""
    return {"access_token": value, "token_type": "bearer", "expires_in": lifetime}
