"""Configuration defaults; the environment and create_app(config) override them."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def defaults() -> dict:
    """The settings of a production process, read from the environment where it says so."""
    return {
        "RULES_DIR": os.environ.get("RULES_DIR", str(PROJECT_ROOT / "rules")),
        "OPENAPI_PATH": os.environ.get("OPENAPI_PATH", str(PROJECT_ROOT / "openapi.yaml")),
        # Checked before parsing (service/api/body.py), for declared and chunked bodies alike.
        "MAX_BODY_BYTES": 64 * 1024,
    }
