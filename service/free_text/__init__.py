"""The free-text intake (contract 1.2, ``POST /v1/intake/parse``): a person's own words read into
a draft profile they confirm, never advice.

What: a small, pure-Python implementation of ConText (Harkema 2009, after NegEx, Chapman 2001)
over a lexicon kept as data beside the rules (``rules/free_text/lexicon.yaml`` and
``cues.yaml``), checked at load against the contract's vocabulary. ``build_parser`` compiles it
once per worker at start-up; the parser it returns is immutable, keeps nothing between calls
(no cache keyed by the text), so it is safe to share between gevent greenlets and its memory
stays flat however many texts it reads. It never logs the text.

Why not medspaCy, the reference implementation: measured on this machine it costs 110-120 MB
per worker, pins spaCy below 3.8, its sentence splitter is not thread-safe and writes the text's
words to stderr, and its import pulls in a GPL-licensed package; accuracy comes from the lexicon,
not the library (docs/free-text.md has the measurements).

The domain layer: imports the contract, the standard library and PyYAML only.
"""

from service.free_text.lexicon import LexiconError
from service.free_text.parser import ContextParser, build_parser

__all__ = ["ContextParser", "LexiconError", "build_parser"]
