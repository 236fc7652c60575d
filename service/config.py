"""Configuration defaults; the environment and create_app(config) override them. And the
service's public URL (:func:`public_base_url`), checked before anything is served."""

import ipaddress
import logging
import os
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "leg-cramps-advice"
#: The service's one version, pyproject.toml's: the package, openapi.yaml's ``info.version``, the
#: CapabilityStatement's ``software.version``, the Questionnaire with its terminology, and the
#: image tag of the manifests (a test holds the files that cannot read it to this).
#: Major and minor are the contract's version (docs/api.md, "Versions").
VERSION = metadata.version(PACKAGE)


class ConfigurationError(ValueError):
    """A setting the service cannot start with; the message names it and says what to set."""


def env_list(name: str) -> tuple[str, ...]:
    """A comma-separated environment variable as its non-empty items, stripped; () if unset."""
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())


def defaults() -> dict[str, Any]:
    """The settings of a production process, read from the environment where it says so."""
    return {
        # A route answers exactly the methods it names; OPTIONS only where CORS needs it.
        "PROVIDE_AUTOMATIC_OPTIONS": False,
        "RULES_DIR": os.environ.get("RULES_DIR", str(PROJECT_ROOT / "rules")),
        "OPENAPI_PATH": os.environ.get("OPENAPI_PATH", str(PROJECT_ROOT / "openapi.yaml")),
        # Checked before parsing (service/web/body.py), for declared and chunked bodies alike.
        "MAX_BODY_BYTES": 64 * 1024,
        # Optional API keys (service/web/auth.py): none, the default, means /v1/ is open.
        "API_KEYS": env_list("SERVICE_API_KEYS"),
        # Exact origins a browser may call the API from (service/web/cors.py); none: no CORS.
        "CORS_ALLOWED_ORIGINS": env_list("CORS_ALLOWED_ORIGINS"),
        # CDS Hooks client authentication (service/cds/auth.py): a JSON file of trusted clients,
        # and "off" for local development only. Their tokens' aud names PUBLIC_BASE_URL.
        "CDS_HOOKS_CLIENTS": os.environ.get("CDS_HOOKS_CLIENTS", ""),
        # The service's public URL (public_base_url below); the other two are deprecated names.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        "CDS_HOOKS_BASE_URL": os.environ.get("CDS_HOOKS_BASE_URL", ""),
        "CDS_HOOKS_AUTH": os.environ.get("CDS_HOOKS_AUTH", "on"),
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
        # (both hold the same bytes). An entry costs about 20 KB (a worker grew 40 MB with 2,048
        # answers of mixed profiles), so 1,024 cost about 20 MB a worker; the exact body's key
        # adds only a digest.
        "ANSWER_CACHE_SIZE": int(os.environ.get("ANSWER_CACHE_SIZE", "1024")),
    }


FHIR_PATH = "/v1/fhir"
#: The setting, then its deprecated names, each with what follows the public URL in its value.
PUBLIC_URL_SETTINGS = (("PUBLIC_BASE_URL", ""), ("CDS_HOOKS_BASE_URL", ""),
                       ("FHIR_BASE_URL", FHIR_PATH))


def public_base_url(settings: Mapping[str, Any]) -> str | None:
    """The service's own public URL, checked, without its trailing slash; None when unset.

    A client chooses the ``Host`` it sends, so no absolute URL is ever built from it (a token
    minted for another vendor's URL, sent with that ``Host``, passed the audience check, and the
    ``Host`` reached card links and FHIR Bundles). This is the one source instead: the audience
    of CDS client tokens, the cards' links, the FHIR base. It must be an absolute ``https`` URL
    (a path prefix allowed) with no query, fragment or credentials; ``http`` only for a loopback
    host. ``CDS_HOOKS_BASE_URL`` (the same) and ``FHIR_BASE_URL`` (the same plus ``/v1/fhir``)
    are still read, deprecated since 1.1: a warning says so, and values that disagree stop the
    start.
    """
    found = {}
    for name, suffix in PUBLIC_URL_SETTINGS:
        value = str(settings.get(name) or "").strip().rstrip("/")
        if not value:
            continue
        if not value.endswith(suffix):
            raise ConfigurationError(f"{name} must end with {suffix}; better, set "
                                     "PUBLIC_BASE_URL to the service's URL without it")
        if suffix or name != "PUBLIC_BASE_URL":
            log.warning("%s is deprecated: set PUBLIC_BASE_URL instead", name)
        found[name] = value.removesuffix(suffix) if suffix else value
    if len(set(found.values())) > 1:
        raise ConfigurationError(f"{' and '.join(found)} name different public URLs: set "
                                 "PUBLIC_BASE_URL alone")
    return _checked(next(iter(found.values()))) if found else None


def _checked(url: str) -> str:
    parts = urlsplit(url)
    problem = None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        problem = "must be an absolute http(s) URL"
    elif parts.query or parts.fragment or parts.username or parts.password:
        problem = "must have no query, fragment or credentials"
    elif parts.scheme == "http" and not _is_loopback(parts.hostname):
        problem = "must use https (http only for localhost)"
    if problem:
        raise ConfigurationError(f"PUBLIC_BASE_URL {problem}: the URL clients reach the "
                                 "service at, such as https://advice.example.org")
    return url


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
