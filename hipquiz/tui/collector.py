"""When Python's garbage collector may pause the app: not while it starts, and, once the first card
is up, never over what lasts as long as the app.

A collection walks every object it tracks: the ~43,000 that Textual, hipquiz, the decks and the
store leave alive before the app runs, and as many again once a screen is up. While the first
screen is built, ~20 collections (one of them full) took 15-30 ms of a cold start; later, a full
collection was a pause of 20-70 ms that now and then fell between a key and its frame.
"""

from __future__ import annotations

import gc

# Whether pause_for_start() turned collections off (and resume() has yet to turn them back on).
_paused = False
# Whether what was alive after the first card has been frozen (once a process).
_card_frozen = False


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


def collect_if_due() -> None:
    """Between keys (a card just drawn): the full collection Python would soon make by itself, made
    now. It walks every object made since the first card (5-8 ms), and made by itself it fell inside
    a key's frame: the slowest of a few hundred keys."""
    threshold = gc.get_threshold()[2]
    # A collector without a third generation (CPython 3.14's incremental one keeps a third
    # threshold of 0 for compatibility) would read as always due: a full collection every key.
    if gc.isenabled() and threshold > 0 and gc.get_count()[2] >= threshold - 2:
        gc.collect()
