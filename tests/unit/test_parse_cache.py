"""Decks and the lexicon are parsed once and kept (hipquiz/core/parse_cache.py): never stale, and a
damaged or foreign cache is ignored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hipquiz.core import decks, parse_cache
from hipquiz.core.decks import load_deck
from hipquiz.core.lexicon import Lexicon

DECK = """\
[deck]
id = "mine"
name = "Mine"

[[notes]]
id = "femur"
type = "basic"
question = "What is the thigh bone called?"
answer = "{answer}"
source = "your thigh bone (femur bone)"
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HIPQUIZ_CACHE", str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch) -> list[Path]:
    """The deck files actually parsed (not served from the cache)."""
    seen: list[Path] = []
    parse = decks.parse_deck

    def counting(text, path):
        seen.append(path)
        return parse(text, path)

    monkeypatch.setattr(decks, "parse_deck", counting)
    return seen


def answer_of(path: Path) -> str:
    return load_deck(path).cards[0].answer


def test_an_unchanged_deck_is_parsed_once(tmp_path, cache, parses):
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    first = load_deck(path)
    again = load_deck(path)
    assert parses == [path]
    assert again == first and again.cards[0].note == first.cards[0].note and again.path == path


def test_an_edited_deck_is_seen_at_once_even_with_the_same_size_and_time(tmp_path, cache, parses):
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    assert answer_of(path) == "Femur"
    stat = path.stat()
    path.write_text(DECK.format(answer="Fibia"), encoding="utf-8")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert answer_of(path) == "Fibia"
    assert len(parses) == 2


def test_a_deck_with_problems_is_reported_every_time(tmp_path, cache):
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur").replace('type = "basic"', 'type = "basik"'), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(decks.DeckError, match="basik"):
            load_deck(path)


def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(tmp_path, cache, parses):
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    load_deck(path)
    (entry,) = cache.glob("deck-*")
    for damage in (b"", b"not a pickle", entry.read_bytes()[:40], b"\x80\x05N."):  # empty, junk, cut, None
        entry.write_bytes(damage)
        assert answer_of(path) == "Femur"
    assert len(parses) == 5
    assert answer_of(path) == "Femur" and len(parses) == 5  # replaced by a good entry


def test_an_entry_others_could_have_written_is_not_read(tmp_path, cache, parses):
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    load_deck(path)
    (entry,) = cache.glob("deck-*")
    entry.chmod(0o666)
    assert answer_of(path) == "Femur" and len(parses) == 2
    (entry,) = cache.glob("deck-*")  # written again, privately
    assert entry.stat().st_mode & 0o077 == 0
    target = tmp_path / "elsewhere.pickle"
    target.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(target)  # a link, even to a good entry, is not followed
    assert answer_of(path) == "Femur" and len(parses) == 3
    entry.unlink()
    os.mkfifo(entry)  # nor is a FIFO waited on
    assert answer_of(path) == "Femur" and len(parses) == 4


def test_another_path_or_other_code_is_never_served_an_entry(tmp_path, cache, parses, monkeypatch):
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    two.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    assert load_deck(one).path == one and load_deck(two).path == two
    monkeypatch.setattr(parse_cache, "code_stamp", lambda: "another hipquiz")
    load_deck(one)
    assert parses == [one, two, one]


def test_a_cache_that_cannot_be_written_costs_only_a_parse(tmp_path, monkeypatch, parses):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setenv("HIPQUIZ_CACHE", str(blocked / "cache"))
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    assert answer_of(path) == "Femur" and answer_of(path) == "Femur"
    monkeypatch.setenv("HIPQUIZ_CACHE", "")  # off
    assert answer_of(path) == "Femur"
    assert len(parses) == 3


def test_the_shipped_lexicon_is_the_same_from_the_cache(cache):
    fresh = Lexicon.load()
    assert list(cache.glob("lexicon-*"))
    kept = Lexicon.load()
    assert [t for t in kept] == [t for t in fresh] and kept.abbreviations == fresh.abbreviations
    assert kept.match("obt int") == fresh.match("obt int") is not None


# An entry as hipquiz named them before entries were named by crc32: blake2b, 20 hex digits.
FORMER_ENTRY = "deck-59930aab58d4ca77adb2.pickle"


def test_entries_named_as_earlier_versions_named_them_are_removed_when_an_entry_is_written(tmp_path, cache):
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    cache.mkdir()
    (cache / FORMER_ENTRY).write_bytes(b"an entry no version reads again")
    # Whatever else is in the folder is not hipquiz's to remove, nor is anything outside it.
    others = ["notes.txt", "deck-mine.pickle", "deck-59930AAB58D4CA77ADB2.pickle", "deck-59930aab58d4ca77adb.pickle",
              "deck-59930aab58d4ca77adb2.pickle.bak", "lexiconx-59930aab58d4ca77adb2.pickle"]
    for name in others:
        (cache / name).write_text("keep me")
    (cache / "deck-0123456789abcdef0123.pickle").mkdir()  # a folder by a former entry's name
    outside = tmp_path / "deck-0123456789abcdef4567.pickle"
    outside.write_text("keep me")
    (cache / outside.name).symlink_to(outside)  # a link is removed, not what it points to
    assert answer_of(path) == "Femur"
    assert not (cache / FORMER_ENTRY).exists() and not (cache / outside.name).is_symlink()
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [*others, "deck-0123456789abcdef0123.pickle", *(p.name for p in cache.glob("deck-????????.pickle"))])
    assert len(list(cache.glob("deck-????????.pickle"))) == 1  # the entry written
    assert outside.read_text() == "keep me"


def test_a_cache_folder_that_cannot_be_written_keeps_its_entries_and_costs_only_a_parse(tmp_path, cache, parses,
                                                                                       monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text(DECK.format(answer="Femur"), encoding="utf-8")
    cache.mkdir()
    (cache / FORMER_ENTRY).write_bytes(b"an entry no version reads again")
    cache.chmod(0o500)

    def refused(*args, **kwargs):  # as the folder's mode does, even for root (who may write anyway)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(parse_cache.tempfile, "mkstemp", refused)
    try:
        assert answer_of(path) == "Femur" and answer_of(path) == "Femur"
    finally:
        cache.chmod(0o700)
    assert len(parses) == 2
    assert [p.name for p in cache.iterdir()] == [FORMER_ENTRY]
