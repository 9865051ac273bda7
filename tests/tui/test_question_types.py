"""Pilot tests of the question types: answer each by pressing keys, then check what was saved.

The options of a question are shuffled by the app's seeded Random; the tests read the question
on screen (``screen.question``) to know which key is right, so they do not depend on the shuffle.
"""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from hipquiz.core.questions import MODES
from hipquiz.core.scheduler import Scheduler, SchedulerSettings
from hipquiz.core.session import set_suspended
from hipquiz.core.collection import Collection
from hipquiz.core.store import Store
from hipquiz.tui.app import HipquizApp
from hipquiz.tui.screens.browser import CardBrowserScreen
from hipquiz.tui.screens.confirm import ConfirmModal
from hipquiz.tui.screens.help import KEYS
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.leech import CompareModal, LeechModal
from hipquiz.tui.widgets import AnswerList, CardView, RatingBar

from tui_support import START, drawn, option_region, saved, shown_options, start_studying, theme_colour

TFL = "types/tfl/name-from-location"
PIRIFORMIS = "types/piriformis/name-from-location"
INTERNUS = "types/obturator-internus/name-from-location"
EXTERNUS = "types/obturator-externus/name-from-location"
LAYERS = "types/glute-layers/list"
BIG = "types/big-muscles/list"


def text_of(widget, selector: str) -> str:
    return str(widget.query_one(selector, Static).content)


def verdict(screen) -> str:
    return text_of(screen.query_one(CardView), ".verdict")


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def only(library, store, settings, *keep: str) -> None:
    """Suspend every card of the deck but ``keep``, so those come first."""
    scheduler = Scheduler(settings)
    for card in library.decks[0].cards:
        if card.id not in keep:
            set_suspended(store, scheduler, card, True, START)


def reviews_of(data_dir, store) -> list[tuple[str, int, str]]:
    with saved(data_dir, store) as reopened:
        return [(r.card_id, r.rating, r.question_type) for r in reopened.reviews()]


# -- multiple choice ---------------------------------------------------------------------------


async def test_choice_right_by_number_and_wrong_by_arrows(make_types_app, store, data_dir):
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        question = screen.question
        assert question.card.id == TFL and question.kind == "choice" and len(question.options) == 4
        assert text_of(screen, ".instruction").startswith("Choose one.")
        assert app.focused is screen.query_one(AnswerList)

        right = question.answer_indices[0]
        await pilot.press(str(right + 1))
        await pilot.pause()
        assert verdict(screen) == "✓ Right"
        assert drawn(screen.query_one(".verdict")).colour == theme_colour(app, "text-success")
        options = shown_options(screen)
        assert options[right].line == f"✓ {right + 1} {question.options[right]} — your choice"
        assert options[right].colour == theme_colour(app, "text-success")
        assert not any(option.line.startswith("✗") for option in options)
        # Right at once, but on the card's first review: recognising an answer is not recalling
        # it, so Good (not Easy) is suggested, marked on its button, and Enter takes it.
        assert screen.suggested == 3
        assert screen.query_one("#rate-3").has_class("-suggested")
        assert "▶" in str(screen.query_one("#rate-3").label)
        assert "▶" not in str(screen.query_one("#rate-4").label)
        assert "anterolateral = front and outside" in text_of(screen, ".region")
        assert "The TFL is found" in text_of(screen, ".source")
        await pilot.press("enter")
        await pilot.pause()

        question = screen.question
        assert question.card.id == PIRIFORMIS and question.kind == "choice"
        wrong = next(i for i in range(4) if i != question.answer_indices[0])
        await pilot.press(*["down"] * wrong, "enter")
        await pilot.pause()
        right = question.answer_indices[0]
        assert verdict(screen) == (f"✗ Wrong — you chose {wrong + 1}: {question.options[wrong]}\n"
                                   f"The answer is {right + 1}: piriformis")
        assert drawn(screen.query_one(".verdict")).colour == theme_colour(app, "text-error")
        options = shown_options(screen)
        assert options[wrong].line == f"✗ {wrong + 1} {question.options[wrong]} — your choice"
        assert options[wrong].colour == theme_colour(app, "text-error")
        assert options[right].line == f"✓ {right + 1} piriformis — the answer"
        assert options[right].colour == theme_colour(app, "text-success")
        # Deck text with brackets shows as written.
        assert "deep in the buttock [F3]" in text_of(screen, ".source")
        assert screen.suggested == 1
        await pilot.press("enter")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(TFL, 3, "choice"), (PIRIFORMIS, 1, "choice")]


async def test_choice_by_click_and_a_rating_override(make_types_app, store, data_dir):
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        right = screen.question.answer_indices[0]
        answers = screen.query_one(AnswerList)
        await pilot.click(AnswerList, offset=option_region(screen, right).offset - answers.region.offset)
        await pilot.pause()
        assert verdict(screen) == "✓ Right"
        # The user overrides the suggested Easy with Hard.
        await pilot.press("2")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(TFL, 2, "choice")]


async def test_undo_after_a_choice_answer_restores_the_card(make_types_app, store, data_dir):
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press(str(screen.question.answer_indices[0] + 1), "enter")
        await pilot.pause()
        assert screen.card.id == PIRIFORMIS
        await pilot.press("u")
        await pilot.pause()
        assert screen.card.id == TFL
        assert screen.question.kind == "choice"
        assert text_of(screen, "#progress") == "7 new · 0 done"
        # The verdict was shown: the card comes back with it, the options locked, to be rated only.
        assert screen.revealed and screen.query_one(AnswerList).locked
        assert verdict(screen) == "✓ Right"
    with saved(data_dir, store) as reopened:
        assert reopened.reviews() == []
        assert TFL not in reopened.all_progress()


# -- typed -------------------------------------------------------------------------------------


async def test_typed_right_with_a_typo_and_wrong(make_types_app, store, data_dir):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        assert screen.question.kind == "typed"
        assert app.focused is screen.query_one("#typed", Input)
        await type_text(pilot, "TFL")
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen) == "✓ Right"
        await pilot.press("enter")
        await pilot.pause()

        assert screen.card.id == PIRIFORMIS
        await type_text(pilot, "pirifromis")
        await pilot.press("enter")
        await pilot.pause()
        # The right spelling shows once, in the answer under the verdict.
        assert verdict(screen) == "✓ Accepted (typo) — you typed: pirifromis"
        assert text_of(screen, ".answer") == "Answer: piriformis"
        assert screen.suggested == 2, "a typo makes it Hard"
        await pilot.press("space")
        await pilot.pause()

        assert screen.card.id == INTERNUS
        await type_text(pilot, "obturator ext")
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen) == ("✗ Wrong — you typed: obturator ext\n"
                                   "You named the obturator externus.")
        assert text_of(screen, ".answer") == "Answer: obturator internus"
        await pilot.press("enter")
        await pilot.pause()

        assert screen.card.id == EXTERNUS
        await pilot.press("enter")  # nothing typed: "I do not know"
        await pilot.pause()
        assert verdict(screen) == "✗ Not answered"
        await pilot.press("1")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [
        (TFL, 4, "typed"), (PIRIFORMIS, 2, "typed"), (INTERNUS, 1, "typed"), (EXTERNUS, 1, "typed")]


async def test_overriding_a_wrong_typed_answer_offers_to_keep_it(make_types_app, store, data_dir):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await type_text(pilot, "tensor thing")
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen).startswith("✗ Wrong — you typed: tensor thing")
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Accept it from now on as an answer meaning" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.screen is screen and screen.card.id == PIRIFORMIS

        # Declining keeps nothing.
        await type_text(pilot, "the deep one")
        await pilot.press("enter", "4")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert screen.card.id == INTERNUS
    with saved(data_dir, store) as reopened:
        assert reopened.aliases() == {"types/tfl": ["tensor thing"]}
        assert [(r.card_id, r.rating, r.question_type) for r in reopened.reviews()] == [
            (TFL, 3, "typed"), (PIRIFORMIS, 4, "typed")]


def footer_keys(screen) -> list[tuple[str, str]]:
    """The keys the footer shows (it keeps keys not in use, hidden)."""
    return [(key.key, key.description) for key in screen.query(FooterKey) if key.display]


async def test_bury_and_suspend_have_ctrl_keys_that_work_while_typing(make_types_app, store, data_dir):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        box = screen.query_one("#typed", Input)
        await type_text(pilot, "b!")
        await pilot.pause()
        # b and ! are letters in the box; the footer shows the keys that still work.
        assert box.value == "b!" and screen.card.id == TFL
        keys = footer_keys(screen)
        assert ("ctrl+b", "Bury") in keys and ("ctrl+o", "Suspend") in keys
        assert ("b", "Bury") not in keys

        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        # Cancelled: back to the same card, typing where it was.
        assert app.screen is screen and screen.card.id == TFL
        assert app.focused is box and box.value == "b!"

        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert screen.card.id == PIRIFORMIS and app.focused is screen.query_one("#typed", Input)

        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.card.id == INTERNUS

        # Once answered, the box has no focus: the footer shows the one-letter keys, once each.
        await pilot.press("enter")
        await pilot.pause()
        keys = footer_keys(screen)
        assert ("b", "Bury") in keys and ("exclamation_mark", "Suspend") in keys
        assert ("ctrl+b", "Bury") not in keys and ("ctrl+o", "Suspend") not in keys
    with saved(data_dir, store) as reopened:
        progress = reopened.all_progress()
        assert progress[TFL].suspended
        assert progress[PIRIFORMIS].buried_until is not None and not progress[PIRIFORMIS].suspended
        assert reopened.reviews() == []


def test_the_help_lists_the_keys_that_work_while_typing():
    studying = dict(dict(KEYS)["Studying"])
    assert studying["b  Ctrl+B"].startswith("bury")
    assert studying["!  Ctrl+O"].startswith("suspend")


async def test_a_kept_alias_is_accepted_next_time(make_types_app, store, data_dir):
    store.add_alias("types/tfl", "tensor thing")
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await type_text(pilot, "tensor thing")
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen) == "✓ Right"


# -- select all that apply ---------------------------------------------------------------------


async def test_select_right(make_types_app, store, data_dir, types_library, settings):
    only(types_library, store, settings, BIG)
    app = make_types_app("select")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        question = screen.question
        assert (question.card.id, question.kind) == (BIG, "select")
        answers = screen.query_one(AnswerList)
        # Number keys tick; Space ticks the highlighted option (moved with the arrows).
        first, *others = question.answer_indices
        await pilot.press(*["down"] * first, "space", *(str(i + 1) for i in others))
        await pilot.pause()
        assert answers.ticked == set(question.answer_indices)
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen) == "✓ Right — all 3 ticked, no wrong ones"
        await pilot.press("enter")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(BIG, 3, "select")]


async def test_select_partly_right(make_types_app, store, data_dir, types_library, settings):
    only(types_library, store, settings, BIG)
    app = make_types_app("select")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        question = screen.question
        assert (question.card.id, question.kind) == (BIG, "select")
        right = question.answer_indices
        wrong = next(i for i in range(len(question.options)) if i not in right)
        await pilot.press(str(right[0] + 1), str(wrong + 1), "enter")
        await pilot.pause()
        # What a student counts: right items ticked, wrong items ticked (not "3 of 6 marks right",
        # which counted the distractors left alone).
        assert verdict(screen) == "✗ Not quite — 1 of 3 right items ticked, 1 wrong item ticked"
        options = shown_options(screen)
        success, error = theme_colour(app, "text-success"), theme_colour(app, "text-error")
        assert options[right[0]].line.split()[:3] == ["✓", str(right[0] + 1), "[x]"]
        assert options[right[0]].colour == success
        assert options[wrong].line.split()[:3] == ["✗", str(wrong + 1), "[x]"]
        assert options[wrong].line.endswith("— not in the answer") and options[wrong].colour == error
        assert options[right[1]].line.split()[:4] == ["✗", str(right[1] + 1), "[", "]"]
        assert options[right[1]].line.endswith("— missed") and options[right[1]].colour == error
        # A distractor rightly left alone: no mark, neither colour.
        alone = next(i for i in range(len(question.options)) if i not in right and i != wrong)
        assert options[alone].line.split()[:3] == [str(alone + 1), "[", "]"]
        assert options[alone].colour not in (success, error)
        await pilot.press("enter")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(BIG, 1, "select")]


async def test_undo_after_a_select_answer_brings_back_its_ticks(make_types_app, store, data_dir, types_library,
                                                                settings):
    only(types_library, store, settings, BIG)
    app = make_types_app("select")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        question = screen.question
        right = question.answer_indices
        wrong = next(i for i in range(len(question.options)) if i not in right)
        await pilot.press(str(right[0] + 1), str(wrong + 1), "enter")
        await pilot.pause()
        before = [option.line for option in shown_options(screen)]
        await pilot.press("enter", "u")  # rated, then undone
        await pilot.pause()
        assert screen.card.id == BIG and screen.revealed
        # The marks with the ticks they judge: "✗ [ ] … not in the answer" would say nothing was ticked.
        assert [option.line for option in shown_options(screen)] == before
        assert shown_options(screen)[wrong].line.split()[:3] == ["✗", str(wrong + 1), "[x]"]
    assert reviews_of(data_dir, store) == []


# -- put in order ------------------------------------------------------------------------------


async def test_an_order_card_at_80_columns_keeps_help_and_the_way_back_in_the_footer(
        make_types_app, store, types_library, settings):
    only(types_library, store, settings, LAYERS)
    app = make_types_app("mixed", kind="order")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        assert screen.question.kind == "order"
        await pilot.pause()
        line = app.screen._compositor.render_strips()[-1].text.rstrip()
        for words in ("⏎ Check", "q Back", "? Help"):
            assert words in line, line


async def test_order_typed_as_numbers_then_moved_with_keys(make_types_app, store, data_dir, types_library,
                                                          settings):
    only(types_library, store, settings, LAYERS)
    app = make_types_app("mixed", kind="order")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        question = screen.question
        assert question.kind == "order"
        # A number key starts typing the order in the box under the list.
        await pilot.press("1", "space", "1")
        await pilot.pause()
        box = screen.query_one("#order-input", Input)
        assert app.focused is box and box.value == "1 1"
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen) == "! 1 is given twice (use each of 1-3 once)"
        assert drawn(screen.query_one(".verdict")).colour == theme_colour(app, "text-warning")
        assert not screen.revealed
        # The order as shown is never the right one: scored item by item.
        await pilot.press("backspace", "2", "space", "3", "enter")
        await pilot.pause()
        assert verdict(screen).startswith("✗ Not quite")
        assert drawn(screen.query_one(".verdict")).colour == theme_colour(app, "text-error")
        assert "in the right place" in verdict(screen)
        await pilot.press("enter")
        await pilot.pause()

        # Again: the card comes back a minute later (shown early). Now move the items into place.
        assert screen.card.id == LAYERS and screen.question.kind == "order"
        question = screen.question
        answers = screen.query_one(AnswerList)
        assert app.focused is answers
        for target, index in enumerate(question.answer_indices):
            at = answers.order.index(index)
            step = "down" if at > answers.highlighted else "up"
            await pilot.press(*[step] * abs(at - answers.highlighted))
            await pilot.press(*["left_square_bracket"] * (at - target))
        assert answers.order == list(question.answer_indices)
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen) == "✓ Right order"
        await pilot.press("enter")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(LAYERS, 1, "order"), (LAYERS, 4, "order")]


# -- mode on the home screen -------------------------------------------------------------------


async def test_the_mode_picked_on_home_is_saved_and_used(make_types_app, store, data_dir):
    app = make_types_app("flip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert text_of(app.screen, "#mode").startswith("Mode: Flip cards")
        await pilot.press("m")
        await pilot.pause()
        assert text_of(app.screen, "#mode").startswith("Mode: Multiple choice")
        await pilot.press(*["m"] * len(MODES))
        await pilot.pause()
        assert text_of(app.screen, "#mode").startswith("Mode: Multiple choice"), "one step per mode goes round"
        screen = await start_studying(pilot)
        assert screen.session.mode == "choice"
        assert screen.question.kind == "choice"
    with saved(data_dir, store) as reopened:
        assert reopened.get_setting("mode") == "choice"


# -- the deck's cards --------------------------------------------------------------------------


async def test_the_card_browser_unsuspends_a_card(make_types_app, store, data_dir, types_library, settings):
    card = types_library.decks[0].cards[1]
    set_suspended(store, Scheduler(settings), card, True, START)
    app = make_types_app("flip")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)
        table = app.screen.query_one("#browse-table")
        row = [str(c) for c in table.get_row(card.id)]
        assert row[0].startswith("which here: piriform")
        assert row[2:5] == ["suspended", "—", "0"]
        await pilot.press("down", "exclamation_mark")
        await pilot.pause()
        assert [str(c) for c in table.get_row(card.id)][2] == "new"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    with saved(data_dir, store) as reopened:
        assert not reopened.all_progress()[card.id].suspended


# -- leeches -----------------------------------------------------------------------------------


def a_review_card_due_now(store, settings, card) -> None:
    scheduler = Scheduler(settings)
    progress = scheduler.new_progress(card.id, card.answer_hash, START - timedelta(days=40))
    learned = scheduler.review(progress, 4, START - timedelta(days=40)).progress
    assert learned.phase == "review" and learned.due <= START
    store.save_progress(learned)


async def test_a_new_leech_offers_to_compare_it_with_its_look_alike(make_types_app, store, data_dir,
                                                                   types_library):
    settings = SchedulerSettings(enable_fuzzing=False, leech_lapses=1)
    card = types_library.decks[0].cards[1]  # piriformis, confusable with the obturator internus
    a_review_card_due_now(store, settings, card)
    app = make_types_app("flip", settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        assert screen.card.id == PIRIFORMIS
        assert text_of(screen, "#card-tags") == ""
        await pilot.press("space", "1")
        await pilot.pause()
        assert isinstance(app.screen, LeechModal)
        assert "This card is a leech (forgotten 1 time)" in text_of(app.screen, "#question")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CompareModal)
        table = app.screen._table()
        cells = [[str(cell) for cell in column.cells] for column in table.columns]
        assert cells[0][:2] == ["Name", "Location"]
        assert cells[1][0] == "piriformis" and cells[2][0] == "obturator internus"
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        # The drill: the look-alike comes next, then the leech again.
        assert app.screen is screen and screen.card.id == INTERNUS
        await pilot.press("space", "3")
        await pilot.pause()
        assert screen.card.id == PIRIFORMIS
        assert text_of(screen, "#card-tags") == "leech"
    with saved(data_dir, store) as reopened:
        progress = reopened.all_progress()[PIRIFORMIS]
        assert progress.leech and progress.lapses == 1 and not progress.suspended


async def test_a_leech_can_be_suspended_and_is_tagged_when_shown(make_types_app, store, data_dir, types_library):
    settings = SchedulerSettings(enable_fuzzing=False, leech_lapses=1)
    card = types_library.decks[0].cards[1]
    a_review_card_due_now(store, settings, card)
    app = make_types_app("choice", settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        wrong = next(i for i in range(4) if i != screen.question.answer_indices[0])
        await pilot.press(str(wrong + 1), "enter")
        await pilot.pause()
        assert isinstance(app.screen, LeechModal)
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.screen is screen and screen.card.id == TFL
    with saved(data_dir, store) as reopened:
        progress = reopened.all_progress()[PIRIFORMIS]
        assert progress.leech and progress.suspended

    # Unsuspended, the leech is tagged as such when it is shown (its relearning step is due).
    with Store.open(data_dir) as again:
        again.save_progress(progress.with_changes(suspended=False))
        app = HipquizApp(collection=Collection(types_library, again, settings=settings,
                                               now=lambda: START + timedelta(minutes=30)))
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await start_studying(pilot)
            assert screen.card.id == PIRIFORMIS
            assert text_of(screen, "#card-tags") == "leech"


# -- a card with no form of the type asked -----------------------------------------------------


async def test_a_flip_card_in_choice_mode_says_why(make_app, store):
    # The mini deck's first card has too few look-alike answers for choice and too long an answer
    # for typing: it can only be flipped.
    store.set_setting("mode", "choice")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        assert screen.session.mode == "choice"
        assert screen.question.kind == "flip"
        instruction = screen.query_one(CardView).query_one(".instruction", Static)
        assert instruction.display and instruction.region.height >= 1
        assert str(instruction.content) == screen.question.instruction
        assert screen.question.instruction.startswith("This card has no")


async def test_a_flip_card_in_flip_mode_has_no_instruction(make_app, store):
    store.set_setting("mode", "flip")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        assert screen.question.kind == "flip"
        assert not screen.query_one(CardView).query_one(".instruction", Static).display


# -- small terminal ----------------------------------------------------------------------------


async def test_a_choice_answer_at_40_by_12(make_types_app, store, data_dir):
    app = make_types_app("choice")
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press(str(screen.question.answer_indices[0] + 1))
        await pilot.pause()
        view = screen.query_one(CardView)
        verdict_line = screen.query_one(".verdict")
        # The verdict is scrolled into view, and the rating buttons stay on screen.
        assert view.region.contains_region(verdict_line.region)
        for rating in range(1, 5):
            button = screen.query_one(f"#rate-{rating}")
            assert button.region.height >= 1 and button.region.bottom <= 11
        assert screen.query_one(RatingBar).suggested == 3
        await pilot.press("enter")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(TFL, 3, "choice")]


async def test_a_wrong_choice_at_40_by_12_keeps_the_marks_in_view(make_types_app, store, data_dir):
    app = make_types_app("choice")
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await start_studying(pilot)
        question = screen.question
        right = question.answer_indices[0]
        wrong = 0 if right == len(question.options) - 1 else len(question.options) - 1  # far apart
        await pilot.press(str(wrong + 1))
        await pilot.pause()
        view = screen.query_one(CardView)
        # The verdict, and the options marked ✓ and ✗, are all on screen at once.
        for region in (screen.query_one(".verdict").region, option_region(screen, right), option_region(screen, wrong)):
            assert view.region.contains_region(region), region
        options = shown_options(screen)
        assert options[right].line.startswith(f"✓ {right + 1} ") and options[wrong].line.startswith(f"✗ {wrong + 1} ")
        # And the verdict names both, in case the list is longer than the screen.
        assert question.options[wrong] in verdict(screen) and question.options[right] in verdict(screen)


# -- no keyboard traps -------------------------------------------------------------------------


async def test_a_flip_fallback_in_typed_mode_takes_letters_as_text(make_types_app, store, data_dir,
                                                                   types_library, settings):
    only(types_library, store, settings, BIG, TFL)
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        assert screen.card.id == TFL
        await type_text(pilot, "tensor fasciae latae")
        await pilot.press("enter", "3")
        await pilot.pause()
        # A list has no typed form: it is a flip card, with a box to type into all the same.
        assert screen.card.id == BIG and screen.question.kind == "flip"
        assert "no typed-answer form" in text_of(screen, ".instruction")
        assert screen.query_one("#typed", Input).placeholder.startswith("Type it for yourself")
        # q would leave, s open the statistics, u undo, b bury: here they are letters.
        await type_text(pilot, "quadratus sub")
        await pilot.pause()
        assert app.screen is screen and screen.card.id == BIG
        assert screen.query_one("#typed", Input).value == "quadratus sub"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.revealed
        assert verdict(screen) == "You wrote: quadratus sub"
        await pilot.press("2")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(TFL, 3, "typed"), (BIG, 2, "flip")]


async def test_enter_does_not_keep_a_typed_answer_as_an_alias(make_types_app, store, data_dir):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await type_text(pilot, "tensor thing")
        await pilot.press("enter", "3")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        # An Enter meant as "accept the rating" a moment ago must not also keep the alias.
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.screen is screen and screen.card.id == PIRIFORMIS
    with saved(data_dir, store) as reopened:
        assert reopened.aliases() == {}


async def test_undo_never_brings_back_a_shown_verdict_fresh(make_types_app, store, data_dir):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await type_text(pilot, "tfl")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert screen.card.id == PIRIFORMIS
        await type_text(pilot, "gluteus medius")
        await pilot.press("enter")
        await pilot.pause()
        assert verdict(screen).startswith("✗ Wrong")
        # Undo the TFL answer while the piriformis verdict (and its answer) is on screen.
        await pilot.press("u")
        await pilot.pause()
        assert screen.card.id == TFL and screen.revealed
        await pilot.press("3")
        await pilot.pause()
        # The piriformis comes back as it was left: wrong, answer shown, to be rated.
        assert screen.card.id == PIRIFORMIS and screen.revealed
        assert verdict(screen).startswith("✗ Wrong — you typed: gluteus medius")
        assert screen.suggested == 1 and screen.query_one("#typed", Input).disabled
        await pilot.press("enter")
        await pilot.pause()
        # Rated Again, then undone (Ctrl+Z: the next card's box takes a "u" as a letter): back again
        # with the same verdict, not to be typed afresh.
        assert screen.card.id == INTERNUS and app.focused is screen.query_one("#typed", Input)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.card.id == PIRIFORMIS and screen.revealed
        assert verdict(screen).startswith("✗ Wrong — you typed: gluteus medius")
        await pilot.press("1")
        await pilot.pause()
    assert reviews_of(data_dir, store) == [(TFL, 3, "typed"), (PIRIFORMIS, 1, "typed")]
