"""Scrubbing by place and by value, and writing cassettes whole or not at all."""

from __future__ import annotations

import base64
import gzip
import importlib.util
import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import pytest
import requests
import vcr
import yaml
from vcr.request import Request
from vcr.serialize import deserialize
from vcr.serializers import yamlserializer

from pytest_archsession.errors import CassetteError, ScrubError
from pytest_archsession.plugin.persister import ScrubbingPersister, WrittenCassettes
from pytest_archsession.plugin.scrub import (
    COOKIE_PLACEHOLDER,
    Scrubber,
    decode_body,
    fields_for,
)
from pytest_archsession.secrets import PLACEHOLDERS, Secret, SecretRegistry

CLIENT_ID = "scrub-client"

#: One secret of each kind, chosen so that each of its wire forms differs.
SECRETS = {
    "client_secret": "Cl1ent sécret/~~~???!",
    "access_token": "eyJ0eXAi.acc3ss t0ken/~~~???",
    "code": "c0de-AUTH/~~~??? xy",
    "verifier": "v3rifier_PKCE/~~~??? 9",
    "refresh_token": "r3fresh tøken/~~~???!",
}

TOKEN = SECRETS["access_token"]
BASIC = base64.b64encode(f"{CLIENT_ID}:{SECRETS['client_secret']}".encode()).decode()
BASE = "http://127.0.0.1:9"
HAS_BROTLI = any(importlib.util.find_spec(name) for name in ("brotli", "brotlicffi"))


def b64(value: str, alphabet: Any = base64.b64encode) -> str:
    return str(alphabet(value.encode()).decode("ascii"))


FORMS: dict[str, Callable[[str], str]] = {
    "raw": lambda v: v,
    "percent": lambda v: quote(v, safe=""),
    "percent-path": quote,
    "form": quote_plus,
    "base64": b64,
    "base64url": lambda v: b64(v, base64.urlsafe_b64encode),
    "base64-unpadded": lambda v: b64(v).rstrip("="),
    "base64url-unpadded": lambda v: b64(v, base64.urlsafe_b64encode).rstrip("="),
}


@pytest.fixture
def registry() -> SecretRegistry:
    """Return a registry that knows one secret of each kind and the Basic pair."""
    secrets = SecretRegistry()
    for kind, value in SECRETS.items():
        secrets.add(Secret(value, kind))
    secrets.add_basic(CLIENT_ID, Secret(SECRETS["client_secret"]))
    return secrets


@pytest.fixture
def scrubber(registry: SecretRegistry) -> Scrubber:
    """Return a scrubber that knows the secrets of :data:`SECRETS`."""
    return Scrubber(registry)


@pytest.fixture
def persister(registry: SecretRegistry) -> ScrubbingPersister:
    """Return a persister that scrubs with the secrets of :data:`SECRETS`."""
    return ScrubbingPersister(registry, WrittenCassettes())


def request(
    method: str = "GET",
    path: str = "/api/v2/flows",
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> Request:
    return Request(method, f"{BASE}{path}", body, headers or {})


def response(
    body: bytes | str = b"", headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {name: [value] for name, value in (headers or {}).items()},
        "body": {"string": body},
    }


def save(
    persister: ScrubbingPersister, path: Path, *exchanges: tuple[Request, Any]
) -> list[dict[str, Any]]:
    """Save the exchanges as a cassette and return its interactions as read back."""
    cassette = {
        "requests": [exchange[0] for exchange in exchanges],
        "responses": [exchange[1] for exchange in exchanges],
    }
    persister.write_cassette(str(path), cassette, yamlserializer)

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = document["interactions"]
    return found


def replayed(path: Path) -> tuple[list[Request], list[dict[str, Any]]]:
    requests_, responses, *_ = deserialize(path.read_text("utf-8"), yamlserializer)
    return requests_, responses


def leaks(text: str | bytes, secrets: dict[str, str] = SECRETS) -> list[str]:
    """Return every form of every secret that ``text`` still holds."""
    data = text if isinstance(text, bytes) else text.encode()
    found = []
    for kind, value in {**secrets, "basic": BASIC}.items():
        for name, form in FORMS.items():
            if form(value).encode() in data:
                found.append(f"{kind} as {name}")
    return found


# Headers, by place.


CREDENTIAL_NAMES = [
    "Authorization",
    "authorization",
    "AUTHORIZATION",
    "aUtHoRiZaTiOn",
    "Proxy-Authorization",
    "proxy-authorization",
    "PROXY-AUTHORIZATION",
]


@pytest.mark.parametrize("name", CREDENTIAL_NAMES)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"Basic {BASIC}", "Basic SCRUBBED:BASIC-CREDENTIAL"),
        ("Basic dW5rbm93bjpwYWlyMQ==", "Basic SCRUBBED:BASIC-CREDENTIAL"),
        (f"Bearer {TOKEN}", "Bearer SCRUBBED:ACCESS-TOKEN"),
        ("bearer unknown-token-0042", "bearer SCRUBBED:ACCESS-TOKEN"),
        ("unknown-token-0042", "SCRUBBED:ACCESS-TOKEN"),
    ],
)
def test_credential_headers_keep_their_name_and_scheme(
    scrubber: Scrubber, name: str, value: str, expected: str
) -> None:
    assert scrubber.headers({name: value}) == {name: expected}
    assert scrubber.headers({name: [value, value]}) == {name: [expected, expected]}


@pytest.mark.parametrize("name", ["Cookie", "cookie", "COOKIE", "cOoKiE"])
def test_cookie_values_go_and_their_names_stay(scrubber: Scrubber, name: str) -> None:
    clean = scrubber.headers({name: ["session=abc123; theme=dark"]})

    assert clean == {
        name: [f"session={COOKIE_PLACEHOLDER}; theme={COOKIE_PLACEHOLDER}"]
    }


@pytest.mark.parametrize(
    "name", ["Set-Cookie", "set-cookie", "SET-COOKIE", "sEt-CoOkIe"]
)
def test_set_cookie_values_go_and_their_attributes_stay(
    scrubber: Scrubber, name: str
) -> None:
    lines = ["session=abc123; HttpOnly; Path=/", "csrf=def456; Secure"]

    clean = scrubber.headers({name: lines})

    assert clean == {
        name: [
            f"session={COOKIE_PLACEHOLDER}; HttpOnly; Path=/",
            f"csrf={COOKIE_PLACEHOLDER}; Secure",
        ]
    }


def test_set_cookie_lines_folded_into_one_lose_every_value(scrubber: Scrubber) -> None:
    folded = "a=abc123; Path=/, b=def456; Expires=Wed, 21 Oct 2026 07:28:00 GMT"

    clean = scrubber.headers({"Set-Cookie": folded})

    assert clean == {
        "Set-Cookie": f"a={COOKIE_PLACEHOLDER}; Path=/, "
        f"b={COOKIE_PLACEHOLDER}; Expires=Wed, 21 Oct 2026 07:28:00 GMT"
    }


def test_a_login_cookie_is_not_in_the_cassette_and_replays(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    path = tmp_path / "login.yaml"
    answer = response(b'{"ok":true}', {"sEt-CoOkIe": "session=abc123; HttpOnly"})

    save(persister, path, (request("POST", "/oauth/token"), answer))

    assert "abc123" not in path.read_text()
    (replay,) = replayed(path)[1]
    assert replay["headers"]["sEt-CoOkIe"] == [
        f"session={COOKIE_PLACEHOLDER}; HttpOnly"
    ]


def test_other_headers_are_scrubbed_by_value(scrubber: Scrubber) -> None:
    code = quote(SECRETS["code"], safe="")
    location = f"https://app.example.test/cb?code={code}&state=s1"

    clean = scrubber.headers({"Location": location, "X-Echo": f"token {TOKEN}"})

    assert clean == {
        "Location": "https://app.example.test/cb?code=SCRUBBED:AUTHORIZATION-CODE"
        "&state=s1",
        "X-Echo": "token SCRUBBED:ACCESS-TOKEN",
    }


# Query strings.


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("access_token", "access_token"),
        ("ACCESS_TOKEN", "access_token"),
        ("code", "code"),
        ("client_secret", "client_secret"),
        ("refresh_token", "refresh_token"),
        ("code_verifier", "verifier"),
    ],
)
def test_query_fields_that_carry_secrets_are_replaced(
    scrubber: Scrubber, field: str, kind: str
) -> None:
    uri = f"{BASE}/oauth/authorize?state=s1&{field}=unknown%2Fvalue-77&pageSize=25"

    query = parse_qsl(urlsplit(scrubber.uri(uri)).query)

    assert query == [("state", "s1"), (field, PLACEHOLDERS[kind]), ("pageSize", "25")]


def test_query_of_known_secrets_in_other_fields_is_scrubbed_by_value(
    scrubber: Scrubber,
) -> None:
    uri = f"{BASE}/api/v2/x?echo={quote_plus(TOKEN)}&q=flows"

    assert scrubber.uri(uri) == f"{BASE}/api/v2/x?echo=SCRUBBED:ACCESS-TOKEN&q=flows"


def test_a_known_secret_in_a_path_segment_is_replaced() -> None:
    registry = SecretRegistry()
    registry.add("tok3nABCdef123", "access_token")

    clean = Scrubber(registry).uri(f"{BASE}/api/v2/tokens/tok3nABCdef123/revoke")

    assert clean == f"{BASE}/api/v2/tokens/SCRUBBED:ACCESS-TOKEN/revoke"


def test_a_secret_inside_a_percent_encoded_url_is_replaced() -> None:
    registry = SecretRegistry()
    registry.add("c0deABCdef123", "code")
    nested = "https%3A%2F%2Fapp%2Fcb%3Fcode%3Dc0deABCdef123%26state%3Ds1"

    clean = Scrubber(registry).headers({"Location": f"{BASE}/login?to={nested}"})

    assert "c0deABCdef123" not in clean["Location"]
    assert "cb%3Fcode%3DSCRUBBED:AUTHORIZATION-CODE%26state" in clean["Location"]


# Form and JSON bodies, by place, whatever the method.

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@pytest.mark.parametrize("method", METHODS)
def test_form_bodies_lose_their_secret_fields_on_every_method(
    persister: ScrubbingPersister, method: str
) -> None:
    body = "grant_type=authorization_code&code=unknown-c0de&code_verifier=v-unknown-9"
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    clean = persister.request(request(method, "/oauth/token", body, form))

    assert dict(parse_qsl(clean.body.decode())) == {
        "grant_type": "authorization_code",
        "code": "SCRUBBED:AUTHORIZATION-CODE",
        "code_verifier": "SCRUBBED:PKCE-VERIFIER",
    }


@pytest.mark.parametrize("method", METHODS)
def test_json_bodies_lose_their_secret_fields_on_every_method(
    persister: ScrubbingPersister, method: str
) -> None:
    body = {"client_secret": "unknown-s3cret", "refresh_token": "r-unknown-1", "n": 1}
    kind = {"Content-Type": "application/json"}

    clean = persister.request(request(method, "/api/v2/x", json.dumps(body), kind))

    assert json.loads(clean.body) == {
        "client_secret": "SCRUBBED:CLIENT-SECRET",
        "refresh_token": "SCRUBBED:REFRESH-TOKEN",
        "n": 1,
    }


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; charset=utf-8",
        "application/vnd.foo+json",
        "application/vnd.foo+json; version=2",
        "APPLICATION/JSON",
        "",
    ],
)
def test_json_is_known_by_its_content_type_or_its_look(
    scrubber: Scrubber, content_type: str
) -> None:
    body = json.dumps({"access_token": "unknown-t0ken-1", "expires_in": 86399})

    clean = scrubber.body(body, content_type)

    assert json.loads(str(clean)) == {
        "access_token": "SCRUBBED:ACCESS-TOKEN",
        "expires_in": 86399,
    }


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded; charset=UTF-8", "text/plain", ""],
)
def test_forms_are_known_by_their_content_type_or_their_look(
    scrubber: Scrubber, content_type: str
) -> None:
    revoke = fields_for("https://login.mypurecloud.com/oauth/revoke")
    form = b"token=unknown-t0ken-2&token_type_hint=x"

    clean = scrubber.body(form, content_type, revoke)

    assert clean == b"token=SCRUBBED:ACCESS-TOKEN&token_type_hint=x"


def test_nested_json_is_scrubbed_at_every_depth(scrubber: Scrubber) -> None:
    body = {
        "entities": [
            {"credentials": {"access_token": "unknown-t0ken-3", "id": "a1"}},
            [{"refresh_token": "unknown-refresh-3"}, f"echo {TOKEN}"],
        ],
        "total": 2,
    }

    clean = json.loads(str(scrubber.body(json.dumps(body), "application/json")))

    assert clean == {
        "entities": [
            {"credentials": {"access_token": "SCRUBBED:ACCESS-TOKEN", "id": "a1"}},
            [{"refresh_token": "SCRUBBED:REFRESH-TOKEN"}, "echo SCRUBBED:ACCESS-TOKEN"],
        ],
        "total": 2,
    }


def test_a_known_secret_as_a_json_key_is_replaced(scrubber: Scrubber) -> None:
    body = json.dumps({"sessions": {TOKEN: {"user": "u1"}}, "access_token": "t-9x"})

    clean = json.loads(str(scrubber.body(body, "application/json")))

    assert clean == {
        "sessions": {"SCRUBBED:ACCESS-TOKEN": {"user": "u1"}},
        "access_token": "SCRUBBED:ACCESS-TOKEN",
    }


def test_an_error_body_keeps_its_code_byte_for_byte(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    error = b'{"message": "Flow not found", "code": "not.found", "status": 404}'
    answer = response(error, {"Content-Type": "application/json"})

    (interaction,) = save(persister, tmp_path / "c.yaml", (request(), answer))

    assert interaction["response"]["body"]["string"] == error.decode()


def test_code_in_an_oauth_form_is_a_secret_even_when_it_looks_like_one(
    scrubber: Scrubber,
) -> None:
    token_endpoint = fields_for("https://login.mypurecloud.com/oauth/token")

    clean = scrubber.body(
        "code=not.found&state=s1", "application/x-www-form-urlencoded", token_endpoint
    )

    assert clean == "code=SCRUBBED:AUTHORIZATION-CODE&state=s1"


@pytest.mark.parametrize("field", ["code", "token"])
def test_code_and_token_outside_oauth_replay_as_sent(
    scrubber: Scrubber, field: str
) -> None:
    api = fields_for("https://api.mypurecloud.com/api/v2/flows")
    form = f"{field}=US&pageSize=25"

    assert scrubber.body(form, "application/x-www-form-urlencoded", api) == form
    assert scrubber.uri(f"https://api.mypurecloud.com/api/v2/flows?{form}").endswith(
        form
    )


def test_a_token_found_by_its_place_is_scrubbed_everywhere_else(
    registry: SecretRegistry, tmp_path: Path
) -> None:
    persister = ScrubbingPersister(registry, WrittenCassettes())
    own_token = "tests-own-t0ken-9f8e7d6c5b4a"
    use = request(body=json.dumps({"serviceToken": own_token}).encode())
    answer = response(json.dumps({"access_token": own_token}).encode())
    path = tmp_path / "c.yaml"

    persister.write_cassette(
        str(path),
        {"requests": [use, use], "responses": [answer, answer]},
        yamlserializer,
    )

    assert own_token not in path.read_text()


def test_a_form_without_secrets_is_kept_as_it_was_sent(scrubber: Scrubber) -> None:
    body = "q=flow%20name&sort=name%2Basc"

    assert scrubber.body(body, "application/x-www-form-urlencoded") == body


# Bodies that are bytes, or not UTF-8.


def test_a_bytes_body_stays_bytes_and_is_scrubbed(scrubber: Scrubber) -> None:
    body = json.dumps({"access_token": "unknown-t0ken-4"}).encode()

    clean = scrubber.body(body, "application/json")

    assert clean == b'{"access_token":"SCRUBBED:ACCESS-TOKEN"}'


def test_a_body_that_is_not_utf8_loses_the_secrets_it_holds(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    raw = SECRETS["refresh_token"].encode()
    body = b"\xff\xfe" + raw + b"\x00" + b64(BASIC).encode() + b"\x80tail"
    answer = response(body, {"Content-Type": "application/octet-stream"})

    (interaction,) = save(persister, tmp_path / "c.yaml", (request(), answer))

    stored = interaction["response"]["body"]["string"]
    assert stored == (
        b"\xff\xfeSCRUBBED:REFRESH-TOKEN\x00SCRUBBED:BASIC-CREDENTIAL\x80tail"
    )


# Compressed bodies, stored decoded.


def deflate_raw(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "GZIP": gzip.compress,
    "deflate": zlib.compress,
    "Deflate": deflate_raw,
    "identity": lambda data: data,
    "deflate, gzip": lambda data: gzip.compress(zlib.compress(data)),
    "gzip,deflate": lambda data: deflate_raw(gzip.compress(data)),
}

TOKEN_ANSWER = json.dumps({"access_token": TOKEN, "expires_in": 86399}).encode()


@pytest.mark.parametrize("encoding", list(ENCODERS))
def test_compressed_bodies_are_stored_readable_with_a_placeholder(
    persister: ScrubbingPersister, tmp_path: Path, encoding: str
) -> None:
    body = ENCODERS[encoding](TOKEN_ANSWER)
    headers = {"Content-Encoding": encoding, "Content-Length": str(len(body))}
    path = tmp_path / "c.yaml"

    (interaction,) = save(persister, path, (request(), response(body, headers)))

    stored = interaction["response"]
    text = stored["body"]["string"]
    assert json.loads(text)["access_token"] == "SCRUBBED:ACCESS-TOKEN"
    assert "content-encoding" not in {name.lower() for name in stored["headers"]}
    assert stored["headers"]["Content-Length"] == [str(len(text))]
    assert replayed(path)[1][0]["body"]["string"] == text.encode()


def test_codings_on_separate_header_lines_are_all_undone(
    persister: ScrubbingPersister,
) -> None:
    body = gzip.compress(zlib.compress(TOKEN_ANSWER))
    answer = response(body)
    answer["headers"]["Content-Encoding"] = ["deflate", "gzip"]

    clean = persister.response(answer)

    assert (
        json.loads(clean["body"]["string"])["access_token"] == "SCRUBBED:ACCESS-TOKEN"
    )


def test_a_gzip_body_of_several_members_is_decoded_whole(
    persister: ScrubbingPersister,
) -> None:
    head, tail = TOKEN_ANSWER[:20], TOKEN_ANSWER[20:]
    body = gzip.compress(head) + gzip.compress(tail)

    clean = persister.response(response(body, {"Content-Encoding": "gzip"}))

    assert json.loads(clean["body"]["string"]) == {
        "access_token": "SCRUBBED:ACCESS-TOKEN",
        "expires_in": 86399,
    }


def test_a_compressed_request_body_is_stored_decoded_and_scrubbed(
    persister: ScrubbingPersister,
) -> None:
    form = (
        f"grant_type=refresh_token&refresh_token={quote_plus(SECRETS['refresh_token'])}"
    )
    body = gzip.compress(form.encode())
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Encoding": "gzip",
        "Content-Length": str(len(body)),
    }

    clean = persister.request(request("POST", "/oauth/token", body, headers))

    assert (
        clean.body == b"grant_type=refresh_token&refresh_token=SCRUBBED:REFRESH-TOKEN"
    )
    assert "content-encoding" not in {name.lower() for name in clean.headers}
    assert clean.headers["Content-Length"] == str(len(clean.body))


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "gzip, br"])
def test_a_body_already_decoded_under_its_coding_is_taken_as_text(
    persister: ScrubbingPersister, encoding: str
) -> None:
    answer = response(TOKEN_ANSWER, {"Content-Encoding": encoding})

    clean = persister.response(answer)

    assert (
        json.loads(clean["body"]["string"])["access_token"] == "SCRUBBED:ACCESS-TOKEN"
    )
    assert "Content-Encoding" not in clean["headers"]


@pytest.mark.skipif(HAS_BROTLI, reason="a Brotli decoder is installed")
def test_a_br_body_without_a_decoder_is_refused_saying_what_to_do(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    path = tmp_path / "c.yaml"
    answer = response(
        b"\x8b\x02\x80\xff\xfe" + TOKEN.encode(), {"Content-Encoding": "br"}
    )

    with pytest.raises(ScrubError) as caught:
        save(persister, path, (request(), answer))

    message = str(caught.value)
    assert str(path) in message
    assert "Install brotli" in message
    assert "gzip" in message
    assert not path.exists()


@pytest.mark.skipif(not HAS_BROTLI, reason="no Brotli decoder is installed")
def test_a_br_body_is_decoded_when_a_decoder_is_installed() -> None:
    try:
        import brotli  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        import brotlicffi as brotli  # type: ignore[import-not-found, no-redef, unused-ignore]

    assert decode_body(brotli.compress(TOKEN_ANSWER), "br") == TOKEN_ANSWER


@pytest.mark.parametrize(
    ("body", "encoding", "named"),
    [
        (b"\x1f\x8b\x08\x00broken\xff", "gzip", "gzip"),
        (b"\x78\x9c\xff\xffbroken", "deflate", "deflate"),
        (gzip.compress(TOKEN_ANSWER)[:-12], "gzip", "gzip"),
        (b"\x1f\x9d\x90\xff\xfe", "compress", "'compress'"),
    ],
    ids=["broken-gzip", "broken-deflate", "cut-gzip", "unknown-coding"],
)
def test_a_body_that_cannot_be_decoded_is_refused(
    persister: ScrubbingPersister,
    tmp_path: Path,
    body: bytes,
    encoding: str,
    named: str,
) -> None:
    path = tmp_path / "c.yaml"

    with pytest.raises(ScrubError, match=named) as caught:
        save(
            persister, path, (request(), response(body, {"Content-Encoding": encoding}))
        )

    assert str(path) in str(caught.value)
    assert not path.exists()


# Secrets by value: every kind, every form, one stable placeholder.


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("kind", [*SECRETS, "basic"])
def test_each_secret_in_each_form_becomes_its_placeholder(
    persister: ScrubbingPersister, tmp_path: Path, kind: str, form: str
) -> None:
    value = FORMS[form](BASIC if kind == "basic" else SECRETS[kind])
    sent = request("GET", "/api/v2/x", headers={"X-Echo": f"sent {value}"})
    answer = response(f"got {value} back".encode(), {"Content-Type": "text/plain"})

    (interaction,) = save(persister, tmp_path / "c.yaml", (sent, answer))

    placeholder = PLACEHOLDERS[kind]
    assert interaction["request"]["headers"]["X-Echo"] == [f"sent {placeholder}"]
    assert interaction["response"]["body"]["string"] == f"got {placeholder} back"


@pytest.mark.parametrize("kind", list(SECRETS))
def test_a_secret_keeps_its_placeholder_across_saves(
    persister: ScrubbingPersister, registry: SecretRegistry, tmp_path: Path, kind: str
) -> None:
    second = f"second-{kind}-ABC123"
    registry.add(Secret(second, kind))
    bodies = [
        f"{SECRETS[kind]} {second}",
        f"{b64(SECRETS[kind])} {quote_plus(second)}",
    ]

    stored = [
        save(persister, tmp_path / f"c{n}.yaml", (request(), response(body.encode())))
        for n, body in enumerate(bodies)
    ]

    texts = [found[0]["response"]["body"]["string"] for found in stored]
    placeholder = PLACEHOLDERS[kind]
    assert texts == [f"{placeholder} {placeholder}-2"] * 2


def test_the_basic_credential_of_a_secret_with_colons_and_accents() -> None:
    secret = Secret("p:ss:wörd-42", "client_secret")
    registry = SecretRegistry()
    registry.add(secret)
    registry.add_basic("client:id", secret)
    basic = base64.b64encode("client:id:p:ss:wörd-42".encode()).decode()
    scrubber = Scrubber(registry)

    headers = scrubber.headers({"Authorization": f"Basic {basic}"})
    text = scrubber.text(f"sent {basic} for client:id:p:ss:wörd-42")

    assert headers == {"Authorization": "Basic SCRUBBED:BASIC-CREDENTIAL"}
    assert text == "sent SCRUBBED:BASIC-CREDENTIAL for client:id:SCRUBBED:CLIENT-SECRET"


def test_a_word_like_secret_leaves_ordinary_words_alone() -> None:
    registry = SecretRegistry()
    registry.add(Secret("expired", "access_token"))
    registry.add(Secret("password", "client_secret"))
    scrubber = Scrubber(registry)
    words = "The token expired, so the password form was shown (passwords123)."

    assert scrubber.text(words) == words
    assert scrubber.body(words.encode(), "text/plain") == words.encode()
    assert scrubber.headers({"Authorization": "Bearer expired"}) == {
        "Authorization": "Bearer SCRUBBED:ACCESS-TOKEN"
    }
    assert (
        scrubber.body("client_secret=password", "")
        == "client_secret=SCRUBBED:CLIENT-SECRET"
    )


# The cassette on disk.


def test_content_length_fits_the_scrubbed_body(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(len(TOKEN_ANSWER)),
    }

    (interaction,) = save(
        persister, tmp_path / "c.yaml", (request(), response(TOKEN_ANSWER, headers))
    )

    stored = interaction["response"]
    assert stored["headers"]["Content-Length"] == [
        str(len(stored["body"]["string"].encode()))
    ]


def test_a_compressed_login_replays_through_vcr(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    path = tmp_path / "login.yaml"
    body = gzip.compress(TOKEN_ANSWER)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Encoding": "gzip",
        "Content-Length": str(len(body)),
    }
    login = request(
        "POST",
        "/oauth/token",
        "grant_type=client_credentials",
        {"Authorization": f"Basic {BASIC}"},
    )
    save(persister, path, (login, response(body, headers)))

    with vcr.use_cassette(str(path), record_mode="none"):
        answer = requests.post(
            f"{BASE}/oauth/token", data="grant_type=client_credentials"
        )

    assert answer.json() == {
        "access_token": "SCRUBBED:ACCESS-TOKEN",
        "expires_in": 86399,
    }
    assert answer.headers["Content-Length"] == str(len(answer.content))
    assert leaks(path.read_bytes()) == []


def _vcr_keeps_metadata() -> bool:
    """Return whether this VCR.py writes cassette metadata (9.x does)."""
    from vcr.serialize import serialize

    text = serialize(
        {"requests": [], "responses": [], "metadata": {"m": 1}}, yamlserializer
    )
    return "metadata" in text


needs_metadata = pytest.mark.skipif(
    not _vcr_keeps_metadata(), reason="this VCR.py version writes no metadata"
)


@needs_metadata
def test_vcr_metadata_is_kept(persister: ScrubbingPersister, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    cassette = {
        "requests": [request()],
        "responses": [response(b"ok")],
        "metadata": {"recorded_with": "flows-1"},
    }

    persister.write_cassette(str(path), cassette, yamlserializer)

    assert yaml.safe_load(path.read_text())["metadata"] == {"recorded_with": "flows-1"}


@pytest.mark.parametrize(
    ("place", "kind"),
    [
        ("status", "access_token"),
        ("status", "client_secret"),
        pytest.param("metadata", "code", marks=needs_metadata),
    ],
)
def test_a_secret_left_after_scrubbing_refuses_the_cassette(
    registry: SecretRegistry, tmp_path: Path, place: str, kind: str
) -> None:
    written = WrittenCassettes()
    persister = ScrubbingPersister(registry, written)
    path = tmp_path / "c.yaml"
    answer = response(b"ok")
    cassette: dict[str, Any] = {"requests": [request()], "responses": [answer]}
    if place == "status":
        answer["status"]["message"] = f"OK {SECRETS[kind]}"
    else:
        cassette["metadata"] = {"note": SECRETS[kind]}

    with pytest.raises(ScrubError, match=PLACEHOLDERS[kind]) as caught:
        persister.write_cassette(str(path), cassette, yamlserializer)

    assert str(path) in str(caught.value)
    assert leaks(str(caught.value)) == []
    assert not path.exists()
    assert written.paths() == []


def test_a_written_cassette_is_remembered(
    registry: SecretRegistry, tmp_path: Path
) -> None:
    written = WrittenCassettes()
    path = tmp_path / "sub" / "c.yaml"

    save(ScrubbingPersister(registry, written), path, (request(), response(b"ok")))

    assert written.paths() == [path]


class Failing:
    """A serializer that breaks part way."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        raise ValueError("the serializer broke")


@pytest.fixture
def old_cassette(tmp_path: Path) -> Path:
    """Return a cassette already on disk, as a previous run left it."""
    path = tmp_path / "cassettes" / "c.yaml"
    path.parent.mkdir()
    path.write_bytes(b"interactions: []\nversion: 1\n# old\n")
    return path


def test_a_failing_serializer_leaves_the_old_cassette(
    persister: ScrubbingPersister, old_cassette: Path
) -> None:
    cassette = {"requests": [request()], "responses": [response(b"new")]}

    with pytest.raises(ValueError, match="broke"):
        persister.write_cassette(str(old_cassette), cassette, Failing)

    assert old_cassette.read_bytes() == b"interactions: []\nversion: 1\n# old\n"
    assert list(old_cassette.parent.iterdir()) == [old_cassette]


@pytest.mark.parametrize(
    ("crash", "raised"),
    [
        (OSError(5, "Input/output error"), CassetteError),
        (KeyboardInterrupt(), KeyboardInterrupt),
    ],
)
def test_a_crash_while_replacing_leaves_the_old_cassette_and_no_temp_file(
    persister: ScrubbingPersister,
    old_cassette: Path,
    monkeypatch: pytest.MonkeyPatch,
    crash: BaseException,
    raised: type[BaseException],
) -> None:
    def replace(source: str, target: str) -> None:
        raise crash

    monkeypatch.setattr(os, "replace", replace)

    with pytest.raises(raised):
        save(persister, old_cassette, (request(), response(b"new")))

    assert old_cassette.read_bytes() == b"interactions: []\nversion: 1\n# old\n"
    assert list(old_cassette.parent.iterdir()) == [old_cassette]


def test_a_folder_that_cannot_be_written_names_the_cassette(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    (tmp_path / "afile").write_text("not a folder")
    path = tmp_path / "afile" / "sub" / "c.yaml"

    with pytest.raises(CassetteError) as caught:
        save(persister, path, (request(), response(b"ok")))

    assert str(path) in str(caught.value)
    assert "--arch-cassette-dir" in str(caught.value)


def test_a_cassette_path_that_is_a_folder_names_the_cassette(
    persister: ScrubbingPersister, tmp_path: Path
) -> None:
    path = tmp_path / "c.yaml"
    path.mkdir()

    with pytest.raises(CassetteError) as caught:
        save(persister, path, (request(), response(b"ok")))

    assert str(path) in str(caught.value)
    assert list(tmp_path.iterdir()) == [path]


def test_a_long_token_glued_to_other_characters_is_still_found(
    registry: SecretRegistry,
) -> None:
    token = "Glued-t0ken-4f9a8b7c6d5e4f3a2b1c"
    registry.add(token, "access_token")

    assert token not in registry.scrub_text(f"x{token}y and \\u0022{token}\\u0022")


def test_the_bytes_repr_of_a_secret_is_found(registry: SecretRegistry) -> None:
    secret = "S\u00ebcret:Value-12345XYZ"
    registry.add(secret, "client_secret")

    assert "Value-12345XYZ" not in registry.scrub_text(repr(secret.encode()))
