# syntax=docker/dockerfile:1
# The leg-cramp advice service, tagged with pyproject.toml's version (docs/operations.md):
# Build: docker build -t leg-cramps-advice:<version> .
# Run:   docker run --read-only -p 8000:8000 leg-cramps-advice:<version>

# --- Build stage: the wheels of the project and of every dependency the lock pins -----------------
# durable-rules ships as source only and compiles C, hence the compiler here and only here. It is
# built from PyPI's hash-checked source with the service's patches (third_party/durable-rules/
# README.md), the same build `make` installs, with the setuptools of requirements/tools.txt.
# Every other dependency is PyPI's own wheel of exactly the version requirements/runtime.txt
# pins, checked against its hashes (docs/development.md, "Dependencies").
FROM python:3.13-slim-bookworm AS build

RUN apt-get update \
    && apt-get install --yes --no-install-recommends build-essential=12.9 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY requirements/ ./requirements/
RUN pip install --no-cache-dir --require-hashes --requirement requirements/tools.txt
COPY tools/durable_rules_wheel.py ./tools/
COPY third_party/durable-rules ./third_party/durable-rules
RUN python tools/durable_rules_wheel.py /wheels \
    && pip download --no-cache-dir --require-hashes --no-deps --only-binary :all: \
        --dest /wheels --requirement requirements/runtime.txt
COPY pyproject.toml README.md LICENSE ./
COPY service ./service
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

# --- Runtime stage: no compiler, no build files, a non-root user --------------------------------
FROM python:3.13-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000 \
    WEB_CONCURRENCY=2 \
    RULES_DIR=/app/rules \
    OPENAPI_PATH=/app/openapi.yaml

# The wheels and the lock are mounted for this one step, so they never become a layer of the
# image. The patched durable-rules goes first (the lock leaves it out), then the lock's wheels,
# checked against its hashes once more, then the project without dependencies; pip check proves
# the set complete.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    --mount=type=bind,from=build,source=/src/requirements,target=/requirements \
    pip install --no-cache-dir --no-index --no-deps /wheels/durable_rules-*.whl \
    && pip install --no-cache-dir --no-index --find-links /wheels --require-hashes \
        --requirement /requirements/runtime.txt \
    && pip install --no-cache-dir --no-index --no-deps /wheels/leg_cramps_advice-*.whl \
    && pip check \
    && groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin app

WORKDIR /app
# The knowledge base (rule files and the document they quote), the spec and the server settings,
# each named: nothing else of the build context reaches the image. Owned by root, read-only for
# the service user.
COPY rules/ /app/rules/
COPY openapi.yaml gunicorn.conf.py /app/

# Numeric, so an orchestrator can verify that the user is not root (runAsNonRoot).
USER 10001:10001
EXPOSE 8000

# No curl in the slim image: Python's urllib asks /healthz (an HTTP error status raises, exit 1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', timeout=4)"]

CMD ["gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app"]
