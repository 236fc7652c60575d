"""Logging of the service's own lines: ids, statuses and timings only, never symptom data.

Two streams: the one JSON line of each request (logger ``service.access``, written by
service/http/hooks.py) goes to stdout, bare, so that a log collector can parse every line of
stdout as JSON; every other line of the service (errors, start-up, CDS feedback counts) goes to
stderr, prefixed with its time, level and logger.
"""

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
ACCESS_LOGGER = "service.access"


def _is_access(record: logging.LogRecord) -> bool:
    return record.name == ACCESS_LOGGER


def _is_not_access(record: logging.LogRecord) -> bool:
    return record.name != ACCESS_LOGGER


def configure_logging(level: int = logging.INFO) -> None:
    """Give the ``service`` loggers their two handlers, stdout and stderr, once per process.

    Nothing else configures Python logging under gunicorn, so without this the per-request
    line would be dropped and errors printed unformatted. Existing handlers (a test's, an
    embedding application's) are left alone. Records still propagate to the root logger, which
    has no handler under gunicorn.
    """
    logger = logging.getLogger("service")
    logger.setLevel(level)
    if not logger.handlers:
        errors = logging.StreamHandler(sys.stderr)
        errors.setFormatter(logging.Formatter(FORMAT))
        errors.addFilter(_is_not_access)
        access = logging.StreamHandler(sys.stdout)
        access.setFormatter(logging.Formatter("%(message)s"))
        access.addFilter(_is_access)
        logger.addHandler(errors)
        logger.addHandler(access)
