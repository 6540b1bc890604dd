"""Claim holders: a dead process of this machine is known to be gone; anyone else's claim is left to run out."""

from __future__ import annotations

import socket
import subprocess
import sys

from bot.scheduling.owners import gone, process_owner


def test_only_an_exited_process_of_this_host_is_gone() -> None:
    me = process_owner()
    assert not gone(me)
    assert process_owner() != me  # a fresh token each time
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(child.stdout)
    assert gone(f"{socket.gethostname()}:{dead}:abcd")
    assert not gone(f"another-host:{dead}:abcd")
    assert not gone("p0") and not gone(f"{socket.gethostname()}:not-a-pid:x")
