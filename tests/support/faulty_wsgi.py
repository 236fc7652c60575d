"""The test-only WSGI entry point: ``gunicorn tests.support.faulty_wsgi:app``.

It serves exactly what ``service.wsgi:app`` serves, built the same way in each worker, except
that its engine is ``FaultyEngine``, which a request may make fail for itself with
``X-Test-Fault`` (see ``fault_injection``), and that its answer cache is off: a cached answer
would never reach the engine.
"""

from service import create_app
from tests.support.fault_injection import FaultyEngine, armed_by_header

app = armed_by_header(create_app({"ANSWER_CACHE_SIZE": 0, "ENGINE_FACTORY": FaultyEngine}))
