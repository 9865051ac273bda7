"""Drawing a view at a size: its regions painted into a grid of terminal cells.

Each cell shows two square "pixels" (the upper and lower half of a character cell), so a view of
``cols`` x ``rows`` cells is painted at ``cols`` x ``2*rows`` pixels with Pillow and read back as
(top, bottom) region codes per cell. Numbers are placed on cells wholly inside their region, as far
from its edges as the size allows. When some numbered region has no room for its number, or a lit
region no room to be seen, the view is not legible at that size (``layout`` returns None) and the
question is asked in words instead.

Pure: no screen, no colours. The TUI maps ``Picture.shade`` to colours.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from PIL import Image

    from hipquiz.core.drawings import Point, View

# Region codes in a painted grid: nothing, the body's outline, then region i has code FIRST + i.
EMPTY, OUTLINE, FIRST = 0, 1, 2
# Regions get one of this many shades of their kind's colour, so that touching regions of one kind
# (two muscles, the femur and the hip bone) never share one.
SHADES = {"muscle": 4, "bone": 2}
# The smallest drawing worth showing, in cells, whatever the view.
MIN_COLS, MIN_ROWS = 16, 10
# A lit region needs at least this many whole cells to be seen.
LIT_MIN_CELLS = 3


def _painted(view: View, width: int, height: int, scale: float) -> Image.Image:
    # Imported here: Pillow is needed only once a drawing is shown, not to start.
    from PIL import Image, ImageDraw

    image = Image.new("L", (width, height), EMPTY)
    draw = ImageDraw.Draw(image)

    def xy(points: tuple[Point, ...]) -> list[tuple[float, float]]:
        # Pillow puts pixel centres on whole numbers; canvas 0 is the left edge of pixel 0.
        return [(x * scale - 0.5, y * scale - 0.5) for x, y in points]

    if view.outline:
        draw.polygon(xy(view.outline), fill=OUTLINE)
    for index, region in enumerate(view.regions):
        draw.polygon(xy(region.points), fill=FIRST + index)
    return image


@lru_cache(maxsize=64)
def paint(view: View, width: int, height: int) -> tuple[bytes, int, int]:
    """The view scaled to fit ``width`` x ``height`` pixels, keeping its proportions: (codes row by
    row, painted width, painted height)."""
    scale = min(width / view.width, height / view.height)
    w = max(1, min(width, math.ceil(view.width * scale - 1e-9)))
    h = max(1, min(height, math.ceil(view.height * scale - 1e-9)))
    return _painted(view, w, h, scale).tobytes(), w, h


# Pixels per canvas unit for checks made on the drawing itself (coverage, neighbours).
_CHECK_SCALE = 3.0


def _check_grid(view: View) -> tuple[bytes, int, int]:
    w = math.ceil(view.width * _CHECK_SCALE)
    h = math.ceil(view.height * _CHECK_SCALE)
    return _painted(view, w, h, _CHECK_SCALE).tobytes(), w, h


def visible_fractions(view: View) -> tuple[float, ...]:
    """For each region, the part of its own area that still shows once every region is painted."""
    data, _w, _h = _check_grid(view)
    counts = [0] * (len(view.regions) + FIRST)
    for code in data:
        counts[code] += 1
    fractions = []
    for index, region in enumerate(view.regions):
        own = region.area * _CHECK_SCALE ** 2
        fractions.append(min(1.0, counts[FIRST + index] / own) if own else 0.0)
    return tuple(fractions)


@lru_cache(maxsize=16)
def neighbours(view: View) -> dict[str, frozenset[str]]:
    """Which regions touch which in the drawing as painted (side by side or one above the other)."""
    data, w, h = _check_grid(view)
    pairs: set[tuple[int, int]] = set()
    # Along each row and down each column, the codes met in turn, runs of one code as one: two
    # codes in a row touch. Run by run rather than pixel by pixel (~80,000 of them): the first
    # picture question of a view computed this while its key waited (5-15 ms a view).
    rows = (data[y * w:(y + 1) * w] for y in range(h))
    columns = (data[x::w] for x in range(w))
    for line in itertools.chain(rows, columns):
        codes = [code for code, _ in itertools.groupby(line)]
        pairs.update(zip(codes, codes[1:]))
    touching: dict[str, set[str]] = {r.term: set() for r in view.regions}
    for a, b in pairs:
        if a >= FIRST and b >= FIRST:
            ta, tb = view.regions[a - FIRST].term, view.regions[b - FIRST].term
            touching[ta].add(tb)
            touching[tb].add(ta)
    return {term: frozenset(others) for term, others in touching.items()}


@lru_cache(maxsize=16)
def shades(view: View) -> tuple[int, ...]:
    """A shade per region (see SHADES), touching regions of one kind apart where the shades allow."""
    touching = neighbours(view)
    chosen: dict[str, int] = {}
    for region in view.regions:
        count = SHADES.get(region.kind, 1)
        taken = {chosen[t] for t in touching[region.term] if t in chosen and view.region(t).kind == region.kind}
        chosen[region.term] = next((s for s in range(count) if s not in taken), len(chosen) % count)
    return tuple(chosen[r.term] for r in view.regions)


@dataclass(frozen=True)
class Picture:
    """A view laid out in ``cols`` x ``rows`` cells."""

    view: View
    cols: int
    rows: int
    # cells[row][col] = (top code, bottom code)
    cells: tuple[tuple[tuple[int, int], ...], ...]
    # (col, row) → the character of a number drawn there
    labels: Mapping[tuple[int, int], str] = field(default_factory=dict)
    lit: str | None = None

    def term(self, code: int) -> str | None:
        """The term a region code stands for (None for the background and the outline)."""
        return self.view.regions[code - FIRST].term if code >= FIRST else None

    def kind(self, code: int) -> str:
        if code == EMPTY:
            return "empty"
        if code == OUTLINE:
            return "outline"
        return self.view.regions[code - FIRST].kind

    def shade(self, code: int) -> int:
        return shades(self.view)[code - FIRST] if code >= FIRST else 0

    def is_lit(self, code: int) -> bool:
        return self.lit is not None and self.term(code) == self.lit

    def terms_at(self, col: int, row: int) -> tuple[str, ...]:
        """The terms drawn in a cell, lower half first (the one a click most likely meant), no
        repeats; () outside the picture."""
        if not (0 <= row < self.rows and 0 <= col < self.cols):
            return ()
        top, bottom = self.cells[row][col]
        found = [t for t in (self.term(bottom), self.term(top)) if t is not None]
        return tuple(dict.fromkeys(found))

    def label_cells(self, term: str) -> tuple[tuple[int, int], ...]:
        """Where the number of ``term`` is drawn."""
        code = FIRST + self.view.terms.index(term)
        return tuple(sorted(pos for pos, _ in self.labels.items() if self._label_owner.get(pos) == code))

    @property
    def _label_owner(self) -> dict[tuple[int, int], int]:
        return {pos: self.cells[pos[1]][pos[0]][0] for pos in self.labels}


def _cells(view: View, cols: int, rows: int) -> tuple[tuple[tuple[int, int], ...], ...] | None:
    data, w, h = paint(view, cols, rows * 2)
    out_rows = math.ceil(h / 2)
    if w < 1 or out_rows < 1:
        return None
    grid = []
    for r in range(out_rows):
        top = data[2 * r * w:(2 * r + 1) * w]
        bottom = data[(2 * r + 1) * w:(2 * r + 2) * w] if 2 * r + 1 < h else bytes(w)
        grid.append(tuple(zip(top, bottom)))
    return tuple(grid)


def _label_spot(cells: tuple[tuple[tuple[int, int], ...], ...], code: int, width: int,
                centre: tuple[float, float], taken: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The leftmost cell of ``width`` whole cells of region ``code`` farthest from its edges, then
    from the numbers already placed (``taken``), then nearest the region's centre; None if there
    is no such run."""
    rows, cols = len(cells), len(cells[0])
    whole = (code, code)
    spots = [(c, r) for r in range(rows) for c, cell in enumerate(cells[r]) if cell == whole and (c, r) not in taken]
    if not spots:
        return None
    # Only the region's bounding box and the ring around it are looked at: the cell not inside the
    # region nearest to one inside is always there (a few hundred cells rather than the picture's
    # thousand, for each number of each new question).
    top, bottom = max(min(r for _, r in spots) - 1, 0), min(max(r for _, r in spots) + 1, rows - 1)
    left, right = max(min(c for c, _ in spots) - 1, 0), min(max(c for c, _ in spots) + 1, cols - 1)
    inside = {spot: True for spot in spots}
    # Depth: steps (4-neighbour) to the nearest cell not wholly inside the region.
    depth = {(c, r): 0 if (c, r) not in inside else -1
             for r in range(top, bottom + 1) for c in range(left, right + 1)}
    queue = deque(spot for spot, d in depth.items() if d == 0)
    while queue:
        c, r = queue.popleft()
        for dc, dr in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            near = (c + dc, r + dr)
            if depth.get(near) == -1:
                depth[near] = depth[(c, r)] + 1
                queue.append(near)
    for (c, r), d in depth.items():
        if d == -1:  # no cell outside the region at all: the picture's edges bound it
            depth[(c, r)] = min(r + 1, c + 1, rows - r, cols - c)
    best: tuple[float, float, float, int, int] | None = None
    cx, cy = centre
    for c, r in spots:
        if not all((c + k, r) in inside for k in range(width)):
            continue
        score = min(depth[(c + k, r)] for k in range(width))
        # Two numbers side by side read as one ("1 4"): keep them a few cells apart.
        apart = min((max(abs(tc - c), abs(tr - r)) for tc, tr in taken), default=99)
        distance = (c + width / 2 - cx) ** 2 + ((r + 0.5) - cy) ** 2
        key = (-min(score, 2), -min(apart, 4), distance, r, c)
        if best is None or key < best:
            best = key
    return (best[4], best[3]) if best is not None else None


def layout(view: View, cols: int, rows: int, labels: Mapping[str, str] | None = None,
           lit: str | None = None) -> Picture | None:
    """``view`` fitted into at most ``cols`` x ``rows`` cells with a number (``labels``: term →
    text) on each named region and ``lit`` lit; None when that is not legible at this size."""
    labels = dict(labels or {})
    if cols < MIN_COLS or rows < MIN_ROWS:
        return None
    cells = _cells(view, cols, rows)
    if cells is None:
        return None
    out_rows, out_cols = len(cells), len(cells[0])
    data, w, h = paint(view, cols, rows * 2)
    scale = w / view.width
    # Every muscle, band and nerve of the view must show (one whole cell at least), or the picture
    # loses what the numbers are to be read against.
    whole = {code for row in cells for code, bottom in row if code == bottom}
    # Imported here: the drawings' module (its parser, the shipped data) loads with the first view
    # drawn, not with the study screen (tests/tui/test_start_imports.py).
    from hipquiz.core.drawings import NAMEABLE_KINDS

    if any(FIRST + i not in whole for i, r in enumerate(view.regions) if r.kind in NAMEABLE_KINDS):
        return None
    placed: dict[tuple[int, int], str] = {}
    taken: set[tuple[int, int]] = set()
    def whole_cells(term: str) -> int:
        code = FIRST + view.terms.index(term) if view.region(term) is not None else -1
        return sum(1 for row in cells for cell in row if cell == (code, code))

    # The narrowest regions choose first: they have the fewest places for a number.
    for term, text in sorted(labels.items(), key=lambda item: whole_cells(item[0])):
        region = view.region(term)
        if region is None:
            raise ValueError(f"{term!r} is not drawn in view {view.id!r}")
        code = FIRST + view.terms.index(term)
        cx, cy = region.centroid
        spot = _label_spot(cells, code, len(text), (cx * scale, cy * scale / 2), taken)
        if spot is None:
            return None
        for k, char in enumerate(text):
            placed[(spot[0] + k, spot[1])] = char
            taken.add((spot[0] + k, spot[1]))
    return relit(Picture(view, out_cols, out_rows, cells, placed), lit)


def relit(picture: Picture, lit: str | None) -> Picture | None:
    """``picture`` (cells and numbers kept) with ``lit`` lit instead; None when that region is too
    small in it to be seen lit. The answer to a picture question is its drawing with the answer lit."""
    if lit is None:
        return replace(picture, lit=None) if picture.lit is not None else picture
    view = picture.view
    if view.region(lit) is None:
        raise ValueError(f"{lit!r} is not drawn in view {view.id!r}")
    code = FIRST + view.terms.index(lit)
    whole = sum(1 for row in picture.cells for cell in row if cell == (code, code))
    if whole < LIT_MIN_CELLS:
        return None
    return replace(picture, lit=lit)


def fits(view: View, cols: int, rows: int, labels: Mapping[str, str] | None = None,
         lit: str | None = None) -> bool:
    return layout(view, cols, rows, labels, lit) is not None


def smallest_rows(view: View, labels: Mapping[str, str] | None = None, lit: str | None = None,
                  max_rows: int = 200) -> int | None:
    """The fewest rows (with as many columns as the proportions ask) at which the view is legible."""
    for rows in range(MIN_ROWS, max_rows + 1):
        cols = math.ceil(view.width / view.height * rows * 2)
        if fits(view, max(cols, MIN_COLS), rows, labels, lit):
            return rows
    return None
