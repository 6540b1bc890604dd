"""A throw-away PostgreSQL server for the tests: 127.0.0.1, a free port, data and socket in a temporary folder.

    python -m tests.support.postgres_server start FOLDER   # prints the server URL
    python -m tests.support.postgres_server stop FOLDER

``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` system user (created if it
is missing). Durability is switched off (``fsync=off``): the data is thrown away at the end.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SERVER_USER = "postgres"
ROLE = "rapport"


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    raise SystemExit(f"{name} not found: install PostgreSQL (apt-get install -y postgresql)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SERVER_USER], check=True)
    return ["runuser", "-u", SERVER_USER, "--", *command]


def _chown(folder: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SERVER_USER)
        for path in (folder, *folder.rglob("*")):
            os.chown(path, entry.pw_uid, entry.pw_gid)


def start(folder: Path) -> str:
    """Start a server; return its URL (user ``rapport``, no password). ``folder`` keeps its URL and log.

    The server's own files go in a new folder under the system's temporary folder (which the ``postgres``
    user can reach even when ``folder`` is inside a private one); ``stop`` removes it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="rapport-pg-"))
    (folder / "home").write_text(str(home) + "\n", encoding="utf-8")
    data, sockets = home / "data", home / "socket"
    sockets.mkdir()
    _chown(home)
    subprocess.run(
        _as_server_user([find_binary("initdb"), "-D", str(data), "-U", ROLE, "-A", "trust", "-E", "UTF8",
                         "--no-locale", "--no-sync"]),
        check=True, stdout=subprocess.DEVNULL,
    )
    port = _free_port()
    options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=200")
    subprocess.run(
        _as_server_user([find_binary("pg_ctl"), "-D", str(data), "-l", str(home / "server.log"), "-o", options,
                         "-w", "-t", "60", "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )
    url = f"postgresql://{ROLE}@127.0.0.1:{port}/postgres"
    (folder / "url").write_text(url + "\n", encoding="utf-8")
    return url


def stop(folder: Path) -> None:
    """Stop the server started with ``folder`` and remove its files."""
    marker = folder / "home"
    if not marker.exists():
        return
    home = Path(marker.read_text(encoding="utf-8").strip())
    if (home / "data" / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([find_binary("pg_ctl"), "-D", str(home / "data"), "-m", "immediate", "-w", "stop"]),
            check=False, stdout=subprocess.DEVNULL,
        )
    shutil.rmtree(home, ignore_errors=True)
    marker.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.support.postgres_server")
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.action == "start":
        print(start(args.folder.resolve()))
    else:
        stop(args.folder.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
