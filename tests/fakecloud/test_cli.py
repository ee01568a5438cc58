"""``python -m pytest_archsession.fakecloud``: print the URL, serve, stop cleanly."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import pytest_archsession.fakecloud

PACKAGE_ROOT = Path(pytest_archsession.fakecloud.__file__).resolve().parents[2]


def fakecloud_command(*args: str) -> list[str]:
    """Return the command line that runs the fake cloud with ``args``."""
    return [sys.executable, "-m", "pytest_archsession.fakecloud", *args]


def child_env() -> dict[str, str]:
    """Return an environment in which the child imports this checkout."""
    path = os.pathsep.join(
        filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])
    )
    return {**os.environ, "PYTHONPATH": path}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command to completion and capture its output."""
    return subprocess.run(
        fakecloud_command(*args),
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=20,
    )


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start the command on any free port; yield it and the URL it printed."""
    process = subprocess.Popen(
        fakecloud_command(
            "--port", "0", "--client-id", "cli-id", "--client-secret", "cli:sécret"
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().strip()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_prints_its_url_serves_and_exits_0_on_sigterm(
    served: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = served
    credentials = base64.b64encode("cli-id:cli:sécret".encode()).decode()
    request = urllib.request.Request(
        url + "/oauth/token",
        data=b"grant_type=client_credentials",
        headers={"Authorization": f"Basic {credentials}"},
    )

    with urllib.request.urlopen(request, timeout=5) as response:
        body = json.load(response)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=10)

    assert url.startswith("http://127.0.0.1:")
    assert body["token_type"] == "bearer"
    assert process.returncode == 0
    assert (out, err) == ("", "")


def test_sigint_also_exits_0(served: tuple[subprocess.Popen[str], str]) -> None:
    process, _ = served

    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)

    assert process.returncode == 0
    assert "Traceback" not in err


def test_port_in_use_is_a_one_line_error_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])

        result = run("--port", port, "--client-id", "a", "--client-secret", "b")

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert port in result.stderr


def test_refuses_to_start_without_a_client() -> None:
    result = run("--port", "0")

    assert result.returncode == 2
    assert "--client-id" in result.stderr
    assert result.stdout == ""


def test_help_lists_the_options() -> None:
    result = run("--help")

    assert result.returncode == 0
    for option in ("--port", "--client-id", "--client-secret", "--token-lifetime"):
        assert option in result.stdout
