"""The user's own deck files: names to ids and file names, and the commented template of a new deck."""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

FALLBACK_ID = "my-deck"


def slug(name: str) -> str:
    """A deck id from a name: lower-case ASCII letters, digits and dashes ("Hüft Muskeln" → "huft-muskeln").

    A name with no Latin letters at all (say, in Greek or Chinese) gives "my-deck"; the name itself
    is kept as the deck's name.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or FALLBACK_ID


def toml_string(text: str) -> str:
    # A JSON string is also a valid TOML basic string (same escapes), and keeps any script as is.
    return json.dumps(text, ensure_ascii=False)


def write_text_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, flushed, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def template_deck(deck_id: str, name: str) -> str:
    """A new deck: one note of each type, two of them commented out, every key explained.

    The example facts are from the shipped decks (checked against the reference sheets), so the
    template is a valid deck that teaches nothing wrong before it is edited.
    """
    return f'''# A hipquiz deck. The format is described in decks/README.md of hipquiz; check this file
# with:  hipquiz validate {deck_id}.toml
# Progress belongs to a card, and a card's id is DECK_ID/NOTE_ID/TEMPLATE: you may reword a
# prompt or fix a typo freely, but changing a note's id (or the deck's id) starts it afresh.

[deck]
id = {toml_string(deck_id)}    # lower-case letters, digits and dashes; never change it
name = {toml_string(name)}
description = ""    # shown on the home screen under the deck list
source = ""         # where the content comes from (a book, a lecture, an article)

# A question and its answer. "reverse = true" also asks it the other way round.
[[notes]]
id = "most-anterior-gluteal"
type = "basic"
question = "Which is the most anterior muscle of the gluteal region?"
answer = "Tensor fasciae latae"
accept = ["TFL"]    # other answers a typed reply may match
source = "The TFL is the most anterior muscle of the gluteal region."    # shown with the answer
tags = ["example"]

# A muscle: hipquiz makes a card for each field you fill in (where is it? which muscle lies
# here? what does it do? ...). Remove the "# " in front of the lines to use it.
# [[notes]]
# id = "tfl"
# type = "muscle"
# name = "Tensor fasciae latae"
# aliases = ["TFL"]
# location = "Top, outside (anterolateral side) of the thigh"
# functions = ["Medial rotation of the hip", "Flexion of the hip"]
# source = "The TFL is found on the top, outside (anterolateral side) of your thigh."

# A list, asked as "select all that apply", or "put in order" with ordered = true.
# [[notes]]
# id = "gluteal-layers"
# type = "list"
# question = "The three gluteal layers, superficial to deep"
# items = ["Gluteus maximus", "Gluteus medius", "Gluteus minimus"]
# ordered = true
# source = "Three layers, superficial to deep: gluteus maximus, gluteus medius, gluteus minimus."
'''
