"""Time whole pytest processes, one at a time, taking turns.

Each run is a fresh ``python -m pytest`` in its own process group. Its wall
time is taken around the process's whole life, and its peak memory from the
rusage that ``os.wait4`` returns for that one child (on Linux, the largest
of the child and the children it waited for, such as xdist workers).
"""

from __future__ import annotations

import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Variables that would change what a child run does: credentials and pytest's.
DROPPED_PREFIXES = ("GENESYSCLOUD_", "PYTEST_")
KIB_PER_MIB = 1024


class BenchFailed(Exception):
    """A benchmark could not measure what it measures."""


class SuiteFailed(BenchFailed):
    """A pytest process that should have passed did not."""

    def __init__(self, label: str, status: int, output: str) -> None:
        tail = "\n".join(output.strip().splitlines()[-15:])
        super().__init__(f"{label}: pytest exited {status}.\n{tail}")
        self.label = label
        self.status = status


@dataclass(frozen=True)
class Command:
    """One pytest process to run, and the name it goes by in the table."""

    label: str
    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]


@dataclass(frozen=True)
class Run:
    """What one process took: seconds of wall time and peak RSS in MiB."""

    seconds: float
    peak_mib: float
    status: int
    output: str


@dataclass
class Series:
    """Every timed run of one command."""

    command: Command
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Return the median wall time, in seconds."""
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mib(self) -> float:
        """Return the highest peak RSS of any run, in MiB."""
        return max(run.peak_mib for run in self.runs)


def bench_env(**extra: str) -> dict[str, str]:
    """Return this environment without credentials or pytest settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(DROPPED_PREFIXES)
    }
    env.update(extra)
    return env


def pytest_command(
    label: str, cwd: Path, *args: str, env: Mapping[str, str] | None = None
) -> Command:
    """Return a quiet pytest run in ``cwd`` with this interpreter."""
    argv = (sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args)
    return Command(label, argv, cwd, bench_env() if env is None else env)


def run_once(command: Command, timeout: float, *, check: bool = True) -> Run:
    """Run ``command`` to its end and measure it.

    :param timeout: seconds after which the whole process group is killed.
    :raises SuiteFailed: when ``check`` is set and pytest does not exit 0.
    """
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command.argv,
            cwd=command.cwd,
            env=dict(command.env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        status, usage, timed_out = _reap(process, timeout)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if timed_out:
        raise SuiteFailed(command.label, status, f"{text}\nkilled after {timeout} s")
    if check and status != 0:
        raise SuiteFailed(command.label, status, text)
    return Run(seconds, usage.ru_maxrss / KIB_PER_MIB, status, text)


def _reap(
    process: subprocess.Popen[bytes], timeout: float
) -> tuple[int, resource.struct_rusage, bool]:
    """Wait for ``process`` and take its rusage, killing its group on timeout.

    The child is waited for without reaping first, so that its process group
    cannot be a recycled one when the timer fires late.
    """
    lock = threading.Lock()
    ended = threading.Event()
    expired = threading.Event()

    def kill() -> None:
        with lock:
            if not ended.is_set():
                expired.set()
                os.killpg(process.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
    except BaseException:
        kill()
        raise
    finally:
        with lock:
            ended.set()
        timer.cancel()
    _, raw_status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(raw_status)
    return process.returncode, usage, expired.is_set()


def alternate(commands: Sequence[Command], rounds: int, timeout: float) -> list[Series]:
    """Run the commands in turn (A, B, A, B, ...) and return each one's runs."""
    series = [Series(command) for command in commands]
    for _ in range(rounds):
        for one in series:
            one.runs.append(run_once(one.command, timeout))
    return series


def pair_ratios(a: Series, b: Series) -> list[float]:
    """Return A/B of each round's pair of runs."""
    return [x.seconds / y.seconds for x, y in zip(a.runs, b.runs, strict=True)]
