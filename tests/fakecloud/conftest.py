"""Fixtures for the fake cloud's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pytest_archsession.fakecloud import FakeCloud

from .http_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    CODE_CLIENT_ID,
    CODE_CLIENT_SECRET,
)


@pytest.fixture
def cloud() -> Iterator[FakeCloud]:
    """Run a fake cloud with one client-credentials and one code-grant client."""
    with FakeCloud(clients={CLIENT_ID: CLIENT_SECRET}) as running:
        running.add_client(CODE_CLIENT_ID, CODE_CLIENT_SECRET, grant="code")
        yield running
