"""Logging of the service's own lines: ids, statuses and timings only, never symptom data."""

import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    """Send the ``service`` loggers' lines to stderr, once per process.

    Nothing else configures Python logging under gunicorn, so without this the per-request
    line would be dropped and errors printed unformatted. An existing handler (a test's, an
    embedding application's) is left alone.
    """
    logger = logging.getLogger("service")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
