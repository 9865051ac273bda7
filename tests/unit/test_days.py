"""The study day is the local one, starting at 4 am: checked in zones away from UTC, where a day
computed in UTC would be wrong (every other test may run in UTC, where the two agree)."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone

import pytest

from hipquiz.core.days import day_start, study_day

ZONES = ["America/New_York", "Asia/Kolkata", "Pacific/Auckland"]


@pytest.fixture(params=ZONES)
def zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_study_day_is_the_local_day_from_4_am(zone):
    # 00:00 to 23:00 UTC on 10 March 2025, hour by hour: the study day is the local date of four
    # hours earlier, whatever the UTC date says.
    for hour in range(24):
        moment = datetime(2025, 3, 10, hour, tzinfo=timezone.utc)
        local = moment.astimezone()
        expected = (local - timedelta(hours=4)).date()
        assert study_day(moment) == expected, (zone, moment, local)
        start = day_start(moment)
        assert start.astimezone().hour == 4 and start <= moment < start + timedelta(hours=25)
        assert study_day(start) == expected


def test_late_at_night_is_still_yesterday(zone):
    # 2 am local on 11 March is the study day of 10 March, wherever you are.
    two_am = datetime(2025, 3, 11, 2, 0).astimezone()  # naive local -> aware local
    assert study_day(two_am) == date(2025, 3, 10)
    assert study_day(two_am + timedelta(hours=3)) == date(2025, 3, 11)
