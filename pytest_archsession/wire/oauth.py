"""OAuth grants against the Genesys Cloud login service."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

import requests
import requests.auth

from ..errors import ArchAuthError
from ..locations import Location
from ..secrets import Secret
from .answers import api_error, error_fields, json_body

TOKEN_PATH = "/oauth/token"

#: Seconds a token lives when the login service does not say.
DEFAULT_LIFETIME = 86400.0


class BasicAuth(requests.auth.AuthBase):
    """Client authentication on the token endpoint, hidden from ``repr``.

    The credential is built only as the request is sent, so no frame of ours
    holds it in a local that ``--showlocals`` could print.
    """

    def __init__(self, client_id: str, client_secret: Secret) -> None:
        self.client_id = client_id
        self.client_secret = client_secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        credential = basic_credential(self.client_id, self.client_secret)
        request.headers["Authorization"] = f"Basic {credential}"
        return request

    def __repr__(self) -> str:
        return f"BasicAuth({self.client_id!r}, hidden)"


@dataclass(frozen=True)
class TokenGrant:
    """An access token and when it stops working.

    :param obtained_at: ``time.monotonic()`` when the answer arrived.
    """

    access_token: Secret
    token_type: str
    expires_in: float
    obtained_at: float

    def seconds_left(self) -> float:
        """Return how many seconds the token has left to live."""
        return self.expires_in - (time.monotonic() - self.obtained_at)


def basic_credential(client_id: str, client_secret: Secret) -> str:
    """Return the Basic credential: base64 of the UTF-8 bytes of ``id:secret``."""
    pair = f"{client_id}:{client_secret.reveal()}".encode()
    return base64.b64encode(pair).decode("ascii")


def request_token(
    login: requests.Session,
    location: Location,
    client_id: str,
    client_secret: Secret,
    form: dict[str, str],
) -> TokenGrant:
    """Post a grant to the token endpoint and return the token it gives.

    :param login: a session bound to the location's login base URL.
    :param form: the grant's form fields (``grant_type`` and the rest).
    :raises ArchAuthError: when the login service refuses the grant.
    """
    __tracebackhide__ = True
    auth = BasicAuth(client_id, client_secret)
    response = login.post(TOKEN_PATH, data=form, auth=auth)
    if not response.ok:
        raise _grant_error(response, location, client_id)
    body = json_body(response, "logging in")
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise ArchAuthError(
            f"The login service at {location.login_url} answered without an "
            "access token. Check that the login URL points at Genesys Cloud.",
            status=response.status_code,
        )
    return TokenGrant(
        access_token=Secret(token, "access_token"),
        token_type=str(body.get("token_type", "bearer")),
        expires_in=_lifetime(body.get("expires_in"), location),
        obtained_at=time.monotonic(),
    )


def _lifetime(value: object, location: Location) -> float:
    """Return the token's lifetime in seconds, as the login service gave it."""
    if value is None:
        return DEFAULT_LIFETIME
    try:
        seconds = float(str(value))
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise ArchAuthError(
            f"The login service at {location.login_url} gave a token whose "
            f"expires_in ({value!r}) is not a number of seconds. Check that the "
            "login URL points at Genesys Cloud.",
            status=200,
        )
    return seconds


def request_client_credentials(
    login: requests.Session, location: Location, client_id: str, client_secret: Secret
) -> TokenGrant:
    """Log an OAuth client in with the client credentials grant."""
    form = {"grant_type": "client_credentials"}
    return request_token(login, location, client_id, client_secret, form)


def _grant_error(
    response: requests.Response, location: Location, client_id: str
) -> ArchAuthError:
    fields = error_fields(response)
    words = str(fields.get("error_description") or fields.get("description") or "")
    lowered = words.lower()
    if "client not found" in lowered:
        hint = (
            f"No OAuth client {client_id!r} exists at location {location.name} "
            f"({location.login_url}). The client may belong to an org in another "
            "region: check the location, then the client id."
        )
    elif "authentication failed" in lowered:
        hint = (
            f"The client id {client_id!r} is known at {location.name}, but the "
            "secret was refused. Check the client secret (it is shown only "
            "once, when the client is created)."
        )
    elif fields.get("error") == "unauthorized_client":
        hint = (
            "The OAuth client is not allowed this grant type. Use a client "
            "created with the grant this session asks for."
        )
    elif response.status_code >= 500:
        hint = (
            "The login service is failing; this is not a problem of your "
            "credentials. Try again later."
        )
    elif response.status_code == 429 or "rate limit" in lowered:
        hint = "The login service is rate-limiting this client: try again later."
    else:
        hint = "Check the location, client id and secret."
    return api_error(response, "logging in", hint, ArchAuthError)
