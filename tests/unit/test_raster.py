"""Laying a view out in terminal cells: numbers inside their regions, legible at 80x24 and at
200x60, and "not legible" (None) when the cells are too few."""

from __future__ import annotations

import pytest

from hipquiz.core.drawings import shipped_atlas
from hipquiz.core.raster import FIRST, layout, relit

ATLAS = shipped_atlas()
VIEWS = {v.id: v for v in ATLAS.views}

# The room a drawing gets beside the question on an 80x24 screen, and on a 200x60 one.
SIZES = [(40, 19), (100, 55)]


def numbered(view):
    return {term: str(n) for n, term in enumerate(view.nameable, start=1)}


@pytest.mark.parametrize("view_id", VIEWS)
@pytest.mark.parametrize("cols, rows", SIZES)
def test_every_named_region_gets_its_number_inside_it(view_id, cols, rows):
    view = VIEWS[view_id]
    labels = numbered(view)
    picture = layout(view, cols, rows, labels)
    assert picture is not None
    assert picture.cols <= cols and picture.rows <= rows
    for term, text in labels.items():
        code = FIRST + view.terms.index(term)
        spots = [pos for pos, char in picture.labels.items() if picture.cells[pos[1]][pos[0]] == (code, code)]
        assert "".join(picture.labels[p] for p in sorted(spots)) == text, term
    # What a click on a number means: the region it is written on.
    for (col, row), _char in picture.labels.items():
        assert picture.terms_at(col, row)[0] in labels


def test_bigger_terminal_draws_finer():
    view = VIEWS["posterior-deep"]
    small = layout(view, *SIZES[0], numbered(view))
    large = layout(view, *SIZES[1], numbered(view))
    assert large.rows > 2 * small.rows


@pytest.mark.parametrize("view_id", VIEWS)
def test_too_few_cells_is_not_legible(view_id):
    view = VIEWS[view_id]
    assert layout(view, 12, 6, numbered(view)) is None


def test_lit_region_needs_room_to_be_seen():
    view = VIEWS["posterior-deep"]
    assert layout(view, 40, 19, lit="gemellus-inferior").lit == "gemellus-inferior"
    assert layout(view, 16, 10, lit="gemellus-inferior") is None


def test_a_picture_relit_is_the_picture_laid_out_with_that_region_lit():
    # The answer to a "where is it?" question: its drawing, numbers kept, the answer lit.
    view = VIEWS["posterior-deep"]
    labels = numbered(view)
    asked = layout(view, 40, 19, labels)
    for term in view.nameable:
        assert relit(asked, term) == layout(view, 40, 19, labels, lit=term), term
    assert relit(relit(asked, "piriformis"), None) == asked
    # Too small to be seen lit there: as layout says, not legible.
    small = layout(view, 27, 11)
    assert small is not None and relit(small, "gemellus-inferior") is None
    assert layout(view, 27, 11, lit="gemellus-inferior") is None
    with pytest.raises(ValueError, match="not drawn in view 'posterior'"):
        relit(layout(VIEWS["posterior"], 40, 19), "piriformis")


def test_unknown_term_is_a_programming_error():
    with pytest.raises(ValueError, match="not drawn in view 'posterior'"):
        layout(VIEWS["posterior"], 40, 19, {"piriformis": "1"})


class _GridView:
    """A view painted as a hand-made grid (see test_touching_regions_are_side_by_side_or_stacked)."""

    def __init__(self, terms):
        self.regions = tuple(type("Region", (), {"term": term})() for term in terms)


def test_touching_regions_are_side_by_side_or_stacked(monkeypatch):
    from hipquiz.core import raster

    a, b, c, d = (FIRST + i for i in range(4))
    # a a b      a and b side by side, a above c; b ends a row and c starts the next:
    # c 0 0      not neighbours (the rows do not wrap); d touches nothing but the blank
    # c 1 d      and the outline (1), which are nobody's neighbours.
    grid = bytes([a, a, b,
                  c, 0, 0,
                  c, 1, d])
    view = _GridView(["a", "b", "c", "d"])
    monkeypatch.setattr(raster, "_check_grid", lambda v: (grid, 3, 3))
    assert raster.neighbours(view) == {"a": {"b", "c"}, "b": {"a"}, "c": {"a"}, "d": set()}
