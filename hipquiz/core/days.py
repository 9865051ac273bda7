"""Study days: local days that start at 4 am, so a late-night session counts as "today"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hipquiz.core.settings import DAY_STARTS_HOUR  # noqa: F401 (declared with the settings; re-exported)


def study_day(moment: datetime) -> date:
    """The local study day a moment belongs to."""
    return (moment.astimezone() - timedelta(hours=DAY_STARTS_HOUR)).date()


def day_start(moment: datetime) -> datetime:
    """When the study day of ``moment`` began, as an aware datetime."""
    local = moment.astimezone()
    start = local.replace(hour=DAY_STARTS_HOUR, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start


def day_end(moment: datetime) -> datetime:
    return day_start(moment) + timedelta(days=1)
