"""The form router's pure parts: reading a submission, the custom id scheme, the echo."""

from __future__ import annotations

import re

import pytest

from bot.adapter.forms import ECHO_FILE_LIMIT, INPUT_LIMIT, _fenced, echo_of, form_id, read_submission


def test_custom_ids_say_what_a_form_is_for() -> None:
    assert form_id("repair-view", 12) == "form:repair-view:12"
    assert form_id("repair-followup", 12, "better") == "form:repair-followup:12:better"
    for bad in (("Repair", 1, None), ("x", -1, None), ("x", 1, "A B")):
        with pytest.raises(ValueError):
            form_id(*bad)


def test_a_submission_is_read_from_action_rows_and_labels() -> None:
    data = {
        "custom_id": "form:feedback-note:7:summary",
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": "note", "value": "a" * (INPUT_LIMIT + 50)}]},
            {"type": 18, "component": {"type": 3, "custom_id": "mood", "values": ["4"]}},
            "junk",
        ],
    }
    submission = read_submission(data)
    assert submission is not None
    assert (submission.kind, submission.ref, submission.detail) == ("feedback-note", 7, "summary")
    assert len(submission.values["note"]) == INPUT_LIMIT  # capped before anything reads it
    assert submission.text("note", 10) == "a" * 10 and submission.text("missing") == ""
    assert submission.choices == {"mood": ("4",)}


def test_other_custom_ids_are_not_ours_unless_declared_legacy() -> None:
    assert read_submission({"custom_id": "checkin:5:form"}) is None
    assert read_submission({"custom_id": "form:x:1:2:3"}) is None
    legacy = {"checkin": re.compile(r"checkin:(?P<run>\d+):form")}
    found = read_submission({"custom_id": "checkin:5:form", "components": []}, legacy)
    assert found is not None and (found.kind, found.ref, found.detail) == ("checkin", 5, None)


def test_the_echo_labels_fields_and_cannot_break_out_of_its_code_block() -> None:
    submission = read_submission({"custom_id": "form:repair-own:3", "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "repair-owned", "value": "I ```said``` it"}]},
        {"type": 1, "components": [{"type": 4, "custom_id": "repair-will-do", "value": "   "}]},
    ]})
    assert submission is not None
    echo = echo_of(submission, {"repair-owned": "What I own", "repair-will-do": "What I'll do"})
    assert echo == "What I own:\nI ```said``` it"  # the empty field is left out
    fenced = _fenced(echo)
    assert fenced.startswith("```\n") and fenced.endswith("\n```") and fenced.count("```") == 2
    huge = read_submission({"custom_id": "form:x:1", "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": f"f{i}", "value": "z" * INPUT_LIMIT}]} for i in range(6)
    ]})
    assert huge is not None and len(echo_of(huge, {})) == ECHO_FILE_LIMIT
