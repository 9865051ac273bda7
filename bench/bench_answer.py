"""Answer → next card, through the real app: what a person waits for between pressing a rating key
and seeing the next question, in each mode.

    python bench/bench_answer.py [--answers 300] [--sizes 100 100000]
                                 [--modes flip choice select typed pictures mixed] [--profile FILE]
                                 [--breakdown] [--old DIR [--rounds N]]

For each history size it builds a store (bench_store's bulk writer: a steady user's reviews, ending
yesterday) and, for each mode, opens the app on a fresh copy of it, headless at 80×24 on the shipped
textbook deck, and answers ``--answers`` cards. A flip card: Space shows the answer. A checked card:
its answer is given (Enter on the first option, Enter on an empty typed answer or on nothing ticked,
region 1 of the drawing for "where is it?"), which shows the verdict and the answer. Then 3 (Good)
or 1 (Again) by turns rates it and brings the next card.

What is timed is key → frame, not Pilot's idle waits. The key is posted the way the terminal driver
posts it (``driver.send_message``) and the clock stops at the first frame the app writes that shows
what the key should bring, laid out: the next question's first line, or the verdict's (the answer's
for a flip card), in a frame drawn with a layout since the key (a frame drawn before it shows the
new text in the old layout). A headless app renders each frame (``Compositor.render_update``) and then skips the
write; the benchmark wraps ``App._display`` to turn each frame into the bytes a terminal would get
(``render_segments``), looks for the text in them, and counts that conversion in the time. Pilot
waits only outside the timed span (the app settles, saves included, as it would during a person's
few seconds of thought).

It prints, per mode and per question type asked in it (a card with no form of the mode's type is
asked as a flip card), the median and p99 of rating key → next question written, answer key →
verdict (or answer) written, and the save alone (``record_review``, fsynced, timed inside the
store); and the same key → frame measurement on a bare Textual app whose key updates one line: the
floor any Textual app pays. Before each key it waits (untimed) as a person would: saves done, the
app idle, and ``THINK`` seconds more; before the first, also for what the app starts once its first
screen is up (``started``). ``--breakdown`` adds, per figure, the medians of Textual's
layout, its frame render and the rest (handler, events, waiting for the frame), and the CPU time
of the app's process from key to frame (``process_time``, steadier than wall time on a busy machine).

``--old DIR`` times another checkout of hipquiz (``git worktree add DIR <commit>``) in the same
run: each mode is studied ``--rounds`` times by each, old and new by turns, each in a fresh process
on a fresh copy of the same history, so that both meet the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
# The checkout whose hipquiz is timed: this one, or (in a child process of --old) the one named.
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv else ROOT
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(CODE))

from hipquiz.core.collection import Collection  # noqa: E402
from hipquiz.core.decks import load_library  # noqa: E402
from hipquiz.core.scheduler import SchedulerSettings  # noqa: E402
from hipquiz.core.store import Store  # noqa: E402

from bench_store import TODAY, build  # noqa: E402

# bench_store puts this checkout first on the path: what the app imports later must come from CODE.
while str(CODE) in sys.path:
    sys.path.remove(str(CODE))
sys.path.insert(0, str(CODE))

# Escape sequences between the text of a frame (cursor moves, colours, OSC links).
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
TIMEOUT = 10.0
# A person's next key comes long after the last frame; the benchmark waits this long (untimed)
# before each key, so that it does not land within the frame period (1/60 s) of the frame before it,
# where Textual would hold the next frame back: an artefact of keys sent back to back.
THINK = 0.05


class Clock:
    def __init__(self) -> None:
        self.moment = TODAY

    def __call__(self):
        return self.moment


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def figures(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} / {p99(values) * 1000:7.1f}"


def _time_compositor(parts: dict[str, float], before_layout: Callable[[object], None],
                     mark: Callable[[str], None] | None = None) -> None:
    """Add the time of each layout (``Compositor.reflow``) and frame render
    (``Compositor.render_update``) to ``parts`` (for ``--breakdown``); call ``before_layout``
    with the screen before each layout, and ``mark`` (if given) with each one's start and end."""
    from textual._compositor import Compositor

    for name, method in (("layout", "reflow"), ("render", "render_update")):
        original = getattr(Compositor, method)
        original = getattr(original, "__wrapped_by_bench__", original)

        def timed(self, *args, _original=original, _name=name, **kwargs):
            if _name == "layout":
                before_layout(args[0])
            start = time.perf_counter()
            if mark is not None:
                mark(f"{_name} {{")
            try:
                return _original(self, *args, **kwargs)
            finally:
                parts[_name] += time.perf_counter() - start
                if mark is not None:
                    mark(f"}} {_name}")

        timed.__wrapped_by_bench__ = original
        setattr(Compositor, method, timed)


# A message handled in less than this is not worth a line in a trace (they come by the dozen).
_TRACED_FROM = 0.0002


def _trace_app(mark: Callable[[str], None]) -> None:
    """Mark in a key's trace: each message handled in more than ``_TRACED_FROM`` (who, what, how
    long, ms) and each key, each timer's tick (how long after it was due), each garbage collection,
    each save in its thread."""
    from textual.message_pump import MessagePump
    from textual.timer import Timer

    dispatch = MessagePump._dispatch_message
    dispatch = getattr(dispatch, "__wrapped_by_bench__", dispatch)

    async def traced(self, message):
        start = time.perf_counter()
        try:
            return await dispatch(self, message)
        finally:
            spent = time.perf_counter() - start
            name = type(message).__name__
            if spent > _TRACED_FROM or name == "Key":
                mark(f"{type(self).__name__}.{name} [{spent * 1000:.1f}]")

    traced.__wrapped_by_bench__ = dispatch
    MessagePump._dispatch_message = traced
    from textual.widget import Widget

    render_lines = Widget.render_lines
    render_lines = getattr(render_lines, "__wrapped_by_bench__", render_lines)

    def rendered(self, crop):
        start = time.perf_counter()
        try:
            return render_lines(self, crop)
        finally:
            spent = time.perf_counter() - start
            if spent > _TRACED_FROM:
                mark(f"draw {type(self).__name__}#{self.id or ''} {crop.height} lines [{spent * 1000:.1f}]")

    rendered.__wrapped_by_bench__ = render_lines
    Widget.render_lines = rendered
    tick = Timer._tick
    tick = getattr(tick, "__wrapped_by_bench__", tick)

    async def ticked(self, *, next_timer: float, count: int) -> None:
        start = time.perf_counter()
        try:
            return await tick(self, next_timer=next_timer, count=count)
        finally:
            mark(f"timer {self.name} late {(time.monotonic() - next_timer) * 1000:.1f} [{(time.perf_counter() - start) * 1000:.1f}]")

    ticked.__wrapped_by_bench__ = tick
    Timer._tick = ticked


class Frames:
    """Every frame the app writes, as the terminal would get it; ``key`` times one key to the first
    frame for which ``shows(text)`` is true."""

    def __init__(self, app, profiler=None, trace: bool = False) -> None:
        self.app = app
        # Profiled only from the key to its frame.
        self.profiler = profiler
        # With ``trace``: (seconds since the key, what) of each key, for --slowest.
        self.trace: list[tuple[float, str]] | None = [] if trace else None
        self._start = 0.0
        self._shows: Callable[[str], bool] | None = None
        self._seen: asyncio.Future[float] | None = None
        # Of the last key's span: Textual laying out the screen, and rendering the frame's changes.
        self.parts = {"layout": 0.0, "render": 0.0, "cpu": 0.0, "gc": 0.0}
        self._cpu_seen = 0.0
        display = app._display
        # Layouts since the key. Every key timed changes what the card shows (a new question, the
        # verdict and answer), so its frame comes with a layout: one drawn before it shows the new
        # text in the old layout (the next question cut to the last one's lines, say).
        self._layouts = 0

        def before_layout(screen) -> None:
            self._layouts += 1

        _time_compositor(self.parts, before_layout, self.mark if trace else None)
        self._collecting = 0.0

        def collected(phase: str, info: dict) -> None:
            # Collections from the key to its frame (inside the layout and render or not).
            if phase == "start":
                self._collecting = time.perf_counter()
            elif self._seen is not None and not self._seen.done():
                self.parts["gc"] += time.perf_counter() - self._collecting
            if trace:
                self.mark(f"gc{info['generation']} {{" if phase == "start" else f"}} gc{info['generation']}")

        self._collected = collected
        gc.callbacks.append(collected)
        if trace:
            _trace_app(self.mark)

        def written(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is None or self._shows is None or self._seen is None or self._seen.done():
                if renderable is not None:
                    self.mark("frame (after)" if self._seen is not None and self._seen.done() else "frame")
                return
            if not self._layouts:
                self.mark("frame without a layout")
                return  # the change drawn in the last layout: a later frame draws it as it should be
            render = getattr(renderable, "render_segments", None)
            data = render(app.console) if render is not None else str(renderable)
            if self._shows(ESCAPES.sub("", data)):
                self.mark("frame: shown")
                self._seen.set_result(time.perf_counter())
                self._cpu_seen = time.process_time()
                if self.profiler is not None:
                    self.profiler.stop()

        app._display = written

    def close(self) -> None:
        gc.callbacks.remove(self._collected)

    def mark(self, what: str) -> None:
        """Note ``what`` in the trace of the key timed (if tracing, and a key is being timed)."""
        if self.trace is not None and self._seen is not None:
            self.trace.append((time.perf_counter() - self._start, what))

    async def key(self, key: str, shows: Callable[[str], bool]) -> float:
        from textual import events

        self._shows = shows
        self._seen = asyncio.get_running_loop().create_future()
        self.parts.update(layout=0.0, render=0.0, cpu=0.0, gc=0.0)
        self._layouts = 0
        if self.profiler is not None:
            self.profiler.start()
        if self.trace is not None:
            self.trace = []
        cpu = time.process_time()
        start = self._start = time.perf_counter()
        self.app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        try:
            seen = await asyncio.wait_for(self._seen, TIMEOUT)
            self.parts["cpu"] = self._cpu_seen - cpu
            return seen - start
        finally:
            self._shows = None
            # What comes after the frame (a second frame, a collection) is traced until the next
            # key: it is the next key's to wait for if it comes soon (see settle).


def shown_in(widget, text: str) -> bool:
    """Whether the words that start a Static's text (its first 40 characters) are in ``text``, in
    order: on screen they may wrap, with a drawing's cells between them on each line."""
    lines = str(widget.content).strip().splitlines()
    words = lines[0][:40].split() if lines else []
    return bool(words) and re.search(r"\s.*?".join(map(re.escape, words)), text, re.DOTALL) is not None


async def settle(pilot) -> None:
    """Let the app finish everything (saves included) before the next key: outside the timed span."""
    await pilot.pause()
    for _ in range(100):
        busy = [w for w in pilot.app.workers if not w.is_finished and w.group == "save"]
        if not busy:
            break
        for worker in busy:
            await worker.wait()
        await pilot.pause()
    await pilot.pause()
    await asyncio.sleep(THINK)


async def started(pilot) -> None:
    """Wait (untimed) for the work the app starts a moment after its first screen (the backup
    compressed, fsrs made ready, in threads) before the first key, as someone reading the first
    question would: a key sent at once met fsrs not yet imported, or the threads running."""
    from hipquiz.tui.app import SETTLE_SECONDS

    await asyncio.sleep(SETTLE_SECONDS + 0.1)
    for _ in range(100):
        busy = [worker for worker in pilot.app.workers if not worker.is_finished]
        if not busy:
            break
        for worker in busy:
            with contextlib.suppress(Exception):  # a failed one has finished too
                await worker.wait()
        await pilot.pause()


async def drive(folder: Path, answers: int, mode: str, profile: Path | None,
                trace: bool = False) -> dict[str, dict[str, list]]:
    """Answer ``answers`` cards in ``mode``; timings by question type asked, then by figure
    (``answer``: rating key → next question, ``reveal``: answer key → verdict or answer shown,
    ``save``: the store's ``record_review``; with ``trace``, ``answer trace`` and ``reveal trace``:
    each key's trace, see Frames.mark)."""
    from hipquiz.tui.app import HipquizApp
    from hipquiz.tui.screens.study import StudyScreen
    from textual.widgets import Static

    clock = Clock()
    library = load_library(None)
    deck = library.find("hip-anatomy")
    timings: dict[str, dict[str, list[float]]] = {}
    saves: list[float] = []
    profiler = None
    with Store.open(folder, now=clock) as store:
        # Time the save where it happens, without changing what it does.
        record = store.record_review

        def timed_record(review, progress):
            start = time.perf_counter()
            if frames is not None:
                frames.mark("save {")
            try:
                return record(review, progress)
            finally:
                saves.append(time.perf_counter() - start)
                if frames is not None:
                    frames.mark("} save")

        frames = None

        store.record_review = timed_record
        store.set_setting("mode", mode)
        collection = Collection(library, store, now=clock,
                                settings=SchedulerSettings(new_per_day=10_000, enable_fuzzing=False))
        app = HipquizApp(collection=collection, start_deck=deck, start_study=True)
        if profile is not None:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002, async_mode="disabled")
        async with app.run_test(size=(80, 24)) as pilot:
            frames = Frames(app, profiler, trace)
            await settle(pilot)
            await started(pilot)
            screen = app.screen
            assert isinstance(screen, StudyScreen), "the study screen did not open"
            for number in range(answers):
                if screen.card is None or app.screen is not screen:
                    break
                kind = screen.question.kind
                timed = timings.setdefault(kind, defaultdict(list))
                if not screen.revealed:
                    # Flip: Space shows the answer. "Where is it?": region 1 is picked. Other
                    # types: the first option / an empty typed answer / nothing ticked is checked
                    # (Enter), which shows the verdict and the answer.
                    # A flip card in typed mode has a text box (Space would type): Enter.
                    key = ("space" if screen._self_rated and not screen._ui.takes_text
                           else "1" if kind == "where" else "enter")
                    try:
                        timed["reveal"].append(await frames.key(
                            key, lambda text: screen.revealed and shown_in(
                                screen.query_one(".verdict" if not screen._self_rated else ".answer", Static),
                                text)))
                        for part, spent in frames.parts.items():
                            timed[f"reveal {part}"].append(spent)
                        if trace:
                            timed["reveal trace"].append(frames.trace)
                    except TimeoutError:
                        raise SystemExit(f"no answer shown after {key!r} on a {kind} question: "
                                         f"{screen.question.prompt!r}") from None
                    await settle(pilot)
                before = screen.card
                clock.moment += timedelta(seconds=8)
                prompt = screen.query_one(".prompt", Static)
                saved = len(saves)
                # Good and Again by turns: forgotten cards come back within the session, so a
                # deck of any size gives as many answers as asked for.
                try:
                    timed["answer"].append(await frames.key(
                        "3" if number % 2 else "1",
                        lambda text: screen.card is not before and not screen.revealed
                        and shown_in(prompt, text)))
                except TimeoutError:
                    break  # the session ended (summary) or the same card came back at once
                for part, spent in frames.parts.items():
                    timed[f"answer {part}"].append(spent)
                if trace:
                    timed["answer trace"].append(frames.trace)
                await settle(pilot)
                timed["save"].extend(saves[saved:])
            frames.close()
    if profiler is not None:
        profile.write_text(profiler.output_text(unicode=True, color=False, show_all=True), encoding="utf-8")
    return timings


async def bare(presses: int) -> dict[str, list[float]]:
    """The same key → frame measurement on a bare Textual app whose key updates one line of text."""
    from textual.app import App
    from textual.widgets import Footer, Static

    class Bare(App):
        BINDINGS = [("3", "next", "Next")]
        count = 0

        def compose(self):
            yield Static("question 0", id="q")
            yield Footer()

        def action_next(self) -> None:
            self.count += 1
            self.query_one("#q", Static).update(f"question {self.count}")

    times = []
    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        frames = Frames(app)
        await pilot.pause()
        for number in range(1, presses + 1):
            times.append(await frames.key("3", lambda text: f"question {number}" in text))
            await settle(pilot)
        frames.close()
    return {"answer": times}


def slowest(timings: dict[str, list], figure: str, count: int) -> list[str]:
    """The traces of the ``count`` slowest keys of a figure, a few lines each: what happened from
    the key to its frame and until the next key, in ms since the key (see Frames.mark). A pair
    ``{ … }`` is one span: a layout, a render, a collection, a save."""
    lines = []
    ranked = sorted(enumerate(zip(timings[figure], timings[f"{figure} cpu"], timings[f"{figure} trace"]), 1),
                    key=lambda entry: -entry[1][0])
    for number, (total, cpu, trace) in ranked[:count]:
        lines.append(f"    {figure} {total * 1000:.1f} ms (cpu {cpu * 1000:.1f}), key {number} of {len(ranked)}:")
        steps = [f"{at * 1000:.1f} {what}" for at, what in trace]
        for start in range(0, len(steps), 6):
            lines.append("      " + " · ".join(steps[start:start + 6]))
    return lines


def parts(timings: dict[str, list[float]], figure: str) -> str:
    """Medians of a figure's layout, render and the rest (the handler, waiting for the frame), and
    of its CPU time, ms."""
    if not timings[figure]:
        return ""
    layout, render, cpu, gc = (statistics.median(timings.get(f"{figure} {part}") or [0.0])
                               for part in ("layout", "render", "cpu", "gc"))
    rest = statistics.median(total - a - b for total, a, b in zip(
        timings[figure], timings[f"{figure} layout"], timings[f"{figure} render"]))
    cpu_p99 = p99(timings.get(f"{figure} cpu") or [0.0])
    return (f"{layout * 1000:.1f} + {render * 1000:.1f} + {rest * 1000:.1f}, cpu {cpu * 1000:.1f} "
            f"(p99 {cpu_p99 * 1000:.1f}) gc {gc * 1000:.1f}")


MODES = ("flip", "choice", "select", "typed", "pictures", "mixed")


def study(code: Path | None, folder: Path, answers: int, mode: str,
          profile: Path | None, trace: bool = False) -> dict[str, dict[str, list]]:
    """``drive`` in this process (``code`` None), or in a fresh one importing hipquiz from ``code``."""
    if code is None:
        return asyncio.run(drive(folder, answers, mode, profile, trace))
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(folder), "--code", str(code),
               "--answers", str(answers), "--modes", mode, *(["--slowest", "1"] if trace else [])]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{code}: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--modes", "--mode", nargs="+", default=list(MODES), choices=MODES,
                        help="the modes studied in (default: all)")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the first run here")
    parser.add_argument("--breakdown", action="store_true",
                        help="also print, for each figure, the medians of its layout, render and the rest, "
                             "and of its CPU time (ms)")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="also print what happened on the N slowest keys of each figure: the "
                             "messages handled, timers, layouts, renders, frames, collections, saves")
    parser.add_argument("--old", type=Path, help="another checkout of hipquiz to time by turns with this one")
    parser.add_argument("--rounds", type=int, default=2, help="with --old: runs of each, by turns (default 2)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # a store folder: one run, JSON out
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(drive(args.child, args.answers, args.modes[0], None, args.slowest > 0))))
        return
    if args.old is not None and not (args.old / "hipquiz").is_dir():
        parser.error(f"--old {args.old}: no hipquiz package there (make one with git worktree add)")
    codes: list[tuple[str, Path | None]] = [("", None)] if args.old is None else \
        [("old", args.old.resolve()), ("new", ROOT)] * max(args.rounds, 1)
    root = Path(tempfile.mkdtemp(prefix="hipquiz-answer-"))
    try:
        header = (f"{'mode':>8} {'reviews':>8} {'type':>7} {'answers':>7} {'rating key → next question':>27} "
                  f"{'key → verdict shown':>19} {'save alone':>17}   (ms, median / p99)")
        print(header)
        floor = asyncio.run(bare(args.answers))
        print(f"{'bare':>8} {'':>8} {'':>7} {len(floor['answer']):>7} {figures(floor['answer']):>27}")
        for size in args.sizes:
            pristine = root / f"{size}-pristine"
            build(pristine, size, min(size, 10_000))
            Store.open(pristine, now=lambda: TODAY).close()  # the day's backup, before the session
            for mode in args.modes:
                by_code: dict[str, dict[str, dict[str, list[float]]]] = {}
                for label, code in codes:
                    # Each run starts from the same history.
                    folder = root / f"{size}-{mode}"
                    shutil.copytree(pristine, folder)
                    profile, args.profile = args.profile, None
                    by_kind = study(code, folder, args.answers, mode, profile if code is None else None,
                                    args.slowest > 0)
                    shutil.rmtree(folder, ignore_errors=True)
                    merged = by_code.setdefault(label, {})
                    for kind, t in by_kind.items():
                        for figure, values in t.items():
                            merged.setdefault(kind, defaultdict(list))[figure].extend(values)
                for label, by_kind in by_code.items():
                    for kind, t in sorted(by_kind.items(), key=lambda item: -len(item[1]["answer"])):
                        if not t["answer"]:
                            continue
                        shown = figures(t["reveal"]) if t["reveal"] else ""
                        save = figures(t["save"]) if t["save"] else ""
                        print(f"{mode:>8} {size:>8,} {kind:>7} {len(t['answer']):>7} {figures(t['answer']):>27} "
                              f"{shown:>19} {save:>17}   {label}", flush=True)
                        if args.breakdown:
                            print(f"{'':>8} {'':>8} {'':>7} {'':>7} {parts(t, 'answer'):>27} "
                                  f"{parts(t, 'reveal'):>19}   (layout + render + the rest, cpu (its p99), gc; medians)")
                        if args.slowest:
                            for figure in ("answer", "reveal"):
                                if t[figure]:
                                    print("\n".join(slowest(t, figure, args.slowest)))
        floor = asyncio.run(bare(args.answers))
        print(f"{'bare':>8} {'':>8} {'':>7} {len(floor['answer']):>7} {figures(floor['answer']):>27}   (again, after)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
