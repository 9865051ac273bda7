"""One line of the schema-3 review log: a JSON document with short keys.

A review line::

    {"id": "...", "card": "deck/note/template", "r": 3, "at": "2026-11-29T08:00:00+00:00",
     "ms": 4200, "q": "typed", "a": {...}, "b": {...}}            (+ "cram": true for practice)

``a`` is the card's state after the review (what a crash before the next checkpoint is rolled
forward to), without its card id, without flags at their defaults, without ``due`` when it is
fsrs's own ``due``. ``b`` is the state before it (what undo puts back) as only the fields that differ
from ``a`` (``fsrs`` as a partial object, ``"-"`` listing fields it did not have yet); ``"b": null`` for a card never studied before; ``B`` holds
the whole state instead when a diff cannot say it. Schema 2 stored both states whole: 3x the bytes.

A card state saved without a review (suspend, bury, an edited answer) is a line ``{"set": CARD_ID,
"s": {...}}`` in the same compact form, so the card files need not be rewritten on each one.

Every line is decoded back to the shapes ``ReviewRecord.from_dict`` / ``CardProgress.from_dict``
read (schema 2's documents), and validated by ``records`` like any other document.
"""

from __future__ import annotations

import json
from typing import Any

from hipquiz.core.model import CardProgress, ReviewRecord

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))

# Flags written only when they differ from these (exactly: False is not 0).
_DEFAULTS: dict[str, Any] = {"lapses": 0, "suspended": False, "buried_until": None, "relearn": False,
                             "leech": False, "answer_hash": ""}


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def pack_state(state: dict[str, Any]) -> dict[str, Any]:
    """A card state (``CardProgress.to_dict()``) without what :func:`unpack_state` can put back."""
    packed = {k: v for k, v in state.items()
              if k != "card_id" and not (k in _DEFAULTS and _same(v, _DEFAULTS[k]))}
    fsrs = state.get("fsrs")
    if isinstance(fsrs, dict) and "due" in packed and _same(packed["due"], fsrs.get("due")):
        del packed["due"]
    return packed


def unpack_state(card_id: str, packed: Any) -> dict[str, Any]:
    if not isinstance(packed, dict):
        raise ValueError(f"a card state must be an object, not {type(packed).__name__}")
    state = {"card_id": card_id, **_DEFAULTS, **packed}
    if "due" not in packed and isinstance(packed.get("fsrs"), dict):
        state["due"] = packed["fsrs"].get("due")
    return state


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any] | None:
    """The fields of ``before`` that differ from ``after`` (``"-"``: the fields ``before`` lacks,
    such as a card's first question-type counts); None when a diff cannot say it."""
    if "-" in before or "-" in after:
        return None
    diff = {k: v for k, v in before.items() if k != "fsrs" and (k not in after or not _same(v, after[k]))}
    missing = sorted(set(after) - set(before))
    if missing:
        diff["-"] = missing
    if "fsrs" not in before or "fsrs" not in after:
        return None
    bf, af = before["fsrs"], after["fsrs"]
    if isinstance(bf, dict) and isinstance(af, dict) and set(bf) == set(af):
        fsrs = {k: v for k, v in bf.items() if not _same(v, af[k])}
        if fsrs:
            diff["fsrs"] = fsrs
    elif not _same(bf, af):
        return None
    return diff


def _undiff(diff: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    before = dict(after)  # (only fsrs is changed in place below: the rest is replaced, not changed)
    if isinstance(before.get("fsrs"), dict):
        before["fsrs"] = dict(before["fsrs"])
    for key in diff.get("-", ()):
        before.pop(key, None)
    for key, value in diff.items():
        if key == "-":
            continue
        if key == "fsrs" and isinstance(value, dict) and isinstance(before.get("fsrs"), dict):
            before["fsrs"].update(value)
        else:
            before[key] = value
    return before


def encode_review(review: ReviewRecord, after: dict[str, Any] | None) -> bytes:
    """The log line (with its newline) for ``review`` and the card's state after it."""
    doc: dict[str, Any] = {"id": review.id, "card": review.card_id, "r": int(review.rating),
                           "at": review.reviewed_at.isoformat(), "ms": review.duration_ms,
                           "q": review.question_type}
    if review.cram:
        doc["cram"] = True
    before = review.previous.to_dict() if review.previous is not None else None
    if after is not None:
        doc["a"] = pack_state(after)
    if before is None:
        doc["b"] = None
    else:
        diff = _diff(before, after) if after is not None else None
        if diff is not None and _undiff(diff, after) == before:
            doc["b"] = diff
        else:
            doc["B"] = pack_state(before)
    return (_ENCODER.encode(doc) + "\n").encode("utf-8")


def encode_state(progress: CardProgress) -> bytes:
    """The log line for a card state saved without a review."""
    return (_ENCODER.encode({"set": progress.card_id, "s": pack_state(progress.to_dict())}) + "\n").encode("utf-8")


def is_state_line(doc: dict[str, Any]) -> bool:
    return "set" in doc


def decode_state(doc: dict[str, Any]) -> dict[str, Any]:
    """A state line as ``CardProgress.to_dict()`` gave it (unvalidated)."""
    card_id = doc["set"]
    if not isinstance(card_id, str):
        raise ValueError("'set' must name a card")
    return unpack_state(card_id, doc.get("s"))


def decode_review(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(the review as ``ReviewRecord.to_dict()`` gave it, the state after it or None), unvalidated:
    raises KeyError / ValueError / TypeError for a line that is not one of ours."""
    card_id = doc["card"]
    if not isinstance(card_id, str):
        raise ValueError("'card' must be a card id")
    after = unpack_state(card_id, doc["a"]) if doc.get("a") is not None else None
    if "B" in doc:
        before = unpack_state(card_id, doc["B"])
    elif doc.get("b") is None:
        before = None
    elif after is None or not isinstance(doc["b"], dict):
        raise ValueError("'b' needs the state after the review")
    else:
        before = _undiff(doc["b"], after)
    review = {"id": doc["id"], "card_id": card_id, "rating": doc["r"], "reviewed_at": doc["at"],
              "duration_ms": doc["ms"], "question_type": doc["q"], "previous": before}
    if "cram" in doc:
        review["cram"] = doc["cram"]
    return review, after
