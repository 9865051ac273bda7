"""Every setting a user can change, declared once: its type, default, bounds and a one-line help.

``hipquiz config`` lists, parses and checks settings from here; the scheduler's and the grader's
defaults, the help screen's figures ("20 new cards a day", "8 times") and the README's settings table
all come from here (a test compares the README's table with :func:`markdown_table`).

Settings are saved in the store's meta file by key; a key never saved has its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Anki's default: a study day starts at 4 am local time, so a late-night session counts as "today".
# Fixed, not a setting: it is shown on the help screen from here.
DAY_STARTS_HOUR = 4


class SettingError(ValueError):
    """A value that a setting cannot take; ``str()`` is one line naming the setting and what it takes."""


@dataclass(frozen=True)
class Setting:
    """One setting of ``hipquiz config``: its key, type, default, help line and bounds."""

    key: str
    kind: type  # int, float, bool or str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    # Old names still taken when typed (old name, the choice it means); never listed.
    aliases: tuple[tuple[str, str], ...] = ()

    def parse(self, text: str) -> Any:
        """The value typed on the command line, checked; raises :class:`SettingError`."""
        if self.kind is bool:
            if text.lower() in ("true", "yes", "on", "1"):
                return True
            if text.lower() in ("false", "no", "off", "0"):
                return False
            raise SettingError(f"{self.key} needs true or false, got {text!r}")
        if self.kind is str:
            return self.check(dict(self.aliases).get(text, text))
        try:
            value = self.kind(text)
        except ValueError:
            wanted = "a whole number" if self.kind is int else "a number"
            raise SettingError(f"{self.key} needs {wanted}, got {text!r}") from None
        return self.check(value)

    def check(self, value: Any) -> Any:
        """``value`` if this setting can take it (a saved value, say); raises :class:`SettingError`."""
        if self.kind is bool:
            if not isinstance(value, bool):
                raise SettingError(f"{self.key} must be true or false, got {value!r}")
            return value
        if self.kind is str:
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise SettingError(f"{self.key} must be one of {', '.join(self.choices)}, got {value!r}")
            return value
        allowed = (int,) if self.kind is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, allowed):
            wanted = "a whole number" if self.kind is int else "a number"
            raise SettingError(f"{self.key} must be {wanted}, got {value!r}")
        if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum):
            raise SettingError(f"{self.key} must be {self.bounds}, got {value!r}")
        return value

    @property
    def bounds(self) -> str:
        """What the setting takes, in words: "between 0.7 and 0.99", "at least 1", "true or false"."""
        if self.kind is bool:
            return "true or false"
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is str:
            return "a name"
        if self.minimum is not None and self.maximum is not None:
            return f"between {_number(self.minimum)} and {_number(self.maximum)}"
        if self.minimum is not None:
            return f"at least {_number(self.minimum)}"
        return "any number"

    @property
    def shown_default(self) -> str:
        if self.kind is bool:
            return "true" if self.default else "false"
        return _number(self.default) if isinstance(self.default, (int, float)) else str(self.default)


def _number(value: float) -> str:
    return f"{value:g}"


# Textual's built-in themes (textual.theme.BUILTIN_THEMES, the ones the app offers), named here so
# that 'hipquiz config theme NAME' is checked without importing Textual into the core;
# tests/unit/test_settings_themes.py keeps the two lists the same.
THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula", "tokyo-night",
          "monokai", "flexoki", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato",
          "solarized-light", "solarized-dark", "rose-pine", "rose-pine-moon", "rose-pine-dawn",
          "atom-one-dark", "atom-one-light", "ansi-dark", "ansi-light")

_SECONDS_HELP = "seconds; a right answer "
SETTINGS: tuple[Setting, ...] = (
    # Scheduler (FSRS) and daily limits
    Setting("new_per_day", int, 20, "new cards introduced per day and deck", minimum=0),
    Setting("reviews_per_day", int, 200, "most review cards per day and deck", minimum=0),
    Setting("desired_retention", float, 0.9, "chance of remembering a card when it comes back",
            minimum=0.7, maximum=0.99),
    Setting("leech_lapses", int, 8, "a card forgotten this many times is a leech", minimum=1),
    # Backups
    Setting("backups_keep", int, 7, "how many daily backups to keep", minimum=1),
    # Grading of checked answers: right within the fast limit is Easy, at or past the slow limit Hard.
    Setting("fast_seconds", float, 6.0, "multiple choice: a right answer this fast is Easy", minimum=0),
    Setting("slow_seconds", float, 20.0, "multiple choice: a right answer this slow is Hard", minimum=0),
    Setting("typed_fast_seconds", float, 8.0, "typed answers: Easy when this fast", minimum=0),
    Setting("typed_slow_seconds", float, 25.0, "typed answers: Hard when this slow", minimum=0),
    Setting("list_fast_seconds", float, 12.0, "select and order, up to 4 options: Easy when this fast",
            minimum=0),
    Setting("list_slow_seconds", float, 45.0, "select and order, up to 4 options: Hard when this slow",
            minimum=0),
    Setting("per_option_seconds", float, 2.0,
            "select and order: seconds added to both limits per option past 4", minimum=0),
    Setting("near_miss_is_hard", bool, True, "a typed answer accepted with a typo is Hard"),
    # How cards are asked (m on the home screen changes it too)
    Setting("mode", str, "flip", "how cards are asked (m on the home screen)",
            choices=("flip", "choice", "typed", "select", "pictures", "mixed"), aliases=(("where", "pictures"),)),
    # The colour theme: the UI offers Textual's themes (Ctrl+P, then "Theme") and saves the choice.
    Setting("theme", str, "textual-dark", "the colour theme (Ctrl+P, then Theme)", choices=THEMES),
)

BY_KEY: dict[str, Setting] = {setting.key: setting for setting in SETTINGS}
SCHEDULER_KEYS = ("new_per_day", "reviews_per_day", "desired_retention", "leech_lapses")
GRADE_KEYS = ("fast_seconds", "slow_seconds", "typed_fast_seconds", "typed_slow_seconds", "list_fast_seconds",
              "list_slow_seconds", "per_option_seconds", "near_miss_is_hard")


def default(key: str) -> Any:
    return BY_KEY[key].default


def checked_saved(values: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The saved values of ``keys`` (keys never saved are left out), each checked; raises SettingError."""
    return {key: BY_KEY[key].check(values[key]) for key in keys if values.get(key) is not None}


def valid_or_default(key: str, value: Any) -> Any:
    """A saved value when the setting can take it, else the default (for settings that must never
    stop hipquiz from opening, such as ``backups_keep``)."""
    try:
        return BY_KEY[key].check(value) if value is not None else BY_KEY[key].default
    except SettingError:
        return BY_KEY[key].default


def markdown_table() -> str:
    """The README's settings table."""
    rows = ["| setting | default | takes | what it does |", "|---|---|---|---|"]
    rows += [f"| `{s.key}` | {s.shown_default} | {s.bounds} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)
