"""Snapshot tests at 80x24 (pytest-textual-snapshot). Regenerate with --snapshot-update, on the
pinned Python and Textual versions, and look at the SVGs before accepting them."""

from __future__ import annotations


def test_home(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_study_question(snap_compare, make_app):
    assert snap_compare(make_app(), press=["enter"], terminal_size=(80, 24))


def test_study_answer_revealed(snap_compare, make_app):
    assert snap_compare(make_app(), press=["enter", "space"], terminal_size=(80, 24))
