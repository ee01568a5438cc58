"""Fixtures for driving user projects against a fake cloud on loopback."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# In-process pytester runs drop the modules first imported inside them; load
# the heavy ones here so every run shares one copy of each.
import pytest_archsession.plugin.recording
import pytest_archsession.plugin.sessions  # noqa: F401
from pytest_archsession.fakecloud import FakeCloud

CLIENT_ID = "plugin-test-client"
CLIENT_SECRET = "fake:sécret-4242"


@pytest.fixture
def cloud() -> Iterator[FakeCloud]:
    """Return a running fake cloud that knows the test client."""
    with FakeCloud(clients={CLIENT_ID: CLIENT_SECRET}) as fake:
        yield fake


@dataclass
class Project:
    """A user project under pytester, pointed at the fake cloud."""

    pytester: pytest.Pytester
    cloud: FakeCloud

    @property
    def path(self) -> Path:
        return self.pytester.path

    def credentials(self) -> list[str]:
        return [
            f"--arch-client-id={CLIENT_ID}",
            f"--arch-client-secret={CLIENT_SECRET}",
        ]

    def run(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest("-p", "no:cacheprovider", *args)

    def secrets(self) -> list[str]:
        """Return every secret of the run, in the forms a leak would take."""
        basic = f"{CLIENT_ID}:{CLIENT_SECRET}".encode()
        values = [CLIENT_SECRET, base64.b64encode(basic).decode()]
        return values + self.cloud.issued_tokens

    def leaks(self, result: pytest.RunResult) -> list[str]:
        """Return where a secret of the run can be found: files or output."""
        found = []
        output = "\n".join(result.outlines + result.errlines)
        for secret in self.secrets():
            if secret in output:
                found.append(f"output holds {secret[:4]}...")
            for path in self.path.rglob("*"):
                if path.is_file() and secret.encode() in path.read_bytes():
                    found.append(f"{path.name} holds {secret[:4]}...")
        return found

    def session_cassette(self, part: str = "start") -> Path:
        return self.path / "cassettes" / "arch_session" / f"prod_us_east_1-{part}.yaml"


@pytest.fixture
def project(pytester: pytest.Pytester, cloud: FakeCloud) -> Project:
    """Return a user project whose ini points the plugin at the fake cloud."""
    pytester.makeini(
        f"""
        [pytest]
        arch_location = prod
        arch_login_url = {cloud.url}
        arch_api_url = {cloud.url}
        """
    )
    return Project(pytester, cloud)
