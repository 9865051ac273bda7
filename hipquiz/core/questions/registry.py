"""THE list of question types. Adding a type: write its module, add it to ``_TYPES`` below, and give
it its screen part in ``hipquiz/tui/question_ui.py`` (see the package docstring)."""

from __future__ import annotations

from hipquiz.core.questions.base import QuestionType
from hipquiz.core.questions.choice import Choice
from hipquiz.core.questions.flip import Flip
from hipquiz.core.questions.lit import Lit
from hipquiz.core.questions.order import Order
from hipquiz.core.questions.select import Select
from hipquiz.core.questions.typed import Typed
from hipquiz.core.questions.where import Where

# In the order a card's supported types are listed and a fixed mode looks for a form.
_TYPES: tuple[QuestionType, ...] = (Flip(), Choice(), Typed(), Select(), Order(), Where(), Lit())

TYPES: dict[str, QuestionType] = {kind.name: kind for kind in _TYPES}
# The mode that picks a type per card (hipquiz/core/questions/mixed.py).
MIXED = "mixed"
MIXED_LABEL = "Mixed"
# How cards can be asked, and what a user can choose for a session.
QUESTION_TYPES: tuple[str, ...] = tuple(TYPES)
# A mode is named by ``asked_in`` of the type that labels it: mostly the type's own name, but the
# pictures mode asks two types ("where is it?" and "which muscle is lit?") and is named for both.
MODES: tuple[str, ...] = (*(kind.asked_in for kind in _TYPES if kind.mode_label), MIXED)
MODE_LABELS: dict[str, str] = {**{kind.asked_in: kind.mode_label for kind in _TYPES if kind.mode_label},
                               MIXED: MIXED_LABEL}
# Old names of modes, still taken where a user may type or have saved them ("where" was the
# pictures mode's name in `--mode` and `hipquiz config mode` before it was named as on screen).
MODE_ALIASES: dict[str, str] = {"where": "pictures"}
FLIP = "flip"


def mode_called(name: object) -> str | None:
    """The mode ``name`` means (an alias gives its mode), or None when it names none."""
    if not isinstance(name, str):
        return None
    name = MODE_ALIASES.get(name, name)
    return name if name in MODES else None


def question_type(name: str) -> QuestionType:
    """The type called ``name``; ValueError for an unknown one."""
    try:
        return TYPES[name]
    except KeyError:
        raise ValueError(f"unknown question type {name!r} (one of: {', '.join(QUESTION_TYPES)})") from None


def mode_type(mode: str) -> QuestionType | None:
    """The type that names ``mode`` (Where for pictures, Choice for choice); None for mixed."""
    return next((kind for kind in _TYPES if kind.asked_in == mode and kind.mode_label), None)


def form_name(mode: str) -> str:
    """How a mode's form is named when a card has none: "multiple-choice", "" for flip or mixed."""
    kind = mode_type(mode)
    return kind.form if kind else ""
