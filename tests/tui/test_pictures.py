"""Picture questions on the study screen: "where is it?" answered by a number key and by a click,
"which muscle is lit?", a location answer shown lit, and the words fallback on a small terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from hipquiz.core.decks import DeckLibrary, load_deck
from hipquiz.core.questions.where import TOO_SMALL
from hipquiz.tui.widgets import AnswerList, CardView, DrawingView, RatingBar

from tui_support import Picking, collection_of, saved, shown_options

# The deep rotators, each with a card asking where it lies (locations from the anatomy reference).
DECK = '''
[deck]
id = "deep"
name = "Deep rotators"
description = "Where the deep rotators lie."
source = "Anatomy reference"

[[notes]]
id = "gemellus-inferior"
type = "muscle"
source = "Anatomy reference §8"
name = "gemellus inferior"
location = "just below the obturator internus tendon, whose lower edge it joins"
cards = ["location"]

[[notes]]
id = "gemellus-superior"
type = "muscle"
source = "Anatomy reference §7"
name = "gemellus superior"
location = "just above the obturator internus tendon, whose upper edge it joins"
cards = ["location"]

[[notes]]
id = "quadratus-femoris"
type = "muscle"
source = "Anatomy reference §6"
name = "quadratus femoris"
location = "the most inferior of the deep six"
cards = ["name-from-location"]

[[notes]]
id = "obturator-internus"
type = "muscle"
source = "Anatomy reference §9"
name = "obturator internus"
location = "between the two gemelli, its tendon leaving the pelvis through the lesser sciatic foramen"
cards = ["location"]

[[notes]]
id = "piriformis"
type = "muscle"
source = "Anatomy reference §5"
name = "piriformis"
location = "the most superior of the deep six"
cards = ["location"]
'''

_OI_NOTE = DECK[DECK.index('[[notes]]\nid = "obturator-internus"'):DECK.index('[[notes]]\nid = "piriformis"')]
# The obturator internus first: every other location names it, so no fair multiple choice asks
# where it lies and it is asked in words as a flip card (the gemelli's places are fair choices).
OI_FIRST = DECK.replace(_OI_NOTE, "").replace("[[notes]]", _OI_NOTE + "[[notes]]", 1)


@pytest.fixture
def make_deep_app(tmp_path: Path, store, settings, clock):
    from hipquiz.tui.app import HipquizApp

    def make(mode: str = "where", kind: str = "", deck: str = DECK) -> HipquizApp:
        path = tmp_path / "deep.toml"
        path.write_text(deck, encoding="utf-8")
        library = DeckLibrary([load_deck(path)], [])
        store.set_setting("mode", mode)
        kwargs = {"settings": settings}
        return HipquizApp(collection=collection_of(library, store, clock, kwargs), rng=Picking(kind, 3))

    return make


async def start(pilot):
    await pilot.press("enter")
    await pilot.pause()
    return pilot.app.screen


def verdict(screen) -> str:
    return str(screen.query_one(".verdict", Static).content)


def reviews_of(data_dir, store) -> list[tuple[str, int, str]]:
    with saved(data_dir, store) as reopened:
        return [(r.card_id, r.rating, r.question_type) for r in reopened.reviews()]


def number_of(question, name: str) -> int:
    return question.options.index(name) + 1


async def test_where_is_it_right_by_key_then_wrong_by_click(make_deep_app, store, data_dir):
    app = make_deep_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        question = screen.question
        first = question.card.id
        assert question.kind == "where"
        assert question.prompt == f"Which number is the {question.card.note.name}?"
        drawing = screen.query_one(DrawingView)
        assert drawing.display and drawing.fits and app.focused is drawing
        # The names are the answer: hidden until it is checked.
        assert not screen.query_one(AnswerList).display
        right = question.answer_indices[0] + 1
        await pilot.press(str(right))
        await pilot.pause()
        assert verdict(screen) == f"✓ Right — {right}: {question.options[right - 1]}"
        # What each number was, the answer marked.
        options = shown_options(screen)
        assert options[right - 1].line == f"✓ {right} {question.options[right - 1]} — your choice"
        assert len(options) == len(question.options)
        assert drawing.picture.lit == question.figure.labels[right - 1][0]
        await pilot.press("enter")
        await pilot.pause()

        question = screen.question
        second = question.card.id
        assert question.kind == "where" and second != first
        answer = question.answer_indices[0]
        wrong = next(i for i in range(len(question.options)) if i != answer)
        wrong_term = question.figure.labels[wrong][0]
        drawing = screen.query_one(DrawingView)
        # Click the middle of the wrong region's number, where the user sees it.
        (col, row), *_ = sorted(pos for pos, text in drawing.picture.labels.items()
                                if text == str(wrong + 1))
        left, top = drawing._offsets()
        await pilot.click(DrawingView, offset=(left + col, top + row))
        await pilot.pause()
        assert verdict(screen) == (f"✗ Wrong — you chose {wrong + 1}: {question.options[wrong]}\n"
                                   f"The answer is {answer + 1}: {question.options[answer]}")
        options = shown_options(screen)
        assert options[wrong].line == f"✗ {wrong + 1} {question.options[wrong]} — your choice"
        assert options[answer].line == f"✓ {answer + 1} {question.options[answer]} — the answer"
        assert wrong_term != drawing.picture.lit
        assert screen.suggested == 1
        await pilot.press("enter")
        await pilot.pause()
    # A first right answer picked from what is shown earns Good, not Easy (recognition, not recall).
    assert reviews_of(data_dir, store) == [(first, 3, "where"), (second, 1, "where")]


async def test_the_drawing_keeps_its_size_and_numbers_when_the_answer_is_shown(make_deep_app):
    # The rating bar's room is kept, the bar hidden, while a question is asked on a drawing: shown
    # with the answer, it no longer squeezes the drawing (laid out again smaller, its numbers moved).
    app = make_deep_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        drawing, bar = screen.query_one(DrawingView), screen.query_one(RatingBar)
        asked, size, card = drawing.picture, drawing.size, screen.query_one(CardView).region
        assert screen.question.kind == "where" and asked is not None
        assert bar.display and not bar.visible
        # Hidden, it takes no clicks: nothing is rated.
        await pilot.click("#rate-1")
        await pilot.pause()
        assert not screen.revealed and screen.question.kind == "where"
        await pilot.press(str(screen.question.answer_indices[0] + 1))
        await pilot.pause()
        assert screen.revealed and bar.visible
        assert screen.query_one(CardView).region == card and drawing.size == size
        assert (drawing.picture.cells, drawing.picture.labels) == (asked.cells, asked.labels)
        assert drawing.picture.lit is not None and asked.lit is None
        # Locked, the drawing keeps the focus (not moved to the card and back, redrawing it): its
        # number keys are the rating keys now, and a click on it answers nothing more.
        assert app.focused is drawing and drawing.locked
        first = screen.card
        await pilot.click(DrawingView)
        await pilot.press("2")
        await pilot.pause()
        assert screen.card is not first and not screen.revealed


async def test_a_click_off_the_numbered_regions_answers_nothing(make_deep_app):
    app = make_deep_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        drawing = screen.query_one(DrawingView)
        left, top = drawing._offsets()
        # The top-left corner: the sacrum or the outline, never numbered.
        await pilot.click(DrawingView, offset=(left, top))
        await pilot.pause()
        assert not screen.revealed and verdict(screen) == ""


async def test_too_small_for_the_drawing_asks_in_words(make_deep_app, store, data_dir):
    app = make_deep_app(deck=OI_FIRST)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await start(pilot)
        await pilot.pause()
        question = screen.question
        # The question says so, and is the card in words (a flip card: see OI_FIRST).
        assert question.kind == "flip"
        assert str(screen.query_one(".instruction", Static).content).startswith(TOO_SMALL)
        assert screen.query_one(".instruction", Static).display
        assert not screen.query_one(DrawingView).display
        view = screen.query_one(CardView)
        for part in (".prompt", ".instruction"):
            assert view.region.contains_region(screen.query_one(part, Static).region), part
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(question.card.id, 3, "flip")]


async def test_a_card_asked_in_words_stays_full_width_once_answered(make_deep_app):
    # Too small for the drawing before the answer is too small for it after: the answer's lit
    # figure would squeeze the words into a column beside a cut "Too small to draw".
    app = make_deep_app(deck=OI_FIRST)
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await start(pilot)
        await pilot.pause()
        assert screen.question.instruction.startswith(TOO_SMALL)
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        assert screen.revealed
        assert not screen.query_one(DrawingView).display
        view = screen.query_one(CardView)
        for part in (".prompt", ".answer"):
            assert screen.query_one(part, Static).region.width >= view.scrollable_content_region.width - 1, part


async def test_which_muscle_is_lit_typed_and_a_location_answer_lit(make_deep_app, store, data_dir):
    app = make_deep_app("mixed", kind="lit")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        for _ in range(3):
            if screen.question.kind == "lit":
                break
            # Cards without a lit form may come first: answer them and go on.
            await pilot.press(str(screen.question.answer_indices[0] + 1), "enter")
            await pilot.pause()
        question = screen.question
        assert question.prompt == "Which muscle is lit?"
        drawing = screen.query_one(DrawingView)
        assert drawing.picture.lit == "quadratus-femoris" and not drawing.picture.labels
        box = screen.query_one("#typed", Input)
        box.focus()
        await pilot.press(*"quadratus femoris", "enter")
        await pilot.pause()
        assert verdict(screen) == "✓ Right"
        await pilot.press("enter")
        await pilot.pause()
    assert ("deep/quadratus-femoris/name-from-location", 3, "lit") in reviews_of(data_dir, store)


async def test_a_location_answer_shows_the_muscle_lit(make_deep_app):
    app = make_deep_app("flip")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        drawing = screen.query_one(DrawingView)
        # Hidden with the answer...
        assert not drawing.display
        await pilot.press("space")
        await pilot.pause()
        # ...and beside the words once revealed.
        assert drawing.display and drawing.fits
        assert drawing.picture.lit == screen.question.card.note_id
        answer = screen.query_one(".answer", Static)
        assert answer.region.x >= drawing.region.right


def test_where_is_it_snapshot(snap_compare, make_deep_app):
    """A "where is it?" question at 80x24, and the same question answered wrongly."""
    assert snap_compare(make_deep_app(), press=["enter"], terminal_size=(80, 24))


def test_where_is_it_answered_wrong_snapshot(snap_compare, make_deep_app):
    async def answer_wrong(pilot):
        await pilot.press("enter")
        await pilot.pause()
        question = pilot.app.screen.question
        wrong = next(i for i in range(len(question.options)) if i != question.answer_indices[0])
        await pilot.press(str(wrong + 1))
        await pilot.pause()

    assert snap_compare(make_deep_app(), run_before=answer_wrong, terminal_size=(80, 24))
