"""The pictures mode has one name wherever a user meets it: the mode line, the command palette, the
help screen, `--mode` and `hipquiz config mode`; its old name "where" is still taken."""

from __future__ import annotations

from hipquiz.cli import build_parser, main
from hipquiz.core.questions import MODE_LABELS, MODES
from hipquiz.core.store import Store
from hipquiz.tui.screens.help import KEYS


def test_help_names_every_mode_as_the_mode_line_does():
    home = dict(dict(KEYS)["Home"])
    for label in MODE_LABELS.values():
        assert label.lower() in home["m"], label


def test_the_cli_takes_the_shown_name_and_the_old_one(tmp_path, capsys):
    parser = build_parser()
    assert parser.parse_args(["study", "--mode", "pictures"]).mode == "pictures"
    assert parser.parse_args(["study", "--mode", "where"]).mode == "pictures"
    assert main(["--data", str(tmp_path), "config", "mode", "where"]) == 0
    assert capsys.readouterr().out.strip() == "mode = pictures"
    with Store.open(tmp_path, read_only=True) as store:
        assert store.get_setting("mode") == "pictures"
    assert "pictures" in MODES and "where" not in MODES


async def test_a_mode_saved_under_its_old_name_is_shown_by_its_name(make_app, store):
    store.set_setting("mode", "where")  # as an older hipquiz saved it
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.mode == "pictures"
        assert "Mode: Pictures" in str(app.screen.query_one("#mode").render())
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Mode: Mixed" in commands and "Mode: Pictures" not in commands  # the current one is left out
