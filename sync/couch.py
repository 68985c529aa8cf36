"""The CouchDB server, reached through `ibmcloudant` (the customer's client) and nothing else.

A small adapter: the replicator and the server set-up speak to `CouchDatabase` and
`CouchServer`; ibmcloudant's models and exceptions stay in this module. Cookie-session
authentication (renewed by ibmcloudant before it expires); TLS certificates are verified.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import orjson
import requests
from ibm_cloud_sdk_core import ApiException, DetailedResponse
from ibm_cloud_sdk_core.authenticators import NoAuthAuthenticator
from ibmcloudant import CouchDbSessionAuthenticator, CouchDbSessionTokenManager
from ibmcloudant.cloudant_v1 import CloudantV1, DesignDocument

from sync.errors import SyncError

T = TypeVar("T")


class CouchError(SyncError):
    """The server answered with an error."""

    def __init__(self, status: int, error: str, reason: str) -> None:
        self.status = status
        self.error = error
        self.reason = reason
        super().__init__(f"server error {status} {error}: {reason}")


class NotAllowed(CouchError):
    """401 or 403: the user may not do this (CouchDB says 403, PouchDB Server 401)."""


class Missing(CouchError):
    """404: no such database or document."""


class TooDeep(CouchError):
    """An answer with a document nested deeper than a JSON reader goes (a member can write
    one: CouchDB takes any depth)."""


# Request bodies of the replication's questions (ids and revisions) are sent as they are:
# compressing them costs more time than it saves. Documents written are still compressed.
_PLAIN = {"content-encoding": "identity"}


class Unreachable(SyncError):
    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.detail = detail
        super().__init__(f"cannot reach the server at {url}: {detail}")


def _call(url: str, request: Callable[[], DetailedResponse]) -> Any:
    try:
        result = request().get_result()
        # Streamed answers (the replication's large ones, and calls that may return
        # attachments) come back raw: read them with orjson, several times faster than json.
        return _json_of(result) if isinstance(result, requests.Response) else result
    except ApiException as exc:
        body: dict[str, Any] = {}
        if exc.http_response is not None:
            try:
                body = exc.http_response.json()
            except ValueError:
                body = {}
        status = exc.status_code or 0
        kind = NotAllowed if status in (401, 403) else Missing if status == 404 else CouchError
        raise kind(
            status, str(body.get("error", "")), str(body.get("reason", exc.message))
        ) from exc
    except requests.RequestException as exc:  # refused, reset, cut mid-answer, timed out
        raise Unreachable(url, str(exc)) from exc
    except RecursionError as exc:  # json's parser on an answer nested thousands deep
        raise TooDeep(0, "too_deep", "an answer nested too deeply to read") from exc


def _json_of(response: requests.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc) or "recursion" in str(exc).lower():
            raise TooDeep(response.status_code, "too_deep", str(exc)) from exc
        raise CouchError(response.status_code, "bad_json", str(exc)) from exc


class _SessionTokenManager(CouchDbSessionTokenManager):  # type: ignore[misc]
    """Logs in with both `name` and `username`.

    CouchDB accepts either key in `POST /_session`; PouchDB Server only `name`, and
    ibmcloudant sends only `username`. Cookie handling stays ibmcloudant's.
    """

    def request_token(self) -> requests.Response:
        if not isinstance(self.http_client, requests.Session):
            raise TypeError("http_client parameter must be a requests.sessions.Session")
        response = self.http_client.request(
            method="POST",
            url=self.url + "/_session",
            headers=self.headers,
            json={"name": self.username, "username": self.username, "password": self.password},
            cookies=self.jar,
            **self.http_config,
        )
        if response.status_code >= 400:
            # A refused login: report it (not look for a cookie), and let the next call
            # try again at once rather than wait for ibmcloudant's 60-second pacing.
            self.request_time = 0
            raise ApiException(response.status_code, http_response=response)
        return response


def _session_authenticator(username: str, password: str) -> CouchDbSessionAuthenticator:
    authenticator = CouchDbSessionAuthenticator(username, password)
    authenticator.token_manager = _SessionTokenManager(username, password)
    return authenticator


def _json(value: Any) -> io.BytesIO:
    """A request body, already encoded (ibmcloudant sends it as it is)."""
    return io.BytesIO(orjson.dumps(value))


def encode_docs(docs: list[dict[str, Any]], *, new_edits: bool) -> bytes:
    """A `_bulk_docs` body, gzip-compressed: a slow village connection needs the bytes saved.
    Level 6 shrinks our documents about 13 times at 13 ms a megabyte; ibmcloudant's own
    level 9 shrinks them 16 times at 49 ms (measured on 1,000 assessments)."""
    return gzip.compress(orjson.dumps({"docs": docs, "new_edits": new_edits}), compresslevel=6)


def public_url(url: str) -> str:
    """The URL without any user name or password in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


class CouchServer:
    def __init__(
        self,
        url: str,
        username: str | None = None,
        password: str | None = None,
        *,
        timeout: float = 60.0,
    ) -> None:
        self.url = public_url(url)
        authenticator = (
            _session_authenticator(username, password or "") if username else NoAuthAuthenticator()
        )
        self.service = CloudantV1(authenticator=authenticator)
        self.service.set_service_url(self.url)
        self.service.set_disable_ssl_verification(False)
        self.service.set_http_config({"timeout": timeout})
        self.username = username

    def call(self, request: Callable[[CloudantV1], DetailedResponse]) -> Any:
        return _call(self.url, lambda: request(self.service))

    def info(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call(lambda s: s.get_server_information())
        return result

    def roles(self) -> list[str]:
        """The signed-in user's roles, as the server says them (`_session`)."""
        info: dict[str, Any] = self.call(lambda s: s.get_session_information())
        return [str(r) for r in info.get("userCtx", {}).get("roles", [])]

    def database(self, name: str) -> CouchDatabase:
        return CouchDatabase(self, name)


class CouchDatabase:
    """One database on the server: the calls the replication protocol needs."""

    def __init__(self, server: CouchServer, name: str) -> None:
        self.server = server
        self.name = name

    @property
    def identity(self) -> str:
        """Names this database in replication ids (no credentials)."""
        return f"{self.server.url}/{self.name}"

    def _call(self, request: Callable[[CloudantV1], DetailedResponse]) -> Any:
        return self.server.call(request)

    def _find(self, request: Callable[[CloudantV1], DetailedResponse]) -> dict[str, Any] | None:
        """The document a request reads, or None when there is none."""
        try:
            result: dict[str, Any] = self._call(request)
        except Missing:
            return None
        return result

    def info(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call(lambda s: s.get_database_information(db=self.name))
        return result

    def create(self) -> bool:
        """Create the database; False when it already exists."""
        try:
            self._call(lambda s: s.put_database(db=self.name))
        except CouchError as exc:
            if exc.status == 412:
                return False
            raise
        return True

    def changes(self, since: Any, limit: int) -> dict[str, Any]:
        """One batch of `_changes` with every leaf revision (`style=all_docs`)."""
        since_text = since if isinstance(since, str) else orjson.dumps(since).decode()
        result: dict[str, Any] = self._call(
            lambda s: s.post_changes_as_stream(
                db=self.name,
                since=since_text,
                limit=limit,
                style="all_docs",
                seq_interval=limit,
                headers=_PLAIN,
            )
        )
        return result

    def revs_diff(self, revs: dict[str, list[str]]) -> dict[str, Any]:
        if not revs:
            return {}
        result: dict[str, Any] = self._call(
            lambda s: s.post_revs_diff(db=self.name, document_revisions=revs, headers=_PLAIN)
        )
        return result

    def bulk_get(
        self, wanted: Iterable[tuple[str, str]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Documents at the given revisions with `_revisions`; and the errors, per revision."""
        query: list[Any] = [{"id": doc_id, "rev": rev} for doc_id, rev in wanted]
        if not query:
            return [], []
        result = self._call(
            lambda s: s.post_bulk_get_as_stream(
                db=self.name, docs=query, revs=True, latest=True, headers=_PLAIN
            )
        )
        docs, errors = [], []
        for entry in result.get("results", []):
            for item in entry.get("docs", []):
                if "ok" in item:
                    docs.append(item["ok"])
                elif "error" in item:  # CouchDB reports a missing revision as an error entry
                    errors.append(item["error"])
                # PouchDB Server answers an empty object for a missing revision
        return docs, errors

    def bulk_docs(self, docs: list[dict[str, Any]], *, new_edits: bool) -> list[dict[str, Any]]:
        """Write documents; returns the per-document errors only."""
        return self.bulk_docs_encoded(encode_docs(docs, new_edits=new_edits)) if docs else []

    def bulk_docs_encoded(self, body: bytes) -> list[dict[str, Any]]:
        """Write documents encoded by `encode_docs`; the per-document errors only."""
        result = self._call(
            lambda s: s.post_bulk_docs(
                db=self.name, bulk_docs=io.BytesIO(body), headers={"content-encoding": "gzip"}
            )
        )
        return [row for row in result or [] if isinstance(row, dict) and "error" in row]

    def get_local(self, doc_id: str) -> dict[str, Any] | None:
        return self._find(lambda s: s.get_local_document(db=self.name, doc_id=doc_id))

    def put_local(self, doc_id: str, body: dict[str, Any]) -> str | None:
        """Write a `_local` document; returns its new revision."""
        result = self._call(
            lambda s: s.put_local_document(
                db=self.name, doc_id=doc_id, document=_json(body), content_type="application/json"
            )
        )
        return result.get("rev") if isinstance(result, dict) else None

    def get(self, doc_id: str, **params: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            lambda s: s.get_document(db=self.name, doc_id=doc_id, **params)
        )
        return result

    def put(self, doc: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            lambda s: s.put_document(
                db=self.name,
                doc_id=doc["_id"],
                document=_json(doc),
                content_type="application/json",
            )
        )
        return result

    def get_design(self, name: str) -> dict[str, Any] | None:
        return self._find(lambda s: s.get_design_document(db=self.name, ddoc=name))

    def put_design(self, name: str, design: dict[str, Any]) -> None:
        document = DesignDocument.from_dict(design)
        self._call(
            lambda s: s.put_design_document(db=self.name, ddoc=name, design_document=document)
        )
