"""Benchmark pytest-archsession against what teams do without it.

``python benchmarks/run.py`` builds its suites in a temporary directory,
records a few cassettes live against the fake cloud, then times whole pytest
processes in turn and prints one table of medians and A/B ratios, with the
machine they ran on. ``--quick`` does the same on small suites, for CI. The
exit status is 1 when any suite failed to run; the timings never fail it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bench import FULL, QUICK, Bench, Sizes
from costs import idle, live_tokens, replay
from report import Row, render
from scale import export, growth, xdist
from suites import CLIENT_ID, CLIENT_SECRET, record_seeds
from timing import BenchFailed

from pytest_archsession.fakecloud import FakeCloud

ITEMS = (idle, replay, live_tokens, growth, export, xdist)


def at_least_one(text: str) -> int:
    """Parse a whole number of rounds, one or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("there must be at least one round")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser."""
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="small suites, 3 rounds: under a minute"
    )
    parser.add_argument(
        "--rounds",
        type=at_least_one,
        help="timed runs of each side (default 5, quick 3)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[item.__name__ for item in ITEMS],
        help="run only this benchmark (may be given more than once)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds one pytest process may take (default %(default)s)",
    )
    return parser


def sizes_for(args: argparse.Namespace) -> Sizes:
    """Return the suite sizes the options ask for."""
    sizes = QUICK if args.quick else FULL
    if args.rounds is not None:
        sizes = replace(sizes, rounds=args.rounds)
    return sizes


def prepare(root: Path, sizes: Sizes, timeout: float) -> Bench:
    """Record the seed cassettes against a fake cloud, then stop it."""
    with FakeCloud(clients={CLIENT_ID: CLIENT_SECRET}) as cloud:
        seeds = record_seeds(root, cloud.url, timeout)
    return Bench(root, sizes, seeds, timeout)


def run_all(bench: Bench, names: Sequence[str] | None) -> list[str]:
    """Run the benchmarks named (all by default); return what failed."""
    failures = []
    for item in ITEMS:
        if names and item.__name__ not in names:
            continue
        started = time.perf_counter()
        print(f"running {item.__name__} ...", end=" ", file=sys.stderr, flush=True)
        try:
            item(bench)
        except BenchFailed as exc:
            failures.append(f"{item.__name__}: {exc}")
        print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return failures


def _unjudged(row: Row) -> Row:
    """Leave a timing target unjudged in a quick run: small suites are all
    start-up, and the targets are set for the full sizes."""
    if row.ratio is None or row.met is None:
        return row
    return replace(row, met=None, target=f"{row.target} (full run)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the report; return 1 if a suite failed."""
    args = build_parser().parse_args(argv)
    sizes = sizes_for(args)
    started = time.perf_counter()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="archsession-bench-") as folder:
        try:
            bench = prepare(Path(folder), sizes, args.timeout)
        except BenchFailed as exc:
            print(f"FAILED recording the seed cassettes: {exc}", file=sys.stderr)
            return 1
        failures = run_all(bench, args.only)
    rows = bench.rows
    if args.quick:
        rows = [_unjudged(row) for row in rows]
    print(render(rows, bench.notes, failures, load))
    kind = "quick run (targets are for the full run)" if args.quick else "full run"
    elapsed = time.perf_counter() - started
    print(f"\n{kind}, {sizes.rounds} rounds, {elapsed:.0f} s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
