"""The example script walks the reference page's cycle and ends its process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "examples" / "architect_cycle.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("code", ["0", "7"])
def test_every_step_holds_and_the_process_exits_with_the_code(code: str) -> None:
    finished = run(code)

    assert finished.returncode == int(code), finished.stderr
    lines = finished.stdout.splitlines()
    assert [line for line in lines if line.startswith("FAIL")] == []
    assert sum(line.startswith("ok") for line in lines) == 10
    assert "not reached" not in finished.stdout
    assert "DELETE" in finished.stderr
    assert "example:sécret" not in finished.stdout + finished.stderr


def test_a_failed_login_exits_the_process_with_99() -> None:
    finished = run("5", "--wrong-secret")

    assert finished.returncode == 99
    assert "authentication failed" in finished.stderr
