"""Card states read when first used, and the card index that lets an open skip the card files.

``cards/index.tsv`` is a cache the writer writes when it closes. Its first line (the header) says
of each card file its size, mtime, ctime, inode and CRC-32, holds every 64th card key with where
its line is (the fence), and the CRC-32 of the lines; then one line a card, sorted: where the
card's document is in its card file, and the few fields that decide what is studied today (a
:class:`CardBrief`). At open:

* a card file whose size, times and inode are those the header says, and whose ctime is before the
  index's, is trusted by that stamp and not read now; else, when its bytes have the CRC-32 the
  header says, it is trusted too (and the next close writes the index again with its new stamp).
  The day's queue and counts read the briefs, found by bisecting the fence: no dictionary of every
  card is built;
* any other card file (written after the index: a crash, a hand edit, a restored backup), and every
  card file when the index is missing or damaged (its lines' CRC-32 tells), is parsed and
  validated whole at open, as without an index.

A trusted card file is read when a card of it is first used, once. That read is checked against
the size and CRC-32 the header says (``_bytes``): a file changed since the open (another program,
during the session) drops the index. A card is parsed and validated (``card_from``) when used, so
a hostile value is refused, naming its file, when its card is first used. The index is dropped
(every card file then parsed and validated whole, silently) when a line does not parse, when it
disagrees with the card it points to, and when a card has no line but its card file holds it (a
line left out or out of order: each card file is searched once, ``_missing``). ``index_disagrees``
is what ``hipquiz doctor`` checks. A missing, damaged, stale or lying index costs time, never a
card; the next close writes it again, pairing each file's stamp with the bytes it describes.
"""

from __future__ import annotations

import json
import re
import zlib
from bisect import bisect_right
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreCorrupt
from hipquiz.core.model import PHASES, CardProgress, Phase
from hipquiz.core.store.files import STRICT_JSON, decode_tables, encode_cards
from hipquiz.core.store.layout import CARDS_DIR, shard_name
from hipquiz.core.store.records import by_id, card_from, cards_table

HEADER = b"hipquiz card index 2\t"
# A key of every FENCE-th line is kept in the header: a lookup bisects them, then searches one block
# of lines (no dictionary of every card is built at open).
FENCE = 64
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode

#: (size, mtime_ns, ctime_ns, inode) of a file, as ``Backend.stamp`` gives it.
Stamp = tuple[int, int, int, int]


class IndexDamaged(Exception):
    """An index line that cannot be used: the index is dropped (never shown to the user)."""


@dataclass(frozen=True, slots=True)
class CardBrief:
    """What decides whether a card is studied today, from the card index (its full state, with
    the FSRS memory, is read when the card is used)."""

    card_id: str
    due: datetime
    phase: Phase
    reps: int
    suspended: bool
    buried_until: date | None
    answer_hash: str


def _shard_key(rel: str) -> str:
    return rel[len(CARDS_DIR) + 1:-len(".json")]  # "cards/07.json" -> "07"


def _shard_rel(key: str) -> str:
    return f"{CARDS_DIR}/{key}.json"


def _brief_fields(progress: CardProgress) -> str:
    buried = progress.buried_until.isoformat() if progress.buried_until else ""
    return (f"{progress.due.isoformat()}\t{progress.phase}\t{progress.reps}\t{int(progress.suspended)}"
            f"\t{buried}\t{_ENCODE(progress.answer_hash)}")


def _parse_entry(card_id: str, rest: bytes) -> tuple[str, int, int, CardBrief]:
    """(card file, start, end, brief) of an index line; raises IndexDamaged."""
    try:
        shard, start, end, due, phase, reps, suspended, buried, answer_hash = rest.decode("utf-8").split("\t")
        when = datetime.fromisoformat(due)
        hash_text = json.loads(answer_hash)
        count = int(reps)
        if (when.tzinfo is None or not 1970 <= when.year <= 9000 or phase not in PHASES
                or suspended not in ("0", "1") or not isinstance(hash_text, str) or count < 0):
            raise ValueError(rest[:40])
        brief = CardBrief(card_id, when.astimezone(timezone.utc), Phase(phase), count, suspended == "1",
                          date.fromisoformat(buried) if buried else None, hash_text)
        return _shard_rel(shard), int(start), int(end), brief
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as exc:
        raise IndexDamaged(str(exc)) from None


def _same(brief: CardBrief, progress: CardProgress) -> bool:
    return (brief.due, brief.phase, brief.reps, brief.suspended, brief.buried_until, brief.answer_hash) == (
        progress.due, progress.phase, progress.reps, progress.suspended, progress.buried_until,
        progress.answer_hash)


class _Lines:
    """The index's card lines, sorted by key (a JSON-encoded card id), looked up by bisecting the
    header's fence then searching one block: no dictionary of every card is built. Changes made
    since the open (a card read, changed, forgotten, moved) are kept over them."""

    def __init__(self, data: bytes = b"", keys: list[bytes] | None = None, offsets: list[int] | None = None) -> None:
        self._data = data
        self._keys = keys or []
        self._offsets = offsets or []
        self._over: dict[bytes, bytes | None] = {}

    def get(self, key: bytes) -> bytes | None:
        """The rest of the line of ``key``; raises IndexDamaged when the fence is not the lines'."""
        if key in self._over:
            return self._over[key]
        block = bisect_right(self._keys, key) - 1
        if block < 0:
            return None
        start = self._offsets[block]
        end = self._offsets[block + 1] if block + 1 < len(self._offsets) else len(self._data)
        if self._data[start - 1:start] != b"\n" or not self._data.startswith(self._keys[block] + b"\t", start):
            raise IndexDamaged("the fence does not match the lines")
        needle = b"\n" + key + b"\t"
        at = self._data.find(needle, start - 1, end)
        if at < 0:
            return None
        at += len(needle)
        return self._data[at:self._data.index(b"\n", at)]

    def set(self, key: bytes, rest: bytes | None) -> None:
        self._over[key] = rest

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        """Every line (as changed since the open)."""
        if self._offsets:
            for line in self._data[self._offsets[0]:].split(b"\n"):
                key, tab, rest = line.partition(b"\t")
                if tab and key not in self._over:
                    yield key, rest
        for key, rest in self._over.items():
            if rest is not None:
                yield key, rest

    def __bool__(self) -> bool:
        return bool(self._offsets) or any(rest is not None for rest in self._over.values())


def _read_index(index: bytes | None) -> tuple[dict[str, list[int]], _Lines] | None:
    """(the stamps of the card files it describes, its lines) of an index; None when there is none,
    or it is damaged (its lines' CRC-32 is in the header), or not one."""
    if not index or not index.startswith(HEADER) or not index.endswith(b"\n"):  # (cut short)
        return None
    head_end = index.find(b"\n")
    try:
        head = STRICT_JSON.decode(index[len(HEADER):head_end].decode("utf-8"))
        files, fence, crc = head["files"], head["fence"], head["crc"]
        keys = [_ENCODE(key).encode("utf-8") for key, _ in fence]
        offsets = [int(offset) for _, offset in fence]
        if (not isinstance(files, dict) or zlib.crc32(memoryview(index)[head_end + 1:]) != crc
                or offsets != sorted(offsets) or keys != sorted(keys) or any(
                    not (head_end < offset < len(index)) for offset in offsets)):
            return None
    except (ValueError, TypeError, KeyError, UnicodeDecodeError, RecursionError):
        return None
    return files, _Lines(index, keys, offsets)


class CardStates(Mapping[str, CardProgress]):
    """Every card's state, each parsed and validated when first asked for (``get``, ``[]``);
    ``brief`` answers from the card index without parsing. ``all`` parses them all."""

    def __init__(self, path: Callable[[str], Path], read: Callable[[str], bytes | None],
                 stamp: Callable[[str], Stamp | None]) -> None:
        self._path = path  # card file -> the path to name in messages
        self._read_file = read
        self._stamp = stamp
        self._loaded: dict[str, CardProgress] = {}  # parsed and validated, or changed since the open
        self._lazy = _Lines()  # the index's lines of the cards not read yet
        self._files: set[str] = set()  # the card files on disk
        self._raw: dict[str, bytes] = {}  # card file -> its bytes, as on disk (read when needed)
        self._said: dict[str, list[int]] = {}  # card file -> what the index says of it
        self._fresh: set[str] = set()  # card files the index describes (their lines in _lazy hold)
        self._placed: set[str] = set()  # card files parsed or written whole: every card in _where
        self._unplaced: set[str] = set()  # card files parsed whole, where each card is not known
        self._where: dict[str, tuple[str, int, int]] = {}  # loaded card -> its file, start, end
        self._gone: set[str] = set()  # cards forgotten since the open (their files may still hold them)
        self._all_read = False  # every card file parsed whole (see ``all``)
        self._parsed: dict[str, tuple[bytes, tuple[str, int, int, CardBrief]]] = {}  # line -> entry
        self._ids: dict[str, tuple[bytes, set[bytes] | None]] = {}  # card file -> (its bytes, the card keys in them)
        #: The index on disk is missing, damaged or does not describe the card files as they are.
        self.index_stale = False
        #: A line of the index was damaged or disagreed with its card: the index was dropped.
        self.dropped = False

    # -- opening ----------------------------------------------------------------------------------

    def open(self, files: list[str], index: bytes | None, index_stamp: Stamp | None = None) -> None:
        """Open the card ``files`` with the index's bytes (None: none) and stamp. A card file the
        index describes is not read now: the same size, times and inode as when the index was
        written, older than the index (else, when its bytes' CRC-32 matches). The others are
        parsed and validated whole. Raises StoreCorrupt for a bad card file."""
        self._files = set(files)
        found = _read_index(index)
        said, lines = found if found is not None else ({}, _Lines())
        self.index_stale = found is None or set(said) != {_shard_key(rel) for rel in files}
        for rel in files:
            record = said.get(_shard_key(rel))
            if isinstance(record, list) and len(record) == 5 and self._unchanged(rel, record, index_stamp):
                self._fresh.add(rel)
                self._said[rel] = record
            else:
                self.index_stale = True
        self._lazy = lines if self._fresh else _Lines()
        for rel in sorted(self._files - self._fresh):
            self._parse_whole(rel)
            self._unplaced.add(rel)

    def _unchanged(self, rel: str, record: list[int], index_stamp: Stamp | None) -> bool:
        """Whether card file ``rel`` is as the index's ``record`` (size, mtime, ctime, inode, CRC-32)
        says. Its stamp alone tells, unless it changed in the same tick of the clock
        as the index was written (or the backend keeps no times): then its bytes are compared."""
        stamp = self._stamp(rel)
        if stamp is not None and index_stamp is not None and list(stamp) == record[:4] and stamp[2] < index_stamp[2]:
            return True
        raw = self._bytes(rel)
        if stamp is not None and list(stamp) != record[:4]:
            # The same bytes under new times (the daily backup's hard links change a file's ctime):
            # the next close writes the index again, so that later opens need not read the file.
            self.index_stale = True
        return [len(raw), zlib.crc32(raw)] == [record[0], record[4]]

    def _bytes(self, rel: str) -> bytes:
        """The bytes of card file ``rel``, read once. The first read of a file the index describes
        is checked against what the index says of it (size, CRC-32): a file changed since the open
        (by another program) drops the index, and every card file is then parsed whole."""
        raw = self._raw.get(rel)
        if raw is None:
            raw = self._raw[rel] = self._read_file(rel) or b""
            if rel in self._fresh and [len(raw), zlib.crc32(raw)] != [self._said[rel][0], self._said[rel][4]]:
                self.drop_index()
        return raw

    def _parse_whole(self, rel: str) -> None:
        """Parse and validate a whole card file (its cards already in memory are left as they are:
        read before, or changed since the open)."""
        path = self._path(rel)
        tables = decode_tables(path, self._bytes(rel))
        for _doc_id, doc in by_id(cards_table(path, tables)):
            progress = card_from(path, doc)
            card_id = progress.card_id
            if card_id in self._gone:
                continue
            other = self._file_of(card_id)
            if other is not None and other != rel:
                raise StoreCorrupt(path, f"holds card {card_id!r} that is also in {self._path(other)}")
            if card_id in self._loaded:
                continue
            self._loaded[card_id] = progress
            rest = self._line(card_id) if other is not None else None
            self._where[card_id] = _place(rest) if rest is not None else (rel, -1, -1)
            if rest is not None:
                self._lazy.set(_key(card_id), None)

    def _line(self, card_id: str) -> bytes | None:
        """The rest of the index line of ``card_id`` (None: none); a damaged fence drops the index."""
        try:
            return self._lazy.get(_key(card_id)) if self._lazy else None
        except IndexDamaged:
            self.drop_index()
            return None

    def _file_of(self, card_id: str) -> str | None:
        """The card file holding ``card_id`` as read (None: none, or a card new since the open)."""
        where = self._where.get(card_id)
        if where is not None:
            return where[0]
        rest = self._line(card_id)
        if rest is not None and _place(rest)[0] in self._fresh:
            return _place(rest)[0]
        return None

    def drop_index(self) -> None:
        """Stop trusting the index (a line of it is damaged or disagrees with its card): parse and
        validate whole every card file it described."""
        fresh = sorted(self._fresh)
        self._lazy = _Lines()  # (its places are not trusted either: these files are unplaced)
        self._fresh.clear()
        self.index_stale = self.dropped = True
        self._unplaced.update(fresh)
        for rel in fresh:
            self._parse_whole(rel)

    # -- reading ----------------------------------------------------------------------------------

    def _missing(self, card_id: str) -> None:
        """A card not loaded has no usable index line: if its card file is one the index describes
        and holds it all the same (an index line left out or out of order), drop the index, which
        loads the card. Each card file is searched once (the keys in it are kept)."""
        if not self._fresh or card_id in self._gone:
            return
        try:
            rel = shard_name(card_id)
        except UnicodeError:  # (not a card id this hipquiz writes)
            return
        if rel not in self._fresh:
            return
        raw = self._bytes(rel)
        if rel not in self._fresh:  # (changed since the open: the index dropped)
            return
        known = self._ids.get(rel)
        if known is None or known[0] is not raw:
            known = self._ids[rel] = (raw, _card_keys(raw))
        if known[1] is None or _key(card_id) in known[1]:
            self.drop_index()

    def _entry(self, card_id: str) -> tuple[str, int, int, CardBrief] | None:
        """The index's line for a card not loaded yet, parsed (None: the index has none; a damaged
        line drops the index, and the card, if any, is then loaded; so does a card without a line
        that its card file holds, see ``_missing``)."""
        rest = self._line(card_id)
        if rest is None:
            self._missing(card_id)
            return None
        parsed = self._parsed.get(card_id)
        if parsed is None or parsed[0] != rest:  # (a queue sorts by due: the same line, many times)
            try:
                parsed = self._parsed[card_id] = (rest, _parse_entry(card_id, rest))
            except IndexDamaged:
                self.drop_index()
                return None
        entry = parsed[1]
        if entry[0] not in self._fresh:
            self._missing(card_id)
            return None
        return entry

    def brief(self, card_id: str) -> CardProgress | CardBrief | None:
        """What decides whether the card is studied today: its state if read, else the index's."""
        progress = self._loaded.get(card_id)
        if progress is None:
            entry = self._entry(card_id)
            if entry is not None:
                return entry[3]
            progress = self._loaded.get(card_id)
        return progress

    def get(self, card_id: str, default: Any = None) -> Any:
        """The card's state, parsed and validated the first time (raises StoreCorrupt, naming its
        card file, for a state the app cannot use)."""
        progress = self._loaded.get(card_id)
        if progress is None:
            self._load(card_id)
            progress = self._loaded.get(card_id)
        return default if progress is None else progress

    def _load(self, card_id: str) -> None:
        entry = self._entry(card_id)
        if entry is None:
            return
        rel, start, end, brief = entry
        raw = self._bytes(rel)
        if rel not in self._fresh:  # (changed since the open, by another program: the index dropped)
            return
        doc_id, sep, text = raw[start:end].partition(b": ")
        try:
            doc = STRICT_JSON.decode(text.decode("utf-8"))
            whole = sep and doc_id[1:-1].isdigit() and isinstance(doc, dict) and doc.get("card_id") == card_id
        except (ValueError, UnicodeDecodeError, RecursionError):
            whole = False
        if not whole:  # the index points elsewhere than the card's document
            self.drop_index()
            return
        progress = card_from(self._path(rel), doc)
        if not _same(brief, progress):
            self.drop_index()
            return
        self._lazy.set(_key(card_id), None)
        self._loaded[card_id] = progress
        self._where[card_id] = (rel, start, end)

    def __getitem__(self, card_id: str) -> CardProgress:
        progress = self.get(card_id)
        if progress is None:
            raise KeyError(card_id)
        return progress

    def __contains__(self, card_id: object) -> bool:
        return isinstance(card_id, str) and self.brief(card_id) is not None

    def all(self) -> dict[str, CardProgress]:
        """Every card's state: each card file the index describes is parsed and validated whole, once
        (its cards keep their index lines, which say where they are)."""
        if self._fresh and not self._all_read:
            first_seen: dict[str, str] = {}
            for rel in sorted(self._fresh):
                path = self._path(rel)
                raw = self._bytes(rel)
                if not self._fresh:  # (a file changed since the open: the index dropped, all parsed)
                    break
                for _doc_id, doc in by_id(cards_table(path, decode_tables(path, raw))):
                    progress = card_from(path, doc)
                    card_id = progress.card_id
                    other = self._where[card_id][0] if card_id in self._where else first_seen.setdefault(card_id, rel)
                    if other != rel:
                        raise StoreCorrupt(path, f"holds card {card_id!r} that is also in {self._path(other)}")
                    if card_id not in self._loaded and card_id not in self._gone:
                        self._loaded[card_id] = progress
                        if rel in self._unplaced:
                            self._where[card_id] = (rel, -1, -1)
            self._all_read = True
        return dict(self._loaded)

    def __iter__(self) -> Iterator[str]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())

    # -- changing ---------------------------------------------------------------------------------

    def set(self, card_id: str, progress: CardProgress | None) -> str | None:
        """Change a card in memory (None: forget it); its card file is written by ``shard_payload``.
        Returns the card file it was read from (None: a card new since the open). A card without
        an index line that its card file holds all the same drops the index first (``_missing``)."""
        where = self._where.get(card_id)
        if where is None:
            rest = self._line(card_id)
            if rest is not None:
                self._lazy.set(_key(card_id), None)
                if _place(rest)[0] in self._fresh:
                    where = self._where[card_id] = _place(rest)
            if where is None and card_id not in self._loaded:  # (new since the open, unless its file holds it)
                self._missing(card_id)
                where = self._where.get(card_id)
        if progress is None:
            self._loaded.pop(card_id, None)
            self._gone.add(card_id)
        else:
            self._loaded[card_id] = progress
            self._gone.discard(card_id)
        return where[0] if where is not None else None

    def shard_payload(self, rel: str, changed: set[str]) -> tuple[bytes, dict[str, tuple[int, int]]]:
        """The new bytes of card file ``rel`` with the ``changed`` cards as they are in memory (a card
        forgotten is left out), and where each card's document is in them. The other documents are
        kept as they were read."""
        path = self._path(rel)
        table = dict(cards_table(path, decode_tables(path, self._bytes(rel)))) if rel in self._files else {}
        ids = {doc.get("card_id"): doc_id for doc_id, doc in table.items()}
        for card_id in changed:
            progress = self._loaded.get(card_id)
            doc_id = ids.get(card_id)
            if progress is None:
                if doc_id is not None:
                    del table[doc_id]
                continue
            if doc_id is None:
                doc_id = ids[card_id] = str(max(map(int, table), default=0) + 1)
            table[doc_id] = progress.to_dict()
        table = dict(sorted(table.items(), key=lambda item: int(item[0])))
        payload, spans = encode_cards(table)
        return payload, {table[doc_id]["card_id"]: span for doc_id, span in spans.items()}

    def written(self, rel: str, payload: bytes, places: dict[str, tuple[int, int]]) -> None:
        """Card file ``rel`` now holds ``payload`` (from ``shard_payload``)."""
        self._raw[rel] = payload
        self._files.add(rel)
        self.index_stale = True
        for card_id, (start, end) in places.items():
            rest = self._line(card_id) if card_id not in self._loaded else None
            if rest is not None and rel in self._fresh:
                self._lazy.set(_key(card_id), _moved(rest, start, end))
            else:
                self._where[card_id] = (rel, start, end)
        if rel in self._fresh:
            self._said[rel] = [len(payload), -1, -1, -1, zlib.crc32(payload)]
        else:
            self._unplaced.discard(rel)
            self._placed.add(rel)

    # -- the index --------------------------------------------------------------------------------

    def _indexed_place(self, card_id: str) -> tuple[str, int, int]:
        """Where the index says a card read by ``all`` is (a file it describes), else nowhere."""
        rest = self._line(card_id)
        place = _place(rest) if rest is not None else ("", -1, -1)
        return place if place[0] in self._fresh else ("", -1, -1)

    def adopt_unplaced(self) -> list[str]:
        """Find where each card is in the card files parsed whole, when they are laid out as this
        hipquiz writes them; the card files that are not (to be written again before indexing)."""
        left = []
        for rel in sorted(self._unplaced):
            path = self._path(rel)
            raw = self._bytes(rel)
            table = cards_table(path, decode_tables(path, raw))
            try:
                payload, spans = encode_cards(table)
            except (TypeError, ValueError):  # (a text that cannot be UTF-8: its writing says so)
                payload, spans = b"", {}
            if payload != raw:
                left.append(rel)
                continue
            for doc_id, (start, end) in spans.items():
                card_id = table[doc_id]["card_id"]
                if self._where.get(card_id, (rel,))[0] == rel:
                    self._where[card_id] = (rel, start, end)
            self._unplaced.discard(rel)
            self._placed.add(rel)
        return left

    def index_bytes(self) -> bytes | None:
        """The index describing the card files as they are now (None: a card file not written since
        its cards changed, laid out otherwise, or changed by another program since it was read or
        written, which is read again to tell; a card id that cannot be UTF-8). Call after a
        checkpoint."""
        if self._unplaced or self._files != self._fresh | self._placed:
            return None
        said: dict[str, list[int]] = {}
        for rel in sorted(self._files):
            stamp = self._stamp(rel)
            raw = self._raw.get(rel)
            if raw is None:  # (never read: its stamp must be the one the index was trusted for)
                if stamp is None or list(stamp) != self._said[rel][:4]:
                    return None
                crc = self._said[rel][4]
            else:
                # The stamp must be that of the bytes the lines describe: read the file again between
                # two stamps (another program may have replaced it since it was read or written).
                if stamp is not None and (self._read_file(rel) != raw or self._stamp(rel) != stamp):
                    return None
                crc = zlib.crc32(raw)
            said[_shard_key(rel)] = [*(stamp or (len(raw or b""), 0, 0, 0)), crc]
        loaded = {_key(card_id) for card_id in self._loaded}
        lines = [(key, rest) for key, rest in self._lazy.items()
                 if key not in loaded and _place(rest)[0] in self._fresh]
        for card_id, progress in self._loaded.items():
            rel, start, end = self._where.get(card_id) or self._indexed_place(card_id)
            if start < 0 or rel not in self._files:
                return None
            lines.append((_key(card_id), f"{_shard_key(rel)}\t{start}\t{end}\t{_brief_fields(progress)}"
                          .encode("utf-8", "surrogatepass")))
        try:
            return encode_index(said, lines)
        except (ValueError, TypeError):  # (a text that cannot be UTF-8: a cache is then not written)
            return None


def encode_index(said: dict[str, list[int]], lines: list[tuple[bytes, bytes]]) -> bytes:
    """The index: a header line (what it says of each card file, the fence: every FENCE-th key and
    where its line is in the file, the CRC-32 of the lines), then the lines sorted by key."""
    lines = sorted(lines)
    body = b"".join(key + b"\t" + rest + b"\n" for key, rest in lines)
    fence, offset = [], 0
    for number, (key, rest) in enumerate(lines):
        if number % FENCE == 0:
            fence.append([key, offset])
        offset += len(key) + len(rest) + 2
    crc = zlib.crc32(body)
    shift = 0
    while True:  # offsets grow the header they are in: settles in a step or two
        head = {"files": said, "fence": [[json.loads(key), offset + shift] for key, offset in fence], "crc": crc}
        line = HEADER + json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        if len(line) == shift:
            return line + body
        shift = len(line)


def _key(card_id: str) -> bytes:
    # What _ENCODE gives for a text, without its per-call overhead (a look-up per card counted).
    # (A card id read from a hand-edited file may hold a lone surrogate: found, never indexed.)
    return encode_basestring(card_id).encode("utf-8", "surrogatepass")


# A card's id as this hipquiz writes each card document, one a line: {"card_id":"…", (the FSRS
# state's own "card_id" is a number). An id holding '"' or '\\' is not matched: its file then
# counts as laid out otherwise.
_CARD_ID = re.compile(rb'\{"card_id":("[^"\\\\]*")')


def _card_keys(raw: bytes) -> set[bytes] | None:
    """The keys (see ``_key``) of the card ids in a card file's bytes; None for bytes laid out
    otherwise than this hipquiz writes them (a document a line), where any card may be."""
    found = _CARD_ID.findall(raw)
    if len(found) != max(raw.count(b"\n") - 2, 0):  # (the lines around the documents: 2)
        return None
    return set(found)


def _place(rest: bytes) -> tuple[str, int, int]:
    """(card file, start, end) from an index line (no card file for a damaged line)."""
    try:
        shard, start, end, _ = rest.split(b"\t", 3)
        return _shard_rel(shard.decode("ascii")), int(start), int(end)
    except (ValueError, UnicodeDecodeError):
        return "", -1, -1


def _moved(rest: bytes, start: int, end: int) -> bytes:
    shard, _, _, tail = rest.split(b"\t", 3)
    return b"\t".join((shard, str(start).encode(), str(end).encode(), tail))


def index_disagrees(path: Callable[[str], Path], shards: dict[str, bytes], index: bytes) -> bool:
    """Whether the index, where it claims to describe a card file as it is, says otherwise than the
    card file (a card left out, a place or a brief that is wrong): what ``hipquiz doctor`` checks.
    An index that is stale or not one is not a problem: the next close writes it again. Raises
    StoreCorrupt for a bad card file."""
    claimed = CardStates(path, shards.get, lambda rel: None)
    claimed.open(sorted(shards), index)
    if not claimed._fresh:
        return False
    truth = CardStates(path, shards.get, lambda rel: None)
    truth.open(sorted(shards), None)
    expected = {card_id: state for card_id, state in truth._loaded.items()
                if truth._where[card_id][0] in claimed._fresh}
    try:
        listed = {json.loads(key) for key, rest in claimed._lazy.items() if _place(rest)[0] in claimed._fresh}
    except ValueError:
        return True
    if listed != set(expected):
        return True
    for card_id, state in expected.items():
        brief = claimed.brief(card_id)
        if claimed.dropped or brief is None or (isinstance(brief, CardBrief) and not _same(brief, state)):
            return True
        if claimed.get(card_id) != state or claimed.dropped:
            return True
    return False
