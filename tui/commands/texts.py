"""The words of the replica and sync commands, zh-CN first, and the faults said in them.

Every fault of the replica (`sync.errors`) has one line here per language; the command line
prints it after `careforms: ` and exits with 1.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sync.documents import MAX_DEPTH
from sync.errors import (
    InvalidDocument,
    NoPassphrase,
    ReplicaFault,
    StoreError,
    SyncError,
    WrongPassphrase,
)

TEXTS: dict[str, dict[str, str]] = {
    # faults of the replica file
    "wrong_passphrase": {
        "zh-CN": "口令打不开 {path} 的本机数据库",
        "en": "The passphrase does not open the replica at {path}",
    },
    "wrong_passphrase.unsure": {
        "zh-CN": "口令打不开 {path} 的本机数据库（也可能是文件已损坏，或不是 careforms 数据库）",
        "en": "The passphrase does not open the replica at {path} "
        "(or the file is damaged or not a careforms replica)",
    },
    "empty": {
        "zh-CN": "本机数据库文件 {path} 是空的（0 字节），未做任何改动；请从备份恢复或把它移走",
        "en": "The replica file {path} is empty (0 bytes); nothing was changed: restore it "
        "from a backup or move it away",
    },
    "truncated": {
        "zh-CN": "本机数据库文件 {path} 不完整（被截断），未做任何改动；请从备份恢复",
        "en": "The replica file {path} is cut short (truncated); nothing was changed: restore "
        "it from a backup",
    },
    "damaged": {
        "zh-CN": "本机数据库文件 {path} 已损坏或不是 careforms 数据库，未做任何改动；请从备份恢复",
        "en": "The replica file {path} is damaged or not a careforms replica; nothing was "
        "changed: restore it from a backup",
    },
    "read_only": {
        "zh-CN": "无法写入 {path}：文件或所在文件夹是只读的，未做任何改动",
        "en": "Cannot write to {path}: the file or its folder is read-only; nothing was changed",
    },
    "busy": {
        "zh-CN": "本机数据库 {path} 正被另一个 careforms（应用或同步）占用超过 5 秒，"
        "未做任何改动；请等它结束或关闭后再试",
        "en": "The replica at {path} has been in use by another careforms (the app or a sync) "
        "for more than 5 seconds; nothing was changed: try again when it has finished",
    },
    "disk_full": {
        "zh-CN": "{path} 所在的磁盘已满或无法写入，本次没有保存任何内容",
        "en": "The disk holding {path} is full or cannot be written; nothing was saved",
    },
    "store": {"zh-CN": "本机数据库出错：{error}", "en": "The replica failed: {error}"},
    "no_passphrase": {
        "zh-CN": "需要本机数据库的口令：请设置 CAREFORMS_PASSPHRASE",
        "en": "A passphrase is required to open the replica: set CAREFORMS_PASSPHRASE",
    },
    # documents that cannot be stored
    "surrogate": {
        "zh-CN": "{where}：{pointer} 含有不成对的代理字符（如 \\ud800），无法保存；未保存任何文档",
        "en": "{where}: {pointer} holds a lone surrogate (like \\ud800), which cannot be "
        "stored; no document was saved",
    },
    "too_deep": {
        "zh-CN": "{where}：{pointer} 处嵌套超过 {depth} 层，无法保存；未保存任何文档",
        "en": "{where}: nested more than {depth} levels deep at {pointer}; no document was saved",
    },
    "invalid": {
        "zh-CN": "{where}：无法保存：{error}；未保存任何文档",
        "en": "{where}: cannot be stored: {error}; no document was saved",
    },
    "document": {"zh-CN": "{file} 第 {n} 个文档（{id}）", "en": "{file}, document {n} ({id})"},
    "bad_json": {
        "zh-CN": "{file}:{line}:{column}：不是有效的 JSON：{error}",
        "en": "{file}:{line}:{column}: not valid JSON: {error}",
    },
    "json_too_deep": {
        "zh-CN": "{file}：JSON 嵌套太深，未保存任何文档",
        "en": "{file}: the JSON is nested too deeply; no document was saved",
    },
    "not_objects": {
        "zh-CN": "{file}：应为一个 JSON 对象或对象列表",
        "en": "{file}: expected a JSON object or a list of objects",
    },
    "unreadable": {"zh-CN": "无法读取 {file}：{error}", "en": "cannot read {file}: {error}"},
    # the server
    "unreachable": {
        "zh-CN": "连不上服务器 {url}：{error}",
        "en": "Cannot reach the server at {url}: {error}",
    },
    "not_allowed": {
        "zh-CN": "服务器拒绝（{status}）：用户名或密码不对，或没有这个区域的权限：{reason}",
        "en": "The server refused ({status}): wrong user name or password, or no access to "
        "this district: {reason}",
    },
    "no_database": {
        "zh-CN": "服务器上没有这个区域的数据库（{reason}）：请管理员先运行 careforms server init",
        "en": "The server has no database for this district ({reason}): an administrator runs "
        "careforms server init first",
    },
    # careforms sync
    "sync.no_target": {
        "zh-CN": "还没有服务器或区域：请先运行一次 careforms sync --server URL --district NAME，"
        "两者都会被记住",
        "en": "No server or district yet: run careforms sync --server URL --district NAME "
        "once; both are remembered",
    },
    "sync.summary": {
        "zh-CN": "下载 {pulled}，上传 {pushed}，冲突 {conflicts}，被拒绝 {rejected}",
        "en": "pulled {pulled}, pushed {pushed}, conflicts {conflicts}, rejected {rejected}",
    },
    "sync.conflict": {"zh-CN": "  冲突：{id}", "en": "  conflict: {id}"},
    "sync.rejected": {
        "zh-CN": "  被拒绝：{id}（{error}：{reason}；{at}）",
        "en": "  rejected: {id} ({error}: {reason}; {at})",
    },
    "sync.unstorable": {
        "zh-CN": "  本机无法保存服务器上的：{id}（{reason}）",
        "en": "  not storable here, from the server: {id} ({reason})",
    },
    "sync.rejected_hint": {
        "zh-CN": "被拒绝的文档修改后会重新上传；careforms sync --dismiss ID 可不再提示",
        "en": "A rejected document is sent again once it changes; "
        "careforms sync --dismiss ID stops listing it",
    },
    "sync.dismissed": {"zh-CN": "不再提示 {n} 个被拒绝的文档", "en": "dismissed {n} rejection(s)"},
    "sync.not_rejected": {
        "zh-CN": "没有被拒绝的文档 {id}",
        "en": "{id} is not among the rejected documents",
    },
    "sync.compacted": {
        "zh-CN": "整理本机数据库：清除 {bodies} 个旧版本内容，{before} → {after}",
        "en": "compacted the replica: {bodies} old revision bodies dropped, {before} → {after}",
    },
    "pull": {"zh-CN": "下载", "en": "pull"},
    "push": {"zh-CN": "上传", "en": "push"},
    "checking": {"zh-CN": "检查中……", "en": "checking…"},
}


def say(key: str, lang: str, **values: Any) -> str:
    words = TEXTS[key]
    return (words.get(lang) or words["zh-CN"]).format(**values)


def local_time(at: str) -> str:
    """A stored UTC time as the laptop's local time, to the minute."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def size_text(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


def _short(pointer: str) -> str:
    return pointer if len(pointer) <= 60 else pointer[:57] + "…"


def describe(exc: SyncError, lang: str, where: str = "") -> str:
    """The one line that tells the user what happened, in their language."""
    from sync.couch import Missing, NotAllowed, Unreachable  # the server's client loads slowly

    if isinstance(exc, WrongPassphrase):
        key = "wrong_passphrase" if exc.certain else "wrong_passphrase.unsure"
        return say(key, lang, path=exc.path)
    if isinstance(exc, ReplicaFault):
        return say(exc.code, lang, path=exc.path)
    if isinstance(exc, InvalidDocument):
        place = where or str(exc.doc_id)
        if exc.code == "surrogate":
            return say("surrogate", lang, where=place, pointer=_short(exc.pointer or "/"))
        if exc.code == "too_deep":
            return say("too_deep", lang, where=place, pointer=_short(exc.pointer), depth=MAX_DEPTH)
        return say("invalid", lang, where=place, error=exc)
    if isinstance(exc, Unreachable):
        return say("unreachable", lang, url=exc.url, error=exc.detail)
    if isinstance(exc, NotAllowed):
        return say("not_allowed", lang, status=exc.status, reason=exc.reason)
    if isinstance(exc, Missing):
        return say("no_database", lang, reason=exc.reason)
    if isinstance(exc, NoPassphrase):
        return say("no_passphrase", lang)
    if isinstance(exc, StoreError):
        return say("store", lang, error=exc)
    return str(exc)
