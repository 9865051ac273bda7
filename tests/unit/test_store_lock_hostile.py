"""The single-writer lock does not depend on a file that can be deleted while it is held."""

from __future__ import annotations

import signal
import subprocess

import pytest
from store_helpers import T0, answer
from test_store_faults import child

from hipquiz.core.errors import StoreError, StoreLocked
from hipquiz.core.store import Store


def test_deleting_the_lock_file_does_not_let_a_second_writer_in(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
    holder = child("hold", str(tmp_path), stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline().split() == ["ready", str(holder.pid)]
        (tmp_path / "hipquiz.lock").unlink()
        with pytest.raises(StoreLocked):
            Store.open(tmp_path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        for stream in (holder.stdin, holder.stdout, holder.stderr):
            stream.close()
    with Store.open(tmp_path) as s:  # the holder is gone: its lock with it
        assert s.review_count() == 1


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_writer_whose_lock_file_was_deleted_or_replaced_stops_saving_with_a_clear_message(tmp_path, how):
    s = Store.open(tmp_path, now=lambda: T0)
    try:
        answer(s, "r1", "x", T0)
        lock = tmp_path / "hipquiz.lock"
        lock.unlink()
        if how == "replaced":
            lock.write_text("12345\n")
        with pytest.raises(StoreError) as info:
            answer(s, "r2", "x", T0)
        message = str(info.value)
        assert "\n" not in message and str(lock) in message and "removed or replaced" in message
    finally:
        s.close()
    with Store.open(tmp_path, read_only=True) as s:
        assert [r.id for r in s.reviews()] == ["r1"]
