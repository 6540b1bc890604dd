"""The mood chart: a real PNG of the promised size, hidden days left out, matplotlib loaded only when drawing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from bot.digest.chart import CHART_HEIGHT, CHART_WIDTH, render_mood_chart
from bot.digest.models import MoodDay
from tests.digest._png import png_size


def days(counts: list[int], anonymous: int = 0) -> list[MoodDay]:
    first = date(2026, 11, 3)
    return [
        MoodDay(first + timedelta(days=i), count=c, anonymous=min(anonymous, c), total=c * (1 + i % 5))
        for i, c in enumerate(counts)
    ]


def test_chart_is_a_png_of_the_rendered_size() -> None:
    data = render_mood_chart(days([4, 0, 7, 2, 5, 3] * 4 + [9, 1, 0, 3]))
    assert png_size(data) == (CHART_WIDTH, CHART_HEIGHT) == (800, 360)


def test_chart_with_every_day_hidden_still_renders() -> None:
    data = render_mood_chart(days([1, 2, 0, 2] * 7))
    assert png_size(data) == (CHART_WIDTH, CHART_HEIGHT)


def test_chart_of_a_single_day() -> None:
    assert png_size(render_mood_chart(days([5]))) == (CHART_WIDTH, CHART_HEIGHT)


def test_hidden_days_have_no_average() -> None:
    mixed = days([5, 5, 2], anonymous=2)
    assert [d.average for d in mixed] == [None, None, None]  # 2 anonymous among 5 named: hidden
    assert days([3])[0].average == 1.0


def test_importing_the_digest_does_not_load_matplotlib() -> None:
    code = (
        "import sys\n"
        "import bot.digest.service, bot.digest.render, bot.digest.chart, cogs.digest\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start-up'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
