"""Load tests report their memory and throughput figures at the end of the run, unasserted.

The machine is shared and noisy: a figure that varies twofold between identical runs would make
a flaky test, yet it is worth seeing in every ``make test``. ``report_figure`` collects a line;
the terminal summary prints them all.
"""

import pytest

_FIGURES = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def report_figure(pytestconfig):
    """``report_figure("...")``: a line printed in the summary, not an assertion."""
    figures = pytestconfig.stash.setdefault(_FIGURES, [])
    return figures.append


def pytest_terminal_summary(terminalreporter, config):
    figures = config.stash.get(_FIGURES, [])
    if figures:
        terminalreporter.section("load figures (reported, not asserted)")
        for line in figures:
            terminalreporter.write_line(line)
