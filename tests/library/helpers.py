"""Small clients of the fake cloud that stand in for what a user already has."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

import requests

from pytest_archsession.fakecloud import FakeCloud

#: A client-credentials client whose secret holds a colon and non-ASCII text.
CLIENT_ID = "arch-scripting-client"
CLIENT_SECRET = "p:ss€wörd:42-dontLeakMe"

#: A code-grant client, through which tests get user tokens.
CODE_CLIENT_ID = "arch-user-client"
CODE_CLIENT_SECRET = "code-grant-secret-XYZ"

REDIRECT_URI = "http://localhost:9001/callback"


def basic_header(client_id: str, secret: str) -> dict[str, str]:
    """Return the Basic header over the UTF-8 bytes of ``id:secret``."""
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {pair}"}


def client_token(
    cloud: FakeCloud, client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET
) -> str:
    """Return a client-credentials token obtained straight from the fake."""
    answer = requests.post(
        f"{cloud.url}/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic_header(client_id, secret),
        timeout=5,
    )
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


def user_token(cloud: FakeCloud, permissions: Iterable[str]) -> str:
    """Log a user holding ``permissions`` in by the code grant; return the token."""
    cloud.add_user("flow-author", permissions)
    verifier = secrets.token_urlsafe(40)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    query = {
        "response_type": "code",
        "client_id": CODE_CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    redirect = requests.get(
        f"{cloud.url}/oauth/authorize", params=query, allow_redirects=False, timeout=5
    )
    code = parse_qs(urlsplit(redirect.headers["Location"]).query)["code"][0]

    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    answer = requests.post(
        f"{cloud.url}/oauth/token",
        data=form,
        headers=basic_header(CODE_CLIENT_ID, CODE_CLIENT_SECRET),
        timeout=5,
    )
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


def is_token_accepted(cloud: FakeCloud, token: str) -> bool:
    """Return whether the fake's API still takes ``token``."""
    answer = requests.get(
        f"{cloud.url}/api/v2/tokens/me",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    return answer.status_code == 200
