"""Items 1 to 3: what the plugin costs idle and in replay, and what it saves."""

from __future__ import annotations

from bench import LIVE, NO_PLUGIN, TOKEN, Bench, at_most, versus
from report import Row
from suites import CLIENT_ID, CLIENT_SECRET, replay_command
from timing import bench_env, pytest_command, run_once


def idle(bench: Bench) -> None:
    """1. Plain tests: the plugin installed and configured, or switched off."""
    count = bench.sizes.idle
    a, b = bench.compare(
        [
            pytest_command("plugin installed", bench.project("plain", count)),
            pytest_command(
                "-p no:archsession", bench.project("bare", count), *NO_PLUGIN
            ),
        ]
    )
    bench.rows.append(at_most("1", f"idle: {count} plain tests", a, b, 1.03))


def replay(bench: Bench) -> None:
    """2 and 3. Replayed tests: ours, pytest-recording alone, the workaround."""
    count = bench.sizes.replay
    ours, alone, workaround = bench.compare(
        [
            replay_command("arch_session", bench.project("ours", count)),
            replay_command(
                "pytest-recording alone", bench.project("alone", count), *NO_PLUGIN
            ),
            replay_command(
                "login in each test", bench.project("workaround", count), *NO_PLUGIN
            ),
        ]
    )
    name = f"replay: {count} vcr tests"
    bench.rows.append(at_most("2", name, ours, alone, 1.10))
    ratio = ours.median / workaround.median
    bench.rows.append(
        versus(
            "3",
            f"vs workaround: {count} vcr tests",
            ours,
            workaround,
            "< 1.00",
            ratio < 1,
        )
    )
    change = "less" if ratio < 1 else "more"
    bench.notes.append(
        f"3: {count} replayed tests take {abs(1 - ratio) * 100:.0f}% {change} time "
        f"with arch_session than logging in in each test ({ours.median:.2f} s "
        f"against {workaround.median:.2f} s)."
    )


def live_tokens(bench: Bench) -> None:
    """3. Live against the fake cloud: token requests of ours and theirs."""
    count = bench.sizes.replay
    ours = pytest_command("arch_session", bench.project("ours", count), *LIVE)
    env = bench_env(BENCH_CLIENT_ID=CLIENT_ID, BENCH_CLIENT_SECRET=CLIENT_SECRET)
    theirs = pytest_command(
        "login in each test",
        bench.project("workaround", count),
        *NO_PLUGIN,
        "--disable-recording",
        env=env,
    )
    with bench.live_cloud() as cloud:
        run_once(ours, bench.timeout)
        ours_tokens = cloud.count(*TOKEN)
        cloud.clear_log()
        run_once(theirs, bench.timeout)
        theirs_tokens = cloud.count(*TOKEN)
    bench.rows.append(
        Row(
            "3",
            f"live: token requests, {count} tests",
            ours.label,
            theirs.label,
            str(ours_tokens),
            str(theirs_tokens),
            None,
            f"1 / {count}",
            ours_tokens == 1 and theirs_tokens == count,
        )
    )
