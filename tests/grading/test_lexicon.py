"""The lexicon: the shipped file loads, lookups find terms in the forms students write, and every
problem in a lexicon file is reported at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipquiz.cli import main
from hipquiz.core.decks import load_library
from hipquiz.core.lexicon import KINDS, Lexicon, LexiconError, parse_lexicon, parse_roots

SHIPPED = Lexicon.shipped()


@pytest.mark.parametrize(("text", "term_id"), [
    # Written from the "Accept" lines of anatomy_reference.md and the examples.
    ("TFL muscle", "tensor-fasciae-latae"),
    ("Tensor fasciæ latæ", "tensor-fasciae-latae"),
    ("gluteus maximus muscle", "gluteus-maximus"),
    ("piriformis m.", "piriformis"),
    ("inf. gluteal nerve", "inferior-gluteal-nerve"),
    ("gluteal nerve, inferior", "inferior-gluteal-nerve"),
    ("obt int", "obturator-internus"),
    ("sup gemellus", "gemellus-superior"),
    ("internal obturator", "obturator-internus"),
    ("the IT band", "iliotibial-band"),
    ("tractus iliotibialis", "iliotibial-band"),
    ("deep six", "deep-six"),
    ("n. to quadratus femoris", "nerve-to-quadratus-femoris"),
    ("superior gluteal nerve (L4, L5, S1)", "superior-gluteal-nerve"),
    ("the TFL (tensor fasciae latae)", "tensor-fasciae-latae"),
    ("Gerdys tubercle", "gerdys-tubercle"),
    ("external rotation", "hip-lateral-rotation"),
])
def test_lookup_finds_a_term_in_the_forms_students_write(text, term_id):
    term = SHIPPED.lookup(text)
    assert term is not None and term.id == term_id


@pytest.mark.parametrize("text", ["quadriceps femoris", "superior cluneal nerve", "obturator nerve", "gemellus inferior"])
def test_a_look_alike_is_its_own_term(text):
    term = SHIPPED.lookup(text)
    assert term is not None
    assert term.id not in {"quadratus-femoris", "superior-gluteal-nerve", "obturator-internus", "gemellus-superior"}


def test_misspellings_are_marked_as_such():
    assert SHIPPED.match("glutius maximus").misspelled
    assert not SHIPPED.match("gluteus maximus").misspelled


def test_terms_of_kind_and_groups():
    assert {t.kind for t in SHIPPED} <= set(KINDS)
    nerves = {t.id for t in SHIPPED.terms_of_kind("nerve")}
    assert {"superior-gluteal-nerve", "obturator-nerve", "nerve-to-piriformis"} <= nerves
    assert "deep-six" in {g.id for g in SHIPPED.groups_of("piriformis")}
    assert SHIPPED["inferior-gluteal-nerve"].roots == (("L5", "S1", "S2"),)


@pytest.mark.parametrize("text", ["L4, L5, S1", "L4-S1", "L4–S1", "L4 to S1", "L4/5/S1", "(L4,L5,S1)", "l4 l5 s1"])
def test_roots_in_any_common_notation(text):
    assert parse_roots(text) == ("L4", "L5", "S1")


def test_the_lexicon_is_not_loaded_as_a_deck():
    library = load_library()
    assert not library.problems
    assert all(deck.path.name != "lexicon.toml" for deck in library.decks)


def test_validate_checks_the_lexicon(capsys):
    decks = Path(__file__).resolve().parents[2] / "decks"
    assert main(["validate", str(decks)]) == 0
    assert "lexicon.toml: ok: lexicon" in capsys.readouterr().out


BAD = '''\
[lexicon]
version = 2
colour = "red"

[abbreviations]
sup = "superior"
"two words" = "x"

[[terms]]
id = "left-thing"
kind = "organ"
name = "left thing"

[[terms]]
id = "a-nerve"
kind = "nerve"
name = "a nerve"
roots = ["L4-S1", "banana"]

[[terms]]
id = "a-muscle"
kind = "muscle"
name = "some muscle"
forms = ["sup muscle", "superior muscle"]
lookalikes = ["nothing-here"]

[[terms]]
id = "a-muscle"
kind = "nerve"
name = "another nerve"

[[terms]]
id = "clash"
kind = "muscle"
name = "some"
colour = "blue"
members = ["a-nerve"]

[[terms]]
kind = "muscle"
name = "nameless"
'''


def test_each_problem_is_reported_at_its_line():
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(BAD, Path("lex.toml"))
    messages = [str(p) for p in caught.value.problems]
    expected_lines = {
        2: "unsupported lexicon version",
        3: "unknown key 'colour' in [lexicon]",
        7: "abbreviation 'two words'",
        11: "unknown kind 'organ'",
        18: "root set 'banana'",
        24: "'superior muscle' is the same name as 'sup muscle'",
        25: "lookalikes names unknown term id 'nothing-here'",
        27: "duplicate term id 'a-muscle'",
        36: "unknown key 'colour' in a term",
        37: "only groups have members",
        39: "term is missing 'id'",
    }
    for line, text in expected_lines.items():
        assert any(m.startswith(f"lex.toml:{line}: ") and text in m for m in messages), (line, text, messages)
    assert len(messages) == len(expected_lines), messages


def test_a_form_may_name_only_one_term():
    text = '[[terms]]\nid = "one"\nkind = "muscle"\nname = "pear muscle"\n\n[[terms]]\nid = "two"\nkind = "muscle"\nname = "pear"\n'
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text, Path("lex.toml"))
    assert [str(p) for p in caught.value.problems] == [
        "lex.toml:9: 'pear' also names the term 'one' (line 4): a form may name only one term"]


def test_lookalikes_must_exist():
    text = '[[terms]]\nid = "one"\nkind = "muscle"\nname = "pear"\nlookalikes = ["apple"]\n'
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text, Path("lex.toml"))
    assert [str(p) for p in caught.value.problems] == ["lex.toml:5: lookalikes names unknown term id 'apple'"]


def test_a_user_lexicon_adds_terms_and_may_not_redefine_shipped_ones(tmp_path):
    (tmp_path / "lexicon.toml").write_text(
        '[[terms]]\nid = "iliacus"\nkind = "muscle"\nname = "iliacus"\nlookalikes = ["iliopsoas"]\n', encoding="utf-8")
    lexicon = Lexicon.load(tmp_path)
    assert lexicon.lookup("iliacus muscle").id == "iliacus"  # filler words forgiven, as for shipped terms
    assert lexicon.lookup("piriformis").id == "piriformis"
    (tmp_path / "lexicon.toml").write_text('[[terms]]\nid = "x"\nkind = "muscle"\nname = "pyriformis"\n', encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        Lexicon.load(tmp_path)
    assert str(caught.value) == (f"{tmp_path / 'lexicon.toml'}:4: 'pyriformis' also names the term 'piriformis' "
                                 "(a shipped term): a form may name only one term")


def test_a_broken_user_lexicon_is_a_one_line_problem_for_validate(tmp_path, capsys):
    (tmp_path / "lexicon.toml").write_text('[[terms]]\nid = "x"\nkind = "muscle"\n', encoding="utf-8")
    assert main(["validate", str(tmp_path / "lexicon.toml")]) == 1
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'lexicon.toml'}:1: term is missing 'name'"


def test_the_library_makes_a_user_lexicon_count_in_grading(tmp_path):
    from hipquiz.core.grading import grade_answer
    from hipquiz.core.lexicon import use_user_lexicon

    (tmp_path / "lexicon.toml").write_text(
        '[[terms]]\nid = "iliacus"\nkind = "muscle"\nname = "iliacus"\nlookalikes = ["iliopsoas"]\n', encoding="utf-8")
    try:
        library = load_library(tmp_path)
        assert not library.problems
        # The user's term is another term: never a typo of a shipped one it is near to.
        found = grade_answer("iliacus", ["iliopsoas"])
        assert (found.verdict, found.named) == ("wrong", "iliacus")
        assert grade_answer("iliacus muscle", ["iliacus"]).verdict == "right"
        (tmp_path / "lexicon.toml").write_text('[[terms]]\nid = "x"\nkind = "muscle"\n', encoding="utf-8")
        library = load_library(tmp_path)
        assert [str(p) for p in library.problems] == [f"{tmp_path / 'lexicon.toml'}:1: term is missing 'name'"]
    finally:
        use_user_lexicon(None)
    assert Lexicon.current() is Lexicon.shipped()


def test_a_user_lexicon_counts_in_a_new_process(tmp_path):
    # The library imports the lexicon only when a user lexicon is there to read (or one read
    # before may need forgetting): a fresh process, as `hipquiz` starts, must still read it.
    import subprocess
    import sys

    (tmp_path / "lexicon.toml").write_text(
        '[[terms]]\nid = "iliacus"\nkind = "muscle"\nname = "iliacus"\n', encoding="utf-8")
    code = ("import sys; from pathlib import Path; from hipquiz.core.decks import load_library; "
            "load_library(Path(sys.argv[1])); from hipquiz.core.lexicon import Lexicon; "
            "print(Lexicon.current().lookup('iliacus') is not None)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr
