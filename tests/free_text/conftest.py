"""Fixtures of the free-text parser's tests: one parser for the session, as a worker builds one,
and the gold set's table printed in the terminal summary so `make test` shows it."""

import pytest

from tests.support.free_text import parser as build

_TABLE = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def parser():
    """The parser built from rules/free_text, once."""
    return build()


@pytest.fixture(scope="session")
def report_scores(pytestconfig):
    """``report_scores(table)``: the per-field table, printed after the tests run."""
    def report(table: str) -> None:
        pytestconfig.stash[_TABLE] = table
    return report


def pytest_terminal_summary(terminalreporter, config):
    table = config.stash.get(_TABLE, None)
    if table:
        terminalreporter.section("free-text parser on the gold set (tests/free_text)")
        for line in table.splitlines():
            terminalreporter.write_line(line)
