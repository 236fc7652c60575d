"""gunicorn's logger, less the access lines nothing would write."""

from gunicorn import glogging


class Logger(glogging.Logger):
    """gunicorn's logger, which builds an access line only when a handler would write it.

    gunicorn counts its access log as on whenever a logging config is given, as gunicorn.conf.py
    gives one for its JSON lines, and then builds every request's line (its atoms, the time, the
    headers) for a logger with no handler: 8 % of a ``/healthz``, measured with py-spy. The
    service writes its own access line; gunicorn's is on only when an operator gives it a
    handler (``--access-logfile``, syslog, or a logging config that does).
    """

    @property
    def access_log_enabled(self) -> bool:
        return super().access_log_enabled and self.access_log.hasHandlers()
