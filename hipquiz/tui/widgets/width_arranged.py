"""A container of rows or buttons as tall as their content, arranged once a layout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual._arrange import DockArrangeResult  # what Widget.arrange returns


class WidthArranged:
    """Mixed into a container (before it: ``class Bar(WidthArranged, Horizontal)``) of height
    auto whose children take the height of their content (height auto or fixed, never fr or %).

    Textual arranges such a container twice a layout: to measure its height (at its parent's
    height) and to place its children (at its own), though their places depend on its width alone.
    Arranged at its width alone, one arrangement serves both."""

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        return super().arrange(Size(size.width, 0), optimal)  # type: ignore[misc]
