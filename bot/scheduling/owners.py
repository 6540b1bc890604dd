"""Who holds a claim on due work: a process, named ``host:pid:token``.

A claim is a lease that runs out on its own. A process restarted on the same machine need not wait for its
dead predecessor's leases: a claim whose owner was a process of this host that no longer exists can be taken
over at once (:func:`gone`). Any other claim (another machine's, or a live process's) is left to run out.
"""

from __future__ import annotations

import os
import secrets
import socket


def process_owner() -> str:
    """A name for this process in the claims it takes, unique even across restarts with a reused pid."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def gone(owner: str) -> bool:
    """Whether ``owner`` was a process of this host that has exited (its claims are nobody's any more)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False
