"""The test-only WSGI entry point: ``gunicorn tests.faults.faulty_wsgi:app``.

It serves exactly what ``service.wsgi:app`` serves, built the same way in each worker, except
that a request may arm one fault for itself with ``X-Test-Fault`` (see ``injection``), and
that its answer cache is off: a cached answer would never reach the faulty engine.
"""

from service import create_app
from tests.faults.injection import install

app = install(create_app({"ANSWER_CACHE_SIZE": 0}))
