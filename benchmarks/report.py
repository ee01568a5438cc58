"""Print the results: the machine, one table of A against B, and notes."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml

HEADERS = (
    "#",
    "benchmark",
    "A",
    "B",
    "median A",
    "median B",
    "A/B",
    "pairs A/B",
    "target",
    "met",
    "peak MiB A / B",
)
PACKAGES = ("pytest", "pytest-recording", "vcrpy", "pytest-xdist", "PyYAML")


@dataclass(frozen=True)
class Row:
    """One line of the table: what A and B were, and how they compare.

    :param ratio: A/B of the medians; None where it means nothing.
    :param pairs: the lowest and highest A/B of a round's pair of runs.
    :param met: whether the target holds; None where there is no target.
    """

    item: str
    benchmark: str
    a: str
    b: str
    median_a: str
    median_b: str
    ratio: float | None
    target: str
    met: bool | None
    pairs: tuple[float, float] | None = None
    peaks: tuple[float, float] | None = None

    def cells(self) -> tuple[str, ...]:
        """Return the row's cells, in the order of ``HEADERS``."""
        return (
            self.item,
            self.benchmark,
            self.a,
            self.b,
            self.median_a,
            self.median_b,
            "-" if self.ratio is None else f"{self.ratio:.3f}",
            "-" if self.pairs is None else f"{self.pairs[0]:.2f}-{self.pairs[1]:.2f}",
            self.target,
            {True: "yes", False: "NO", None: "-"}[self.met],
            "-" if self.peaks is None else f"{self.peaks[0]:.0f} / {self.peaks[1]:.0f}",
        )


def table(rows: list[Row]) -> str:
    """Return the rows as a Markdown table with aligned columns."""
    lines = [HEADERS, tuple("-" * len(name) for name in HEADERS)]
    lines += [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    return "\n".join(_line(line, widths) for line in lines)


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
    return "| " + " | ".join(padded) + " |"


def machine(load: tuple[float, ...]) -> list[str]:
    """Return where the numbers come from: cores, CPU, Python, packages.

    :param load: the load averages before the benchmarks started.
    """
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    loader = "libyaml (C)" if yaml.__with_libyaml__ else "pure Python"
    averages = " ".join(f"{value:.2f}" for value in load)
    return [
        f"machine: nproc {len(os.sched_getaffinity(0))}, {cpu_model()}, "
        f"{platform.system()} {platform.release()}, load before {averages}",
        f"python: {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable})",
        f"packages: {versions}; YAML loader: {loader}",
        f"plugin: pytest-archsession {_version('pytest-archsession')}{revision()}",
    ]


def revision() -> str:
    """Return the checkout's commit, and whether the package has local edits."""
    repo = Path(__file__).resolve().parent.parent
    try:
        commit = _git(repo, "rev-parse", "--short", "HEAD")
        edited = _git(repo, "status", "--porcelain", "--", "pytest_archsession")
    except (OSError, subprocess.SubprocessError):
        return ""
    return f" at {commit}" + (" with local edits" if edited else "")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    )
    return done.stdout.strip()


def cpu_model() -> str:
    """Return the CPU model named in /proc/cpuinfo, or the platform's guess."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def seconds(value: float) -> str:
    """Return a duration for the table."""
    return f"{value:.3f} s"


def render(
    rows: list[Row], notes: list[str], failures: list[str], load: tuple[float, ...]
) -> str:
    """Return the whole report: machine, table, notes and failures."""
    parts = ["\n".join(machine(load)), table(rows)]
    if notes:
        parts.append("\n".join(f"- {note}" for note in notes))
    if failures:
        parts.append("\n".join(f"FAILED {failure}" for failure in failures))
    return "\n\n".join(parts)
