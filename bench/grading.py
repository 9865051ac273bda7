"""How well typed answers are graded: agreement with a teacher over the labelled set.

    python bench/grading.py              # the grader of this checkout
    python bench/grading.py --old REV    # also the grader of git revision REV (its check_typed)
    python bench/grading.py -v           # list every disagreement

The labelled set is tests/grading/cases.toml (written by hand from the reference sheets and from how
students answer). Prints, per grader: cases run, agreement, false accepts (a wrong answer accepted,
and how many of them name another term or a look-alike), false rejects (a right answer or a typo
refused) and typo mismatches (accepted as expected, but right vs typo differs).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "grading"))

from labelled import Score, evaluate, load_cases  # noqa: E402

from hipquiz.core.decks import Card, Deck, load_library  # noqa: E402


def current_grader() -> Callable[[Card, Deck, str], str]:
    """The typed check as the app runs it: a typed question built from the card and its deck."""
    from hipquiz.core.questions import build_question, check_answer

    def grade(card: Card, deck: Deck, text: str) -> str:
        check = check_answer(build_question(card, "typed", deck), text)
        if not check.correct:
            return "wrong"
        return "typo" if check.near_miss else "right"

    return grade


def old_grader(revision: str) -> Callable[[Card, Deck, str], str]:
    """The typed check of an older questions.py, loaded from git without checking it out."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:hipquiz/core/questions.py"],
                            check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("old_questions", handle.name)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_questions"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)

    def grade(card: Card, deck: Deck, text: str) -> str:
        try:
            question = module.build_question(card, "typed", deck)
        except ValueError:  # a long answer the old code would not ask as typed: check it all the same
            question = module.Question("typed", card, card.prompt, names=module.NameIndex.from_deck(deck),
                                       rivals=module._rival_answers(card, deck))
        check = module.check_answer(question, text)
        if not check.correct:
            return "wrong"
        return "typo" if check.near_miss else "right"

    return grade


def report(name: str, score: Score, verbose: bool) -> None:
    print(f"{name}:")
    print(f"  cases run        {score.cases}")
    print(f"  agreement        {score.agreement:.1%} ({score.agree}/{score.cases})")
    print(f"  false accepts    {len(score.false_accepts)}")
    print(f"  false rejects    {len(score.false_rejects)}")
    print(f"  typo mismatches  {len(score.typo_mismatches)}")
    if score.missing_cards:
        print(f"  cards not in the decks (cases skipped): {', '.join(score.missing_cards)}")
    if verbose:
        for line in score.disagreements():
            print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", metavar="REV", help="also measure the typed check of this git revision")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the disagreements")
    args = parser.parse_args()
    cases = load_cases()
    library = load_library()
    print(f"labelled set: {len(cases)} cases")
    if args.old:
        report(f"old grader ({args.old})", evaluate(old_grader(args.old), cases, library), args.verbose)
    report("grader", evaluate(current_grader(), cases, library), args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
