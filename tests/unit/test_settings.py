"""Settings have one owner (core/settings.py): config, the scheduler, the grader, backups, the help
screen and the README all take their defaults and bounds from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipquiz.cli import main
from hipquiz.core import settings
from hipquiz.core.questions import MODE_ALIASES, MODES, GradeThresholds
from hipquiz.core.scheduler import SchedulerSettings
from hipquiz.core.store.backups import backups_keep

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_settings_table_is_the_declared_one():
    text = README.read_text("utf-8")
    assert settings.markdown_table() in text, (
        "README.md's settings table differs from core/settings.py; paste this in:\n"
        + settings.markdown_table())


def test_scheduler_and_grader_defaults_are_the_declared_ones():
    scheduler, grades = SchedulerSettings(), GradeThresholds()
    for key in settings.SCHEDULER_KEYS:
        assert getattr(scheduler, key) == settings.default(key), key
    for key in settings.GRADE_KEYS:
        assert getattr(grades, key) == settings.default(key), key


def test_mode_choices_are_the_modes_a_session_knows():
    assert settings.BY_KEY["mode"].choices == tuple(MODES)
    assert dict(settings.BY_KEY["mode"].aliases) == MODE_ALIASES


def test_theme_choices_are_the_themes_the_app_offers():
    """The core names Textual's themes itself (it never imports Textual): the two lists must agree,
    and the app registers none of its own."""
    from textual.theme import BUILTIN_THEMES

    assert set(settings.BY_KEY["theme"].choices) == set(BUILTIN_THEMES)
    assert settings.default("theme") in BUILTIN_THEMES
    assert "register_theme" not in (Path(settings.__file__).parents[1] / "tui" / "app.py").read_text("utf-8")


def test_config_takes_a_theme_the_app_offers(tmp_path, capsys):
    assert main(["--data", str(tmp_path), "config", "theme", "nord"]) == 0
    assert capsys.readouterr().out == "theme = nord\n"


def test_help_screen_shows_the_declared_figures():
    from hipquiz.tui.screens.help import SCHEDULING

    assert f"({settings.default('new_per_day')} per deck" in SCHEDULING
    assert f"starts at {settings.DAY_STARTS_HOUR} am" in SCHEDULING
    assert f"({settings.default('leech_lapses')} times;" in SCHEDULING


@pytest.mark.parametrize("saved, kept", [({}, 7), ({"backups_keep": 3}, 3), ({"backups_keep": 0}, 7),
                                         ({"backups_keep": True}, 7), ({"backups_keep": "3"}, 7)])
def test_backups_keep_has_one_check(saved, kept):
    """Opening a store and migrating one used to check backups_keep differently (True counted as 1)."""
    assert backups_keep(saved) == kept


@pytest.mark.parametrize("key, value, message", [
    ("desired_retention", "1.5", "desired_retention must be between 0.7 and 0.99, got 1.5"),
    ("new_per_day", "many", "new_per_day needs a whole number, got 'many'"),
    ("new_per_day", "-1", "new_per_day must be at least 0, got -1"),
    ("backups_keep", "0", "backups_keep must be at least 1, got 0"),
    ("leech_lapses", "0", "leech_lapses must be at least 1, got 0"),
    ("near_miss_is_hard", "maybe", "near_miss_is_hard needs true or false, got 'maybe'"),
    ("mode", "quiz", "mode must be one of flip, choice, typed, select, pictures, mixed, got 'quiz'"),
    ("theme", "nosuchtheme", f"theme must be one of {', '.join(settings.THEMES)}, got 'nosuchtheme'"),
])
def test_config_refuses_what_a_setting_cannot_take(tmp_path, capsys, key, value, message):
    assert main(["--data", str(tmp_path), "config", key, value]) == 2
    assert capsys.readouterr().err.strip() == f"hipquiz: error: {message}"
    assert not (tmp_path / "meta.json").exists()  # nothing saved


def test_config_lists_every_setting_with_its_default(tmp_path, capsys):
    assert main(["--data", str(tmp_path), "config"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" = ")[0] for line in lines] == sorted(settings.BY_KEY)
    assert "leech_lapses = default    # a card forgotten this many times is a leech: at least 1 (default 8)" in lines
