"""`hipquiz study DECK` shows its first card without importing what that card does not need (the
lexicon among them), nor collecting garbage while it loads.

Each module left out of a start is time the user no longer waits for the first card (see
bench/bench_coldstart.py --breakdown). The start runs as `hipquiz study hip-anatomy` does, in a
new process (headless, 80x24); what is imported is read as the first frame with the card is written
to the terminal. fsrs comes later, in a thread once the card is up (the app's warm-up), so that the
first rating does not wait for it either.
"""

from __future__ import annotations

import json
import subprocess
import sys

# Imported by the first card of a flip-mode session, they would each delay it.
NOT_BEFORE_THE_FIRST_CARD = (
    "fsrs",  # scheduling: the first rating (warmed up once the card is shown)
    "tomllib",  # parsing decks: they come from the parse cache
    "hipquiz.core.templates",  # the cards made from a muscle's fields, when a deck file is parsed
    "tomlkit",  # editing decks
    "genanki",  # exporting to Anki
    "spellchecker",  # grading typed answers
    "rapidfuzz",  # grading typed answers
    "PIL",  # painting drawings
    "plotext",  # the statistics screen's charts
    "textual_plotext",
    "textual.widgets._data_table",  # the home screen's deck table, the card browser
    "textual.widgets._text_area",  # the note editor
    "hipquiz.core.grading",  # typed answers
    "hipquiz.core.lexicon",  # the deck index of a choice, select or typed question; a user lexicon
    "hipquiz.core.questions.index",
    "hipquiz.core.questions.kinds",
    "hipquiz.core.drawings",  # pictures
    "hipquiz.core.stats",  # the statistics screen
    "hipquiz.core.store.doctor",  # hipquiz doctor, backup restore
    "hipquiz.cli_maintenance",  # doctor and backup: a start builds only its own command's parser
    "hipquiz.core.store.repair",  # hipquiz doctor --repair
    "zipfile",  # the day's backup, zipped in a thread once the first card is up
    "hipquiz.core.store.backups",  # the same
    "hipquiz.tui.widgets.deck_table",
    "hipquiz.tui.screens.help",
    "hipquiz.tui.screens.stats",
    "hipquiz.tui.screens.browser",
    "hipquiz.tui.screens.note_editor",
    "hipquiz.tui.screens.custom_study",
    "hipquiz.tui.screens.summary",  # the end of a session
    "hipquiz.tui.screens.leech",  # after an answer, now and then
    "hipquiz.tui.screens.confirm",
    "hipquiz.tui.screens.home",  # 'hipquiz study' starts on its card; home is made when it is left
    "hipquiz.core.history",  # the log's running totals: the first answer, the statistics
    "hipquiz.core.answers",  # what the session keeps of answers given, from the first one on
    "hipquiz.core.questions.figure_question",  # picture questions
    "hipquiz.core.problems",  # what is wrong in a deck file: decks from the parse cache have nothing
    "hipquiz.core.outcome",  # what a rating does to a card: the first rating (as fsrs)
    "argparse",  # a plain 'hipquiz study DECK' is read without it (cli._plain_start)
    "hashlib",  # the parse cache compares texts whole, and a deck from it has its answer hashes
)

# The end of each start script below: the command runs, and what was seen is printed. Should what
# quits the app never come, it would run for ever: the process gives up instead.
RUN_AND_PRINT = """
def give_up():
    print("the app never got there: nothing quit it", file=sys.stderr, flush=True)
    os._exit(3)

safety = threading.Timer(30, give_up)
safety.daemon = True
safety.start()
code = cli.main(sys.argv[1:])
print(json.dumps(seen))
sys.exit(code)
"""

# Runs the command's own main() on argv. App._display (Textual writes each frame to the terminal
# there; textual is pinned for the tests) is wrapped to note the modules imported by the first
# frame that shows a card (and the garbage collections since the command began opening the app);
# Scheduler.warm, to note fsrs once warmed up, and to quit then. (Nothing of the lexicon is
# imported here: that it is not imported by the first card says it was not loaded.)
START = """
import gc, json, os, sys, threading
from hipquiz import cli
from hipquiz.core.scheduler import Scheduler
from hipquiz.tui.app import HipquizApp
from hipquiz.tui.screens.study import StudyScreen

seen = {}
display = HipquizApp._display

def noting_display(self, screen, renderable):
    if "modules" not in seen and renderable is not None and isinstance(screen, StudyScreen) and screen.card:
        seen["modules"] = sorted(sys.modules)
        seen["collections while loading"] = collections.pop()
    return display(self, screen, renderable)

HipquizApp._display = noting_display
# Garbage collections from the moment the command opens the app to its first card.
collections = []
run_app = cli._run_app

def counting_run_app(*args, **kwargs):
    collections.append(0)
    return run_app(*args, **kwargs)

def count(phase, info):
    if phase == "start" and collections:
        collections[-1] += 1

cli._run_app = counting_run_app
gc.callbacks.append(count)
warm = Scheduler.warm

def noting_warm(self):
    warm(self)
    seen["fsrs after warm-up"] = "fsrs" in sys.modules
    app = HipquizApp._running
    app.call_from_thread(app.exit)

Scheduler.warm = noting_warm
run = HipquizApp.run

def headless_run(self, **kwargs):
    HipquizApp._running = self
    return run(self, headless=True, size=(80, 24))

HipquizApp.run = headless_run
""" + RUN_AND_PRINT


def start(data) -> dict:
    done = subprocess.run([sys.executable, "-c", START, "--data", str(data), "study", "hip-anatomy"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def loaded(modules: list[str], name: str) -> bool:
    return any(module == name or module.startswith(name + ".") for module in modules)


def test_first_card_is_shown_without_the_modules_it_does_not_need(tmp_path):
    start(tmp_path / "first")  # fills the parse cache, as any earlier start has
    seen = start(tmp_path / "data")
    assert "modules" in seen, "no frame showed a card"
    assert [name for name in NOT_BEFORE_THE_FIRST_CARD if loaded(seen["modules"], name)] == []
    # Nor is the garbage collector let loose on everything loaded so far while the app opens.
    assert seen["collections while loading"] == 0
    # ...and fsrs is ready before the first rating, which therefore does not import it.
    assert seen["fsrs after warm-up"]


def test_a_start_with_progress_reads_the_cards_answer_hashes_without_hashlib(tmp_path):
    """A start checks every studied card's answer against the one it was studied with
    (reconcile_edits); a deck from the parse cache carries its cards' hashes for that."""
    from datetime import timedelta

    from hipquiz.core.decks import load_library
    from hipquiz.core.model import utc_now
    from hipquiz.core.scheduler import Scheduler
    from hipquiz.core.store import write_store

    deck = load_library().find("hip-anatomy")  # in this process: fills the parse cache the start reads
    scheduler, at = Scheduler(), utc_now() - timedelta(days=3)
    studied = [scheduler.new_progress(card.id, card.answer_hash, at).with_changes(
        phase="review", reps=3, due=at + timedelta(days=30)) for card in deck.cards[:20]]
    write_store(tmp_path / "data", studied, [], durable=False)
    seen = start(tmp_path / "data")
    assert "modules" in seen, "no frame showed a card"
    assert [name for name in NOT_BEFORE_THE_FIRST_CARD if loaded(seen["modules"], name)] == []


# The regular expressions hipquiz compiles as a start imports its modules: those the first card may
# use (the data folder's file names, the card index, the stylesheet's parts). Every other pattern is
# kept as text and compiled by re when first used (each one compiled at import costs every start
# 0.02-0.2 ms; together ~1 ms).
COMPILED_AT_IMPORT = {"hipquiz.core.store.layout", "hipquiz.core.store.cardindex", "hipquiz.tui.app"}

COMPILES = """
import json, re, sys
import textual.app

compiled = []
compile_ = re.compile

def noting_compile(pattern, flags=0):
    module = sys._getframe(1).f_globals.get("__name__", "")
    if module.startswith("hipquiz"):
        compiled.append(module)
    return compile_(pattern, flags)

re.compile = noting_compile
import hipquiz.cli, hipquiz.core.collection, hipquiz.core.session, hipquiz.tui.app, hipquiz.tui.screens.study
print(json.dumps(sorted(set(compiled))))
"""


def test_a_start_compiles_only_the_patterns_its_first_card_may_use():
    done = subprocess.run([sys.executable, "-c", COMPILES], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout.strip().splitlines()[-1])) - COMPILED_AT_IMPORT == set()


# The home screen's start (`hipquiz`): its first frame without the study screen's module and the
# widgets only a card shows; they are imported once the screen is up (_after_first_screen), so the
# first deck opened does not wait for them either.
NOT_BEFORE_THE_HOME_SCREEN = ("hipquiz.tui.screens.study", "hipquiz.tui.question_ui", "hipquiz.tui.feedback",
                              "hipquiz.tui.widgets.card_view", "hipquiz.tui.widgets.rating_bar",
                              "hipquiz.tui.widgets.answer_list", "hipquiz.tui.widgets.drawing",
                              "hipquiz.core.raster")

HOME_START = """
import json, os, sys, threading
from hipquiz import cli
from hipquiz.tui.app import HipquizApp

seen = {}
display = HipquizApp._display

def noting_display(self, screen, renderable):
    if "modules" not in seen and renderable is not None and type(screen).__name__ == "HomeScreen":
        seen["modules"] = sorted(sys.modules)
    return display(self, screen, renderable)

HipquizApp._display = noting_display
after = HipquizApp._after_first_screen

def noting_after(self):
    after(self)
    seen["study screen after"] = "hipquiz.tui.screens.study" in sys.modules
    self.exit()

HipquizApp._after_first_screen = noting_after
run = HipquizApp.run
HipquizApp.run = lambda self, **kwargs: run(self, headless=True, size=(80, 24))
""" + RUN_AND_PRINT


def test_the_home_screen_is_shown_without_the_study_screen_then_readies_it(tmp_path):
    done = subprocess.run([sys.executable, "-c", HOME_START, "--data", str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "modules" in seen, "no frame showed the home screen"
    assert [name for name in NOT_BEFORE_THE_HOME_SCREEN if loaded(seen["modules"], name)] == []
    assert seen["study screen after"]
