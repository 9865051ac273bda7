"""What the spellings of one word share, for the answer checks (questions/text.py) and the lexicon
(lexicon.py): letters folded to plain lower case, apostrophes and punctuation, parenthesised
asides. One copy here, so that an answer and the lexicon's terms are read alike.

The patterns are texts: re compiles each when first used and keeps it (a start asks its first card
without them; compiled at import, they cost every start; see tests/tui/test_start_imports.py).
"""

from __future__ import annotations

import unicodedata

# Letters that no accent stripping turns into plain ones.
_FOLD = str.maketrans({
    "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ø": "o", "Ø": "o",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th",
})
# Apostrophes vanish ("don't" → "dont"); any other run of punctuation splits words.
APOSTROPHES = r"['’‘`´]"
NON_WORD = r"[\W_]+"
# A parenthesised aside, "(G-med)"; its inside is group 1.
ASIDE = r"\(([^()]*)\)"
# The same with the space before it: what is cut to leave a name without its aside.
SPACED_ASIDE = r"\s*\([^()]*\)"


def folded(text: str) -> str:
    """The text in lower case without accents and with æ, ß, ø... spelt out: "Fasciæ Látæ" →
    "fasciae latae"."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
