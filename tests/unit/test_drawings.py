"""The drawings file: every problem reported with its line; the shipped views agree with the anatomy
reference (shared/reference/anatomy_reference.md, anatomy_addendum.md) in what an exam asks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hipquiz.core.drawings import load_atlas, shipped_atlas
from hipquiz.core.errors import DrawingError
from hipquiz.core.raster import neighbours

# "Deep six, superior to inferior" — anatomy_reference.md, groups at a glance (✔).
DEEP_SIX = ["piriformis", "gemellus-superior", "obturator-internus", "gemellus-inferior",
            "obturator-externus", "quadratus-femoris"]


@pytest.fixture(scope="module")
def atlas():
    return shipped_atlas()


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "drawings.toml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


GOOD_VIEW = """
[[views]]
id = "test"
title = "A test view"
width = 10
height = 10
"""


def problems(path: Path, known=None) -> list[str]:
    with pytest.raises(DrawingError) as caught:
        load_atlas(path, known)
    return [str(p) for p in caught.value.problems]


def test_shipped_drawings_load(atlas):
    assert [v.id for v in atlas.views] == ["lateral", "posterior", "posterior-deep", "anterior-deep"]


def test_unknown_term_is_reported_on_its_line(tmp_path):
    path = write(tmp_path, GOOD_VIEW + """
    [[views.regions]]
    term = "gluteus-maximus"
    kind = "muscle"
    points = "0,0 5,0 5,5 0,0"

    [[views.regions]]
    term = "glutues-medius"
    kind = "muscle"
    points = "5,5 9,5 9,9 5,5"
    """)
    assert problems(path, lambda term: term == "gluteus-maximus") == [
        f"{path}:13: 'glutues-medius' is not a lexicon term: use a term of decks/lexicon.toml, or add it there"]


@pytest.mark.parametrize("points, message", [
    ("0,0 5,0 5,5", "region 'piriformis' is not closed: end it with its first point 0,0 (it ends at 5,5)"),
    ("0,0 5,0 0,0", "region 'piriformis' needs at least 3 corners and the first point again to close it "
                    "(it has 3 points)"),
    ("0,0 5,0 5,11 0,0", "region 'piriformis': point 5,11 is outside the canvas (x 0-10, y 0-10)"),
    ("0,0 5;0 5,5 0,0", "region 'piriformis': point 2 '5;0' is not x,y (two numbers and a comma, no spaces)"),
    ("0,0 5,5 5,0 0,5 0,0", "region 'piriformis' crosses itself: the edge from 0,0 crosses the edge from 5,0"),
    ("0,0 5,5 9,9 0,0", "region 'piriformis' has no area: its points lie on one line"),
])
def test_bad_shapes_are_reported_on_the_points_line(tmp_path, points, message):
    path = write(tmp_path, GOOD_VIEW + f"""
    [[views.regions]]
    term = "piriformis"
    kind = "muscle"
    points = "{points}"
    """)
    assert problems(path) == [f"{path}:10: {message}"]


def test_unknown_kind_key_and_duplicate_region(tmp_path):
    path = write(tmp_path, GOOD_VIEW + """
    [[views.regions]]
    term = "piriformis"
    kind = "organ"
    colour = "red"
    points = "0,0 5,0 5,5 0,0"

    [[views.regions]]
    term = "piriformis"
    kind = "muscle"
    points = "0,5 5,5 5,9 0,5"
    """)
    assert problems(path) == [
        f"{path}:9: region kind 'organ' is not one of: muscle, band, nerve, bone",
        f"{path}:10: unknown region key 'colour' (known: kind, points, term)",
        f"{path}:14: 'piriformis' is drawn twice in view 'test' (first on line 7)",
    ]


def test_region_covered_by_later_ones_is_reported(tmp_path):
    path = write(tmp_path, GOOD_VIEW + """
    [[views.regions]]
    term = "gluteus-minimus"
    kind = "muscle"
    points = "2,2 4,2 4,4 2,2"

    [[views.regions]]
    term = "gluteus-medius"
    kind = "muscle"
    points = "0,0 10,0 10,10 0,10 0,0"
    """)
    assert problems(path) == [f"{path}:7: 'gluteus-minimus' is wholly covered by the regions drawn after it "
                              f"(0% shows): move it later in the file or change its points"]


def test_top_to_bottom_order_is_checked_from_the_coordinates(tmp_path):
    path = write(tmp_path, GOOD_VIEW + """
    top_to_bottom = ["piriformis", "gemellus-superior", "obturator-internus"]

    [[views.regions]]
    term = "piriformis"
    kind = "muscle"
    points = "0,0 10,0 10,3 0,3 0,0"

    [[views.regions]]
    term = "obturator-internus"
    kind = "muscle"
    points = "0,3 10,3 10,6 0,6 0,3"

    [[views.regions]]
    term = "gemellus-superior"
    kind = "muscle"
    points = "0,6 10,6 10,9 0,9 0,6"
    """)
    assert problems(path) == [
        f"{path}:14: 'obturator-internus' is drawn above 'gemellus-superior' (centre at y 4.5, not below 7.5), "
        f"but top_to_bottom on line 7 puts it below"]


def test_top_to_bottom_names_a_region_not_drawn(tmp_path):
    path = write(tmp_path, GOOD_VIEW + """
    top_to_bottom = ["piriformis", "quadratus-femoris"]

    [[views.regions]]
    term = "piriformis"
    kind = "muscle"
    points = "0,0 10,0 10,3 0,3 0,0"
    """)
    assert problems(path) == [
        f"{path}:7: 'top_to_bottom' names 'quadratus-femoris', which is not drawn in view 'test'"]


def test_not_toml_and_no_views(tmp_path):
    path = write(tmp_path, "[[views]\n")
    assert problems(path)[0].startswith(f"{path}:1: not valid TOML")
    path = write(tmp_path, "# nothing\n")
    assert problems(path) == [f"{path}:1: no views: add a [[views]] table"]


def test_bad_view_keys(tmp_path):
    path = write(tmp_path, """
    [[views]]
    id = "Test View"
    title = "x"
    width = 0
    height = 10
    [[views.regions]]
    term = "piriformis"
    kind = "muscle"
    points = "0,0 5,0 5,5 0,0"
    """)
    assert problems(path) == [
        f"{path}:2: view 'id' must be lower-case letters, digits and dashes, like \"lateral\"",
        f"{path}:4: view 'width' must be a number above 0 (the canvas size)",
    ]


# -- the shipped views against the reference ------------------------------------------------------


def test_deep_six_drawn_in_order_top_to_bottom(atlas):
    view = atlas.view("posterior-deep")
    drawn = [t for t in DEEP_SIX if view.region(t) is not None]
    # Obturator externus lies deep to quadratus-femoris: not seen from behind (addendum §6, ✔).
    assert drawn == [t for t in DEEP_SIX if t != "obturator-externus"]
    heights = [view.region(t).centroid[1] for t in drawn]
    assert heights == sorted(heights) and len(set(heights)) == len(heights)


def test_obturator_externus_has_its_own_front_view(atlas):
    assert [v.id for v in atlas.views_with("obturator-externus")] == ["anterior-deep"]


def layer_index(view, term):
    return view.terms.index(term)


def test_sciatic_nerve_below_piriformis_and_over_the_rotators(atlas):
    view = atlas.view("posterior-deep")
    nerve = view.region("sciatic-nerve")
    piriformis = view.region("piriformis")
    assert min(y for _, y in nerve.points) >= piriformis.centroid[1]
    touching = neighbours(view)["sciatic-nerve"]
    for muscle in ("gemellus-superior", "obturator-internus", "gemellus-inferior", "quadratus-femoris"):
        # It lies on (superficial to) them: painted after, and over them.
        assert muscle in touching and layer_index(view, "sciatic-nerve") > layer_index(view, muscle)
    # It runs between the greater trochanter and the ischial tuberosity.
    x = nerve.centroid[0]
    assert view.region("ischial-tuberosity").centroid[0] < x < view.region("greater-trochanter").centroid[0]


def test_layers(atlas):
    deep = atlas.view("posterior-deep")
    # Gluteus minimus lies deep to gluteus-medius.
    assert layer_index(deep, "gluteus-medius") > layer_index(deep, "gluteus-minimus")
    # Gluteus maximus covers the back of gluteus-medius.
    for view_id in ("posterior", "lateral"):
        view = atlas.view(view_id)
        assert layer_index(view, "gluteus-maximus") > layer_index(view, "gluteus-medius")
    assert atlas.view("posterior").region("gluteus-maximus") is not None
    assert atlas.view("posterior-deep").region("gluteus-maximus") is None


@pytest.mark.parametrize("view_id, muscle, attachments", [
    # TFL: ASIS (origin) to the IT band (insertion).
    ("lateral", "tensor-fasciae-latae", {"asis", "iliotibial-band"}),
    # Gluteus maximus into the IT band; the IT band to the lateral condyle of the tibia.
    ("lateral", "gluteus-maximus", {"iliotibial-band"}),
    ("lateral", "iliotibial-band", {"lateral-tibial-condyle"}),
    # Gluteus medius: below the iliac crest, to the greater trochanter.
    ("lateral", "gluteus-medius", {"iliac-crest", "greater-trochanter"}),
    ("posterior-deep", "gluteus-minimus", {"greater-trochanter"}),
    # Piriformis from the sacrum to the greater trochanter; the triceps coxae to the greater trochanter.
    ("posterior-deep", "piriformis", {"sacrum", "greater-trochanter"}),
    ("posterior-deep", "gemellus-superior", {"greater-trochanter"}),
    ("posterior-deep", "obturator-internus", {"greater-trochanter"}),
    ("posterior-deep", "gemellus-inferior", {"greater-trochanter", "ischial-tuberosity"}),
    # Quadratus femoris from the ischial tuberosity to the femur (intertrochanteric crest).
    ("posterior-deep", "quadratus-femoris", {"ischial-tuberosity", "femur"}),
    # Gluteus maximus from the back of the iliac crest and the sacrum.
    ("posterior", "gluteus-maximus", {"sacrum", "iliotibial-band"}),
    # Obturator externus over the obturator foramen (hip bone), its tendon to the femur.
    ("anterior-deep", "obturator-externus", {"hip-bone", "femur"}),
])
def test_muscles_touch_what_they_attach_to(atlas, view_id, muscle, attachments):
    assert attachments <= neighbours(atlas.view(view_id))[muscle]


def test_front_and_back_of_the_lateral_view(atlas):
    view = atlas.view("lateral")
    assert view.edge("right") == "front"
    # TFL is the most anterior muscle of the gluteal region; gluteus-maximus lies behind.
    x = {t: view.region(t).centroid[0] for t in view.nameable}
    assert x["tensor-fasciae-latae"] == max(x.values())
    assert x["gluteus-maximus"] == min(x.values())
