"""The plugin's hooks: options in, header and summary out, the exit status."""

from __future__ import annotations

from typing import Any

import pytest

from .options import add_options, read_settings
from .runstate import RUN_STATE, RunState

#: The exit status of a run whose session could not start.
START_FAILURE_STATUS = 99


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    state = RunState(read_settings(config))
    state.remember_given_secrets()
    config.stash[RUN_STATE] = state
    from .logguard import LogGuard

    state.log_guard = LogGuard(state.secrets)
    state.log_guard.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(RUN_STATE, None)
    if state is not None and state.log_guard is not None:
        state.log_guard.remove()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    state = config.stash[RUN_STATE]
    if state.settings.location is None or not _distributing(config):
        return
    from .sessions import StartFailure, open_session

    try:
        state.session = open_session(state, state.settings)
    except StartFailure as exc:
        state.deferred_failure = str(exc)


def _distributing(config: pytest.Config) -> bool:
    if not config.pluginmanager.hasplugin("xdist"):
        return False
    from .xdist import is_controller

    return is_controller(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    from .xdist import FAILURE_KEY, HANDOFF_KEY, handoff

    state = node.config.stash[RUN_STATE]
    if state.session is not None:
        node.workerinput[HANDOFF_KEY] = handoff(state.session)
    elif state.deferred_failure is not None:
        node.workerinput[FAILURE_KEY] = state.deferred_failure


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    from .xdist import EXIT_CODE_KEY, USED_FAILED_KEY

    state = node.config.stash[RUN_STATE]
    output = getattr(node, "workeroutput", {})
    if output.get(EXIT_CODE_KEY):
        state.worker_exit_code = int(output[EXIT_CODE_KEY])
    if output.get(USED_FAILED_KEY):
        state.start_failure = state.deferred_failure


def _report_start_failure(config: pytest.Config, failure: str) -> None:
    """Say once, for the whole xdist run, why the session could not start."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(
            f"archsession: the session could not start. {failure}", red=True
        )


def pytest_report_header(config: pytest.Config) -> str:
    state = config.stash.get(RUN_STATE, None)
    if state is None or state.settings.location is None:
        return "archsession: no location set (--arch-location)"
    from .sessions import plan_session

    try:
        chosen = plan_session(state.settings)
    except Exception as exc:
        return f"archsession: {exc}"
    return f"archsession: {chosen.describe(config.rootpath)}"


@pytest.hookimpl(optionalhook=True)
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    from .recording import adopt_test_vcr, warn_if_yaml_is_slow

    state = config.stash[RUN_STATE]
    adopt_test_vcr(vcr, state.secrets, state.written)
    if not state.yaml_checked:
        state.yaml_checked = True
        warn_if_yaml_is_slow()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Any:
    result = yield
    state = item.config.stash.get(RUN_STATE, None)
    if state is not None:
        state.raise_cassette_failures()
    return result


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash.get(RUN_STATE, None)
    if state is None:
        return
    _end_distributed_session(session.config, state)
    _guard_cassettes(session, state)
    if state.start_failure is not None:
        if state.deferred_failure is not None:
            _report_start_failure(session.config, state.deferred_failure)
        session.exitstatus = START_FAILURE_STATUS
        return
    code = state.session.end_exit_code if state.session is not None else 0
    code = code or state.worker_exit_code
    if hasattr(session.config, "workerinput"):
        from .xdist import report_exit_code

        report_exit_code(session.config, code)
        return
    if code and session.exitstatus in (
        pytest.ExitCode.OK,
        pytest.ExitCode.TESTS_FAILED,
    ):
        session.exitstatus = code


def _guard_cassettes(session: pytest.Session, state: RunState) -> None:
    if not len(state.secrets):
        return
    from .guard import cassettes_written_since, leaked_secrets

    paths = state.written.paths() + cassettes_written_since(
        state.settings.cassette_dir, state.started_at
    )
    state.leaks = leaked_secrets(paths, state.secrets)
    if state.leaks and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _end_distributed_session(config: pytest.Config, state: RunState) -> None:
    if state.session is None or state.outcome is not None:
        return
    if not _distributing(config):
        return
    from .sessions import close_session

    state.outcome = close_session(state, state.session)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    state = terminalreporter.config.stash.get(RUN_STATE, None)
    if state is None:
        return
    if state.leaks:
        from .guard import describe

        for line in describe(state.leaks):
            terminalreporter.write_line(line, red=True, bold=True)
    if state.outcome is not None:
        terminalreporter.write_line(f"archsession: {state.outcome}")
    session = state.session
    code = (session.end_exit_code if session is not None else 0) or (
        state.worker_exit_code
    )
    if code:
        terminalreporter.write_line(f"archsession: end_exit_code is {code}")
