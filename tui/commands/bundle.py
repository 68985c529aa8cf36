"""`careforms bundle out|in`: sync through encrypted files where there is no network."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.bundle_file import BundleUnreadable, check_bundle
from sync.bundles import (
    ANSWER,
    MIN_PASSPHRASE,
    BundleRefused,
    BundleSummary,
    bundle_name,
    outbound_since,
    read_answer,
    read_outbound,
    write_outbound,
)
from sync.couch import CouchServer
from sync.preview import preview_bundle
from sync.settings import SyncSettings
from tui.commands.common import (
    UserError,
    ask,
    district_database_named,
    home,
    open_store,
    server_login,
)
from tui.commands.sync_preview import preview_lines

EXIT_ATTENTION = 2  # done, with documents the server rejected
PASSPHRASE_ENV = "CAREFORMS_BUNDLE_PASSPHRASE"

WORDS = {
    "zh-CN": {
        "wrote": "已写入同步包 {path}：{n} 份文档（{size}）。请带到办公室导入。",
        "nothing": "没有需要发送的新内容；仍写入了同步包 {path}，以便取回他人的更新。",
        "office": "已导入 {n} 份文档（新增或更新 {written}，拒收 {rejected}）；"
        "回执包 {answer}：{back} 份文档。请带回工作电脑导入。",
        "laptop": "已导入回执：{n} 份文档（本机新增或更新 {written}），拒收 {rejected}。",
        "rejected": "  拒收：{id}（{error}：{reason}）",
        "passphrase": "同步包口令：",
        "again": "请再输入一次：",
        "differ": "两次输入的口令不一致，未写入同步包。",
        "short": "同步包口令至少需要 8 个字符。",
        "no-district": "尚不知道本机所属辖区：请加 --district 名称（之后会记住）。",
        "no-server": "这是工作电脑的外发包，应在办公室导入：请加 --server 服务器地址。",
    },
    "en": {
        "wrote": "Wrote the bundle {path}: {n} documents ({size}). Take it to the office.",
        "nothing": "Nothing new to send; the bundle {path} was written all the same, to bring "
        "back the others' changes.",
        "office": "Read {n} documents ({written} new or changed, {rejected} rejected); the "
        "answer {answer} holds {back} documents. Take it back to the laptop.",
        "laptop": "Applied the answer: {n} documents ({written} new or changed here), "
        "{rejected} rejected.",
        "rejected": "  rejected: {id} ({error}: {reason})",
        "passphrase": "Bundle passphrase: ",
        "again": "Type it again: ",
        "differ": "The two passphrases differ; no bundle was written.",
        "short": "A bundle passphrase needs 8 characters or more.",
        "no-district": "This replica's district is not known yet: add --district NAME "
        "(remembered afterwards).",
        "no-server": "This is a laptop's bundle, to be read at the office: add --server URL.",
    },
}


def register(commands: Any) -> None:
    bundle = commands.add_parser("bundle", help="sync through encrypted files (no network)")
    sub = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    out = sub.add_parser("out", help="write what the office has not acknowledged into a file")
    out.add_argument("-o", "--output", type=Path, help="the file (default: bundles/ in --home)")
    out.add_argument("--district", help="this replica's district (remembered)")
    out.add_argument("--preview", action="store_true", help="only show what the bundle would carry")
    out.set_defaults(run=run_out)
    read = sub.add_parser(
        "in", help="at the office: read a laptop's bundle; on the laptop: apply the answer"
    )
    read.add_argument("file", type=Path, help="the bundle or answer file to read")
    read.add_argument("--server", help="at the office: the server to write the bundle into")
    read.add_argument("--district", help="at the office: refuse bundles of other districts")
    read.add_argument("-o", "--output", type=Path, help="at the office: the answer's file")
    read.set_defaults(run=run_in)


def _passphrase(lang: str, *, twice: bool) -> str:
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    words = WORDS[lang]
    hint = f"Set {PASSPHRASE_ENV}."
    first = ask(words["passphrase"], secret=True, hint=hint)
    if twice and len(first) < MIN_PASSPHRASE:
        raise UserError(words["short"])
    if twice and ask(words["again"], secret=True, hint=hint) != first:
        raise UserError(words["differ"])
    return first


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def _rejections(summary: BundleSummary, lang: str) -> list[str]:
    return [
        WORDS[lang]["rejected"].format(id=r.doc_id, error=r.error, reason=r.reason)
        for r in summary.rejected
    ]


def run_out(args: argparse.Namespace) -> int:
    words = WORDS[args.lang]
    with open_store(args) as store:
        settings = SyncSettings.load(store)
        district = args.district or settings.district
        if not district:
            raise UserError(words["no-district"])
        district_database_named(district)  # a name that cannot be a district is refused
        if args.preview:
            preview = preview_bundle(store, outbound_since(store))
            print("\n".join(preview_lines(preview, args.lang, bundle=True)))
            return 0
        if settings.district != district:
            settings.district = district
            settings.save(store)
        path = args.output or _default_path(args)
        passphrase = _passphrase(args.lang, twice=True)
        summary = _sealed(lambda: write_outbound(store, path, passphrase, district), args.lang)
    key = "wrote" if summary.documents else "nothing"
    print(words[key].format(path=path, n=summary.documents, size=_size(summary.size)))
    return 0


def _default_path(args: argparse.Namespace) -> Path:
    folder = home(args) / "bundles"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / bundle_name(datetime.now())


def _sealed(work: Any, lang: str) -> Any:
    """Run a bundle step; its refusals become one line in the user's language."""
    try:
        return work()
    except (BundleUnreadable, BundleRefused) as exc:
        raise UserError(exc.words[lang]) from exc
    except OSError as exc:
        raise UserError(f"{exc.filename or ''}: {exc.strerror or exc}") from exc


def run_in(args: argparse.Namespace) -> int:
    passphrase = _passphrase(args.lang, twice=False)
    bundle = _sealed(lambda: check_bundle(args.file, passphrase), args.lang)
    if bundle.header.get("kind") == ANSWER:
        return _apply_answer(args, bundle)
    return _at_office(args, bundle)


def _apply_answer(args: argparse.Namespace, bundle: Any) -> int:
    with open_store(args) as store:
        district = SyncSettings.load(store).district
        summary = _sealed(lambda: read_answer(store, bundle, district), args.lang)
    print(
        WORDS[args.lang]["laptop"].format(
            n=summary.documents, written=summary.written, rejected=len(summary.rejected)
        )
    )
    print("\n".join(_rejections(summary, args.lang)))
    return EXIT_ATTENTION if summary.rejected else 0


def _at_office(args: argparse.Namespace, bundle: Any) -> int:
    words = WORDS[args.lang]
    if not args.server:
        raise UserError(words["no-server"])
    district = str(bundle.header.get("district", ""))
    name = district_database_named(district)
    user, password = server_login()
    database = CouchServer(args.server, user, password).database(name)
    answer = args.output or args.file.with_name(args.file.stem + "-answer.bundle")
    summary = _sealed(
        lambda: read_outbound(bundle, database, answer, district=args.district), args.lang
    )
    print(
        words["office"].format(
            n=summary.documents,
            written=summary.written,
            rejected=len(summary.rejected),
            answer=answer,
            back=summary.answer_documents,
        )
    )
    print("\n".join(_rejections(summary, args.lang)))
    return EXIT_ATTENTION if summary.rejected else 0
