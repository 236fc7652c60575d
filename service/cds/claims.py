"""What a CDS client's token must hold: CDS Hooks 2.0 "Trusting CDS Clients", checked.

Read in the specification's text as HL7 publishes it (2.0.1: the HL7/cds-hooks repository,
input/pagecontent/index.md) and in its history (the cds-hooks/docs repository).

The JWT header names an ``alg`` and a ``kid``. The specification forbids ``none`` and every
symmetric algorithm ("JWTs SHALL NOT be signed using any symmetric algorithm"); ES, RS and PS
(256 to 512) are taken. The key ``kid`` names must fit the ``alg``: an EC key of the curve the
ES algorithm names, or an RSA key of 2048 bits or more (RFC 7518 3.3: "A key of size 2048 bits
or larger MUST be used with these algorithms"). Checked before PyJWT sees the key, since a key
of another family or curve made it raise TypeError or InvalidKeyError (a 500) on tokens that
nobody had signed.

The payload's claims are those of the specification's table: ``iss``, ``aud``, ``exp``, ``iat``
and ``jti`` REQUIRED, ``tenant`` OPTIONAL ("An opaque string"). ``sub`` is not in it: it was
REQUIRED, "Client_id of the EHR", in the May 2018 ballot of 1.0 only, and a comment on that
ballot had it removed before 1.0 was published. A ``sub`` is accepted when present, as any
non-empty string (RFC 7519 4.1.2 makes it a StringOrURI; the CDS Hooks sandbox sends its OAuth
client id there, not its ``iss``).

``exp`` and ``iat`` are "*number*" in that table: a string such as ``"4102444800"``, which
PyJWT would read as a time, or a non-finite number is refused. The specification sets no
longest lifetime (a first draft of its security section, in July 2017, said ``exp`` "MUST be no
more than five minutes in the future"; it was gone a month later, and neither 1.0 nor 2.0 has
it). But a token's id must be remembered as long as the token lives, so ``exp - iat`` may be at
most ``CDS_HOOKS_MAX_TOKEN_LIFETIME_S`` (300 s by default, the lifetime the sandbox gives its
tokens); ``exp`` 100 years ahead or ``1e308`` is refused.
"""

import math
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.exceptions import InvalidJTIError, InvalidSubjectError

CURVES = {"ES256": "secp256r1", "ES384": "secp384r1", "ES512": "secp521r1"}
ALGORITHMS = frozenset((*CURVES, *(f"{family}{bits}" for family in ("RS", "PS")
                                   for bits in (256, 384, 512))))
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "jti")
SKEW_S = 60  # clocks of client and service may differ this much
MIN_RSA_BITS = 2048


class Untrusted(Exception):
    """A token that fails a rule; the message says which (never the token)."""


def algorithm(header: dict[str, Any]) -> str:
    """The header's ``alg``, if it is one of :data:`ALGORITHMS`."""
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALGORITHMS:  # a list or an object too
        raise Untrusted("alg must be one of " + ", ".join(sorted(ALGORITHMS)))
    return alg


def check_key_fits(alg: str, key: object) -> None:
    """Refuse a key (a ``cryptography`` public key) that cannot verify ``alg``."""
    if alg in CURVES:
        fits = isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == CURVES[alg]
    else:
        fits = isinstance(key, rsa.RSAPublicKey) and key.key_size >= MIN_RSA_BITS
    if not fits:
        raise Untrusted(f"kid names a key that cannot verify {alg}")


def check_times_are_numbers(claims: dict[str, Any]) -> None:
    """``exp``, ``iat`` and ``nbf``, where present, must be finite JSON numbers."""
    for claim in ("exp", "iat", "nbf"):
        if claim in claims and not _finite_number(claims[claim]):
            raise Untrusted(f"{claim} must be a number of seconds")


def _finite_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False  # JSON true is a bool, which Python counts as an int
    return isinstance(value, int) or math.isfinite(value)  # Python's json reads NaN, Infinity


def decode(token: str, key: Any, alg: str, audience: str, iss: str,
           unverified: dict[str, Any]) -> dict[str, Any]:
    """The claims, once PyJWT has checked signature, audience, issuer, times and the required
    claims; ``unverified`` names which time was wrong."""
    try:
        return jwt.decode(token, key, algorithms=[alg], audience=audience, issuer=iss,
                          leeway=SKEW_S, options={"require": list(REQUIRED_CLAIMS)})
    except jwt.ExpiredSignatureError:
        raise Untrusted("the token has expired") from None
    except jwt.ImmatureSignatureError:
        raise not_yet_valid(unverified) from None
    except jwt.InvalidAudienceError:
        raise Untrusted(f"aud must be {audience}") from None
    except jwt.MissingRequiredClaimError as error:
        raise Untrusted(f"the token has no {error.claim}") from None
    except jwt.InvalidSignatureError:
        raise Untrusted("the signature does not verify") from None
    except (InvalidSubjectError, InvalidJTIError) as error:
        claim = "sub" if isinstance(error, InvalidSubjectError) else "jti"
        raise Untrusted(f"{claim} must be a non-empty string") from None
    except (jwt.PyJWTError, TypeError, ValueError):  # whatever else a token holds: a 401
        raise Untrusted("the token is not valid") from None


def check_claims(claims: dict[str, Any], max_lifetime_s: float) -> None:
    """After PyJWT's checks: the lifetime, and the string claims of the specification."""
    if not 0 < claims["exp"] - claims["iat"] <= max_lifetime_s:
        raise Untrusted(f"exp must be after iat, by at most {max_lifetime_s:g} s")
    for claim in ("jti", "sub", "tenant"):
        if claim in claims and (not isinstance(claims[claim], str) or not claims[claim]):
            raise Untrusted(f"{claim} must be a non-empty string")


def not_yet_valid(claims: dict[str, Any]) -> Untrusted:
    """The refusal of a token PyJWT found not yet valid: which of ``iat`` and ``nbf`` is in the
    future (PyJWT raises one error for both, and says which only in its text)."""
    late: list[str] = [claim for claim in ("iat", "nbf")
                       if claim in claims and claims[claim] > time.time() + SKEW_S]
    if len(late) == 2:
        return Untrusted("iat and nbf are in the future")
    return Untrusted(f"{(late or ['iat or nbf'])[0]} is in the future")
