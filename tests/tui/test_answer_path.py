"""From one card to the next: the widgets are updated in place, not remounted, and what matters
stays in view."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets._footer import FooterKey

from hipquiz.tui.screens.study import StudyScreen
from hipquiz.tui.widgets import AnswerList, CardView

from tui_support import collection_of, saved, shown_options, text_of, theme_colour


async def study(pilot) -> StudyScreen:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StudyScreen)
    return pilot.app.screen


def shown_keys(screen) -> list[str]:
    """The footer's keys laid out on screen (the footer keeps keys not in use, hidden)."""
    return [key.description for key in screen.query(FooterKey) if key.region.width]


async def test_the_footer_shows_each_states_keys_with_the_same_widgets(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        assert shown_keys(screen)[:2] == ["Show answer", "Back"]
        assert "Undo" in shown_keys(screen)
        keys = set(screen.query(FooterKey))
        await pilot.press("space")
        assert "Show answer" not in shown_keys(screen) and shown_keys(screen)[0] == "Back"
        await pilot.press("3")
        assert shown_keys(screen)[:2] == ["Show answer", "Back"]
        undo = next(key for key in screen.query(FooterKey) if key.description == "Undo")
        assert not undo.has_class("-disabled"), "Undo is not offered after an answer"
        assert set(screen.query(FooterKey)) == keys, "the footer's keys were mounted again"


def mounted(screen) -> set[Widget]:
    return set(screen.query("CardView *"))


async def test_the_card_view_is_updated_in_place_and_shows_the_right_card_after_undo(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        widgets = mounted(screen)
        first = screen.card
        assert text_of(screen, ".prompt") == first.prompt
        await pilot.press("space", "3")
        second = screen.card
        assert second is not first and text_of(screen, ".prompt") == second.prompt
        assert not screen.query_one(".answer").display, "the next card shows the answer before it is asked"
        await pilot.press("u")
        assert screen.card is first and text_of(screen, ".prompt") == first.prompt
        assert screen.revealed and screen.query_one(".answer").display
        assert text_of(screen, ".answer") == first.answer
        assert mounted(screen) == widgets, "the card's widgets were mounted again"


def shipped_app(store, clock, settings, mode: str):
    """The app on the shipped textbook deck, studying at once in ``mode``."""
    from hipquiz.core.decks import load_library
    from hipquiz.tui.app import HipquizApp

    library = load_library(None)
    store.set_setting("mode", mode)
    return HipquizApp(collection=collection_of(library, store, clock, {"settings": settings}),
                      start_deck=library.find("hip-anatomy"), start_study=True)


async def test_the_question_and_the_verdict_stay_in_view_after_a_long_answer(store, clock, settings):
    app = shipped_app(store, clock, settings, "select")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.question.kind == "order" and len(screen.question.options) == 6  # the deep six
        await pilot.press("enter")  # the order as shown: marks, verdict and a six-line answer
        view = screen.query_one(CardView)
        assert screen.revealed and text_of(screen, ".verdict").startswith("✗")
        for part in (".prompt", ".verdict"):
            assert view.region.contains_region(screen.query_one(part).region), f"{part} is out of view"
        assert not screen.query_one(".instruction").region, "how to answer still takes room"
        await pilot.press("enter")  # the next question says again how to answer it
        assert not screen.revealed and screen.query_one(".instruction").region.height


async def test_at_40_by_12_the_question_is_a_scroll_away_after_answering(store, clock, settings):
    app = shipped_app(store, clock, settings, "select")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("enter")
        view = screen.query_one(CardView)
        verdict = screen.query_one(".verdict")
        assert view.region.contains_region(verdict.region), "the verdict is out of view"
        await pilot.press("home")
        await pilot.wait_for_scheduled_animations()
        assert view.region.contains_region(screen.query_one(".prompt").region), "the question cannot be reached"


async def test_the_options_are_updated_in_place_from_one_question_to_the_next(make_types_app):
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        answers = screen.query_one(AnswerList)
        first = screen.question
        assert [option.line for option in shown_options(screen)] == numbered(first.options)
        await pilot.press("1")
        assert shown_options(screen)[0].line.startswith(("✓ 1", "✗ 1"))
        await pilot.press("enter")
        second = screen.question
        assert second.card is not first.card and len(second.options) == len(first.options)
        assert screen.query_one(AnswerList) is answers, "the options were mounted again"
        # Drawn by the list itself: a widget an option cost a layout and a render of its own.
        assert not answers.children, "the options are widgets of their own"
        options = shown_options(screen)
        assert [option.line for option in options] == numbered(second.options), "marks or notes left over"
        marked = {theme_colour(app, "text-success"), theme_colour(app, "text-error")}
        assert not any(option.colour in marked for option in options), "marks' colours left over"


def numbered(options) -> list[str]:
    return [f"{number} {option}" for number, option in enumerate(options, start=1)]


async def test_the_highlight_is_on_the_option_the_keys_move_to_and_gone_once_answered(make_types_app):
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        cursor = theme_colour(app, "block-cursor-background")

        def highlighted() -> list[int]:
            return [n for n, option in enumerate(shown_options(screen)) if option.background == cursor]

        assert highlighted() == [0]
        await pilot.press("down")
        assert highlighted() == [1]
        await pilot.press("enter")
        assert screen.revealed and highlighted() == []
        await pilot.press("enter")  # the next question
        assert not screen.revealed and highlighted() == [0]


async def test_the_options_keep_the_focus_once_answered_and_pass_every_key_on(make_types_app, store, data_dir):
    # Moving the focus to the card and back repainted the whole screen twice a card (Textual's
    # Screen.focused repaints): the locked list keeps it, and its keys go to the card and the screen.
    app = make_types_app("choice")
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await study(pilot)
        answers = screen.query_one(AnswerList)
        assert app.focused is answers
        await pilot.press(str(screen.question.answer_indices[0] + 1))
        await pilot.pause()
        assert screen.revealed and app.focused is answers
        view = screen.query_one(CardView)
        assert view.max_scroll_y > 0, "the test needs a card longer than the screen"
        await pilot.press("home")
        await pilot.pause()
        top = view.scroll_y
        await pilot.press("down")  # scrolls the card (the locked list moves no highlight)
        await pilot.wait_for_scheduled_animations()
        assert view.scroll_y > top
        first = screen.card
        await pilot.press("2")  # rates Hard (not option 2)
        await pilot.pause()
        assert screen.card is not first and not screen.revealed and app.focused is answers
    with saved(data_dir, store) as reopened:
        assert [r.rating for r in reopened.reviews()] == [2]


async def test_each_layout_of_a_card_arranges_the_screen_once(make_types_app, monkeypatch):
    # Pins StudyScreen._refresh_layout, an override of Textual's private method (8.2.8): without
    # it, the verdict and rating bar an answer shows made Textual arrange the whole screen twice.
    import inspect

    from textual._compositor import Compositor
    from textual.screen import Screen

    assert list(inspect.signature(Screen._refresh_layout).parameters) == ["self", "size", "scroll"]
    assert hasattr(Compositor(), "_full_map_invalidated")
    calls: list[str] = []
    for name in ("reflow", "_arrange_root"):
        original = getattr(Compositor, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Compositor, name, counted)
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        for key in ("1", "enter", "2", "enter"):  # answer, next card, answer, next card
            calls.clear()
            await pilot.press(key)
            await pilot.pause()
            assert calls.count("reflow") >= 1, "the key changed no layout"
            assert calls.count("_arrange_root") == calls.count("reflow"), f"after {key!r}: {calls}"
        assert screen.revealed is False


async def test_the_highlight_shows_whether_the_options_have_the_focus(make_types_app):
    # Drawn by the highlighted row itself (no class, no restyle), redrawn as the focus moves.
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        cursor = theme_colour(app, "block-cursor-background")
        assert shown_options(screen)[0].background == cursor
        screen.query_one(CardView).focus()
        await pilot.pause()
        assert shown_options(screen)[0].background != cursor, "the highlight still shows the focus"
        screen.query_one(AnswerList).focus()
        await pilot.pause()
        assert shown_options(screen)[0].background == cursor


async def test_the_next_question_is_drawn_at_the_top_in_its_first_frame(store, clock, settings, monkeypatch):
    # At 40x12 the verdict scrolls the card down; the next question, as long, was drawn once in
    # that scroll position (its prompt out of view) before the card scrolled to its top.
    from textual.app import App

    drawn: list[tuple[object, float]] = []
    display = App._display

    def noted(app, screen, renderable) -> None:
        if renderable is not None and getattr(screen, "card", None) is not None:
            drawn.append((screen.card, screen.query_one(CardView).scroll_y))
        display(app, screen, renderable)

    monkeypatch.setattr(App, "_display", noted)
    app = shipped_app(store, clock, settings, "choice")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        view = screen.query_one(CardView)
        for _ in range(3):
            await pilot.press("1")  # an answer, its verdict scrolled into view
            await pilot.pause()
            assert view.scroll_y > 0, "the test needs a verdict scrolled into view"
            first = screen.card
            drawn.clear()
            await pilot.press("enter")
            await pilot.pause()
            assert screen.card is not first and view.max_scroll_y > 0, "the test needs a long next question"
            assert [scroll_y for card, scroll_y in drawn if card is screen.card][0] == 0


async def test_a_full_collection_due_is_made_between_keys(make_types_app):
    # collector.collect_if_due runs once a card's frame is drawn: a full collection Python was
    # about to make (5-8 ms) is made there, not inside the next key's frame.
    import gc

    from hipquiz.tui import collector

    assert gc.isenabled()
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        await study(pilot)
        for _ in range(gc.get_threshold()[2]):
            gc.collect(1)
        await pilot.press("1")  # the verdict's frame, then the collection
        await pilot.pause()
        assert gc.get_count()[2] < gc.get_threshold()[2] - 2
    for _ in range(gc.get_threshold()[2]):
        gc.collect(1)  # each young collection brings the full one nearer
    assert gc.get_count()[2] >= gc.get_threshold()[2] - 2
    collector.collect_if_due()
    assert gc.get_count()[2] == 0
    collector.collect_if_due()  # not due: nothing to do
    assert gc.get_count()[2] == 0


def test_no_full_collection_each_key_where_the_collector_has_no_third_generation(monkeypatch):
    # CPython 3.14's incremental collector gives a third threshold of 0: read as a generational
    # one, a full collection would be "due" after every card.
    import gc

    from hipquiz.tui import collector

    collections: list[object] = []
    monkeypatch.setattr(gc, "get_threshold", lambda: (2000, 10, 0))
    monkeypatch.setattr(gc, "collect", lambda *generation: collections.append(generation))
    collector.collect_if_due()
    assert collections == []


async def test_young_garbage_is_collected_between_keys_not_in_their_frames(make_types_app, monkeypatch):
    # While cards are studied Python lets a key's young objects pile up (collector.
    # collect_between_keys) and they are collected once the key's frame is drawn: made by Python
    # every 700 objects, three to eight collections fell inside each frame, now and then one of
    # the middle generation (1-2 ms).
    import gc

    from textual.app import App

    events: list[str] = []
    display = App._display

    def noted(app, screen, renderable) -> None:
        if renderable is not None:
            events.append("frame")
        display(app, screen, renderable)

    def collected(phase: str, info: dict) -> None:
        if phase == "start":
            events.append(f"collection of generation {info['generation']}")

    monkeypatch.setattr(App, "_display", noted)
    thresholds = gc.get_threshold()
    app = make_types_app("choice")
    gc.callbacks.append(collected)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await study(pilot)
            for key in ("1", "enter", "2", "enter", "1", "enter"):  # answer, next card...
                events.clear()
                await pilot.press(key)
                await pilot.pause()
                frame = events.index("frame")
                assert not any(event.startswith("collection") for event in events[:frame]), \
                    f"after {key!r}, a collection before the frame: {events}"
                assert any(event.startswith("collection") for event in events[frame:]), \
                    f"after {key!r}, nothing collected once the frame was drawn: {events}"
    finally:
        gc.callbacks.remove(collected)
    assert gc.get_threshold() == thresholds, "Python's thresholds not given back after studying"


async def test_the_drawings_are_made_ready_between_keys(make_app, monkeypatch):
    # Which regions of a view touch (its shades) was worked out under the first key that drew
    # the view (1.5-3 ms), and the atlas read under the first (~40 ms): now between keys.
    from hipquiz.core import figures, raster

    prepared: list[str] = []
    shades = raster.shades
    monkeypatch.setattr(figures, "_prepared", set())
    monkeypatch.setattr(raster, "shades", lambda view: prepared.append(view.id) or shades(view))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        views = [view.id for view in figures.atlas().views]
        for _ in views:
            await pilot.press("space")  # each key's frame, then one view
            await pilot.press("3")
        await pilot.pause()
        assert screen.card is not None
    assert sorted(prepared) == sorted(views)


async def test_what_an_answer_keeps_is_imported_once_the_first_screen_is_up(make_app, monkeypatch):
    # Left out of the start (core/answers.py, imported on first use), it was imported under the
    # first check or rating of a session (~1.3 ms of that key); now with the warm-ups that follow
    # the first screen.
    import importlib

    from tui_support import until

    imported: list[str] = []
    import_module = importlib.import_module
    monkeypatch.setattr(importlib, "import_module",
                        lambda name, *args: imported.append(name) or import_module(name, *args))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await study(pilot)
        await until(lambda: "hipquiz.core.answers" in imported, "hipquiz.core.answers imported")
        assert not screen.revealed and screen.session.summary.reviewed == 0, "imported by an answer"
