"""What every entry point shares of HTTP, and no endpoint of its own.

Problem documents (``problems``), strict body parsing (``body``), the request schema
(``schemas``, ``fields``), the FHIR intake's translation to that request (``questionnaire``,
``questionnaire_response``), the response schema (``advice_schema``), asking the advisor
(``advising``), security headers, API keys (``auth``), CORS, the request's id, log line and
metrics (``hooks``, ``logs``, ``metrics``).
"""
