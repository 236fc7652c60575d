"""Configuration defaults; the environment and create_app(config) override them."""

import os
from importlib import metadata
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "leg-cramps-advice"
#: The service's one version, pyproject.toml's: the package, openapi.yaml's ``info.version``, the
#: CapabilityStatement's ``software.version``, the Questionnaire with its terminology, and the
#: image tag of the manifests (tests/unit/test_version.py holds the files that cannot read it).
#: Major and minor are the contract's version (docs/api.md, "Versions").
VERSION = metadata.version(PACKAGE)


def env_list(name: str) -> tuple[str, ...]:
    """A comma-separated environment variable as its non-empty items, stripped; () if unset."""
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())


def defaults() -> dict:
    """The settings of a production process, read from the environment where it says so."""
    return {
        # A route answers exactly the methods it names; OPTIONS only where CORS needs it.
        "PROVIDE_AUTOMATIC_OPTIONS": False,
        "RULES_DIR": os.environ.get("RULES_DIR", str(PROJECT_ROOT / "rules")),
        "OPENAPI_PATH": os.environ.get("OPENAPI_PATH", str(PROJECT_ROOT / "openapi.yaml")),
        # Checked before parsing (service/http/body.py), for declared and chunked bodies alike.
        "MAX_BODY_BYTES": 64 * 1024,
        # Optional API keys (service/http/auth.py): none, the default, means /v1/ is open.
        "API_KEYS": env_list("SERVICE_API_KEYS"),
        # Exact origins a browser may call the API from (service/http/cors.py); none: no CORS.
        "CORS_ALLOWED_ORIGINS": env_list("CORS_ALLOWED_ORIGINS"),
        # CDS Hooks client authentication (service/cds/auth.py): a JSON file of trusted clients,
        # the public base URL the tokens' aud names, and "off" for local development only.
        "CDS_HOOKS_CLIENTS": os.environ.get("CDS_HOOKS_CLIENTS", ""),
        "CDS_HOOKS_BASE_URL": os.environ.get("CDS_HOOKS_BASE_URL", ""),
        "CDS_HOOKS_AUTH": os.environ.get("CDS_HOOKS_AUTH", "on"),
        # The public FHIR base (.../v1/fhir) the CapabilityStatement and search Bundles name;
        # by default the URL the request came to. Set it behind a proxy.
        "FHIR_BASE_URL": os.environ.get("FHIR_BASE_URL", ""),
        # An unknown kid refetches a client's keys at most this often (seconds).
        "CDS_HOOKS_KEY_COOLDOWN_S": float(os.environ.get("CDS_HOOKS_KEY_COOLDOWN_S", "30")),
        # The longest CDS client token accepted (exp - iat): its id is remembered that long.
        "CDS_HOOKS_MAX_TOKEN_LIFETIME_S": float(
            os.environ.get("CDS_HOOKS_MAX_TOKEN_LIFETIME_S", "300")),
        # Where the ids of used CDS client tokens are kept (service/cds/replay.py): a Redis URL
        # shared by every replica, or by default a SQLite file in CDS_HOOKS_REPLAY_DIR, the
        # directory gunicorn.conf.py makes for all the workers of one server.
        "CDS_HOOKS_REPLAY_STORE": os.environ.get("CDS_HOOKS_REPLAY_STORE", ""),
        "CDS_HOOKS_REPLAY_DIR": os.environ.get("CDS_HOOKS_REPLAY_DIR", ""),
        # Rendered answers kept per process (service/api/answer_cache.py); 0 turns it off.
        # An answer takes one entry under its profile and one under the exact body that asked
        # (both hold the same bytes). Measured before the second key: a worker grew about 40 MB
        # with 2,048 entries of mixed profiles (about 20 KB an entry, the answer's JSON and its
        # key), so 1,024 cost about 20 MB a worker; the second key only adds a digest.
        "ANSWER_CACHE_SIZE": int(os.environ.get("ANSWER_CACHE_SIZE", "1024")),
    }
