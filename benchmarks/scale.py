"""Items 4 to 6: many tests, one large cassette, and xdist workers."""

from __future__ import annotations

import statistics

from bench import LIVE, NO_PLUGIN, TOKEN, Bench, versus
from bigcassette import (
    PURE,
    build_export,
    cassette_bytes,
    export_report,
    no_libyaml_env,
)
from report import Row
from suites import replay_command
from timing import BenchFailed, Series, pytest_command, run_once

NO_LIBYAML = ("-p", "bench_no_libyaml")
#: The small cassette that the export is measured against, in bytes of body.
SMALL_BODY = 3000
#: Flat growth: the last step's time per extra test within 20% of the first's.
GROWTH_LIMIT = 1.20
#: Memory per extra test within 10% of pytest-recording's own.
MEMORY_LIMIT = 1.10


def growth(bench: Bench) -> None:
    """4. Time and peak memory per test as the replayed suite grows."""
    counts = bench.sizes.growth
    series = bench.compare(
        [
            replay_command(f"{count} tests", bench.project("ours", count))
            for count in counts
        ]
    )
    medians = [one.median for one in series]
    steps = [
        (
            f"{counts[i]}->{counts[i + 1]}",
            (medians[i + 1] - medians[i]) / (counts[i + 1] - counts[i]) * 1000,
        )
        for i in range(len(counts) - 1)
    ]
    (first_name, first), (last_name, last) = steps[0], steps[-1]
    bench.rows.append(
        Row(
            "4",
            "growth: ms per extra test",
            last_name,
            first_name,
            f"{last:.2f} ms",
            f"{first:.2f} ms",
            last / first,
            f"<= {GROWTH_LIMIT:.2f}",
            last / first <= GROWTH_LIMIT,
        )
    )
    _memory_growth(bench, series)
    per_test = ", ".join(
        f"{one.median / count * 1000:.2f} ms at {count}"
        for one, count in zip(series, counts, strict=True)
    )
    bench.notes.append(f"4: wall time per test: {per_test}.")


def _memory_growth(bench: Bench, ours: list[Series]) -> None:
    """Compare the peak memory each extra test costs with pytest-recording's."""
    low, high = bench.sizes.growth[0], bench.sizes.growth[-1]
    alone = bench.compare(
        [
            replay_command(f"alone {count}", bench.project("alone", count), *NO_PLUGIN)
            for count in (low, high)
        ],
        rounds=1,
    )
    ours_kib = (ours[-1].peak_mib - ours[0].peak_mib) * 1024 / (high - low)
    alone_kib = (alone[1].peak_mib - alone[0].peak_mib) * 1024 / (high - low)
    ratio = ours_kib / alone_kib if alone_kib > 0 else float("inf")
    bench.rows.append(
        Row(
            "4",
            f"growth: peak KiB per extra test, {low}->{high}",
            "arch_session",
            "pytest-recording alone",
            f"{ours_kib:.1f} KiB",
            f"{alone_kib:.1f} KiB",
            ratio,
            f"<= {MEMORY_LIMIT:.2f}",
            ratio <= MEMORY_LIMIT,
            peaks=(ours[-1].peak_mib, alone[1].peak_mib),
        )
    )
    peaks = ", ".join(
        f"{one.peak_mib:.0f} MiB at {count}"
        for one, count in zip(ours, bench.sizes.growth, strict=True)
    )
    bench.notes.append(
        f"4: peak memory with arch_session: {peaks}; pytest-recording alone: "
        f"{alone[0].peak_mib:.0f} MiB at {low}, {alone[1].peak_mib:.0f} MiB at {high}."
    )


def export(bench: Bench) -> None:
    """5. One flow-export-sized cassette, with libyaml and without it."""
    size = int(bench.sizes.cassette_mb * 1_000_000)
    folders = {
        name: build_export(bench.root / f"export-{name}", bench.seeds, body)
        for name, body in (
            ("c", size),
            ("c-small", SMALL_BODY),
            ("py", size),
            ("py-small", SMALL_BODY),
        )
    }
    env = no_libyaml_env(bench.root)
    big, small, big_py, small_py = bench.compare(
        [
            replay_command("export", folders["c"]),
            replay_command("small cassette", folders["c-small"]),
            replay_command("export", folders["py"], *NO_LIBYAML, env=env),
            replay_command("small cassette", folders["py-small"], *NO_LIBYAML, env=env),
        ]
    )
    extra = (cassette_bytes(folders["c"]) - cassette_bytes(folders["c-small"])) / 1e6
    for one, baseline in ((big, small), (big_py, small_py)):
        own, loader = in_process(one)
        gap = own - in_process(baseline)[0]
        rate = f"{extra / gap:.1f} MB/s" if gap > 0 else "too fast to measure"
        name = f"export {extra:.1f} MB, {loader}: {rate}"
        bench.rows.append(versus("5", name, one, baseline, "-", None))
    if in_process(big_py)[1] != PURE:
        raise BenchFailed("Hiding libyaml did not work: the run still used it.")
    bench.notes.append(
        "5: MB/s is the extra cassette size over the extra time the test itself "
        f"took (medians, timed inside pytest from setup to teardown) against a "
        f"{SMALL_BODY:,}-byte body."
    )
    _slow_loader_warning(bench, big, env)


def in_process(series: Series) -> tuple[float, str]:
    """Return the median of an export test's own times, and its YAML loader.

    :raises timing.BenchFailed: when the runs do not agree on the loader.
    """
    reports = [export_report(run.output) for run in series.runs]
    loaders = {loader for _, loader in reports}
    if len(loaders) != 1:
        raise BenchFailed(f"The export runs used different loaders: {loaders}.")
    return statistics.median(own for own, _ in reports), loaders.pop()


def _slow_loader_warning(bench: Bench, usual: Series, env: dict[str, str]) -> None:
    """Count warnings about a missing libyaml: one a run without it, none with."""
    count = bench.sizes.replay
    folder = bench.project("ours", count)
    command = replay_command(f"{count} tests", folder, *NO_LIBYAML, env=env)
    warned = _libyaml_warnings(run_once(command, bench.timeout).output)
    loader = in_process(usual)[1]
    usual_warned = _libyaml_warnings(usual.runs[-1].output)
    expected = 1 if loader == PURE else 0
    bench.rows.append(
        Row(
            "5",
            f"warns once without libyaml, {count} tests",
            PURE,
            loader,
            str(warned),
            str(usual_warned),
            None,
            f"1 / {expected}",
            warned == 1 and usual_warned == expected,
        )
    )


def _libyaml_warnings(output: str) -> int:
    """Count the warning lines (``path:line: Category: text``) naming libyaml."""
    return sum(
        "Warning:" in line and "libyaml" in line.lower() for line in output.splitlines()
    )


def xdist(bench: Bench) -> None:
    """6. The replayed suite on two workers against none, and live on four."""
    count = bench.sizes.xdist
    folder = bench.project("ours", count)
    two, none = bench.compare(
        [
            replay_command("-n 2", folder, "-n", "2"),
            replay_command("-n 0", folder, "-n", "0"),
        ]
    )
    bench.rows.append(versus("6", f"xdist replay: {count} tests", two, none, "-", None))
    bench.notes.append(
        f"6: on {count} replayed tests, two workers take {two.median / none.median:.2f}"
        " times the time of none (worker start-up against parallel work)."
    )
    live = bench.sizes.replay
    command = pytest_command("-n 4", bench.project("ours", live), "-n", "4", *LIVE)
    with bench.live_cloud() as cloud:
        run_once(command, bench.timeout)
        tokens = cloud.count(*TOKEN)
    bench.rows.append(
        Row(
            "6",
            f"xdist live: token requests, {live} tests",
            "-n 4",
            "-",
            str(tokens),
            "-",
            None,
            "1",
            tokens == 1,
        )
    )
