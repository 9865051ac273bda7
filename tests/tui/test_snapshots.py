"""Snapshot tests at 80x24 (pytest-textual-snapshot). Regenerate with --snapshot-update, on the
pinned Python and Textual versions, and look at the SVGs before accepting them."""

from __future__ import annotations


def test_home(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_study_question(snap_compare, make_app):
    assert snap_compare(make_app(), press=["enter"], terminal_size=(80, 24))


def test_study_answer_revealed(snap_compare, make_app):
    assert snap_compare(make_app(), press=["enter", "space"], terminal_size=(80, 24))


def test_study_choice_answered_wrong(snap_compare, make_types_app):
    """A multiple-choice question answered wrongly: the marks, the verdict and the suggested rating."""

    async def answer_wrong(pilot):
        await pilot.press("enter")
        await pilot.pause()
        question = pilot.app.screen.question
        wrong = next(i for i in range(len(question.options)) if i != question.answer_indices[0])
        await pilot.press(str(wrong + 1))
        await pilot.pause()

    assert snap_compare(make_types_app("choice"), run_before=answer_wrong, terminal_size=(80, 24))


def _stats_app(tmp_path, settings, clock):
    from hipquiz.core.decks import DeckLibrary, load_deck
    from hipquiz.core.scheduler import Scheduler
    from hipquiz.core.store import Store, write_store
    from hipquiz.tui.app import HipquizApp
    from tui_support import START, STATS_DECK, collection_of, studied_history

    path = tmp_path / "stats.toml"
    path.write_text(STATS_DECK, encoding="utf-8")
    library = DeckLibrary([load_deck(path)], [])
    states, pairs = studied_history(library.decks[0], Scheduler(settings), START, 400)
    write_store(tmp_path / "studied", states.values(), pairs, durable=False)
    store = Store.open(tmp_path / "studied", now=clock)
    return HipquizApp(collection=collection_of(library, store, clock, {"settings": settings})), store


def test_stats_full_80x24(snap_compare, tmp_path, settings, clock):
    app, store = _stats_app(tmp_path, settings, clock)
    with store:
        assert snap_compare(app, press=["s"], terminal_size=(80, 24))


def test_stats_full_40x12(snap_compare, tmp_path, settings, clock):
    app, store = _stats_app(tmp_path, settings, clock)
    with store:
        assert snap_compare(app, press=["s"], terminal_size=(40, 12))


CLINICAL_DECK = '''
[deck]
id = "clinic"
name = "Clinical reasoning"

[sources]
wiki-trendelenburg = "Wikipedia, Trendelenburg's sign: https://en.wikipedia.org/wiki/Trendelenburg%27s_sign"

[[notes]]
id = "trendelenburg-side"
type = "basic"
source = "wiki-trendelenburg"
question = "In a positive Trendelenburg sign the pelvis drops on the unsupported side. On which side are the weak hip abductors?"
answer = "the stance side: the leg stood on"
accept = ["stance side", "the stance side"]
distractors = ["the side that drops", "both sides", "the side of the leg swung forward"]
caveat = "Standing on the right leg with the left side of the pelvis dropping is a positive right Trendelenburg sign: the right abductors, or the right superior gluteal nerve, are at fault."
'''


def test_clinical_card_answered_shows_the_work_cited(snap_compare, tmp_path, store, settings, clock):
    """A clinical card (as the textbook deck has it), answered right as a choice question: the
    answer, the cited work (not a quote, not a section name) and the caveat."""
    from hipquiz.core.decks import DeckLibrary, load_deck
    from hipquiz.tui.app import HipquizApp
    from tui_support import Picking, collection_of

    path = tmp_path / "clinic.toml"
    path.write_text(CLINICAL_DECK, encoding="utf-8")
    store.set_setting("mode", "choice")
    app = HipquizApp(collection=collection_of(DeckLibrary([load_deck(path)], []), store, clock,
                                              {"settings": settings}), rng=Picking("choice", 4))

    async def answer_right(pilot):
        await pilot.press("enter")
        await pilot.pause()
        question = pilot.app.screen.question
        await pilot.press(str(question.answer_indices[0] + 1))
        await pilot.pause()

    assert snap_compare(app, run_before=answer_right, terminal_size=(80, 24))


def test_card_browser_80x24(snap_compare, make_types_app):
    assert snap_compare(make_types_app("flip"), press=["c"], terminal_size=(80, 24))


def test_card_browser_40x12(snap_compare, make_types_app):
    assert snap_compare(make_types_app("flip"), press=["c"], terminal_size=(40, 12))
