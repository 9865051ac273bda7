"""The first card is drawn before the rest of the study screen is mounted (hipquiz study): what that
first frame holds, that the screen is complete and answerable right after, and that no key pressed
while it is put together is lost."""

from __future__ import annotations

import gc

import pytest
from textual.app import App
from textual.widgets import Button, Input

from hipquiz.tui import collector
from hipquiz.tui.app import STYLESHEET, HipquizApp, stylesheet_parts
from hipquiz.tui.screens.help import HelpModal
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen
from hipquiz.tui.widgets import AnswerList, CardView, DrawingView, KeyFooter, RatingBar

from tui_support import post_keys as press_now, saved, start_studying, text_of


FIRST = "mini/tfl-place/basic"
# The card view as it always was once complete: the question's lines, every answer widget, the
# verdict and the answer's parts, in this order.
CARD_VIEW = [".prompt", ".instruction", ".hint", "#options", "#typed", "#order-input", "#drawing", ".verdict",
             ".answer", ".suggestion", ".region", ".source", ".caveat"]
# Under the title bar and the card: the reveal button, the rating bar, the footer.
SCREEN = ["Horizontal", "CardView", "Button", "RatingBar", "KeyFooter"]


def card_layout(screen: StudyScreen) -> list[str]:
    return [f"#{w.id}" if w.id else f".{sorted(w.classes - {'answer-part'})[0]}"
            for w in screen.query_one(CardView).children]


def screen_layout(screen: StudyScreen) -> list[str]:
    return [type(widget).__name__ for widget in screen.children]


@pytest.fixture
def frames(monkeypatch) -> list[tuple[bool, bool, list[str]]]:
    """Each frame drawn of a study screen: whether it reached the terminal (Textual drops the frames
    drawn during its start-up batch), whether the screen was complete, and its widgets' types."""
    drawn: list[tuple[bool, bool, list[str]]] = []
    display = App._display

    def noted(app, screen, renderable) -> None:
        if isinstance(screen, StudyScreen) and renderable is not None:
            drawn.append((not app._batch_count, screen.ready,
                          [type(widget).__name__ for widget in screen.walk_children()]))
        display(app, screen, renderable)

    monkeypatch.setattr(App, "_display", noted)
    return drawn


async def test_the_first_card_is_drawn_with_few_widgets_then_the_screen_is_complete(make_app, frames):
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.ready
        written, complete, widgets = frames[0]
        # The first frame that reaches the terminal is the card, drawn before the rest is mounted.
        assert written and not complete
        assert not {"Button", "RatingBar", "KeyFooter", "FooterKey", "Input", "AnswerList", "DrawingView"} \
            & set(widgets)
        assert "CardView" in widgets
        # Complete, it is the screen it always was: nothing missing, nothing out of order.
        assert screen_layout(screen) == SCREEN
        assert card_layout(screen) == CARD_VIEW
        assert text_of(screen, ".prompt") == "Where is the TFL?"
        assert text_of(screen, "#progress") == "3 new · 0 done"
        assert screen.query_one("#reveal", Button).display
        assert not screen.query_one(RatingBar).display
        assert screen.query_one(KeyFooter).query("FooterKey")
        assert screen.query_one(CardView).has_focus
        await pilot.press("space")
        # The answer's parts, mounted after the first frame, were filled by the first question.
        assert text_of(screen, ".answer") == "Top, outside of the thigh [anterolateral]"
        assert text_of(screen, ".caveat") == "Caveat: It joins the IT band a little below the hip."
        assert screen.query_one(".answer").display and screen.query_one(RatingBar).display


async def test_a_typed_card_is_drawn_with_its_text_box_focused(make_types_app, frames):
    app = make_types_app("typed", start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        written, complete, widgets = next(frame for frame in frames if frame[0])
        assert not complete and "Input" in widgets
        assert not {"Button", "RatingBar", "KeyFooter", "AnswerList", "DrawingView"} & set(widgets)
        assert card_layout(screen) == CARD_VIEW
        assert screen.query_one("#typed", Input).has_focus
        assert not screen.query_one("#order-input", Input).display
        await pilot.press(*"piriformis", "enter")
        assert "Right" in text_of(screen, ".verdict") or "Wrong" in text_of(screen, ".verdict")


async def test_keys_pressed_while_the_screen_is_put_together_are_not_lost(make_app, monkeypatch, store,
                                                                          data_dir):
    """Space and 3 pressed as the study screen opens (before its first frame, so before its rating
    bar is mounted) answer the first card once the screen is complete."""
    mounted = StudyScreen.on_mount

    async def keys_at_once(screen: StudyScreen) -> None:
        await mounted(screen)
        assert not screen.ready
        press_now(screen.app, ("space", " "), ("3", "3"))

    monkeypatch.setattr(StudyScreen, "on_mount", keys_at_once)
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert text_of(screen, "#progress") == "2 new 1 learn · 1 done"
        assert text_of(screen, ".prompt") == "What does the piriformis do? [one word]"
    with saved(data_dir, store) as reopened:
        [review] = reopened.reviews()
        assert (review.card_id, review.rating) == (FIRST, 3)


async def test_keys_pressed_before_the_study_screen_is_there_wait_for_it(make_app, monkeypatch):
    """A key pressed while the app starts, before the study screen is even made, goes to it once it
    is complete."""
    default_screen = HipquizApp.get_default_screen

    def keys_first(app):
        press_now(app, ("space", " "), ("4", "4"))
        return default_screen(app)

    monkeypatch.setattr(HipquizApp, "get_default_screen", keys_first)
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert text_of(app.screen, "#progress") == "2 new · 1 done"


@pytest.fixture
def paused_collector():
    """The hipquiz command pauses garbage collection while the app loads (hipquiz/cli.py) until the
    first screen is up; the tests run the app with run_test(), so they pause it themselves."""
    collector.pause_for_start()
    yield
    collector.resume()
    gc.enable()
    gc.unfreeze()


@pytest.mark.parametrize("start_study", [True, False])
async def test_garbage_is_collected_again_once_the_first_screen_is_up(make_app, paused_collector, start_study):
    assert not gc.isenabled()
    app = make_app(start_study=start_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen if start_study else HomeScreen)
        assert gc.isenabled()


@pytest.mark.parametrize("deck_given", [False, True])
async def test_garbage_is_collected_again_when_there_is_nothing_to_study(make_app, library, paused_collector,
                                                                         deck_given):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await pilot.press("space", "4", "space", "4", "space", "4")
        await pilot.pause()
    # Every card answered Easy: nothing is due now, in the deck asked for or in any.
    collector.pause_for_start()
    app = make_app(start_study=True, start_deck=library.decks[0] if deck_given else None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert gc.isenabled()


async def test_the_answer_widgets_of_other_types_are_there_once_complete(make_types_app):
    app = make_types_app("choice", start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert card_layout(screen) == CARD_VIEW
        view = screen.query_one(CardView)
        assert view.query_one(AnswerList).display and view.query_one(AnswerList).has_focus
        assert not view.query_one(DrawingView).display
        assert not any(box.display for box in view.query(Input))


def test_the_stylesheet_parts_keep_every_rule_at_its_line():
    text = STYLESHEET.read_text(encoding="utf-8")
    parts = stylesheet_parts(text)
    assert list(parts) == ["", "home", "study", "later"]
    lines = text.splitlines()
    at = 0
    for css in parts.values():
        part_lines = css.splitlines()
        assert not "".join(part_lines[:at]).strip()  # blank lines stand for those before it
        assert part_lines[at:] == lines[at:len(part_lines)]
        at = len(part_lines)
    assert at == len(lines)
    assert "HelpModal" in parts["later"] and "StudyScreen" in parts["study"] and "HomeScreen" in parts["home"]


async def test_a_screen_opened_before_the_first_is_up_has_its_looks(make_app, monkeypatch):
    """The rules of the screens opened later (help, here) are parsed once the first screen is up,
    or as soon as one of them opens, whichever comes first."""
    monkeypatch.setattr(HipquizApp, "first_screen_shown", lambda app: None)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpModal)
        assert app.screen.query_one("#help").styles.width.value == 76


@pytest.mark.parametrize("start_study", [False, True])
async def test_the_other_first_screen_has_its_looks_when_it_opens_first(make_app, monkeypatch, start_study):
    """The home screen's rules and the study screen's are parsed with the one the app starts on;
    the other one's when it is first made (if before the rest, once the first screen is up)."""
    monkeypatch.setattr(HipquizApp, "first_screen_shown", lambda app: None)
    app = make_app(start_study=start_study)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q" if start_study else "enter")
        await pilot.pause()
        if start_study:
            assert isinstance(app.screen, HomeScreen)
            assert app.screen.query_one("#decks").styles.margin.top == 1
            assert app.screen.query_one("#status").styles.text_style.bold
        else:
            assert isinstance(app.screen, StudyScreen)
            assert app.screen.query_one("#card").styles.margin.top == 1
            assert app.screen.query_one("#reveal").styles.margin.top == 1


async def test_enter_pressed_before_the_terminal_is_raw_starts_the_deck(make_app):
    """Enter pressed in the first fraction of a second, while the terminal is still in line mode,
    reaches the app as a newline (Ctrl+J): it is the Enter the person pressed, and starts the deck."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        press_now(app, ("ctrl+j", "\n"))
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)


async def test_a_typed_answer_sent_with_a_newline_is_checked(make_types_app):
    app = make_types_app(start_study=True, mode="typed")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        press_now(app, *[(c, c) for c in "piriformis"], ("ctrl+j", "\n"))
        await pilot.pause()
        assert "Right" in text_of(screen, ".verdict") or "Wrong" in text_of(screen, ".verdict")


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
@pytest.mark.parametrize("mode", ["flip", "typed", "choice", "pictures"])
async def test_the_card_is_laid_out_once_at_its_final_size(make_types_app, monkeypatch, mode, size):
    """The first frame leaves room for the buttons and the footer mounted after it: the card (and a
    drawing in it) keeps its size, so nothing is redrawn smaller, or swapped for words, under keys
    the person has already pressed."""
    sizes: list[tuple[bool, object]] = []
    display = App._display

    def noted(app, screen, renderable) -> None:
        if isinstance(screen, StudyScreen) and renderable is not None and not app._batch_count:
            sizes.append((screen.ready, screen.query_one(CardView).region.size))
        display(app, screen, renderable)

    monkeypatch.setattr(App, "_display", noted)
    app = make_types_app(mode, start_study=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.screen.ready
        first, final = sizes[0], app.screen.query_one(CardView).region.size
        assert not first[0], "the first frame is drawn before the screen is complete"
        assert first[1] == final




async def test_a_flip_card_is_drawn_before_the_muscle_names_are_indexed(make_types_app, monkeypatch):
    """Every session has an index of the muscles' names (typed answers, distractors); a flip card
    never asks it, so the first card does not wait for it to be worked out."""
    from hipquiz.core.questions import names

    keys: list[str] = []
    match_key = names.match_key
    monkeypatch.setattr(names, "match_key", lambda text: (keys.append(text), match_key(text))[1])
    indexed: list[bool] = []
    display = App._display

    def noted(app, screen, renderable) -> None:
        if isinstance(screen, StudyScreen) and renderable is not None and not app._batch_count:
            indexed.append(bool(keys))
        display(app, screen, renderable)

    monkeypatch.setattr(App, "_display", noted)
    app = make_types_app("flip", start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert indexed[0] is False
        assert app.screen.session.names.owners("TFL")  # and asked, it is there


@pytest.mark.parametrize("mode", ["flip", "choice"])
async def test_the_first_frame_holds_no_widget_it_hides(make_types_app, monkeypatch, mode):
    """Each widget in the first frame costs its start (~0.3 ms): a flip card's first frame goes
    without the lines of how to answer, which it hides, and the title bar's empty note; a choice
    card's shows them. Complete, the card view is the one it always was."""
    hidden: list[list[str]] = []
    display = App._display

    def noted(app, screen, renderable) -> None:
        if isinstance(screen, StudyScreen) and renderable is not None and not app._batch_count:
            hidden.append([f"{type(w).__name__}{'#' + w.id if w.id else ''}{sorted(w.classes)}"
                           for w in screen.walk_children()
                           if not w.display and not (w.id or "").startswith("textual-")])
        display(app, screen, renderable)

    monkeypatch.setattr(App, "_display", noted)
    app = make_types_app(mode, start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert hidden[0] == []
        screen = app.screen
        assert card_layout(screen) == CARD_VIEW
        # Set while it was not mounted yet (flip), it says what it always said.
        assert text_of(screen, ".instruction") == ("Think of the answer, then reveal it." if mode == "flip"
                                                   else "Choose one.")
