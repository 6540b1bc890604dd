"""Local stand-ins for outside services the bot can talk to (not Discord: that is ``tests.double``)."""
