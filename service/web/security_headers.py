"""The headers every answer of the service carries, whoever writes it: the application
(service/web/request_log.py) or the server itself (service/server/errors.py, for the requests
gunicorn refuses before the application sees them). A module of constants with no imports, so
the gunicorn master can load the worker class without importing the application (which
``create_app`` imports only when called, for the same reason)."""

#: The service serves no HTML but its pages, which set their own policy; for everything else
#: the content security policy allows nothing at all. The others stop MIME sniffing, framing
#: and referrer leaks.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"
