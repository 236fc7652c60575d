"""Words and punctuation of a text, with their character offsets in the text as sent.

Tokens are cut from the original string and only the token is lower-cased, so every span indexes
the request text exactly (lower-casing a whole text can change its length: ``"İ".lower()``).
"""

import re
from dataclasses import dataclass

# A word (letters or digits, with inner apostrophes: "don't", "cramp's") or one punctuation mark
# that matters to reading: sentence ends, list commas, brackets, hyphens of "non-smoker" and
# "2-3", slashes of "2-3x/week", and the plus of "statins + losartan".
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[.!?;,:()\-/+&\n]")
#: Marks that end a sentence: a cue's scope never crosses them.
SENTENCE_ENDS = frozenset({".", "!", "?", "\n"})


@dataclass(frozen=True, slots=True)
class Token:
    """One word or mark: ``norm`` is its lower-case form with a typographic apostrophe made
    plain; ``start``/``end`` index the text."""

    norm: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.norm[0].isalnum()


def tokenize(text: str) -> tuple[Token, ...]:
    """The text's tokens in order."""
    return tuple(Token(m.group().lower().replace("\u2019", "'"), m.start(), m.end())
                 for m in _TOKEN.finditer(text))


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase as the token sequence it matches (a lone ``*`` stands for any one word)."""
    parts: list[str] = []
    for chunk in phrase.split():
        parts.extend(["*"] if chunk == "*" else [token.norm for token in tokenize(chunk)])
    return tuple(parts)
