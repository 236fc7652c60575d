"""Logging of the service's own lines: one JSON object per line, ids, statuses and timings only.

Two streams, both JSON lines, so that a log collector can parse every line the service writes:

* stdout: the one line of each request (logger ``service.access``, written by
  service/web/request_log.py): ``time``, ``request_id``, ``method``, ``route``, ``status``,
  ``duration_ms``, ``urgency`` when advised, ``worker``. hooks.py builds that object itself,
  since it is data with a fixed set of keys, not a message; it goes out bare.
* stderr: every other line (errors, start-up, CDS feedback counts), and gunicorn's own lines
  too (gunicorn.conf.py's ``logconfig_dict`` uses the same formatter): ``time``, ``level``,
  ``logger``, ``message``, ``pid`` (of the worker, or of the master), and ``exc_info`` when an
  exception is logged.

Never symptom data: messages name ids, counts and classes only; a test reads every line a run
with symptom values writes for them.
"""

import logging
import sys
from datetime import datetime, timezone
from typing import Any

from pythonjsonlogger.json import JsonFormatter

ACCESS_LOGGER = "service.access"


class JsonLines(JsonFormatter):
    """python-json-logger's formatter, with the keys of this service's stderr lines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s %(process)d",
            rename_fields={"levelname": "level", "name": "logger", "process": "pid"},
        )

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord,
                   message_dict: dict[str, Any]) -> None:
        # The same form of time as the access lines, and first, as there.
        log_data["time"] = datetime.fromtimestamp(record.created, timezone.utc).isoformat(
            timespec="milliseconds")
        super().add_fields(log_data, record, message_dict)


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
        errors.setFormatter(JsonLines())
        errors.addFilter(_is_not_access)
        access = logging.StreamHandler(sys.stdout)
        access.setFormatter(logging.Formatter("%(message)s"))
        access.addFilter(_is_access)
        logger.addHandler(errors)
        logger.addHandler(access)
