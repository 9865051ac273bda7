"""Text from files reaches the terminal without control characters (a deck could retitle it)."""

from __future__ import annotations


async def test_toasts_carry_no_control_characters(make_app):
    app = make_app(warnings=["/home/u/decks/x\x1b]0;pwned\x07.toml:1: not valid TOML"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
        assert shown and all("\x1b" not in m and "\x07" not in m for _, m in shown)
        assert any("x]0;pwned.toml:1: not valid TOML" in m for _, m in shown)
