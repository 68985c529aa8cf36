"""The CouchDB-protocol server the sync tests talk to.

PouchDB Server (pinned in tests/server/package.json, installed by `make install`) started
in memory on a free loopback port, with an admin; or Apache CouchDB when COUCHDB_URL is set
(credentials in COUCHDB_USER / COUCHDB_PASSWORD).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

SERVER_DIR = Path(__file__).resolve().parent.parent / "server"
BINARY = SERVER_DIR / "node_modules" / ".bin" / "pouchdb-server"


@dataclass
class ServerUnderTest:
    url: str
    admin: str
    password: str
    kind: str  # "pouchdb-server" or "couchdb"
    process: subprocess.Popen[bytes] | None = None  # when the tests started it

    def new_database_name(self, prefix: str = "t") -> str:
        return f"{prefix}-{uuid.uuid4().hex[:12]}"

    def request(self, method: str, path: str, **kwargs: object) -> requests.Response:
        return requests.request(
            method, self.url + path, auth=(self.admin, self.password), timeout=30, **kwargs
        )  # type: ignore[arg-type]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes] | None, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"test server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"test server did not start: {log.read_text(errors='replace')[-2000:]}")


def start_pouchdb_server(work: Path, port: int | None = None) -> Iterator[ServerUnderTest]:
    if not BINARY.exists():
        raise RuntimeError("PouchDB Server is not installed: run `make install`")
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    log = work / "server.log"
    process = subprocess.Popen(
        [
            str(BINARY),
            "--in-memory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--config",
            str(work / "config.json"),
            "--no-stdout-logs",
        ],
        cwd=work,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait(url, process, log)
        admin, password = "admin", uuid.uuid4().hex
        requests.put(f"{url}/_config/admins/{admin}", json=password, timeout=10)
        yield ServerUnderTest(url, admin, password, "pouchdb-server", process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def start_server(work: Path) -> Iterator[ServerUnderTest]:
    url = os.environ.get("COUCHDB_URL")
    if url:
        yield ServerUnderTest(
            url.rstrip("/"),
            os.environ.get("COUCHDB_USER", "admin"),
            os.environ.get("COUCHDB_PASSWORD", ""),
            "couchdb",
        )
    else:
        assert shutil.which("node"), "Node.js is needed for the test server"
        yield from start_pouchdb_server(work)
