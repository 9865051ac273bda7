"""The study screen moves the focus (to the answer box, to the card once answered) without Textual
drawing the whole screen again each time (StudyScreen.focused overrides Screen.focused), and the
box is locked and unlocked with the restyle of its focus change (CardView._lock_boxes,
CardView.focus_answer): the box must still look as it is."""

from __future__ import annotations

from textual.widgets import Input

from hipquiz.tui.widgets import CardView

from tui_support import start_studying


async def test_answering_a_typed_card_moves_the_focus_without_a_full_screen_frame(make_types_app):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.pause()
        box = screen.query_one("#typed", Input)
        assert app.focused is box
        typing_border, typing_opacity = box.styles.border_top, box.styles.opacity
        compositor = screen._compositor
        full_frames = []
        render_full_update = compositor.render_full_update

        def counted(*args, **kwargs):
            full_frames.append(1)
            return render_full_update(*args, **kwargs)

        compositor.render_full_update = counted
        await pilot.press("enter")  # an empty answer: the verdict, the focus on the card
        await pilot.pause()
        assert screen.revealed and app.focused is screen.query_one(CardView)
        # The box shows it has lost the focus and is locked (dimmed): disabled without a restyle
        # of its own, the restyle of its blur shows both.
        assert box.disabled and not box.has_focus
        assert box.styles.border_top != typing_border and box.styles.opacity < typing_opacity
        await pilot.press("enter")  # the rating it earned: the next card, the focus on its box
        await pilot.pause()
        assert not screen.revealed and app.focused is box and not box.disabled
        # Enabled without a restyle of its own: the restyle of its focus shows both.
        assert (box.styles.border_top, box.styles.opacity) == (typing_border, typing_opacity)
        assert full_frames == []
