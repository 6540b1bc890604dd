"""Feedback loops: buttons on published summaries, check-in digests and repair summaries, and ``/feedback``.

Other features attach the buttons with :func:`bot.feedback.views.feedback_view` (or
:func:`bot.feedback.views.add_feedback_buttons` for a view that already has buttons).
"""
