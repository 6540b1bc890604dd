"""Ask for clarification: a gentle, threaded request to the author of a message, and one reminder."""
