"""The Flask plumbing every entry point shares, and no endpoint of its own.

Problem documents (``problems``), reading a body within bounds (``body``), FHIR media types
(``fhir_media``), API keys (``auth``), CORS, security headers, the request's id and log line
(``request_log``, ``logs``), metrics (``metrics``, ``metrics_files``, ``metrics_fold``), asking
the advisor (``answering``) and the typed wiring of an app's parts (``wiring``).
"""
