"""Feedback loops: buttons on published summaries, check-in digests and repair summaries, and ``/feedback``.

Other features attach the buttons with :func:`bot.adapter.feedback_buttons.feedback_view` (or
:func:`bot.adapter.feedback_buttons.add_feedback_buttons` for a view that already has buttons).
"""
