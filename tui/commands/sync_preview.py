"""The sync preview in words: what would go out and come in, by kind of record."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the server's client loads only when a sync runs (see `careforms sync`)
    from sync.preview import Preview

KINDS = {
    "zh-CN": {
        "child": "儿童档案",
        "assessment": "评估",
        "visit": "走访记录",
        "plan": "服务计划",
        "form": "表单",
        "task": "核查任务",
        "other": "其他",
    },
    "en": {
        "child": "child records",
        "assessment": "assessments",
        "visit": "visits",
        "plan": "service plans",
        "form": "forms",
        "task": "verification tasks",
        "other": "other",
    },
}

WORDS = {
    "zh-CN": {
        "out": "将发送：{what}（共 {n} 份，涉及 {children} 名儿童）",
        "out-most": "将发送（未与服务器核对，至多）：{what}（共 {n} 份，涉及 {children} 名儿童）",
        "out-none": "没有要发送的内容。",
        "in": "将接收：{what}（共 {n} 份）",
        "in-none": "服务器上没有新内容。",
        "in-unknown": "未连接服务器，无法得知将接收的内容。",
        "in-bundle": "将收到的内容由办公室导入同步包后写入回执包。",
        "conflicts": "冲突中（需在“冲突”页处理）：{ids}",
        "rejected": "曾被服务器拒收（修改后会重新发送）：{ids}",
        "sep": "、",
    },
    "en": {
        "out": "Would send: {what} (documents: {n}; children: {children})",
        "out-most": "Would send (not checked with the server, at most): {what} "
        "(documents: {n}; children: {children})",
        "out-none": "Nothing to send.",
        "in": "Would receive: {what} (documents: {n})",
        "in-none": "Nothing new on the server.",
        "in-unknown": "The server was not reached: what would come in is not known.",
        "in-bundle": "What comes back is known when the office reads the bundle (its answer).",
        "conflicts": "In conflict (resolve them on the conflicts screen): {ids}",
        "rejected": "Refused by the server before (sent again once changed): {ids}",
        "sep": ", ",
    },
}


def _what(counts: Counter[str], lang: str) -> str:
    """Counts in the order of a child's file (child, assessments, visits…), then the rest."""
    names = KINDS[lang]
    order = list(names)
    kinds = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return WORDS[lang]["sep"].join(f"{names.get(kind, kind)} {counts[kind]}" for kind in kinds)


def preview_lines(preview: Preview, lang: str, *, bundle: bool = False) -> list[str]:
    words = WORDS[lang]
    if not preview.total_out:
        lines = [words["out-none"]]
    else:
        key = "out" if preview.exact else "out-most"
        lines = [
            words[key].format(
                what=_what(preview.outgoing, lang),
                n=preview.total_out,
                children=preview.children_out,
            )
        ]
    if preview.incoming is None:
        lines.append(words["in-bundle" if bundle else "in-unknown"])
    elif preview.total_in:
        lines.append(words["in"].format(what=_what(preview.incoming, lang), n=preview.total_in))
    else:
        lines.append(words["in-none"])
    if preview.conflicts:
        lines.append(words["conflicts"].format(ids=" ".join(preview.conflicts)))
    if preview.rejected:
        lines.append(words["rejected"].format(ids=" ".join(preview.rejected)))
    return lines
