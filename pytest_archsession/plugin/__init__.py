"""The pytest plugin: options, fixtures and the hooks that report on the run.

This module is what pytest loads for every run, so it imports nothing heavy:
requests, VCR.py and PyYAML are loaded when a session is first asked for.
"""

from __future__ import annotations

from .fixtures import arch_fake_cloud, arch_session, arch_session_factory
from .hooks import (
    pytest_addoption,
    pytest_configure,
    pytest_configure_node,
    pytest_recording_configure,
    pytest_report_header,
    pytest_runtest_teardown,
    pytest_sessionfinish,
    pytest_sessionstart,
    pytest_terminal_summary,
    pytest_testnodedown,
    pytest_unconfigure,
)

__all__ = [
    "arch_fake_cloud",
    "arch_session",
    "arch_session_factory",
    "pytest_addoption",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_recording_configure",
    "pytest_report_header",
    "pytest_runtest_teardown",
    "pytest_sessionfinish",
    "pytest_sessionstart",
    "pytest_terminal_summary",
    "pytest_testnodedown",
    "pytest_unconfigure",
]
