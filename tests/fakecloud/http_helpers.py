"""Talk to the fake cloud the way a client would, with the standard library only."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from pytest_archsession.fakecloud import FakeCloud

CLIENT_ID = "my-client"
CLIENT_SECRET = "my-secret"
CODE_CLIENT_ID = "code-client"
CODE_CLIENT_SECRET = "code-secret"
REDIRECT_URI = "http://localhost:9001/callback"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Answer:
    """What the fake cloud answered: status, headers as sent, and raw body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """Return the value of header ``name``, matched case-insensitively."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        """Return the body decoded as JSON."""
        return json.loads(self.body)


def call(
    cloud: FakeCloud,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout: float = 5.0,
) -> Answer:
    """Send one request on a fresh connection and read the whole answer."""
    connection = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=timeout)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def basic(client_id: str, secret: str) -> dict[str, str]:
    """Return the Basic header of ``id:secret``, UTF-8 encoded."""
    pair = f"{client_id}:{secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def bearer(token: str) -> dict[str, str]:
    """Return the Authorization header of an access token."""
    return {"Authorization": f"Bearer {token}"}


def post_token(cloud: FakeCloud, client_id: str, secret: str, **fields: str) -> Answer:
    """POST a form to the token endpoint with Basic client authentication."""
    body = urlencode(fields).encode()
    return call(
        cloud,
        "POST",
        "/oauth/token",
        headers={**basic(client_id, secret), **FORM},
        body=body,
    )


def client_token(
    cloud: FakeCloud, client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET
) -> str:
    """Return a client-credentials access token, failing if none is granted."""
    answer = post_token(cloud, client_id, secret, grant_type="client_credentials")
    assert answer.status == 200, answer.body
    token: str = answer.json()["access_token"]
    return token


def pkce_pair() -> tuple[str, str]:
    """Return a fresh PKCE verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def authorize(cloud: FakeCloud, challenge: str, **extra: str) -> Answer:
    """Send the browser's authorize request for the code client."""
    query = {
        "response_type": "code",
        "client_id": CODE_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "state": "xyz-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return call(cloud, "GET", "/oauth/authorize?" + urlencode(query))


def redirect_params(answer: Answer) -> dict[str, str]:
    """Return the query of a redirect's Location, one value per name."""
    location = answer.header("Location") or ""
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def exchange(cloud: FakeCloud, code: str, verifier: str) -> Answer:
    """Trade an authorization code at the token endpoint."""
    return post_token(
        cloud,
        CODE_CLIENT_ID,
        CODE_CLIENT_SECRET,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )


def user_token(cloud: FakeCloud) -> str:
    """Log the configured user in through the code grant; return the token."""
    verifier, challenge = pkce_pair()
    code = redirect_params(authorize(cloud, challenge))["code"]
    answer = exchange(cloud, code, verifier)
    assert answer.status == 200, answer.body
    token: str = answer.json()["access_token"]
    return token
