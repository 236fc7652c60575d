"""CDS clients for tests: keys made here, tokens signed with them, a JWKS served over real HTTP.

``CdsClient`` holds an issuer and its key pairs (EC P-256 by default, RSA on request) and signs
CDS Hooks 2.0 tokens (``iss``, ``aud``, ``exp``, ``iat``, ``jti``: no ``sub``, which 2.0 does not
have) with any claims or header a test needs; ``unsigned_token`` writes what anyone can send
without a key; ``serving_jwks`` serves a JWK Set from a real HTTP server on a free port,
counting the fetches, so a key rotation can be shown.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://ehr.example/cds-client"


def new_key(kind: str = "EC"):
    """A fresh private key: EC P-256, RSA 2048, or RSA-1024 (too short to be trusted)."""
    if kind in ("RSA", "RSA-1024"):
        return rsa.generate_private_key(public_exponent=65537,
                                        key_size=1024 if kind == "RSA-1024" else 2048)
    return ec.generate_private_key(ec.SECP256R1())


def public_jwk(private_key, kid: str) -> dict:
    """The public half of ``private_key`` as a JWK with ``kid``."""
    algorithm = RSAAlgorithm if isinstance(private_key, rsa.RSAPrivateKey) else ECAlgorithm
    jwk = algorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "use": "sig"}


@dataclass
class CdsClient:
    """A CDS client: its issuer and its signing keys by kid."""

    iss: str = ISSUER
    keys: dict[str, object] = field(default_factory=lambda: {"key-1": new_key()})

    def jwks(self) -> dict:
        return {"keys": [public_jwk(key, kid) for kid, key in self.keys.items()]}

    def token(self, audience: str, *, kid: str | None = None, alg: str | None = None,
              headers: dict | None = None, **claims) -> str:
        """A signed token for ``audience``; ``claims`` replace or add (None removes one)."""
        kid = kid or next(iter(self.keys))
        key = self.keys[kid]
        now = int(time.time())
        payload = {"iss": self.iss, "aud": audience, "iat": now, "exp": now + 300,
                   "jti": uuid.uuid4().hex, **claims}
        payload = {name: value for name, value in payload.items() if value is not None}
        alg = alg or ("RS384" if isinstance(key, rsa.RSAPrivateKey) else "ES256")
        return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, **(headers or {})})


def unsigned_token(header: dict, payload: dict) -> str:
    """A JWT of any header and payload, even ones PyJWT would not write, with a bogus signature:
    what an attacker without a key can send."""
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(payload)}.c2lnbmF0dXJl"


class _JwksHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802  (http.server's name)
        self.server.fetches += 1
        body = json.dumps(self.server.jwks).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@contextlib.contextmanager
def serving_jwks(jwks: dict):
    """A real HTTP server answering ``jwks`` at any path; yields it (``.url``, ``.jwks`` to
    change what it serves, ``.fetches``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JwksHandler)
    server.jwks, server.fetches = jwks, 0
    server.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


#: The client the shared test servers trust (tests/security/conftest.py), keys inline, and the
#: public base URL those servers name as the audience of its tokens.
TRUSTED = CdsClient("https://trusted-ehr.example")
CDS_BASE_URL = "https://cds.test"


def clients_file(path, *entries: dict):
    """Write a ``CDS_HOOKS_CLIENTS`` file of ``entries``; answer its path as a string."""
    path.write_text(json.dumps({"clients": list(entries)}), encoding="utf-8")
    return str(path)
