"""What the benchmarks share: suite sizes, the projects, comparing two series."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from report import Row, seconds
from suites import CLIENT_ID, CLIENT_SECRET, Seeds, build_project
from timing import BenchFailed, Command, Series, alternate, pair_ratios, run_once

from pytest_archsession.fakecloud import FakeCloud

NO_PLUGIN = ("-p", "no:archsession")
LIVE = (
    "--disable-recording",
    f"--arch-client-id={CLIENT_ID}",
    f"--arch-client-secret={CLIENT_SECRET}",
)
TOKEN = ("POST", "/oauth/token")


@dataclass(frozen=True)
class Sizes:
    """How big each suite is, and how many rounds of runs each one gets."""

    rounds: int
    idle: int
    replay: int
    growth: tuple[int, ...]
    cassette_mb: float
    xdist: int


FULL = Sizes(5, 500, 200, (100, 1000, 5000), 5.0, 1000)
QUICK = Sizes(3, 100, 40, (20, 100, 200), 1.0, 100)


@dataclass
class Bench:
    """Everything the benchmarks share: where to build, seeds, what came out."""

    root: Path
    sizes: Sizes
    seeds: Seeds
    timeout: float
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    projects: dict[tuple[str, int], Path] = field(default_factory=dict)
    warmed: set[Path] = field(default_factory=set)

    def project(self, kind: str, count: int) -> Path:
        """Return the project of ``count`` tests of ``kind``, built once."""
        key = (kind, count)
        if key not in self.projects:
            self.projects[key] = self._build(kind, count)
        return self.projects[key]

    def _build(self, kind: str, count: int) -> Path:
        folder = self.root / f"{kind}-{count}"
        seeds = self.seeds
        if kind == "bare":
            return build_project(folder, "plain", count, seeds.url, plugin=False)
        if kind == "plain":
            return build_project(folder, "plain", count, seeds.url)
        if kind == "ours":
            return build_project(
                folder, kind, count, seeds.url, seeds.flows, seeds.session
            )
        cassette = seeds.workaround if kind == "workaround" else seeds.flows
        return build_project(folder, kind, count, seeds.url, cassette)

    def compare(
        self, commands: list[Command], rounds: int | None = None
    ) -> list[Series]:
        """Time the commands in turn, ``rounds`` times or as the sizes say.

        A project run for the first time is run once untimed before: that
        run writes its bytecode caches.
        """
        for command in commands:
            if command.cwd not in self.warmed:
                run_once(command, self.timeout)
                self.warmed.add(command.cwd)
        return alternate(commands, rounds or self.sizes.rounds, self.timeout)

    @contextmanager
    def live_cloud(self) -> Iterator[FakeCloud]:
        """Serve the fake cloud again on the port the seeds were recorded on.

        :raises timing.BenchFailed: when that port has been taken meanwhile.
        """
        port = urlsplit(self.seeds.url).port or 0
        cloud = FakeCloud(clients={CLIENT_ID: CLIENT_SECRET}, port=port)
        try:
            cloud.start()
        except OSError as exc:
            raise BenchFailed(
                f"The fake cloud cannot listen on port {port} again ({exc})."
            ) from exc
        try:
            yield cloud
        finally:
            cloud.stop()


def versus(
    item: str, benchmark: str, a: Series, b: Series, target: str, met: bool | None
) -> Row:
    """Return the row comparing two series of timed runs."""
    ratios = pair_ratios(a, b)
    return Row(
        item,
        benchmark,
        a.command.label,
        b.command.label,
        seconds(a.median),
        seconds(b.median),
        a.median / b.median,
        target,
        met,
        pairs=(min(ratios), max(ratios)),
        peaks=(a.peak_mib, b.peak_mib),
    )


def at_most(item: str, benchmark: str, a: Series, b: Series, limit: float) -> Row:
    """Return the row of a comparison whose target is A/B at most ``limit``."""
    met = a.median / b.median <= limit
    return versus(item, benchmark, a, b, f"<= {limit:.2f}", met)
