"""When Python's garbage collector may pause the app: not while it starts, once the first card is
up never over what lasts as long as the app, and while cards are studied between keys.

A collection walks every object it tracks: the ~43,000 that Textual, hipquiz, the decks and the
store leave alive before the app runs, and as many again once a screen is up. While the first
screen is built, ~20 collections (one of them full) took 15-30 ms of a cold start; later, a full
collection was a pause of 20-70 ms that now and then fell between a key and its frame. A key's
frame makes a few thousand objects: Python collected the young ones every 700, three to eight
times a frame (0.1-0.4 ms each) and every tenth time the middle generation too (1-2 ms).
"""

from __future__ import annotations

import gc

# Whether pause_for_start() turned collections off (and resume() has yet to turn them back on).
_paused = False
# Whether what was alive after the first card has been frozen (once a process).
_card_frozen = False
# While cards are studied, young objects Python lets pile up before it collects them itself: more
# than a key makes (2,000-8,000), so that it collects them between keys (collect_if_due) instead.
YOUNG_BETWEEN_KEYS = 20_000
# The thresholds to give back (None: collect_between_keys() is not in force).
_thresholds_before: tuple[int, ...] | None = None


def pause_for_start() -> None:
    """Before the app runs: freeze what is alive (it lasts as long as the app; a little garbage of
    the start is kept too) and collect nothing until :func:`resume`."""
    global _paused
    gc.freeze()
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """The first screen is up (or the app stops): collections as usual. Does nothing if
    :func:`pause_for_start` turned nothing off."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def freeze_what_lasts() -> None:
    """Once the first card is up: leave what is alive (Textual, the decks, the lexicon, the screens)
    out of full collections. Once a process: objects frozen are never freed, and what is there
    after the first card lasts as long as the app."""
    global _card_frozen
    if not _card_frozen:
        _card_frozen = True
        gc.freeze()


def collect_between_keys() -> None:
    """While cards are studied (the study screen is shown): young objects are collected between
    keys by :func:`collect_if_due`, not by Python inside a key's frame. Until
    :func:`collect_as_usual`. Only for a generational collector: CPython 3.14's incremental one
    (a third threshold of 0) collects in steps of its own."""
    global _thresholds_before
    thresholds = gc.get_threshold()
    if _thresholds_before is None and len(thresholds) == 3 and thresholds[2] > 0:
        _thresholds_before = thresholds
        gc.set_threshold(YOUNG_BETWEEN_KEYS, *thresholds[1:])


def collect_as_usual() -> None:
    """Python's own thresholds again (the study screen is left). Does nothing if
    :func:`collect_between_keys` changed nothing."""
    global _thresholds_before
    if _thresholds_before is not None:
        gc.set_threshold(*_thresholds_before)
        _thresholds_before = None


def collect_if_due() -> None:
    """Between keys (a card just drawn): the full collection Python would soon make by itself, made
    now. It walks every object made since the first card (5-8 ms), and made by itself it fell inside
    a key's frame: the slowest of a few hundred keys. While :func:`collect_between_keys` is in
    force, the young objects the key left are collected too (and every tenth time the middle
    generation, as Python would)."""
    if not gc.isenabled():
        return
    threshold = gc.get_threshold()
    count = gc.get_count()
    # A collector without a third generation (CPython 3.14's incremental one keeps a third
    # threshold of 0 for compatibility) would read as always due: a full collection every key.
    if threshold[2] > 0 and count[2] >= threshold[2] - 2:
        gc.collect()
    elif _thresholds_before is not None:
        gc.collect(1 if count[1] + 1 >= threshold[1] else 0)
