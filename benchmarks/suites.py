"""Build the user projects the benchmarks time, each in its own directory.

Every project is what a team would write: a ``pytest.ini`` pointing the
plugin at the fake cloud, test modules, and pytest-recording's cassettes
beside them (``cassettes/<module>/<test>.yaml``). The few cassettes that
matter are recorded live once (see :func:`record_seeds`); the rest are
copies of those, so building 5,000 tests takes a second, not a login each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from timing import BenchFailed, Command, bench_env, pytest_command, run_once

CLIENT_ID = "bench-id"
CLIENT_SECRET = "bench-secret"
LOCATION = "prod_us_east_1"
TESTS_PER_MODULE = 100
FLOWS_PATH = "/api/v2/flows"
SESSION_CASSETTE = Path("cassettes", "arch_session", f"{LOCATION}-start.yaml")
FIRST_CASSETTE = Path("cassettes", "test_flows_000", "test_flow_0000.yaml")


@dataclass(frozen=True)
class Seeds:
    """Cassettes recorded live once, copied into every project.

    :param url: base URL of the fake cloud they were recorded against.
    :param session: the plugin's session cassette (token and org).
    :param flows: a test's cassette holding one ``GET /api/v2/flows``.
    :param workaround: a test's cassette holding its own login and the GET.
    """

    url: str
    session: str
    flows: str
    workaround: str


def ini_text(url: str, *, plugin: bool = True) -> str:
    """Return a ``pytest.ini``; ``plugin`` adds the archsession keys."""
    lines = ["[pytest]"]
    if plugin:
        lines += [
            "arch_location = prod",
            f"arch_login_url = {url}",
            f"arch_api_url = {url}",
        ]
    return "\n".join(lines) + "\n"


def plain_test(index: int) -> str:
    """Return a test that never asks for a session."""
    return f"""
def test_plain_{index:04d}():
    assert sum(range({index % 7 + 3})) >= 0
"""


def ours_test(index: int) -> str:
    """Return a replayed test that uses the run's ``arch_session``."""
    return f"""
@pytest.mark.vcr
def test_flow_{index:04d}(arch_session):
    assert arch_session.api.get("{FLOWS_PATH}").status_code == 200
"""


def alone_test(index: int) -> str:
    """Return the same test under pytest-recording alone: no session."""
    return f"""
@pytest.mark.vcr
def test_flow_{index:04d}():
    assert API.get(URL + "{FLOWS_PATH}", timeout=10).status_code == 200
"""


def workaround_test(index: int) -> str:
    """Return the same test logging in itself, through the ``api`` fixture."""
    return f"""
@pytest.mark.vcr
def test_flow_{index:04d}(api):
    assert api.get(URL + "{FLOWS_PATH}", timeout=10).status_code == 200
"""


WORKAROUND_CONFTEST = '''\
"""Log in inside every test, as suites without a shared session do."""

import os

import pytest
import requests

URL = "{url}"


@pytest.fixture
def api():
    """Return a requests session holding a token of its own."""
    client = (
        os.environ.get("BENCH_CLIENT_ID", "replayed"),
        os.environ.get("BENCH_CLIENT_SECRET", "replayed"),
    )
    answer = requests.post(
        URL + "/oauth/token",
        auth=client,
        data={{"grant_type": "client_credentials"}},
        timeout=10,
    )
    answer.raise_for_status()
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + answer.json()["access_token"]
    return session
'''


def module_header(kind: str, url: str) -> str:
    """Return the imports (and shared objects) that open a test module."""
    if kind == "alone":
        return (
            "import pytest\nimport requests\n\n"
            f'URL = "{url}"\n'
            "API = requests.Session()\n"
            'API.headers["Authorization"] = "Bearer replayed"\n'
        )
    if kind == "workaround":
        return f'import pytest\n\nURL = "{url}"\n'
    return "import pytest\n"


TEST_MAKERS: dict[str, Callable[[int], str]] = {
    "plain": plain_test,
    "ours": ours_test,
    "alone": alone_test,
    "workaround": workaround_test,
}


def build_project(
    folder: Path,
    kind: str,
    count: int,
    url: str,
    cassette: str | None = None,
    session: str | None = None,
    *,
    plugin: bool | None = None,
) -> Path:
    """Write a project of ``count`` tests of one kind; return its folder.

    :param kind: ``plain``, ``ours``, ``alone`` or ``workaround``.
    :param cassette: the text every test's cassette gets, if any.
    :param session: the text of the session cassette, if any.
    :param plugin: whether the ini configures archsession; by default only
        for the kinds that run with it.
    """
    folder.mkdir(parents=True)
    if plugin is None:
        plugin = kind in ("plain", "ours")
    (folder / "pytest.ini").write_text(ini_text(url, plugin=plugin))
    if kind == "workaround":
        (folder / "conftest.py").write_text(WORKAROUND_CONFTEST.format(url=url))
    if session is not None:
        write(folder / SESSION_CASSETTE, session)
    for first in range(0, count, TESTS_PER_MODULE):
        indices = range(first, min(first + TESTS_PER_MODULE, count))
        module = f"test_flows_{first // TESTS_PER_MODULE:03d}"
        body = "".join(TEST_MAKERS[kind](i) for i in indices)
        write(folder / f"{module}.py", module_header(kind, url) + body)
        if cassette is not None:
            for index in indices:
                write(
                    folder / "cassettes" / module / f"test_flow_{index:04d}.yaml",
                    cassette,
                )
    return folder


def write(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def record_seeds(root: Path, url: str, timeout: float) -> Seeds:
    """Record the seed cassettes live against the fake cloud at ``url``.

    :raises timing.BenchFailed: when a recording run fails or writes nothing.
    """
    ours = build_project(root / "seed-ours", "ours", 1, url)
    run_once(
        pytest_command(
            "record the session",
            ours,
            f"--arch-client-id={CLIENT_ID}",
            f"--arch-client-secret={CLIENT_SECRET}",
            "--record-mode=once",
        ),
        timeout,
    )
    theirs = build_project(root / "seed-workaround", "workaround", 1, url)
    env = bench_env(BENCH_CLIENT_ID=CLIENT_ID, BENCH_CLIENT_SECRET=CLIENT_SECRET)
    run_once(
        pytest_command(
            "record the workaround",
            theirs,
            "-p",
            "no:archsession",
            "--record-mode=once",
            env=env,
        ),
        timeout,
    )
    return Seeds(
        url=url,
        session=read(ours / SESSION_CASSETTE),
        flows=read(ours / FIRST_CASSETTE),
        workaround=read(theirs / FIRST_CASSETTE),
    )


def read(path: Path) -> str:
    """Return the text of a cassette the seed runs should have written.

    :raises timing.BenchFailed: when they did not write it.
    """
    if not path.exists():
        raise BenchFailed(f"The seed run passed but did not write {path}.")
    return path.read_text(encoding="utf-8")


def replay_command(
    label: str, folder: Path, *extra: str, env: dict[str, str] | None = None
) -> Command:
    """Return a replay run: no credentials, no network, ``--record-mode=none``."""
    return pytest_command(label, folder, "--record-mode=none", *extra, env=env)
