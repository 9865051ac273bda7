"""Notes added and edited from the app: comments, layout and other keys kept; nothing written that
would not load."""

from __future__ import annotations

import pytest

from hipquiz.core.decks import load_deck
from hipquiz.core.note_edit import NoteDraft, NoteEditError, add_note, update_note

DECK = """\
# Keep me.
[deck]
id = "mine"
name = "Mine"

[[notes]]
id = "tfl"
type = "muscle"
name = "tensor fasciae latae"
aliases = ["TFL"]   # an alias the editor does not show
location = "top, outside (anterolateral side) of the thigh"
source = "article"
"""


def test_an_edit_keeps_comments_and_keys_the_editor_does_not_show(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(DECK, encoding="utf-8")
    draft = NoteDraft.of(load_deck(path).note("tfl"))
    draft.values["location"] = "front and outside of the upper thigh"
    update_note(path, "tfl", draft)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Keep me.\n") and '# an alias the editor does not show' in text
    note = load_deck(path).note("tfl")
    assert note.items("aliases") == ("TFL",) and note.text("location") == "front and outside of the upper thigh"


def test_a_note_that_would_not_load_leaves_the_file_alone(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(DECK, encoding="utf-8")
    with pytest.raises(NoteEditError, match="'items' lists 'a' twice"):
        add_note(path, NoteDraft("list", {"question": "Which?", "items": ["a", "a"]}))
    with pytest.raises(NoteEditError, match="fill in the name"):
        add_note(path, NoteDraft("muscle", {"location": "somewhere"}))
    assert path.read_text(encoding="utf-8") == DECK


def test_added_notes_get_readable_unique_ids(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(DECK, encoding="utf-8")
    _, first = add_note(path, NoteDraft("basic", {"question": "Wo liegt der TFL?", "answer": "oben außen"}))
    _, second = add_note(path, NoteDraft("basic", {"question": "Wo liegt der TFL?", "answer": "anders"}))
    assert (first, second) == ("wo-liegt-der-tfl", "wo-liegt-der-tfl-2")
    assert load_deck(path).note(first).text("answer") == "oben außen"
