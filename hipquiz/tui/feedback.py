"""What the study screen says after an answer: the verdict in words, and a mark per option.

Plain functions of a Question and its Check, so that they can be tested without a screen. The words
carry the verdict on their own ("✓ Right", "✗ Wrong"); colour only repeats it.
"""

from __future__ import annotations

from textual.content import Content

from hipquiz.core.decks import Card
from hipquiz.core.model import RATING_NAMES
from hipquiz.core.questions import Check, Question, match_key

# Card templates that ask where a muscle lies: their feedback adds the note's region in words.
LOCATION_TEMPLATES = ("location", "name-from-location")

MODE_NAMES = {
    "flip": "Flip cards",
    "choice": "Multiple choice",
    "typed": "Typed answers",
    "select": "Select all that apply",
    "mixed": "Mixed",
}

# One line under the question saying which keys answer it.
KEY_HINTS = {
    "flip": "Space shows the answer.",
    "choice": "Press 1-4, or ↑↓ and Enter, or click.",
    "typed": "Enter checks it (Enter alone if you do not know).",
    "select": "Space or a number ticks; ↑↓ move; Enter checks.",
    "order": "[ ] or Shift+↑↓ move the highlighted item, or type the numbers (like 3 1 2); Enter checks.",
}


def region_words(card: Card) -> str:
    """The note's region in plain words ("anterolateral = front and outside") for a location card."""
    if card.template in LOCATION_TEMPLATES:
        return card.note.text("region")
    return ""


def verdict(question: Question, check: Check) -> Content:
    """A few lines: right or wrong first, then what was given beside what was expected."""
    right = ("✓ ", "bold")
    wrong = ("✗ ", "bold")
    kind = question.kind
    if kind == "typed":
        if check.correct and check.near_miss:
            # The answer follows right below ("Answer: …"): say the spelling here only when the
            # name matched is not the answer as written (an alias, say).
            head = Content.assemble(right, ("Accepted (typo)", "bold"), " — you typed: ",
                                    (check.given.strip(), "bold"))
            if check.expected and check.expected.strip() != question.card.answer.strip():
                head = Content.assemble(head, "\nThe spelling is: ", (check.expected, "bold"))
            return head
        if check.correct:
            return Content.assemble(right, ("Right", "bold"))
        if not check.given.strip():
            head = Content.assemble(wrong, ("Not answered", "bold"))
        else:
            # The answer follows right below ("Answer: …"), beside what was typed.
            head = Content.assemble(wrong, ("Wrong", "bold"), " — you typed: ", (check.given.strip(), "bold"))
        if check.named and match_key(check.named) != match_key(check.given):
            head = Content.assemble(head, f"\nYou named the {check.named}.")
        if check.ambiguous:
            head = Content.assemble(head, " It is as close to that name as to the answer, so it is not taken "
                                          "as a typo.")
        return head
    if kind == "choice":
        if check.correct:
            return Content.assemble(right, ("Right", "bold"))
        # Numbers and words: on a small screen the marked options may be scrolled out of view.
        answer = question.answer_indices[0]
        chosen = _option_label(question, check.given)
        return Content.assemble(wrong, ("Wrong", "bold"), " — you chose ", (chosen, "bold"),
                                "\nThe answer is ", (f"{answer + 1}: {question.options[answer]}", "bold"))
    if kind == "select":
        return _select_verdict(question, check)
    if kind == "order":
        marks = check.item_marks
        if check.correct:
            return Content.assemble(right, ("Right order", "bold"))
        return Content.assemble(wrong, ("Not quite", "bold"),
                                f" — {sum(marks)} of {len(marks)} in the right place; see the marks above")
    return Content("")


def _option_label(question: Question, option: str) -> str:
    """"2: gluteus medius": an option as numbered on screen (choice options keep their order)."""
    if option in question.options:
        return f"{question.options.index(option) + 1}: {option}"
    return option


def _items(count: int, what: str) -> str:
    return f"{count} {what}" + ("" if count == 1 else "s")


def _select_verdict(question: Question, check: Check) -> Content:
    """What was ticked, in the terms a student counts in: the right items ticked, the wrong ones.

    ``check.item_marks`` is True for an option ticked or left alone as it should be, so an
    unticked distractor counts as a mark "right"; that is not what "3 of 6 right" means to anyone.
    """
    answer = set(question.answer_indices)
    total = len(answer)
    ticked_right = sum(1 for index in answer if check.item_marks[index])
    ticked_wrong = sum(1 for index, ok in enumerate(check.item_marks) if index not in answer and not ok)
    wrong_part = "no wrong ones" if not ticked_wrong else f"{_items(ticked_wrong, 'wrong item')} ticked"
    if check.correct:
        every = "the one right item" if total == 1 else f"all {total}"
        return Content.assemble(("✓ ", "bold"), ("Right", "bold"), f" — {every} ticked, no wrong ones")
    if not ticked_right and not ticked_wrong:
        which = "the right item is" if total == 1 else f"the {total} right items are"
        return Content.assemble(("✗ ", "bold"), ("Nothing ticked", "bold"), f" — {which} marked “missed”")
    return Content.assemble(("✗ ", "bold"), ("Not quite", "bold"),
                            f" — {ticked_right} of {_items(total, 'right item')} ticked, {wrong_part}")


def suggestion(rating: int) -> Content:
    return Content.assemble("Suggested rating: ", (RATING_NAMES[rating], "bold"),
                            " — Enter accepts it, 1-4 changes it.")


def option_marks(question: Question, check: Check,
                 order: tuple[int, ...] = ()) -> dict[int, tuple[bool | None, str]]:
    """Option index → (right?, note) for AnswerList.show_marks; ``order`` is the user's order of
    the options for an order question."""
    kind = question.kind
    marks: dict[int, tuple[bool | None, str]] = {}
    if kind == "choice":
        right = question.answer_indices[0]
        chosen = question.options.index(check.given) if check.given in question.options else -1
        marks[right] = (True, "your choice" if chosen == right else "the answer")
        if chosen != right and chosen >= 0:
            marks[chosen] = (False, "your choice")
    elif kind == "select":
        answer = set(question.answer_indices)
        for index, ok in enumerate(check.item_marks):
            in_answer = index in answer
            if ok:
                marks[index] = (True, "") if in_answer else (None, "")
            else:
                marks[index] = (False, "missed" if in_answer else "not in the answer")
    elif kind == "order":
        # item_marks are per position of the user's order, which the list shows.
        for index, ok in zip(order, check.item_marks):
            belongs = question.answer_indices.index(index) + 1
            marks[index] = (True, "") if ok else (False, f"belongs at {belongs}")
    return marks
