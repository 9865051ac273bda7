"""Import (CSV/TSV, Anki plain text, Quizlet) and export (CSV, .apkg, review log), as a user sees them:
the deck file written, the rows named when something is wrong, and what Anki would read."""

from __future__ import annotations

import csv
import sqlite3
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from hipquiz.cli import main
from hipquiz.core.decks import load_deck, shipped_decks_dir
from hipquiz.core.store import Store

from store_helpers import T0, answer


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HIPQUIZ_DATA", str(folder))
    return folder


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))
    return path


def qa(deck_path: Path) -> list[tuple[str, str]]:
    return [(c.prompt, c.answer) for c in load_deck(deck_path).cards]


def test_csv_with_bom_semicolons_and_quoted_multi_line_cells(data, tmp_path, capsys):
    source = write(tmp_path / "flexors.csv",
                   'Front;Back;Tags\n'
                   '"Which muscles flex the hip?";"Iliopsoas\nRectus femoris; and others"; flexor hip\n'
                   'TFL;"Top, outside (anterolateral side) of the thigh";\n', bom=True)
    assert main(["import", str(source), "--into", "Hip flexors"]) == 0
    assert "2 new, 0 updated" in capsys.readouterr().out
    deck_path = data / "decks" / "hip-flexors.toml"
    assert qa(deck_path) == [("Which muscles flex the hip?", "Iliopsoas\nRectus femoris; and others"),
                             ("TFL", "Top, outside (anterolateral side) of the thigh")]
    assert load_deck(deck_path).notes[0].tags == ("flexor", "hip")
    assert load_deck(deck_path).name == "Hip flexors"


def test_a_malformed_row_is_named_and_nothing_is_imported(data, tmp_path, capsys):
    source = write(tmp_path / "cards.csv", "front,back\nPiriformis,Lateral rotator\nGluteus medius\nTFL,\n")
    assert main(["import", str(source), "--into", "Mine"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{source}:3: row 3: 1 cells where the header has 2")
    assert err[1] == f"{source}:4: row 4: the back is empty"
    assert err[2] == "hipquiz: 2 malformed row(s); nothing was imported"
    assert not (data / "decks" / "mine.toml").exists()


def test_an_unclosed_quote_is_named_in_one_line_and_a_summary_without_an_empty_line(data, tmp_path, capsys):
    source = write(tmp_path / "bad.csv", 'front,back\nonly front\n"unterminated,quote\nQ3,A3,extra\n')
    assert main(["import", str(source), "--into", "Bad"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{source}:3: row 3: unexpected end of data: a quoted cell is not closed (check its quotes)",
                   "hipquiz: 1 malformed row(s); nothing was imported"]
    assert not (data / "decks" / "bad.toml").exists()


def test_a_bad_row_in_a_re_import_leaves_the_deck_as_it_was(data, tmp_path, capsys):
    source = write(tmp_path / "cards.csv", "front,back\nPiriformis,Lateral rotator\n")
    assert main(["import", str(source), "--into", "Mine"]) == 0
    before = (data / "decks" / "mine.toml").read_bytes()
    write(source, 'front,back\nPiriformis,Rotates the hip laterally\n"TFL,Flexion\n')
    assert main(["import", str(source), "--into", "Mine"]) == 1
    assert "row 3" in capsys.readouterr().err
    assert (data / "decks" / "mine.toml").read_bytes() == before


def test_re_import_updates_notes_keeps_comments_and_never_duplicates(data, tmp_path, capsys):
    source = write(tmp_path / "cards.tsv", "term\tdefinition\nPiriformis\tLateral rotator\nTFL\tFlexes the hip\n")
    assert main(["import", str(source), "--into", "Mine"]) == 0
    deck_path = data / "decks" / "mine.toml"
    first_ids = [n.id for n in load_deck(deck_path).notes]
    edited = deck_path.read_text(encoding="utf-8").replace("[[notes]]", "# my own remark\n[[notes]]", 1)
    deck_path.write_text(edited, encoding="utf-8")

    write(source, "term\tdefinition\nPiriformis\tRotates the hip laterally\nTFL\tFlexes the hip\nObturator internus\tLateral rotator\n")
    assert main(["import", str(source), "--into", "Mine"]) == 0
    assert "1 new, 1 updated, 1 unchanged" in capsys.readouterr().out
    deck = load_deck(deck_path)
    assert [n.id for n in deck.notes][:2] == first_ids
    assert [(c.prompt, c.answer) for c in deck.cards] == [
        ("Piriformis", "Rotates the hip laterally"), ("TFL", "Flexes the hip"), ("Obturator internus", "Lateral rotator")]
    assert "# my own remark" in deck_path.read_text(encoding="utf-8")


def test_columns_chosen_by_name_or_number(data, tmp_path):
    source = write(tmp_path / "sheet.csv", "Chapter,Muscle,Action\n1,Piriformis,Lateral rotation\n")
    assert main(["import", str(source), "--into", "By name", "--front", "Muscle", "--back", "Action"]) == 0
    assert qa(data / "decks" / "by-name.toml") == [("Piriformis", "Lateral rotation")]
    plain = write(tmp_path / "plain.csv", "1,Piriformis,Lateral rotation\n2,TFL,Flexion\n")
    assert main(["import", str(plain), "--into", "By number", "--front", "2", "--back", "3"]) == 0
    assert qa(data / "decks" / "by-number.toml") == [("Piriformis", "Lateral rotation"), ("TFL", "Flexion")]


def test_unicode_in_any_language_survives(data, tmp_path):
    rows = [("梨状肌", "股骨大转子"), ("Μυς", "Απαγωγή του ισχίου"), ("عضلة", "دوران"), ("Hüfte 🦴", "Beugung\u00e9")]
    source = write(tmp_path / "world.csv", "front,back\n" + "".join(f"{f},{b}\n" for f, b in rows))
    assert main(["import", str(source), "--into", "Welt"]) == 0
    assert qa(data / "decks" / "welt.toml") == rows


def test_anki_notes_in_plain_text_with_its_headers(data, tmp_path):
    source = write(tmp_path / "anki.txt",
                   "#separator:semicolon\n#html:true\n#columns:Front;Back;Tags\n#deck:Hip::Deep six\n"
                   "Which muscle is the most superior of the deep six?;Piriformis;deep-six\n"
                   '"Where is the <b>TFL</b>?";"Top, outside<br>of the thigh &amp; hip";\n')
    assert main(["import", str(source)]) == 0
    deck_path = data / "decks" / "deep-six.toml"
    assert qa(deck_path) == [("Which muscle is the most superior of the deep six?", "Piriformis"),
                             ("Where is the TFL?", "Top, outside\nof the thigh & hip")]
    assert load_deck(deck_path).notes[0].tags == ("deep-six",)


def test_anki_guid_column_keys_the_notes(data, tmp_path, capsys):
    text = ("#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n"
            "g1\tBasic\tHip\tFront one\tBack one\n")
    source = write(tmp_path / "anki.txt", text)
    assert main(["import", str(source)]) == 0
    write(source, text.replace("Front one", "Front one, reworded"))
    assert main(["import", str(source)]) == 0
    assert "0 new, 1 updated" in capsys.readouterr().out
    assert qa(data / "decks" / "hip.toml") == [("Front one, reworded", "Back one")]


@pytest.mark.parametrize("text", [
    'Piriformis\tLateral rotation, abduction when flexed\n梨状肌\t"quoted" text\n',
    'Piriformis\tLateral rotation, abduction when flexed;梨状肌\t"quoted" text;',
])
def test_quizlet_export_with_tabs_and_new_lines_or_semicolons(data, tmp_path, text):
    source = write(tmp_path / "quizlet.txt", text)
    assert main(["import", str(source), "--into", "Quizlet set"]) == 0
    assert qa(data / "decks" / "quizlet-set.toml") == [
        ("Piriformis", "Lateral rotation, abduction when flexed"), ("梨状肌", '"quoted" text')]


def test_importing_into_a_shipped_deck_is_refused(data, tmp_path, capsys):
    source = write(tmp_path / "cards.csv", "front,back\na,b\n")
    assert main(["import", str(source), "--into", "hip-muscles"]) == 1
    err = capsys.readouterr().err
    assert "shipped with hipquiz and cannot be changed" in err
    # The spelling the README and --help give: --deck is now a deck file to load.
    assert err.endswith('import into a deck of your own: --into "A new name"\n') and "--deck" not in err
    assert main(["import", str(source)]) == 2


@pytest.mark.parametrize("headers, says", [
    ("#separator:tab\n#html:false\n#tags column:6\n", "8 cells where the first row has 6"),
    ("#separator:tab\n#columns:Front\tBack\tA\tB\tC\tTags\n", "8 cells where #columns names 6"),
])
def test_an_anki_row_of_more_cells_than_its_columns_is_named_as_in_csv(data, tmp_path, capsys, headers, says):
    """The cells past the last column would be dropped without a word."""
    source = write(tmp_path / "anki.txt", headers + "q1\ta1\tx\tx\tx\ttag1\n"
                   "q2\ta2\tx\tx\tx\ttag2\tseventh\teighth\n")
    assert main(["import", str(source), "--into", "Anki"]) == 1
    line = headers.count("\n") + 2
    assert capsys.readouterr().err.splitlines() == [
        f"{source}:{line}: row 2: {says}: put a cell that holds the separator or a line break in double quotes",
        "hipquiz: 1 malformed row(s); nothing was imported"]
    assert not (data / "decks" / "anki.toml").exists()


def test_an_anki_row_shorter_than_the_first_is_padded_as_anki_does(data, tmp_path):
    source = write(tmp_path / "anki.txt", "#separator:tab\n#tags column:3\nq1\ta1\tt1\nq2\ta2\n")
    assert main(["import", str(source), "--into", "Anki"]) == 0
    assert qa(data / "decks" / "anki.toml") == [("q1", "a1"), ("q2", "a2")]


@pytest.mark.parametrize("deck_file", ["hip-muscles.toml", "textbook-anatomy.toml"])
def test_csv_export_then_import_gives_the_same_cards(data, tmp_path, deck_file):
    original = load_deck(shipped_decks_dir() / deck_file)
    out = tmp_path / "out.csv"
    assert main(["export", original.id, "--format", "csv", "-o", str(out)]) == 0
    assert main(["import", str(out), "--into", "Round trip"]) == 0
    back = load_deck(data / "decks" / "round-trip.toml")

    def key(deck):
        return [(c.prompt, c.answer, c.source, c.caveat, c.note.tags) for c in deck.cards]

    assert key(back) == key(original)
    # Exporting the imported deck and importing it again changes nothing.
    assert main(["export", "round-trip", "-o", str(out)]) == 0
    assert main(["import", str(out), "--into", "Round trip"]) == 0
    assert key(load_deck(data / "decks" / "round-trip.toml")) == key(original)


def read_apkg(path: Path, tmp_path: Path) -> list[tuple[str, list[str], str]]:
    with zipfile.ZipFile(path) as package:
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        return [(guid, flds.split("\x1f"), tags.strip())
                for guid, flds, tags in db.execute("select guid, flds, tags from notes order by id")]
    finally:
        db.close()


def test_apkg_holds_one_note_per_card_with_source_caveat_tags_and_stable_guids(data, tmp_path):
    import genanki

    deck = load_deck(shipped_decks_dir() / "hip-muscles.toml")
    first, second = tmp_path / "one.apkg", tmp_path / "two.apkg"
    assert main(["export", "hip-muscles", "-o", str(first)]) == 0
    assert main(["export", "hip-muscles", "--format", "apkg", "-o", str(second)]) == 0
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    notes = read_apkg(first, tmp_path / "a")
    assert len(notes) == len(deck.cards)
    by_guid = {guid: (fields, tags) for guid, fields, tags in notes}
    for card in deck.cards:
        fields, tags = by_guid[genanki.guid_for(card.id)]
        assert fields[4] == card.id
        assert fields[2].startswith(card.source[:20].replace("&", "&amp;").replace("<", "&lt;"))
        assert tags.split() == list(card.note.tags)
        if card.note.caveat:
            assert fields[3]
    assert sorted(g for g, _, _ in read_apkg(second, tmp_path / "b")) == sorted(by_guid)


def test_export_with_progress_writes_the_review_log_in_anki_revlog_columns(data, tmp_path, capsys):
    card_id = load_deck(shipped_decks_dir() / "hip-muscles.toml").cards[0].id
    with Store.open(data) as store:
        answer(store, "r1", card_id, T0, rating=3)
        answer(store, "r2", card_id, T0 + timedelta(days=1), rating=1)
    out = tmp_path / "hip.csv"
    assert main(["export", "hip-muscles", "-o", str(out), "--with-progress"]) == 0
    assert "2 reviews" in capsys.readouterr().out
    with (tmp_path / "hip-revlog.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["ease"] for r in rows] == ["3", "1"]
    # Anki's cid is a number: one made from the card's id, the same on every export; the id follows.
    assert rows[0]["card_id"] == card_id and rows[0]["cid"].isdigit()
    assert rows[0]["cid"] == rows[1]["cid"] and 0 < int(rows[0]["cid"]) < 2 ** 63
    assert main(["export", "hip-muscles", "-o", str(tmp_path / "again.csv"), "--with-progress"]) == 0
    with (tmp_path / "again-revlog.csv").open(encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["cid"] == rows[0]["cid"]
    assert rows[0]["id"] == str(int(T0.timestamp() * 1000))
    assert rows[0]["ivl"] == "1"  # the first review sent the card one day ahead
    assert rows[0]["type"] == "0" and rows[1]["type"] == "1"  # learning, then review
    assert rows[0]["time"] == "1500"


def test_import_names_its_deck_with_into_and_still_takes_the_old_deck_spelling(data, tmp_path, capsys):
    """--deck is a deck file to load everywhere else, so import names the deck it writes with --into;
    scripts that used 'import --deck NAME' keep working, told the new spelling in one line."""
    source = write(tmp_path / "cards.csv", "front,back\nTFL,Top outside of the thigh\n")
    assert main(["import", str(source), "--deck", "Old spelling"]) == 0
    out, err = capsys.readouterr()
    assert "1 new" in out and (data / "decks" / "old-spelling.toml").exists()
    assert err == "hipquiz: note: 'import --deck NAME' is now 'import --into NAME'\n"
    assert main(["import", str(source), "--into", "A", "--deck", "B"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (data / "decks" / "a.toml").exists() and not (data / "decks" / "b.toml").exists()
    assert main(["import", str(source), "--int0", "A"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "hipquiz: error: unrecognized arguments: --int0 A (see 'hipquiz --help')"]
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    usage = capsys.readouterr().out
    assert "--into NAME" in usage and "--deck" not in usage


def test_export_to_standard_output_with_a_dash(data, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "hip-muscles", "-o", "-"]) == 0
    out, err = capsys.readouterr()
    assert not (tmp_path / "-").exists() and err == ""
    rows = list(csv.reader(out.splitlines()))
    assert rows[0] == ["front", "back", "source", "caveat", "tags", "id"]
    assert len(rows) == len(load_deck(shipped_decks_dir() / "hip-muscles.toml").cards) + 1


@pytest.mark.parametrize("args, message", [
    (["-o", "-", "--format", "apkg"], "an Anki package is a binary file, not written to standard output: "
                                      "give a file name, -o hip-muscles.apkg"),
    (["-o", "-", "--with-progress"], "--with-progress writes the review log beside the file: give a file name with -o"),
    (["--format", "apkg", "-o", "x.csv"], "x.csv ends in .csv but --format is apkg: name it x.apkg, or leave out --format"),
    (["--format", "csv", "-o", "x.apkg"], "x.apkg ends in .apkg but --format is csv: name it x.csv, or leave out --format"),
])
def test_an_export_that_cannot_be_what_was_asked_is_refused_in_one_line(data, tmp_path, capsys, monkeypatch,
                                                                        args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "hip-muscles", *args]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"hipquiz: error: {message}\n")
    assert list(tmp_path.iterdir()) == [data] or not list(tmp_path.iterdir())
