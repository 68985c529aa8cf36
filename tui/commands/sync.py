"""`careforms sync`: push and pull with the district's database, with a progress bar.

The server and district given once are remembered from the start (a first sync cut short
needs them no more). Every run lists the documents the server refused and that are still
as they were refused; the exit status is 2 while any remain, or while conflicts do.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sync.errors import StoreError, SyncError
from sync.secrets import environment_credentials, remember_password, stored_password
from sync.settings import SyncSettings
from sync.store import Store
from tui.commands.common import (
    UserError,
    ask,
    ask_password,
    district_database_named,
    open_store,
)
from tui.commands.sync_preview import preview_lines
from tui.commands.texts import describe, local_time, say, size_text

if TYPE_CHECKING:
    from sync.rejections import RememberedRejection
    from sync.replicator import Progress, SyncReport

EXIT_ATTENTION = 2  # finished, with rejected or conflicted documents


def register(commands: Any) -> None:
    sync = commands.add_parser("sync", help="push and pull with the office server")
    sync.add_argument("--server", help="server URL (remembered)")
    sync.add_argument("--district", help="district (remembered)")
    sync.add_argument("--user", help="user name (or COUCHDB_USER; remembered)")
    sync.add_argument(
        "--batch", type=int, help="changes per batch, both ways (default: 2000 pulled, 1000 pushed)"
    )
    sync.add_argument(
        "--dismiss",
        action="append",
        metavar="ID",
        help="stop listing a rejected document (repeatable); no sync is run",
    )
    sync.add_argument(
        "--dismiss-all", action="store_true", help="stop listing every rejected document"
    )
    sync.add_argument(
        "--preview",
        action="store_true",
        help="only show what would go out and come in (nothing is sent or written)",
    )
    sync.set_defaults(run=run_sync)


class ProgressBar:
    """One line on standard error, redrawn in place on a terminal."""

    def __init__(self, stream: Any = None, lang: str = "en") -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.lang = lang

    def __call__(self, p: Progress) -> None:
        direction = say(p.direction, self.lang)
        if p.phase == "checking":
            text = f"{direction}: {say('checking', self.lang)}"
        else:
            total = p.total if p.total is not None else p.done
            width = 30
            filled = width if not total else int(width * min(p.done, total) / total)
            text = f"{direction}: [{'#' * filled}{'.' * (width - filled)}] {p.done}/{total}"
        if self.live:
            self.stream.write("\r\033[K" + text)
            if p.phase == "done":
                self.stream.write("\n")
        elif p.phase == "done":
            self.stream.write(text + "\n")
        self.stream.flush()


def _credentials(
    args: argparse.Namespace, settings: SyncSettings, server: str
) -> tuple[str, str, bool]:
    env_user, env_password = environment_credentials()
    user = env_user or args.user or settings.user or ask("User name: ", hint="Set COUCHDB_USER.")
    if env_password is not None:
        return user, env_password, False
    kept = stored_password(server, user)
    if kept is not None:
        return user, kept, False
    return user, ask_password(user), True


def _rejections(kept: list[RememberedRejection], lang: str) -> list[str]:
    """Every refusal still remembered, with its reason and when."""
    lines = [
        say("sync.rejected", lang, id=r.doc_id, error=r.error, reason=r.reason, at=local_time(r.at))
        for r in kept
    ]
    return [*lines, say("sync.rejected_hint", lang)] if kept else []


def _summary(report: SyncReport, kept: list[RememberedRejection], lang: str) -> list[str]:
    refused_here = report.pulled.rejected  # the server's documents this replica cannot hold
    lines = [
        say(
            "sync.summary",
            lang,
            pulled=report.pulled.written,
            pushed=report.pushed.written,
            conflicts=len(report.conflicts),
            rejected=len(kept) + len(refused_here),
        )
    ]
    lines += [say("sync.conflict", lang, id=doc_id) for doc_id in report.conflicts]
    lines += [say("sync.unstorable", lang, id=r.doc_id, reason=r.reason) for r in refused_here]
    if report.compacted is not None and report.compacted.bodies:
        done = report.compacted
        lines.append(
            say(
                "sync.compacted",
                lang,
                bodies=done.bodies,
                before=size_text(done.bytes_before),
                after=size_text(done.bytes_after),
            )
        )
    return lines + _rejections(kept, lang)


def _dismiss(args: argparse.Namespace, store: Store) -> int:
    if args.dismiss_all:
        gone = store.dismiss_rejections()
    else:
        known = {r.doc_id for r in store.rejections()}
        unknown = [doc_id for doc_id in args.dismiss if doc_id not in known]
        if unknown:
            raise UserError(say("sync.not_rejected", args.lang, id=", ".join(unknown)))
        gone = store.dismiss_rejections(args.dismiss)
    kept = store.rejections()
    print("\n".join([say("sync.dismissed", args.lang, n=gone), *_rejections(kept, args.lang)]))
    return EXIT_ATTENTION if kept else 0


def _preview(
    args: argparse.Namespace, store: Store, settings: SyncSettings, server: str, name: str
) -> int:
    """What a sync would do; counted on this laptop alone when no password can be had."""
    from sync.couch import CouchServer
    from sync.preview import preview_sync

    try:
        user, password, _asked = _credentials(args, settings, server)
    except UserError:
        user, password = "", ""
    database = CouchServer(server, user, password).database(name)
    try:
        preview = preview_sync(store, database, reachable=bool(user))
    except SyncError as exc:  # refused by the server: said as a sync would say it
        raise UserError(describe(exc, args.lang)) from exc
    print("\n".join(preview_lines(preview, args.lang)))
    return 0


def _load_for_sync() -> None:
    for module in ("sync.replicator", "sync.published_forms"):
        importlib.import_module(module)


def run_sync(args: argparse.Namespace) -> int:
    lang = args.lang
    # The server's client (ibmcloudant) takes a while to load: load it while the
    # passphrase's key is derived (scrypt lets other threads run), not after.
    loading = threading.Thread(target=_load_for_sync)
    loading.start()
    with open_store(args) as store:
        loading.join()
        from sync.couch import CouchServer
        from sync.published_forms import pull_published
        from sync.replicator import Replicator

        if args.dismiss or args.dismiss_all:
            return _dismiss(args, store)
        settings = SyncSettings.load(store)
        server = args.server or settings.server
        district = args.district or settings.district
        if not server or not district:
            raise UserError(say("sync.no_target", lang))
        database_name = district_database_named(district)
        if args.preview:
            return _preview(args, store, settings, server, database_name)
        user, password, asked = _credentials(args, settings, server)
        try:
            couch = CouchServer(server, user, password)
            # remembered now, not only after a sync that completes
            settings.server, settings.district, settings.user = couch.url, district, user
            settings.save(store)
            sized = {"batch_size": args.batch} if args.batch else {}
            replicator = Replicator(store, couch.database(database_name), **sized)
            report = replicator.sync(ProgressBar(lang=lang))
            forms_pulled = pull_published(store, couch, district)  # the forms databases too
        except StoreError:
            raise  # said by open_store's fault handling
        except SyncError as exc:  # the server: unreachable, refused, no such database
            raise UserError(describe(exc, lang)) from exc
        settings.synced_at(datetime.now(UTC), store.update_seq)
        settings.save(store)
        if asked:
            remember_password(couch.url, user, password)
        kept = store.rejections()
        said = _summary(report, kept, lang)
        if forms_pulled.arrived or forms_pulled.refused:  # (the forms engine is loaded then)
            from tui.form_sources import describe_pull

            said += describe_pull(forms_pulled, lang)
        print("\n".join(said))
        attention = report.conflicts or kept or report.pulled.rejected
    return EXIT_ATTENTION if attention else 0
