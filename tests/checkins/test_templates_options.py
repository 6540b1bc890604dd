"""Templates, custom questions, modal labels, blockers and option parsing: pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.checkins import options
from bot.checkins.templates import (
    LABEL_CHARS,
    TEMPLATES,
    choose_questions,
    is_blocker_question,
    modal_label,
    says_blocked,
    split_questions,
)
from bot.errors import BadInput

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def test_every_template_fits_a_form_with_mood() -> None:
    for template in TEMPLATES.values():
        key, questions = choose_questions(template.key, None, mood=True)
        assert key == template.key and questions == template.questions
        assert 1 <= len(questions) <= 4
        assert all(len(q) <= 100 for q in questions)


def test_default_template_is_standup() -> None:
    assert choose_questions(None, None, mood=False)[0] == "standup"


def test_custom_questions_split_on_bars_and_trim() -> None:
    assert split_questions(" How was today?  |  |What   would help? ") == ("How was today?", "What would help?")
    key, questions = choose_questions(None, "One? | Two?", mood=False)
    assert key == "custom" and questions == ("One?", "Two?")
    assert choose_questions("custom", "One?", mood=False) == ("custom", ("One?",))


@pytest.mark.parametrize(
    ("template", "questions", "mood", "message"),
    [
        (None, "a|b|c|d|e|f", False, "up to 5"),
        (None, "x" * 101, False, "100 characters"),
        (None, " | | ", False, "at least one question"),
        ("standup", "Mine?", False, "not both"),
        ("custom", None, False, "needs your own"),
        ("poll", None, False, "no `poll` template"),
        (None, "a|b|c|d|e", True, "up to 4 questions"),
    ],
)
def test_bad_questions_are_refused_kindly(template: str | None, questions: str | None, mood: bool,
                                          message: str) -> None:
    with pytest.raises(BadInput, match=message):
        choose_questions(template, questions, mood)


def test_five_questions_allowed_without_mood() -> None:
    assert len(choose_questions(None, "a|b|c|d|e", mood=False)[1]) == 5


def test_modal_label_uses_description_for_long_questions() -> None:
    short = "What went well?"
    assert modal_label(short, 1) == (short, None)
    long = "What is one thing the team could do differently next sprint to make your work easier?"
    label, description = modal_label(long, 2)
    assert len(label) <= LABEL_CHARS and label.startswith("2. What is one")
    assert description == long


@pytest.mark.parametrize(
    ("answer", "to_blocker_question", "expected"),
    [
        ("Waiting on the API keys from ops", True, True),
        ("none", True, False),
        ("No blockers!", True, False),
        ("n/a", True, False),
        ("-", True, False),
        ("", True, False),
        ("I'm blocked on review", False, True),
        ("stuck on the migration", False, True),
        ("not blocked at all", False, False),
        ("no blockers today", False, False),
        ("Shipped the release", False, False),
    ],
)
def test_blocker_detection(answer: str, to_blocker_question: bool, expected: bool) -> None:
    assert says_blocked(answer, to_blocker_question=to_blocker_question) is expected


def test_blocker_question_detection() -> None:
    assert is_blocker_question(TEMPLATES["standup"].questions[2])
    assert not is_blocker_question("What went well?")


def test_window_defaults_and_limits() -> None:
    assert options.read_window(None) == timedelta(hours=8)
    assert options.read_window("30m") == timedelta(minutes=30)
    assert options.read_window("7d") == timedelta(days=7)
    for bad in ("4m", "8d", "soon", "off"):
        with pytest.raises(BadInput):
            options.read_window(bad)


def test_remind_before_defaults_off_and_must_fit_the_window() -> None:
    assert options.read_remind_before(None, timedelta(hours=8)) == timedelta(hours=2)
    assert options.read_remind_before(None, timedelta(hours=1)) == timedelta(minutes=30)
    assert options.read_remind_before("off", timedelta(hours=8)) is None
    assert options.read_remind_before("30m", timedelta(hours=8)) == timedelta(minutes=30)
    with pytest.raises(BadInput, match="shorter"):
        options.read_remind_before("9h", timedelta(hours=8))
    short = options.read_remind_before(None, timedelta(minutes=5))
    assert short is not None and short < timedelta(minutes=5) and short.total_seconds() % 60 == 0


def test_names() -> None:
    assert options.clean_name("  Daily   stand-up ") == "Daily stand-up"
    for bad in ("", "   ", "x" * 51, "123"):
        with pytest.raises(BadInput):
            options.clean_name(bad)


def test_every_schedule_form_parses() -> None:
    for text in (
        "daily 09:30",
        "weekdays 09:30",
        "weekends 10:00",
        "mon,wed,fri 17:00",
        "every 2 weeks on fri 16:00",
        "monthly on 1 at 10:00",
        "cron 0 9 * * 1-5",
    ):
        rec = options.read_schedule(text, LONDON, NOW)
        upcoming = options.check_spacing(rec, LONDON, timedelta(hours=8), NOW)
        assert len(upcoming) >= 3 and upcoming[0] > NOW


def test_overlapping_runs_are_refused() -> None:
    rec = options.read_schedule("cron */30 * * * *", LONDON, NOW)
    with pytest.raises(BadInput, match="at most 30m"):
        options.check_spacing(rec, LONDON, timedelta(hours=8), NOW)
    assert options.check_spacing(rec, LONDON, timedelta(minutes=30), NOW)


def test_bad_schedule_shows_examples() -> None:
    with pytest.raises(BadInput, match="daily 09:30"):
        options.read_schedule("whenever", LONDON, NOW)
