"""How fair the wrong options of multiple-choice questions are, over both shipped decks.

    python bench/bench_fair_choices.py               # this checkout
    python bench/bench_fair_choices.py --old DIR     # also a checkout of another revision (its
                                                      # hipquiz and decks), e.g. from `git archive`
    python bench/bench_fair_choices.py -v            # list every problem found

Every card with a choice form is asked with seeds 0..N-1. Prints, per checkout: the cards with a
choice form, the questions asked, the wrong options offered; of those, how many are labelled in
tests/data/fair_distractors.toml (hand-written from the reference sheets) and the share of the
labelled ones that are fair; and the options the automatic checks of tests/unit/choice_checks.py
find of another kind, outside a group the prompt names, the answer alone repeating a word of the
prompt, naming the muscle the prompt asks about, or no muscle of the deck where the prompt asks
"of this deck's muscles" (each counted per question asked).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ("hip-muscles.toml", "textbook-anatomy.toml")


def measure(root: Path, seeds: int) -> dict:
    """The figures for the hipquiz and decks of ``root`` (run in this process)."""
    sys.path.insert(0, str(root))
    sys.path.insert(0, str(ROOT / "tests" / "unit"))
    from choice_checks import (
        clue_problems,
        deck_problems,
        group_problems,
        judgements,
        kind_problems,
        loose,
        self_problems,
        wrong_options,
    )

    from hipquiz.core.decks import load_deck
    from hipquiz.core.lexicon import Lexicon
    from hipquiz.core.questions import build_question, supported_types

    lexicon = Lexicon.shipped()
    labels = {(label["card"], loose(label["option"])): label["fair"] for label in judgements()}
    cards = asked = offered = labelled = fair = 0
    problems: dict[str, list[str]] = {"kind": [], "group": [], "clue": [], "self": [], "deck": []}
    for name in FILES:
        deck = load_deck(root / "decks" / name)
        for card in deck.cards:
            if "choice" not in supported_types(card, deck):
                continue
            cards += 1
            for seed in range(seeds):
                question = build_question(card, "choice", deck, random.Random(seed))
                asked += 1
                for option in wrong_options(question):
                    offered += 1
                    verdict = labels.get((card.id, loose(option)))
                    if verdict is not None:
                        labelled += 1
                        fair += verdict
                problems["kind"] += kind_problems(deck, card, question, lexicon)
                problems["group"] += group_problems(card, question, lexicon)
                problems["clue"] += clue_problems(card, question)
                problems["self"] += self_problems(card, question, lexicon)
                problems["deck"] += deck_problems(deck, card, question)
    return {"cards": cards, "asked": asked, "offered": offered, "labelled": labelled, "fair": fair,
            "problems": {key: sorted(set(found)) for key, found in problems.items()},
            "counts": {key: len(found) for key, found in problems.items()}}


def report(title: str, figures: dict, verbose: bool) -> None:
    labelled = figures["labelled"]
    share = f"{figures['fair'] / labelled:.0%}" if labelled else "-"
    counts = figures["counts"]
    print(f"{title}: {figures['cards']} cards with a choice form, {figures['asked']} questions, "
          f"{figures['offered']} wrong options offered")
    print(f"  labelled: {labelled} offered options; fair: {figures['fair']} of {labelled} ({share})")
    print(f"  of another kind: {counts['kind']}, outside the group named: {counts['group']}, "
          f"answer alone repeating a word of the prompt: {counts['clue']}, naming the muscle asked "
          f"about: {counts['self']}, not of the deck's muscles asked among: {counts['deck']}")
    if verbose:
        for key, found in figures["problems"].items():
            for line in found:
                print(f"    [{key}] {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, help="another checkout to measure too (its hipquiz and decks)")
    parser.add_argument("--seeds", type=int, default=10, help="questions per card (default 10)")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one checkout, for --old
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.root, args.seeds)))
        return
    if args.old:
        # Another revision's hipquiz must be imported in a process of its own.
        env = {**os.environ, "PYTHONPATH": str(args.old)}
        run = subprocess.run([sys.executable, __file__, "--json", "--root", str(args.old), "--seeds", str(args.seeds)],
                             capture_output=True, text=True, env=env, check=True)
        report(f"old ({args.old})", json.loads(run.stdout), args.verbose)
    report("this checkout", measure(args.root, args.seeds), args.verbose)


if __name__ == "__main__":
    main()
