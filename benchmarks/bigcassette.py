"""A project replaying one flow-export-sized cassette, with or without libyaml.

The project's conftest times its one test inside the process, from setup to
teardown, and prints that with the YAML loader in use, so that the cost of
loading a large cassette is not lost in the noise of starting Python.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import yaml
from suites import SESSION_CASSETTE, Seeds, ini_text, write
from timing import BenchFailed, bench_env

EXPORT_URI_PATH = "/api/v2/flows/export-1/latestconfiguration"
TEST_CASSETTE = Path("cassettes", "test_export", "test_flow_export.yaml")
PURE = "pure Python"
LIBYAML = "libyaml (C)"
PREFIX = "bench-export:"
REPORT_LINE = re.compile(
    rf"^{PREFIX} (?P<seconds>[0-9.]+) s, (?P<loader>.+)$", re.MULTILINE
)
WORDS = ("transfer", "queue", "menu", "prompt", "data", "decision", "loop")

EXPORT_TEST = """\
import pytest


@pytest.mark.vcr
def test_flow_export(arch_session):
    answer = arch_session.api.get("{path}")
    assert len(answer.content) == {size}
"""

EXPORT_CONFTEST = '''\
"""Print the test's own time and the YAML loader, for the export benchmark."""

import time

import pytest
import yaml

ELAPSED = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        ELAPSED.append(time.perf_counter() - started)


def pytest_terminal_summary(terminalreporter):
    loader = "{libyaml}" if yaml.__with_libyaml__ else "{pure}"
    terminalreporter.write_line(f"{prefix} {{sum(ELAPSED):.6f}} s, {{loader}}")
'''

#: Loaded with ``-p`` before any other plugin: PyYAML then imports without
#: its C extension, exactly as a PyYAML built without libyaml would.
NO_LIBYAML_PLUGIN = '''\
"""Hide PyYAML's C extension from this process."""

import sys

if "yaml" in sys.modules:
    raise RuntimeError("yaml was imported before bench_no_libyaml could hide libyaml")


class HideLibyaml:
    """Refuse the C extension, as an install without libyaml would."""

    def find_spec(self, name, path=None, target=None):
        if name in ("yaml._yaml", "_yaml"):
            raise ImportError(f"{name} is hidden by the benchmark")
        return None


sys.meta_path.insert(0, HideLibyaml())
'''


def flow_export(size: int, seed: int = 5) -> bytes:
    """Return a flow-export-like JSON document of at least ``size`` bytes."""
    chooser = random.Random(seed)
    actions: list[dict[str, Any]] = []
    length = 0
    while length < size:
        action = export_action(len(actions), chooser)
        actions.append(action)
        length += len(json.dumps(action)) + 2
    document = {"name": "Main Inbound Call", "type": "inboundcall", "tasks": actions}
    return json.dumps(document).encode()


def export_action(index: int, chooser: random.Random) -> dict[str, Any]:
    """Return one action of a flow export, with the usual nested settings."""
    return {
        "id": f"action-{index:06d}",
        "name": f"{chooser.choice(WORDS).title()} {index}",
        "kind": chooser.choice(WORDS),
        "outputs": [{"path": f"action-{index + 1:06d}", "label": "success"}],
        "settings": {
            "timeoutSeconds": chooser.randint(1, 120),
            "expression": f"If(Flow.attempts > {chooser.randint(1, 9)}, true, false)",
            "prompt": {"tts": " ".join(chooser.choices(WORDS, k=12))},
        },
    }


def export_cassette(seeds: Seeds, body: bytes) -> str:
    """Return the recorded flows cassette rewritten to answer a flow export."""
    document = yaml.safe_load(seeds.flows)
    interaction = document["interactions"][0]
    interaction["request"]["uri"] = seeds.url + EXPORT_URI_PATH
    response = interaction["response"]
    response["body"] = {"string": body.decode()}
    response["headers"]["Content-Length"] = [str(len(body))]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(document, Dumper=dumper))


def build_export(folder: Path, seeds: Seeds, size: int) -> Path:
    """Write a project of one test replaying a flow export of ``size`` bytes."""
    body = flow_export(size)
    folder.mkdir(parents=True)
    (folder / "pytest.ini").write_text(ini_text(seeds.url))
    conftest = EXPORT_CONFTEST.format(libyaml=LIBYAML, pure=PURE, prefix=PREFIX)
    (folder / "conftest.py").write_text(conftest)
    test = EXPORT_TEST.format(path=EXPORT_URI_PATH, size=len(body))
    (folder / "test_export.py").write_text(test)
    write(folder / SESSION_CASSETTE, seeds.session)
    write(folder / TEST_CASSETTE, export_cassette(seeds, body))
    return folder


def cassette_bytes(folder: Path) -> int:
    """Return the size on disk of an export project's test cassette."""
    return (folder / TEST_CASSETTE).stat().st_size


def export_report(output: str) -> tuple[float, str]:
    """Return the test's own seconds and the loader that an export run printed.

    :raises timing.BenchFailed: when the run printed no such line.
    """
    found = REPORT_LINE.search(output)
    if found is None:
        raise BenchFailed("An export run printed no timing line.")
    return float(found["seconds"]), found["loader"].strip()


def no_libyaml_env(root: Path) -> dict[str, str]:
    """Return an environment in which ``-p bench_no_libyaml`` hides libyaml."""
    helpers = root / "helpers"
    write(helpers / "bench_no_libyaml.py", NO_LIBYAML_PLUGIN)
    return bench_env(PYTHONPATH=str(helpers))
