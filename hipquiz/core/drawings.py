"""Drawings of the hip as data: views made of named regions, loaded and checked from TOML.

The shipped file is ``hipquiz/data/drawings.toml`` (its header documents the format). Every
problem is reported as ``FILE:LINE: message``: a region whose term the lexicon does not know, an
outline that is not closed, crosses itself or leaves the canvas, a region wholly covered by the
ones painted after it, and a ``top_to_bottom`` order the coordinates contradict.

Pure data and geometry; drawing a view at a size is ``hipquiz.core.raster``'s job.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from hipquiz.core.errors import DrawingError
from hipquiz.core.problems import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

KINDS = ("muscle", "band", "nerve", "bone")
# Regions a question may number or light: the soft tissue. Bones are landmarks, drawn but unnamed.
NAMEABLE_KINDS = ("muscle", "band", "nerve")
EDGES = ("left", "right", "top")
VIEW_KEYS = {"id", "title", "width", "height", "outline", "top_to_bottom", "regions", *EDGES}
REGION_KEYS = {"term", "kind", "points"}

Point = tuple[float, float]


@dataclass(frozen=True)
class Region:
    term: str
    kind: str
    points: tuple[Point, ...]  # closed: the last point repeats the first
    line: int

    @property
    def corners(self) -> tuple[Point, ...]:
        """The outline's points without the repeated last one."""
        return self.points[:-1]

    @cached_property
    def centroid(self) -> Point:
        return polygon_centroid(self.corners)

    @cached_property
    def area(self) -> float:
        return abs(_signed_area(self.corners))


@dataclass(frozen=True)
class View:
    id: str
    title: str
    width: float
    height: float
    regions: tuple[Region, ...]
    line: int
    # Which way each edge of the canvas faces ("front", "midline", "up").
    edges: tuple[tuple[str, str], ...] = ()
    outline: tuple[Point, ...] = ()

    def region(self, term: str) -> Region | None:
        return next((r for r in self.regions if r.term == term), None)

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(r.term for r in self.regions)

    @property
    def nameable(self) -> tuple[str, ...]:
        """Terms a question may number or light (muscles, the IT band, the sciatic nerve)."""
        return tuple(r.term for r in self.regions if r.kind in NAMEABLE_KINDS)

    def edge(self, name: str) -> str:
        return dict(self.edges).get(name, "")

    def nearest(self, term: str, among: Iterable[str] | None = None) -> tuple[str, ...]:
        """Other regions of the view, closest first (by the distance between their centres).
        Ties are broken by file order, so the result is stable."""
        target = self.region(term)
        if target is None:
            return ()
        pool = [r for r in self.regions if r.term != term and (among is None or r.term in among)]
        tx, ty = target.centroid
        order = {r.term: n for n, r in enumerate(self.regions)}
        pool.sort(key=lambda r: ((r.centroid[0] - tx) ** 2 + (r.centroid[1] - ty) ** 2, order[r.term]))
        return tuple(r.term for r in pool)


@dataclass(frozen=True)
class Atlas:
    """All views of the drawings file."""

    path: Path
    views: tuple[View, ...]

    def view(self, view_id: str) -> View | None:
        return next((v for v in self.views if v.id == view_id), None)

    def views_with(self, term: str) -> tuple[View, ...]:
        """The views in which ``term`` is drawn, in file order."""
        return tuple(v for v in self.views if v.region(term) is not None)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(t for v in self.views for t in v.terms)


# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------


def _signed_area(corners: tuple[Point, ...]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1])) / 2


def polygon_centroid(corners: tuple[Point, ...]) -> Point:
    """The centre of mass of a simple polygon (the mean of its corners if it has no area)."""
    area = _signed_area(corners)
    if abs(area) < 1e-9:
        n = len(corners)
        return (sum(x for x, _ in corners) / n, sum(y for _, y in corners) / n)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1]):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (cx / (6 * area), cy / (6 * area))


def _segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """Whether segments ab and cd cross at a point inside both (touching ends do not count)."""
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    d1, d2 = orient(c, d, a), orient(c, d, b)
    d3, d4 = orient(a, b, c), orient(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def first_crossing(corners: tuple[Point, ...]) -> tuple[int, int] | None:
    """The first pair of edges (by index) of a closed outline that cross, or None."""
    edges = list(zip(corners, corners[1:] + corners[:1]))
    n = len(edges)
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the closing point
            if _segments_cross(*edges[i], *edges[j]):
                return i, j
    return None


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def shipped_atlas() -> Atlas:
    """The shipped drawings, their terms checked against the shipped lexicon."""
    from hipquiz.core.lexicon import Lexicon

    lexicon = Lexicon.shipped()
    return load_atlas(default_path(), lambda term: term in lexicon)


def default_path() -> Path:
    """The drawings file shipped in the package."""
    return Path(str(resources.files("hipquiz") / "data" / "drawings.toml"))


class _Report:
    """Collects problems: ``report(line, message)``."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def __call__(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


class _Lines:
    """Line numbers of ``[[views]]`` / ``[[views.regions]]`` tables and their keys."""

    _VIEW = re.compile(r"^\s*\[\[\s*views\s*\]\]")
    _REGION = re.compile(r"^\s*\[\[\s*views\s*\.\s*regions\s*\]\]")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str):
        # views[i] = (line, {key: line}, [(line, {key: line}) per region])
        self.views: list[tuple[int, dict[str, int], list[tuple[int, dict[str, int]]]]] = []
        keys: dict[str, int] | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if self._REGION.match(line) and self.views:
                keys = {}
                self.views[-1][2].append((number, keys))
            elif self._VIEW.match(line):
                keys = {}
                self.views.append((number, keys, []))
            elif line.lstrip().startswith("["):
                keys = None
            elif keys is not None and (match := self._KEY.match(line)):
                keys.setdefault(match.group(1), number)

    def view(self, index: int, key: str = "") -> int:
        if index >= len(self.views):
            return 1
        line, keys, _ = self.views[index]
        return keys.get(key, line)

    def region(self, view: int, index: int, key: str = "") -> int:
        if view >= len(self.views) or index >= len(self.views[view][2]):
            return self.view(view)
        line, keys = self.views[view][2][index]
        return keys.get(key, line)


_POINT = re.compile(r"^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$")


def parse_points(text: str) -> tuple[Point, ...]:
    """"x,y x,y ..." → points. Raises ValueError saying which point cannot be read."""
    points: list[Point] = []
    for n, token in enumerate(text.split(), start=1):
        match = _POINT.match(token)
        if not match:
            raise ValueError(f"point {n} {token!r} is not x,y (two numbers and a comma, no spaces)")
        points.append((float(match.group(1)), float(match.group(2))))
    return tuple(points)


def _fmt(point: Point) -> str:
    return ",".join(f"{v:g}" for v in point)


def load_atlas(path: Path | None = None, known_term: Callable[[str], bool] | None = None) -> Atlas:
    """Load and check a drawings file (default: the shipped one). ``known_term`` says whether a
    region's term is in the lexicon. Raises DrawingError listing every problem."""
    path = path or default_path()
    problem = _Report(path)
    problems = problem.problems

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise DrawingError([Problem(path, line, "not UTF-8 text; save the file as UTF-8")]) from None
    except OSError as exc:
        raise DrawingError([Problem(path, 1, f"cannot read the drawings file: {exc.strerror or exc}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DrawingError([Problem(path, int(found.group(1)) if found else 1, f"not valid TOML: {message}")]) from None
    lines = _Lines(text)
    raw_views = data.get("views")
    if not isinstance(raw_views, list) or not raw_views:
        raise DrawingError([Problem(path, 1, "no views: add a [[views]] table")])
    unknown_top = sorted(set(data) - {"views"})
    if unknown_top:
        problem(1, f"unknown top-level key {unknown_top[0]!r} (the file holds only [[views]])")
    views: list[View] = []
    seen_ids: dict[str, int] = {}
    for index, raw in enumerate(raw_views):
        view = _load_view(raw, index, lines, problem, known_term)
        if view is None:
            continue
        if view.id in seen_ids:
            problem(view.line, f"duplicate view id {view.id!r} (first used on line {seen_ids[view.id]})")
        seen_ids.setdefault(view.id, view.line)
        views.append(view)
    if problems:
        raise DrawingError(sorted(problems, key=lambda p: p.line))
    return Atlas(path, tuple(views))


def _load_view(raw: dict, index: int, lines: _Lines, problem: _Report,
               known_term: Callable[[str], bool] | None) -> View | None:
    line = lines.view(index)
    before = len(problem.problems)
    for key in sorted(set(raw) - VIEW_KEYS):
        problem(lines.view(index, key), f"unknown view key {key!r} (known: {', '.join(sorted(VIEW_KEYS - {'regions'}))})")
    view_id = raw.get("id")
    if not isinstance(view_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", view_id):
        problem(lines.view(index, "id"), "view 'id' must be lower-case letters, digits and dashes, like \"lateral\"")
        view_id = f"view-{index + 1}"
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        problem(lines.view(index, "title"), "view 'title' must be text in quotes, saying what is drawn")
        title = view_id
    size = []
    for key in ("width", "height"):
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            problem(lines.view(index, key), f"view {key!r} must be a number above 0 (the canvas size)")
            value = math.inf  # so that points are not also reported as outside it
        size.append(float(value))
    width, height = size
    edges = []
    for key in EDGES:
        value = raw.get(key, "")
        if not isinstance(value, str):
            problem(lines.view(index, key), f"{key!r} must be text in quotes (which way that edge faces)")
            continue
        if value:
            edges.append((key, value))
    outline: tuple[Point, ...] = ()
    if "outline" in raw:
        outline = _shape(raw["outline"], "the outline", lines.view(index, "outline"), width, height, problem)
    regions: list[Region] = []
    raw_regions = raw.get("regions")
    if not isinstance(raw_regions, list) or not raw_regions:
        problem(line, f"view {view_id!r} has no regions: add [[views.regions]] tables under it")
        raw_regions = []
    seen: dict[str, int] = {}
    for r_index, raw_region in enumerate(raw_regions):
        region = _load_region(raw_region, index, r_index, lines, width, height, problem, known_term)
        if region is None:
            continue
        if region.term in seen:
            problem(lines.region(index, r_index, "term"),
                    f"{region.term!r} is drawn twice in view {view_id!r} (first on line {seen[region.term]})")
            continue
        seen[region.term] = region.line
        regions.append(region)
    view = View(view_id, title, width, height, tuple(regions), line, tuple(edges), outline)
    _check_order(raw.get("top_to_bottom"), view, lines.view(index, "top_to_bottom"), problem)
    if len(problem.problems) == before:
        _check_visible(view, problem)
    return view


def _load_region(raw: object, view: int, index: int, lines: _Lines, width: float, height: float,
                 problem: _Report, known_term: Callable[[str], bool] | None) -> Region | None:
    line = lines.region(view, index)
    if not isinstance(raw, dict):
        problem(line, "a region must be a table with term, kind and points")
        return None
    for key in sorted(set(raw) - REGION_KEYS):
        problem(lines.region(view, index, key), f"unknown region key {key!r} (known: {', '.join(sorted(REGION_KEYS))})")
    term = raw.get("term")
    term_line = lines.region(view, index, "term")
    if not isinstance(term, str) or not term.strip():
        problem(term_line, "region 'term' must be text in quotes: the lexicon term it shows")
        return None
    if known_term is not None and not known_term(term):
        problem(term_line, f"{term!r} is not a lexicon term: use a term of decks/lexicon.toml, or add it there")
    kind = raw.get("kind")
    if kind not in KINDS:
        problem(lines.region(view, index, "kind"), f"region kind {kind!r} is not one of: {', '.join(KINDS)}")
    if "points" not in raw:
        problem(line, f"region {term!r} has no points: add points = \"x,y x,y ... x,y\"")
        return None
    points = _shape(raw["points"], f"region {term!r}", lines.region(view, index, "points"), width, height, problem)
    if not points:
        return None
    return Region(term, kind if kind in KINDS else "muscle", points, lines.region(view, index))


def _shape(raw: object, what: str, line: int, width: float, height: float,
           problem: _Report) -> tuple[Point, ...]:
    """A closed outline inside the canvas, or () after reporting what is wrong with it."""
    if not isinstance(raw, str):
        problem(line, f"{what}: points must be text in quotes, like \"0,0 10,0 10,10 0,0\"")
        return ()
    try:
        points = parse_points(raw)
    except ValueError as exc:
        problem(line, f"{what}: {exc}")
        return ()
    if points and points[0] != points[-1]:
        problem(line, f"{what} is not closed: end it with its first point {_fmt(points[0])} "
                      f"(it ends at {_fmt(points[-1])})")
        return ()
    if len(points) < 4:
        problem(line, f"{what} needs at least 3 corners and the first point again to close it "
                      f"(it has {len(points)} point{'s' if len(points) != 1 else ''})")
        return ()
    outside = [p for p in points if not (0 <= p[0] <= width and 0 <= p[1] <= height)]
    if outside:
        problem(line, f"{what}: point {_fmt(outside[0])} is outside the canvas "
                      f"(x 0-{width:g}, y 0-{height:g})")
        return ()
    corners = points[:-1]
    crossing = first_crossing(corners)
    if crossing is not None:
        i, j = crossing
        problem(line, f"{what} crosses itself: the edge from {_fmt(corners[i])} crosses the edge from "
                      f"{_fmt(corners[j])}")
        return ()
    if abs(_signed_area(corners)) < 1e-9:
        problem(line, f"{what} has no area: its points lie on one line")
        return ()
    return points


def _check_order(raw: object, view: View, line: int, problem: _Report) -> None:
    """``top_to_bottom``: each listed region's centre lies below the one before it."""
    if raw is None:
        return
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw) or len(raw) < 2:
        problem(line, "'top_to_bottom' must be a list of at least two terms drawn in this view")
        return
    missing = [t for t in raw if view.region(t) is None]
    if missing:
        problem(line, f"'top_to_bottom' names {missing[0]!r}, which is not drawn in view {view.id!r}")
        return
    regions = [view.region(t) for t in raw]
    for upper, lower in zip(regions, regions[1:]):
        assert upper is not None and lower is not None
        if lower.centroid[1] <= upper.centroid[1]:
            problem(lower.line, f"{lower.term!r} is drawn above {upper.term!r} (centre at y "
                                f"{lower.centroid[1]:.1f}, not below {upper.centroid[1]:.1f}), but "
                                f"top_to_bottom on line {line} puts it below")


def _check_visible(view: View, problem: _Report) -> None:
    """Each region keeps some of its area in view after the regions painted over it."""
    from hipquiz.core.raster import visible_fractions  # the painter lives with the renderer

    for region, fraction in zip(view.regions, visible_fractions(view)):
        if fraction < 0.15:
            problem(region.line, f"{region.term!r} is {'wholly' if fraction == 0 else 'almost wholly'} "
                                 f"covered by the regions drawn after it ({fraction:.0%} shows): "
                                 f"move it later in the file or change its points")
