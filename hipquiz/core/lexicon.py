"""The anatomy lexicon: every anatomical term the decks use, its accepted forms and its look-alikes.

The terms live in data, not code: ``decks/lexicon.toml`` ships with hipquiz, and a user may add terms
of their own in a ``lexicon.toml`` in their decks folder (format: decks/README.md, "The lexicon").
Every problem is reported as ``FILE:LINE: message`` (``LexiconError``, a ``DeckError``).

API::

    lexicon = Lexicon.load()                  # shipped terms
    lexicon = Lexicon.load(user_decks_dir)    # + the user's decks/lexicon.toml, if there is one
    Lexicon.shipped(), Lexicon.current()      # cached; current() has the user's terms once
    use_user_lexicon(user_decks_dir)          # ... the deck library has read them (-> problems)
    term = lexicon.lookup("inf. gluteal n.")  # -> Term | None  (any accepted form, any word order)
    term.id, term.kind, term.name             # "inferior-gluteal-nerve", "nerve", "inferior gluteal nerve"
    term.forms, term.misspellings             # other right names; misspellings (a right answer, but a typo)
    term.lookalikes                           # ids of terms never to be taken for this one
    term.roots                                # nerves: accepted root sets, e.g. (("L5", "S1", "S2"),)
    term.members                              # groups: ids of the member terms
    lexicon.match("gluteal maximus")          # -> Match(term, misspelled=True) | None
    lexicon.terms_of_kind("nerve")            # -> tuple[Term, ...], in file order
    lexicon.term("piriformis"), "piriformis" in lexicon, lexicon["piriformis"]
    lexicon.groups_of("piriformis")           # groups whose members include it
    lexicon.key("Gluteal nerve, inferior")    # -> ("gluteal", "inferior")... the words matching uses
    parse_roots("L4-S1") == parse_roots("L4, L5, S1") == ("L4", "L5", "S1")

Matching is forgiving about what never changes the meaning: case, accents and ligatures ("fasciæ"),
punctuation and hyphens, "&" for "and", "the"/"a", the words "muscle"/"m." and "nerve"/"n.", the
abbreviations of the lexicon's ``[abbreviations]`` table ("sup", "inf.", "obt int"), and word order
("gluteal nerve, inferior", "obturator internal"). Near misses (typos) are grading's business
(hipquiz/core/grading.py), not the lexicon's: ``lookup`` only finds exact forms.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from hipquiz.core.decks import (
    ID_PATTERN,
    LEXICON_FILE,
    DeckError,
    _clean,
    _LineIndex,
    parse_toml,
    read_deck_text,
    shipped_decks_dir,
)
from hipquiz.core.parse_cache import cached
from hipquiz.core.problems import Problem
from hipquiz.core.spelling import APOSTROPHES, ASIDE, NON_WORD, folded

KINDS = ("muscle", "nerve", "artery", "bone", "landmark", "structure", "region", "direction", "movement", "group")
TERM_KEYS = {"id", "kind", "name", "forms", "misspellings", "lookalikes", "roots", "members", "note"}
TERM_LIST_KEYS = ("forms", "misspellings", "lookalikes", "roots", "members")
TOP_KEYS = {"lexicon", "abbreviations", "terms"}
LEXICON_VERSION = 1

# Words a student adds or drops that never change which term is meant.
FILLER_WORDS = frozenset({"the", "a", "an", "muscle", "muscles", "m", "musculus"})

# Number words read as digits, so that "deep six" and "deep 6" are one form.
_NUMBERS = {word: str(n) for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}

# Spinal roots in order, so that a range "L4-S1" can be expanded.
ROOT_SEQUENCE = tuple([f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)])
_ROOT_TOKEN = re.compile(r"([LS])\s*([1-5])|(?<![A-Za-z0-9])([1-5])(?![0-9])", re.IGNORECASE)
_ROOT_RANGE = re.compile(r"^\s*(?:to|through|thru|[-–—~>]|\.\.)\s*$", re.IGNORECASE)


class LexiconError(DeckError):
    """A lexicon file could not be loaded; ``problems`` lists every problem found."""


@dataclass(frozen=True)
class Term:
    id: str
    kind: str
    name: str
    forms: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()
    roots: tuple[tuple[str, ...], ...] = ()
    members: tuple[str, ...] = ()
    note: str = ""
    path: Path | None = field(default=None, compare=False, repr=False)
    line: int = field(default=0, compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every right name: the preferred one, the forms, then the misspellings."""
        return (self.name, *self.forms, *self.misspellings)


@dataclass(frozen=True)
class Match:
    """What a text names: the term, and whether it was one of the term's listed misspellings."""

    term: Term
    misspelled: bool = False


# ---------------------------------------------------------------------------------------------
# Text → words
# ---------------------------------------------------------------------------------------------

_APOSTROPHES = re.compile(APOSTROPHES)
_NON_WORD = re.compile(NON_WORD)


@functools.lru_cache(maxsize=16384)
def plain_words(text: str) -> tuple[str, ...]:
    """Lower-case words without accents or punctuation: "Gerdy's tubercle" → ("gerdys", "tubercle");
    "&" becomes "and"; hyphens and other punctuation split words ("G-max" → ("g", "max"))."""
    text = _APOSTROPHES.sub("", folded(text).replace("&", " and "))
    return tuple(_NON_WORD.sub(" ", text).split())


def parse_roots(text: str) -> tuple[str, ...]:
    """Spinal roots written in any common notation, in order: "L4, L5, S1", "L4-S1", "L4–S1",
    "L4 to S1", "L4/5/S1", "L4,5,S1" → ("L4", "L5", "S1"). Empty when the text names no root.
    A bare digit takes the letter of the root before it ("L4,5" = L4, L5)."""
    roots: list[str] = []
    pending_range = False
    last_letter = ""
    position = 0
    for found in _ROOT_TOKEN.finditer(text):
        between = text[position:found.start()]
        position = found.end()
        if found.group(1):
            letter, digit = found.group(1).upper(), found.group(2)
        elif last_letter:
            letter, digit = last_letter, found.group(3)
        else:
            continue
        root = f"{letter}{digit}"
        if roots and _ROOT_RANGE.match(between):
            pending_range = True
        if pending_range and roots:
            start, end = ROOT_SEQUENCE.index(roots[-1]), ROOT_SEQUENCE.index(root)
            roots.extend(ROOT_SEQUENCE[i] for i in range(start + 1, end + 1))
            pending_range = False
        else:
            roots.append(root)
        last_letter = letter
    ordered = sorted(set(roots), key=ROOT_SEQUENCE.index)
    return tuple(ordered)


# ---------------------------------------------------------------------------------------------
# The lexicon
# ---------------------------------------------------------------------------------------------

_ASIDE = re.compile(ASIDE)


class Lexicon:
    """The terms, indexed by every accepted form (exact words, then the same words in any order)."""

    def __init__(self, terms: Iterable[Term], abbreviations: dict[str, str] | None = None):
        self._terms: dict[str, Term] = {}
        for term in terms:
            self._terms[term.id] = term
        self.abbreviations = dict(abbreviations or {})
        self._by_key: dict[tuple[str, ...], Match] = {}
        self._by_bag: dict[tuple[str, ...], Match] = {}
        # "T.F.L." and "g max" are "TFL" and "gmax" with the spaces taken out.
        self._by_joined: dict[str, Match] = {}
        for term in self._terms.values():
            for text, misspelled in self._names_of(term):
                key = self.key(text)
                if not key:
                    continue
                match = Match(term, misspelled)
                self._by_key.setdefault(key, match)
                self._by_bag.setdefault(tuple(sorted(key)), match)
                self._by_joined.setdefault("".join(key), match)
        # The words of right names (not of misspellings): a word of another term is never a typo.
        self.vocabulary = frozenset(word for key, match in self._by_key.items() if not match.misspelled for word in key)

    @staticmethod
    def _names_of(term: Term) -> Iterator[tuple[str, bool]]:
        yield term.name, False
        for form in term.forms:
            yield form, False
        for misspelling in term.misspellings:
            yield misspelling, True

    # -- loading --------------------------------------------------------------------------

    @classmethod
    def load(cls, user_decks_dir: Path | None = None) -> Lexicon:
        """The shipped lexicon, plus the user's ``lexicon.toml`` in ``user_decks_dir`` if present.
        Raises LexiconError listing every problem."""
        terms, abbreviations = load_lexicon_file(shipped_decks_dir() / LEXICON_FILE)
        if user_decks_dir is not None and (user_decks_dir / LEXICON_FILE).is_file():
            more, more_abbreviations = load_lexicon_file(user_decks_dir / LEXICON_FILE, base=terms)
            terms = [*terms, *more]
            abbreviations = {**abbreviations, **more_abbreviations}
        return cls(terms, abbreviations)

    @classmethod
    def shipped(cls) -> Lexicon:
        """The shipped lexicon, loaded once per process."""
        return _shipped()

    @classmethod
    def current(cls) -> Lexicon:
        """The lexicon typed answers are graded on: the shipped terms plus those of the user's
        ``lexicon.toml`` once ``use_user_lexicon`` has read it (the deck library does)."""
        return _user if _user is not None else _shipped()

    # -- looking terms up ----------------------------------------------------------------

    def key(self, text: str) -> tuple[str, ...]:
        """The words of ``text`` that matching compares: plain words with abbreviations expanded
        and filler words ("the", "a", "muscle", "m.", "musculus") left out."""
        plain = plain_words(text)
        if len(plain) > 1 and plain[-1] == "a":
            plain = (*plain[:-1], "artery")  # "inferior gluteal a.": a last "a" is no article
        words = [_NUMBERS.get(w, w) for w in (self.abbreviations.get(word, word) for word in plain)]
        kept = tuple(word for word in words if word not in FILLER_WORDS)
        # A text of filler words only ("a", "the muscle") is those words.
        return kept or tuple(words)

    def match(self, text: str) -> Match | None:
        """The term ``text`` names exactly (after normalising, in any word order), trying next the
        text without its parenthesised asides and then the aside alone: "the TFL (tensor fasciae
        latae)", "superior gluteal nerve (L4, L5, S1)"."""
        for candidate in _readings(text):
            key = self.key(candidate)
            if not key:
                continue
            found = (self._by_key.get(key) or self._by_bag.get(tuple(sorted(key)))
                     or self._by_joined.get("".join(key)) or self._by_joined.get("".join(plain_words(candidate))))
            if found is not None:
                return found
        return None

    def match_words(self, key: tuple[str, ...]) -> Match | None:
        """The term whose form is exactly these words (as ``key`` gives them), in this order."""
        return self._by_key.get(key)

    def lookup(self, text: str) -> Term | None:
        """The term ``text`` names, or None."""
        found = self.match(text)
        return found.term if found is not None else None

    def term(self, term_id: str) -> Term | None:
        return self._terms.get(term_id)

    def __getitem__(self, term_id: str) -> Term:
        return self._terms[term_id]

    def __contains__(self, term_id: object) -> bool:
        return term_id in self._terms

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms.values())

    def __len__(self) -> int:
        return len(self._terms)

    def terms_of_kind(self, kind: str) -> tuple[Term, ...]:
        return tuple(term for term in self._terms.values() if term.kind == kind)

    def groups_of(self, term_id: str) -> tuple[Term, ...]:
        """The groups that list ``term_id`` among their members."""
        return tuple(t for t in self._terms.values() if t.kind == "group" and term_id in t.members)

    def entries(self) -> Iterator[tuple[tuple[str, ...], Match]]:
        """(key, match) for every accepted form of every term."""
        return iter(self._by_key.items())


def _readings(text: str) -> Iterator[str]:
    yield text
    without = _ASIDE.sub(" ", text)
    if without != text:
        yield without
        for aside in _ASIDE.findall(text):
            yield aside


@functools.lru_cache(maxsize=1)
def _shipped() -> Lexicon:
    return Lexicon.load()


# The user's terms, added to the shipped ones; set when the deck library is loaded.
_user: Lexicon | None = None


def use_user_lexicon(user_decks_dir: Path | None) -> list[Problem]:
    """Grade on the shipped terms plus those of ``user_decks_dir/lexicon.toml`` from now on (only
    the shipped ones when there is no such file, or ``user_decks_dir`` is None). A user lexicon with
    problems is left out, and its problems returned to be shown as ``FILE:LINE: message``."""
    global _user
    _user = None
    if user_decks_dir is None or not (user_decks_dir / LEXICON_FILE).is_file():
        return []
    try:
        _user = Lexicon.load(user_decks_dir)
    except DeckError as exc:
        return list(exc.problems)
    return []


# ---------------------------------------------------------------------------------------------
# Loading and validating a lexicon file
# ---------------------------------------------------------------------------------------------


def load_lexicon_file(path: Path, base: Iterable[Term] = ()) -> tuple[list[Term], dict[str, str]]:
    """Load and validate one lexicon file. ``base`` holds the terms it may refer to and must not
    clash with (the shipped ones, for a user's file). Raises LexiconError listing every problem."""
    path = Path(path)
    try:
        text = read_deck_text(path)
    except OSError as exc:
        raise LexiconError([Problem(path, 0, f"cannot read the lexicon: {exc.strerror or exc}")]) from None
    except DeckError as exc:
        raise LexiconError(exc.problems) from None
    base = tuple(base)
    if base:  # a user's lexicon, checked against the shipped terms: small, parsed each time
        return parse_lexicon(text, path, base)
    return cached("lexicon", path, text, lambda: parse_lexicon(text, path), tuple)


def validate_lexicon_file(path: Path) -> str:
    """Check a lexicon file (a user's one against the shipped terms); a one-line summary, or
    LexiconError."""
    path = Path(path)
    shipped = shipped_decks_dir() / LEXICON_FILE
    base: list[Term] = []
    if path.resolve() != shipped.resolve():
        base, _ = load_lexicon_file(shipped)
    terms, abbreviations = load_lexicon_file(path, base=base)
    return f"{path}: ok: lexicon, {len(terms)} terms, {len(abbreviations)} abbreviations"


def parse_lexicon(text: str, path: Path, base: Iterable[Term] = ()) -> tuple[list[Term], dict[str, str]]:
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    try:
        data = parse_toml(text, path, problems)
    except DeckError as exc:
        raise LexiconError(exc.problems) from None
    lines = _LineIndex(text, array="terms", table="lexicon")
    for key in data:
        if key not in TOP_KEYS:
            problem(lines.table(key), f"unknown table or key {key!r} (expected [lexicon], [abbreviations] and [[terms]])")

    header = data.get("lexicon", {})
    if not isinstance(header, dict):
        problem(1, "'lexicon' must be a table: [lexicon] with version = 1")
    else:
        for key in header:
            if key != "version":
                problem(lines.table("lexicon", key), f"unknown key {key!r} in [lexicon] (allowed: version)")
        if "version" in header and header["version"] != LEXICON_VERSION:
            problem(lines.table("lexicon", "version"),
                    f"unsupported lexicon version {header['version']!r} (this hipquiz reads version {LEXICON_VERSION})")

    abbreviations: dict[str, str] = {}
    raw_abbreviations = data.get("abbreviations", {})
    if not isinstance(raw_abbreviations, dict):
        problem(1, "'abbreviations' must be a table of word = \"expansion\"")
    else:
        for short, long in raw_abbreviations.items():
            line = lines.table("abbreviations", short)
            if plain_words(short) != (short,):
                problem(line, f"abbreviation {short!r} must be one lower-case word without punctuation")
            elif not isinstance(long, str) or len(plain_words(long)) != 1:
                problem(line, f"abbreviation {short!r} must stand for one word in quotes, like \"superior\"")
            else:
                abbreviations[short] = plain_words(long)[0]

    base_terms = {term.id: term for term in base}
    raw_terms = data.get("terms", [])
    if not isinstance(raw_terms, list):
        problem(1, "'terms' must be an array of [[terms]] tables")
        raw_terms = []
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_terms):
        term = _parse_term(raw, index, path, lines, problem)
        if term is None:
            continue
        if term.id in seen:
            problem(term.line, f"duplicate term id {term.id!r} (first used on line {seen[term.id]})")
            continue
        if term.id in base_terms:
            problem(term.line, f"term id {term.id!r} is already a shipped term; give yours another id")
            continue
        seen[term.id] = term.line
        terms.append(term)

    known = {**base_terms, **{term.id: term for term in terms}}
    by_index = {term.id: index for term in terms
                for index in [next(i for i, raw in enumerate(raw_terms) if isinstance(raw, dict) and raw.get("id") == term.id)]}
    for term in terms:
        index = by_index[term.id]
        for key in ("lookalikes", "members"):
            for other in getattr(term, key):
                if other not in known:
                    problem(lines.note(index, key), f"{key} names unknown term id {other!r}")
                elif other == term.id:
                    problem(lines.note(index, key), f"{key} names the term itself")
    _check_names(terms, base_terms.values(), abbreviations, lines, by_index, problem)

    if problems:
        raise LexiconError(sorted(problems, key=lambda p: p.line))
    return terms, abbreviations


def _parse_term(raw: Any, index: int, path: Path, lines: _LineIndex, problem) -> Term | None:
    header = lines.note(index)
    if not isinstance(raw, dict):
        problem(header, "each term must be a [[terms]] table")
        return None
    ok = True
    for key in raw:
        if key not in TERM_KEYS:
            problem(lines.note(index, key), f"unknown key {key!r} in a term (allowed: {', '.join(sorted(TERM_KEYS))})")
            ok = False
    for key in ("id", "kind", "name"):
        if key not in raw:
            problem(header, f"term is missing {key!r}")
            ok = False
    values: dict[str, Any] = {}
    for key, value in raw.items():
        line = lines.note(index, key)
        if key in TERM_LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(line, f"{key!r} must be a list of texts, like [\"a\", \"b\"]")
                ok = False
            elif any(not _clean(v) for v in value):
                problem(line, f"{key!r} holds an empty entry")
                ok = False
            else:
                values[key] = tuple(_clean(v) for v in value)
        elif key in TERM_KEYS:
            if not isinstance(value, str) or not _clean(value):
                problem(line, f"{key!r} must be a non-empty text in quotes")
                ok = False
            else:
                values[key] = _clean(value)
    term_id = values.get("id", "")
    if term_id and not re.match(ID_PATTERN, term_id):
        problem(lines.note(index, "id"), f"term id {term_id!r} may hold only lower-case letters, digits and dashes")
        ok = False
    kind = values.get("kind", "")
    if kind and kind not in KINDS:
        problem(lines.note(index, "kind"), f"unknown kind {kind!r} (one of: {', '.join(KINDS)})")
        ok = False
    if "roots" in values and kind and kind != "nerve":
        problem(lines.note(index, "roots"), f"only nerves have roots, and this term is a {kind}")
        ok = False
    if "members" in values and kind and kind != "group":
        problem(lines.note(index, "members"), f"only groups have members, and this term is a {kind}")
        ok = False
    roots: list[tuple[str, ...]] = []
    for text in values.get("roots", ()):
        parsed = parse_roots(text)
        if not parsed or not re.fullmatch(r"[LS\d,\s\-–to]+", text):
            problem(lines.note(index, "roots"), f"root set {text!r} is not roots like \"L4-S1\" or \"L4, L5, S1\"")
            ok = False
        else:
            roots.append(parsed)
    if not ok:
        return None
    return Term(
        id=term_id,
        kind=kind,
        name=values["name"],
        forms=values.get("forms", ()),
        misspellings=values.get("misspellings", ()),
        lookalikes=values.get("lookalikes", ()),
        roots=tuple(roots),
        members=values.get("members", ()),
        note=values.get("note", ""),
        path=path,
        line=header,
    )


def _check_names(terms: list[Term], base: Iterable[Term], abbreviations: dict[str, str], lines: _LineIndex,
                 by_index: dict[str, int], problem) -> None:
    """No two terms may share a form (in any word order): the grader could not tell them apart."""
    lexicon = Lexicon([], abbreviations)
    owner: dict[tuple[str, ...], tuple[Term, str]] = {}
    for term in base:
        for text, _ in Lexicon._names_of(term):
            owner.setdefault(tuple(sorted(lexicon.key(text))), (term, "a shipped term"))
    for term in terms:
        index = by_index[term.id]
        own: dict[tuple[str, ...], str] = {}
        for key_name, texts in (("name", (term.name,)), ("forms", term.forms), ("misspellings", term.misspellings)):
            line = lines.note(index, key_name)
            for text in texts:
                bag = tuple(sorted(lexicon.key(text)))
                if not bag:
                    problem(line, f"{text!r} has no letters or digits")
                    continue
                if bag in own:
                    problem(line, f"{text!r} is the same name as {own[bag]!r} once normalised; list it once")
                    continue
                own[bag] = text
                other = owner.get(bag)
                if other is not None and other[0].id != term.id:
                    problem(line, f"{text!r} also names the term {other[0].id!r} ({other[1]}): a form may name only one term")
                    continue
                owner[bag] = (term, f"line {line}")
