"""Asking a card costs the same for 50 or 10,000 notes (issue 12, "per-card work independent of
deck size").

    python bench/bench_ask.py [--sizes 50 1000 10000] [--old DIR]

For generated decks of muscle, basic and list notes (names, locations, groups, numbers, phrases and
lists, as the shipped decks have), prints the time to ask the first card of a fresh deck (which
builds what is known of the deck once) and the median and worst time to ask each later card, in
each mode, as a study session asks (pick the type for the mode, build the question). ``--old DIR``
runs the same against another checkout of hipquiz (say ``git worktree add DIR 71c5f38``), in a
subprocess, skipping sizes that would take minutes there.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
SYLLABLES = ("ra", "to", "mi", "sen", "lo", "fa", "qua", "dri", "pel", "vor", "tis", "gan", "ur", "bel",
             "cor", "nix", "dal", "pho", "ser", "lim")
WORDS = ("upper", "outer", "thigh", "buttock", "ridge", "tendon", "crest", "hollow", "front", "surface",
         "between", "beneath", "layer", "strip", "band", "groove", "knee", "pelvis", "line", "margin")
MODES = ("flip", "choice", "typed", "select", "mixed")
LATER = 200


def word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def deck_text(notes: int, seed: int = 1) -> str:
    """A deck of ``notes`` notes: half muscles (with look-alikes), a third basic, the rest lists."""
    rng = random.Random(seed)
    lines = ['[deck]\nid = "bench"\nname = "Bench"\n']
    muscles = []
    for i in range(notes):
        kind = ("muscle", "muscle", "muscle", "basic", "basic", "list")[i % 6]
        lines.append(f'[[notes]]\nid = "n{i}"\ntype = "{kind}"\nsource = "generated"')
        if kind == "muscle":
            name = f"{word(rng, 3)} {word(rng, 2)}us"
            muscles.append(f"n{i}")
            confusable = f'confusable = ["{muscles[-2]}"]\n' if len(muscles) > 1 else ""
            lines.append(f'name = "{name}"\naliases = ["{name.split()[0]}"]\n{confusable}'
                         f'location = "the {phrase(rng, 4)} {i}"\ngroup = "{word(rng, 2)} group"')
        elif kind == "basic":
            answer = str(rng.randint(2, 40)) if i % 4 == 0 else f"{phrase(rng, rng.randint(2, 6))} {i}"
            lines.append(f'question = "What is fact {word(rng, 2)} {i}?"\nanswer = "{answer}"')
        else:
            items = ", ".join(f'"{phrase(rng, 2)} {i}-{k}"' for k in range(3))
            lines.append(f'question = "Which items of list {i}?"\nitems = [{items}]')
        lines.append("")
    return "\n".join(lines)


def measure(notes: int, later: int = LATER) -> dict:
    sys.path.insert(0, str(Path.cwd()))
    from hipquiz.core.decks import parse_deck
    from hipquiz.core.questions import NameIndex, build_question, pick_kind

    text = deck_text(notes)
    started = time.perf_counter()
    deck = parse_deck(text, Path("bench.toml"))
    load = time.perf_counter() - started
    result = {"notes": notes, "cards": len(deck.cards), "load_s": load, "modes": {}}
    cards = list(deck.cards)
    for mode in MODES:
        # A fresh deck object per mode: the first question pays for what is worked out per deck.
        deck = parse_deck(text, Path("bench.toml"))
        cards = list(deck.cards)
        rng = random.Random(4)
        names = NameIndex.from_deck(deck)

        def ask(card):
            kind = pick_kind(card, mode, {}, rng, deck=deck, names=names)
            return build_question(card, kind, deck, rng, names=names)

        started = time.perf_counter()
        ask(cards[0])
        first = time.perf_counter() - started
        times = []
        for card in rng.sample(cards[1:], min(later, len(cards) - 1)):
            started = time.perf_counter()
            ask(card)
            times.append(time.perf_counter() - started)
        result["modes"][mode] = {"first_ms": first * 1000, "median_ms": statistics.median(times) * 1000,
                                 "max_ms": max(times) * 1000}
    return result


def report(label: str, results: list[dict]) -> None:
    print(f"\n{label}")
    print(f"{'notes':>6} {'cards':>6} {'load':>7}  " + "  ".join(f"{m + ' first/median/max ms':>30}" for m in MODES))
    for r in results:
        cells = "  ".join(f"{m['first_ms']:>9.1f} /{m['median_ms']:>8.2f} /{m['max_ms']:>8.1f}"
                          for m in r["modes"].values())
        print(f"{r['notes']:>6} {r['cards']:>6} {r['load_s']:>6.2f}s  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 1000, 10000])
    parser.add_argument("--old", metavar="DIR", help="also run against the hipquiz checkout in DIR")
    parser.add_argument("--later", type=int, default=LATER, help="later cards asked per mode (default %(default)s)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # run one size, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.later)))
        return
    results = [measure(n, args.later) for n in args.sizes]
    report("this checkout", results)
    if args.old:
        old = []
        for n in args.sizes:
            try:
                done = subprocess.run([sys.executable, str(HERE), "--one", str(n), "--later", str(args.later)],
                                      cwd=args.old, capture_output=True, text=True, timeout=600, check=True)
            except subprocess.TimeoutExpired:
                print(f"(old checkout: {n} notes took over 10 minutes; left out)")
                break
            old.append(json.loads(done.stdout))
        report(f"old checkout {args.old}", old)


if __name__ == "__main__":
    main()
