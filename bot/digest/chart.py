"""The mood trend as a PNG: daily average over the last 4 weeks, with the number of answers per day.

matplotlib is imported inside :func:`render_mood_chart`, so loading the bot stays fast; it draws with the Agg
backend on a private :class:`~matplotlib.figure.Figure` (no pyplot, no global figure state). Rendering is
serialised by a lock so it may run in a worker thread.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from datetime import date

from bot.digest.models import MIN_MOOD_GROUP, MoodDay
from bot.i18n import CATALOG_FOLDERS, ENGLISH, resolve, t, tn

CHART_WIDTH = 800
CHART_HEIGHT = 360
CHART_DPI = 100
CHART_FILENAME = "mood-trend.png"

MOOD_TICKS = {1: "1 rough", 2: "2 low", 3: "3 okay", 4: "4 good", 5: "5 great"}


def mood_ticks(locale: str | None = None) -> dict[int, str]:
    """The mood axis's labels in the reader's language."""
    words = {
        1: t(locale, "rough"),
        2: t(locale, "low"),
        3: t(locale, "okay"),
        4: t(locale, "good"),
        5: t(locale, "great"),
    }
    return {value: f"{value} {word}" for value, word in words.items()}


def _day_label(day: date, locale: str | None) -> str:
    if resolve(locale) == ENGLISH:
        return f"{day.day} {day:%b}"
    from babel.dates import format_skeleton

    return str(format_skeleton("dMMM", day, locale=CATALOG_FOLDERS[resolve(locale)]))

_LINE = "#5B8DEF"
_BARS = "#B8C7E6"
_TEXT = "#3A3F4B"

_lock = threading.Lock()


def render_mood_chart(days: Sequence[MoodDay], locale: str | None = None) -> bytes:
    """A PNG of exactly ``CHART_WIDTH`` x ``CHART_HEIGHT`` pixels. Hidden days (too few answers) stay empty."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _lock:
        figure = Figure(figsize=(CHART_WIDTH / CHART_DPI, CHART_HEIGHT / CHART_DPI), dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        figure.subplots_adjust(left=0.1, right=0.92, top=0.86, bottom=0.17)
        mood_axis = figure.add_subplot()
        count_axis = mood_axis.twinx()

        positions = list(range(len(days)))
        averages = [day.average if day.average is not None else math.nan for day in days]
        counts = [day.count if day.visible else 0 for day in days]

        count_axis.bar(positions, counts, width=0.7, color=_BARS, zorder=1, label=t(locale, "answers"))
        for x, count in zip(positions, counts, strict=True):
            if count:
                count_axis.annotate(
                    str(count), (x, count), ha="center", va="bottom", fontsize=7, color=_TEXT,
                    xytext=(0, 1), textcoords="offset points",
                )
        count_axis.set_ylim(0, max([*counts, MIN_MOOD_GROUP]) * 2.2)
        count_axis.set_ylabel(t(locale, "answers per day"), color=_TEXT, fontsize=8)
        count_axis.tick_params(axis="y", labelsize=7, colors=_TEXT)

        mood_axis.set_zorder(count_axis.get_zorder() + 1)
        mood_axis.patch.set_visible(False)
        mood_axis.plot(positions, averages, color=_LINE, linewidth=2, marker="o", markersize=4)
        mood_axis.set_ylim(0.5, 5.5)
        ticks_text = mood_ticks(locale)
        mood_axis.set_yticks(list(ticks_text), list(ticks_text.values()), fontsize=8, color=_TEXT)
        mood_axis.grid(axis="y", color="#E3E6EC", linewidth=0.8)
        mood_axis.set_xlim(-0.6, max(len(days) - 0.4, 0.6))

        ticks = [x for x in positions if (len(days) - 1 - x) % 7 == 0]
        mood_axis.set_xticks(ticks, [_day_label(days[x].day, locale) for x in ticks], fontsize=8, color=_TEXT)
        for side in ("top", "right"):
            mood_axis.spines[side].set_visible(False)
            count_axis.spines[side].set_visible(False)

        figure.suptitle(t(locale, "Mood: daily average, last 4 weeks"), fontsize=11, color=_TEXT)
        hidden = sum(1 for day in days if day.count and not day.visible)
        if hidden:
            note = tn(
                locale,
                "Days with fewer than {minimum} answers are left out ({n} this time).",
                "Days with fewer than {minimum} answers are left out ({n} this time).",
                hidden,
                minimum=MIN_MOOD_GROUP,
            )
        else:
            note = t(locale, "Days with fewer than {minimum} answers are left out.", minimum=MIN_MOOD_GROUP)
        if not any(day.visible for day in days):
            mood_axis.text(0.5, 0.5, t(locale, "Not enough answers yet"), transform=mood_axis.transAxes,
                           ha="center", va="center", fontsize=11, color=_TEXT)
        figure.text(0.5, 0.015, note, ha="center", va="bottom", fontsize=7, color=_TEXT)

        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
        return buffer.getvalue()
