"""A script's session ends its process with the exit code, as Architect's does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET

#: A ported script: start, set the exit code, and let the session end the process.
SCRIPT = """
import sys
from pytest_archsession import ArchSession, resolve_location

url, client_id, secret, code = sys.argv[1:]

def work(session):
    session.end_exit_code = int(code)

session = ArchSession()
session.end_mode = "endWithLogout"
session.start_with_client_id_and_secret(
    resolve_location("prod", url, url), work, client_id, secret, None, True
)
print("the start returned instead of exiting")
"""


def run_script(
    cloud: FakeCloud, secret: str, code: int
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, cloud.url, CLIENT_ID, secret, str(code)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("code", [0, 7])
def test_the_process_exits_with_the_end_exit_code(cloud: FakeCloud, code: int) -> None:
    finished = run_script(cloud, CLIENT_SECRET, code)

    assert finished.returncode == code, finished.stderr
    assert "returned instead of exiting" not in finished.stdout
    assert cloud.count("DELETE", "/api/v2/tokens/me") == 1


def test_a_failed_start_exits_the_process_with_99(cloud: FakeCloud) -> None:
    finished = run_script(cloud, "wrong-secret", 0)

    assert finished.returncode == 99
    assert "returned instead of exiting" not in finished.stdout
    assert "authentication failed" in finished.stderr
    assert "wrong-secret" not in finished.stderr + finished.stdout
