"""``doctor --repair`` says what a damaged log cost: the reviews the statistics had counted but
could not be salvaged, and each log file whose end could not be read."""

from __future__ import annotations

from datetime import timedelta

from store_helpers import T0, answer, damage_in_place

from hipquiz.cli import main
from hipquiz.core.store import Store, repair_store

N = 60


def history(folder):
    """N reviews on a past day (sealed into its .gz at close), the statistics totals saved."""
    with Store.open(folder, now=lambda: T0 + timedelta(days=1)) as s:
        for i in range(N):
            answer(s, f"r{i}", f"c{i % 7}", T0 + timedelta(minutes=i))
        assert s.review_count() == N
    return folder / "log" / f"{T0.date().isoformat()}.jsonl.gz"


def test_half_a_compressed_day_lost_is_counted(tmp_path):
    log = history(tmp_path)
    damage_in_place(log, keep=log.stat().st_size // 2)
    report = repair_store(tmp_path, now=lambda: T0 + timedelta(days=1))
    assert report.ok and 0 < report.reviews_salvaged < N
    assert report.reviews_lost == N - report.reviews_salvaged
    assert report.cut_files == [log]


def test_the_command_line_says_how_many_were_lost(tmp_path, capsys):
    log = history(tmp_path)
    damage_in_place(log, keep=log.stat().st_size // 2)
    main(["--data", str(tmp_path), "doctor", "--repair"])
    out = capsys.readouterr().out
    lost = [line for line in out.splitlines() if "lost" in line]
    assert lost and "reviews" in lost[0] and log.name in out


def test_a_schema2_log_file_cut_in_half_is_named(tmp_path):
    import shutil
    from pathlib import Path

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "schema2" / "store", data)
    log = sorted((data / "log").glob("20*.json"))[0]
    damage_in_place(log, keep=log.stat().st_size // 2)
    report = repair_store(data)
    assert report.cut_files == [log]
