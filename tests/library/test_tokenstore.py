"""The token store on its own: keys, forgetting, where it lives, bad entries."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from pytest_archsession.secrets import Secret
from pytest_archsession.wire.oauth import TokenGrant
from pytest_archsession.wire.tokenstore import TokenStore, default_store_path


def test_the_store_keeps_logins_apart_and_forgets_one(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    for login, client in [
        ("https://a", "one"),
        ("https://a", "two"),
        ("https://b", "one"),
    ]:
        token = Secret(f"{login}-{client}-token", "access_token")
        store.save(login, client, TokenGrant(token, "bearer", 600, time.monotonic()))

    store.forget("https://a", "one")

    assert store.load("https://a", "one") is None
    assert found_token(store, "https://a/", "two") == "https://a-two-token"
    assert found_token(store, "https://b", "one") == "https://b-one-token"
    layout = json.loads((tmp_path / "tokens.json").read_text(encoding="utf-8"))
    assert sorted(layout["tokens"]) == ["https://a", "https://b"]


def found_token(store: TokenStore, login: str, client: str) -> str:
    found = store.load(login, client)
    assert found is not None
    return found[0].reveal()


@pytest.mark.parametrize(
    ("cache_home", "expected"),
    [
        ("/xdg/cache", "/xdg/cache/pytest-archsession/tokens.json"),
        ("relative/cache", "/home/someone/.cache/pytest-archsession/tokens.json"),
        ("", "/home/someone/.cache/pytest-archsession/tokens.json"),
    ],
)
def test_the_default_store_lives_in_the_cache_directory(
    monkeypatch: pytest.MonkeyPatch, cache_home: str, expected: str
) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    monkeypatch.setenv("XDG_CACHE_HOME", cache_home)

    assert default_store_path() == Path(expected)
    assert TokenStore().path == Path(expected)


def test_an_entry_of_the_wrong_shape_is_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "tokens.json"
    entry = {"access_token": 42, "expires_at": "tomorrow"}
    layout = {"version": 1, "tokens": {"https://a": {"one": entry}}}
    path.write_text(json.dumps(layout), encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="pytest_archsession"):
        assert TokenStore(path).load("https://a", "one") is None

    assert "malformed entry for client one" in caplog.text
