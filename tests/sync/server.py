"""The CouchDB server the sync tests talk to, chosen in this order:

1. the Apache CouchDB that `COUCHDB_URL` points at (credentials in `COUCHDB_USER` /
   `COUCHDB_PASSWORD`); what the tests create there is deleted at the end;
2. a throwaway Apache CouchDB started on loopback from a release: the folder in
   `CAREFORMS_COUCHDB_RELEASE`, else `../shared/couchdb` beside the clone (its
   `couchdb-test-server` script starts one node, or a cluster of three);
3. PouchDB Server (pinned in tests/server/package.json, installed by `make install`), in
   memory: laxer than CouchDB, so tests whose meaning depends on CouchDB's own behaviour
   (validation functions, security, clusters) are skipped there with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.couch import CouchServer
from sync.server_setup import add_user, init_server

ROOT = Path(__file__).resolve().parents[2]
SERVER_DIR = ROOT / "tests" / "server"
BINARY = SERVER_DIR / "node_modules" / ".bin" / "pouchdb-server"
START_SCRIPT = "couchdb-test-server"
COUCHDB_ONLY = "needs Apache CouchDB (only PouchDB Server here, which does not behave the same)"


@dataclass
class ServerUnderTest:
    url: str
    admin: str
    password: str
    kind: str  # "pouchdb-server" or "couchdb"
    nodes: int = 1
    owned: bool = True  # started by the tests, thrown away after them
    process: subprocess.Popen[bytes] | None = None  # PouchDB Server's, when the tests started it
    work: Path | None = None  # the folder of a CouchDB the tests started
    created_databases: set[str] = field(default_factory=set)
    created_users: set[str] = field(default_factory=set)

    @property
    def is_couchdb(self) -> bool:
        return self.kind == "couchdb"

    def require_couchdb(self) -> None:
        """Skip a test whose meaning depends on Apache CouchDB's own behaviour."""
        if not self.is_couchdb:
            pytest.skip(COUCHDB_ONLY)

    def new_database_name(self, prefix: str = "t") -> str:
        """A fresh name (for a database or a user), removed after the tests."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.created_databases.add(name)
        self.created_users.add(name)
        return name

    def new_district(self, prefix: str = "d") -> str:
        """A fresh district name; its database (see sync.server_setup) is removed afterwards."""
        name = f"{prefix}{uuid.uuid4().hex[:10]}"
        self.created_databases.add(f"careforms-district-{name}")
        self.created_databases.add(f"careforms-forms-{name}")  # its own forms database
        return name

    def district_with_worker(self, prefix: str) -> tuple[CouchServer, str, str]:
        """A new district set up as `careforms server init` does, with a worker of it whose
        password is "pw": the administrator's client, the district and the worker's name."""
        admin = CouchServer(self.url, self.admin, self.password)
        district = self.new_district(prefix)
        init_server(admin, [district])
        worker = self.new_database_name("w")
        add_user(admin, worker, "pw", district=district, role="worker")
        return admin, district, worker

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(
            method, self.url + path, auth=(self.admin, self.password), timeout=30, **kwargs
        )

    def clean_up(self, databases_before: set[str]) -> None:
        """Delete what the tests created on a server they did not start."""
        now = set(self.request("GET", "/_all_dbs").json())
        for name in sorted((now - databases_before) & self.created_databases):
            self.request("DELETE", f"/{name}")
        if "careforms-forms" in now - databases_before:
            self.request("DELETE", "/careforms-forms")
        for name in sorted(self.created_users):
            doc = self.request("GET", f"/_users/org.couchdb.user:{name}")
            if doc.status_code == 200:
                self.request(
                    "DELETE", f"/_users/org.couchdb.user:{name}", params={"rev": doc.json()["_rev"]}
                )


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


def couchdb_release() -> Path | None:
    """The folder holding `couchdb-test-server` and its release, if there is one.
    `CAREFORMS_COUCHDB_RELEASE` set to a folder without it (e.g. `none`) means: use none."""
    given = os.environ.get("CAREFORMS_COUCHDB_RELEASE")
    folder = Path(given) if given is not None else ROOT.parent / "shared" / "couchdb"
    return folder if (folder / START_SCRIPT).is_file() else None


def couchdb_up(
    release: Path, work: Path, nodes: int = 1, port: int | None = None
) -> ServerUnderTest:
    """Start a throwaway Apache CouchDB in `work` (fresh data, even on a port used before)."""
    script = str(release / START_SCRIPT)
    started = subprocess.run(
        [
            script,
            "start",
            str(work),
            "--nodes",
            str(nodes),
            *(["--port", str(port)] if port else []),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if started.returncode != 0:
        raise RuntimeError(f"CouchDB did not start: {started.stderr[-2000:]}")
    settings = dict(item.split("=", 1) for item in started.stdout.strip().splitlines()[-1].split())
    return ServerUnderTest(
        settings["COUCHDB_URL"],
        settings["COUCHDB_USER"],
        settings["COUCHDB_PASSWORD"],
        "couchdb",
        nodes=int(settings.get("COUCHDB_NODES", nodes)),
    )


def couchdb_down(release: Path, work: Path) -> None:
    subprocess.run(
        [str(release / START_SCRIPT), "stop", str(work)], capture_output=True, timeout=120
    )


def start_couchdb(release: Path, work: Path, nodes: int = 1) -> Iterator[ServerUnderTest]:
    """A throwaway Apache CouchDB (one node, or a cluster) in `work`, stopped afterwards."""
    server = couchdb_up(release, work, nodes)
    server.work = work
    try:
        yield server
    finally:
        couchdb_down(release, work)
        shutil.rmtree(work / "release", ignore_errors=True)  # 40 MB unpacked per start


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
        yield ServerUnderTest(url, admin, password, "pouchdb-server", process=process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def start_server(work: Path) -> Iterator[ServerUnderTest]:
    url = os.environ.get("COUCHDB_URL")
    release = couchdb_release()
    if url:
        server = ServerUnderTest(
            url.rstrip("/"),
            os.environ.get("COUCHDB_USER", "admin"),
            os.environ.get("COUCHDB_PASSWORD", ""),
            "couchdb",
            owned=False,
        )
        before = set(server.request("GET", "/_all_dbs").json())
        try:
            yield server
        finally:
            server.clean_up(before)
    elif release is not None:
        yield from start_couchdb(release, work)
    else:
        assert shutil.which("node"), "Node.js is needed for the fallback test server"
        yield from start_pouchdb_server(work)


def start_cluster(work: Path) -> Iterator[ServerUnderTest]:
    """A 3-node CouchDB cluster (n=3, q=2) from the release; skipped where there is none."""
    url = os.environ.get("COUCHDB_CLUSTER_URL")
    if url:
        server = ServerUnderTest(
            url.rstrip("/"),
            os.environ.get("COUCHDB_USER", "admin"),
            os.environ.get("COUCHDB_PASSWORD", ""),
            "couchdb",
            nodes=3,
            owned=False,
        )
        before = set(server.request("GET", "/_all_dbs").json())
        try:
            yield server
        finally:
            server.clean_up(before)
        return
    release = couchdb_release()
    if release is None:
        pytest.skip(
            "needs a CouchDB cluster: no CouchDB release found (CAREFORMS_COUCHDB_RELEASE, "
            "../shared/couchdb) and no COUCHDB_CLUSTER_URL"
        )
    yield from start_couchdb(release, work, nodes=3)


class Restartable:
    """A server the test stops and starts again on the same port, empty each time: CouchDB
    from the release when there is one, else PouchDB Server."""

    def __init__(self, work: Path, port: int, unpacked: Path | None = None) -> None:
        self.work, self.port = work, port
        self.release = couchdb_release()
        if self.release is not None and unpacked is not None and unpacked.is_dir():
            work.mkdir(parents=True, exist_ok=True)
            (work / "release").symlink_to(unpacked)  # not unpacked again (40 MB)
        self.server: ServerUnderTest
        self._pouchdb: Iterator[ServerUnderTest] | None = None
        self.up = False
        self.runs = 0

    def start(self) -> None:
        self.runs += 1
        if self.release is not None:
            self.server = couchdb_up(self.release, self.work, port=self.port)
        else:
            folder = self.work / f"run{self.runs}"
            folder.mkdir(parents=True)
            self._pouchdb = start_pouchdb_server(folder, self.port)
            self.server = next(self._pouchdb)
        self.up = True

    def stop(self) -> None:
        if self.release is not None:
            couchdb_down(self.release, self.work)
        elif self._pouchdb is not None:
            assert self.server.process is not None
            self.server.process.kill()
            self.server.process.wait()
            self._pouchdb.close()
        self.up = False


@contextmanager
def restartable_server(
    work: Path, port: int, unpacked: Path | None = None
) -> Iterator[Restartable]:
    running = Restartable(work, port, unpacked)
    running.start()
    try:
        yield running
    finally:
        if running.up:
            running.stop()
        if (work / "release").is_symlink():
            (work / "release").unlink()
        shutil.rmtree(work / "release", ignore_errors=True)
