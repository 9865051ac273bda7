"""Words for times and durations as the screens show them. Local time only here, for display."""

from __future__ import annotations

from datetime import datetime, timedelta

from hipquiz.core.scheduler import format_interval


def clock_time(moment: datetime, now: datetime) -> str:
    """``14:05`` today, ``Tue 14:05`` within a week, ``2025-03-14`` further away."""
    local, local_now = moment.astimezone(), now.astimezone()
    if local.date() == local_now.date():
        return local.strftime("%H:%M")
    if abs(local - local_now) < timedelta(days=6):
        return local.strftime("%a %H:%M")
    return local.strftime("%Y-%m-%d")


def due_words(moment: datetime | None, now: datetime) -> str:
    """``next due in 3h (14:05)``; ``due now`` when the moment has passed; empty when unknown."""
    if moment is None:
        return ""
    if moment <= now:
        return "due now"
    return f"next due in {format_interval(moment - now)} ({clock_time(moment, now)})"


def duration_words(seconds: float) -> str:
    """``45s``, ``3m 05s``, ``1h 02m``."""
    seconds = max(int(round(seconds)), 0)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def share_words(correct: int, answers: int, *, of: bool = True) -> str:
    """``75% of 12`` (or ``75%``); ``-`` when there were no answers, never a misleading ``0%``."""
    if not answers:
        return "-"
    percent = f"{100 * correct / answers:.0f}%"
    return f"{percent} of {answers}" if of else percent


def phrase_lines(phrases: list[str], width: int, separator: str = " · ") -> str:
    """The phrases joined by ``separator``, a line break put between two phrases rather than inside
    one wherever the next would pass ``width`` ("7 days" and its "43" stay together)."""
    lines: list[str] = []
    for phrase in phrases:
        if lines and len(lines[-1]) + len(separator) + len(phrase) <= width:
            lines[-1] += separator + phrase
        else:
            lines.append(phrase)
    return "\n".join(lines)


def whole_words(text: str, room: int) -> str:
    """``text`` if it fits ``room`` cells, else without its closing aside in brackets, else as many
    of its first words as fit and "…" (a single word too long is kept whole: cutting it would
    change what it says)."""
    if len(text) <= room:
        return text
    if text.endswith(")") and " (" in text:  # an aside goes first: "Small hip muscles (the article)"
        return whole_words(text[:text.rindex(" (")], room)
    words = text.split()
    while len(words) > 1 and len(" ".join(words)) + 1 > room:
        words.pop()
    return " ".join(words) + "…"
