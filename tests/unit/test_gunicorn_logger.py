"""gunicorn's logger builds an access line only when a handler would write it
(service/server/logger.py).

gunicorn counts its access log as on whenever a logging config is given, as gunicorn.conf.py
gives one, and would build every request's line for a logger with no handler. The logger here
is made without ``setup``, which would apply a logging config to this test process; what it
reads is set by hand: the settings, and an access logger with no handler until a test adds one.
"""

import logging

import pytest
from gunicorn.config import Config

from service.server import Logger

LOGCONFIG = {"version": 1, "loggers": {"gunicorn.access": {"handlers": [], "propagate": False}}}


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def logger():
    cfg = Config()
    cfg.set("logconfig_dict", LOGCONFIG)
    made = Logger.__new__(Logger)  # no setup(): it would configure this process's logging
    made.cfg = cfg
    # A logger of its own, outside logging's registry: pytest gives registered ones handlers.
    made.access_log = logging.Logger("gunicorn.access", logging.INFO)
    made.access_log.propagate = False
    made.built = 0

    def atoms(*args):
        made.built += 1
        return {"m": "GET", "U": "/healthz", "s": "200"}

    made.atoms = atoms
    return made


def test_no_access_line_is_built_while_the_access_logger_has_no_handler(logger):
    assert not logger.access_log_enabled
    logger.access(None, None, {}, None)
    assert logger.built == 0


def test_an_access_line_is_built_and_written_once_a_handler_is_given(logger):
    recorder = Recorder()
    logger.access_log.addHandler(recorder)

    assert logger.access_log_enabled
    logger.access(None, None, {}, None)

    assert logger.built == 1
    assert len(recorder.records) == 1


def test_without_a_logging_config_or_access_log_gunicorn_itself_says_off(logger):
    logger.cfg = Config()
    logger.access_log.addHandler(Recorder())

    assert not logger.access_log_enabled
