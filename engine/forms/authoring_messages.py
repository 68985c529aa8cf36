"""Messages of the form author's tools beyond the basic check: references, patterns,
migrations between versions, XLSForm import and publishing (merged into `messages`)."""

from __future__ import annotations

AUTHORING: dict[str, dict[str, str]] = {
    # --- a lint the runtime can trust ----------------------------------------------
    "lint.bad-ref": {
        "zh-CN": "引用“{ref}”找不到目标（表单中没有这一部分）",
        "en": "The reference “{ref}” points at nothing in the form",
    },
    "lint.remote-ref": {
        "zh-CN": "引用“{ref}”指向表单之外：表单只能引用自身或内置的元模式，录入时绝不联网获取",
        "en": "The reference “{ref}” points outside the form: a form may refer only to itself "
        "or to the built-in meta-schemas, and never makes a laptop fetch anything",
    },
    "lint.ref-cycle": {
        "zh-CN": "引用构成了循环（不深入答案就回到自身），校验将无法结束",
        "en": "The references form a cycle that never descends into the answers; validation "
        "would never end",
    },
    "lint.bad-pattern": {
        "zh-CN": "正则表达式“{pattern}”不是有效的 ECMA-262 写法：{detail}",
        "en": "The pattern “{pattern}” is not an ECMA-262 regular expression: {detail}",
    },
    "lint.slow-pattern": {
        "zh-CN": "正则表达式“{pattern}”在某些输入上匹配时间会急剧增长（{detail}），请改写",
        "en": "The pattern “{pattern}” can take explosively long to match ({detail}); "
        "please rewrite it",
    },
    "lint.too-deep": {
        "zh-CN": "表单嵌套层次过深，无法检查",
        "en": "The form is nested too deeply to be checked",
    },
    "lint.too-large": {
        "zh-CN": "表单文件过大（{size} 字节，上限 {limit} 字节）",
        "en": "The form is too large ({size} bytes; the limit is {limit})",
    },
    # --- migrations between versions -------------------------------------------------
    "lint.migration-gap": {
        "zh-CN": "迁移声明来自第 {from} 版，但没有这一版（或不早于第 {version} 版）：迁移链条断开",
        "en": "The migration comes from version {from}, which does not exist (or is not older "
        "than version {version}): the chain has a gap",
    },
    "lint.migration-unknown-item": {
        "zh-CN": "迁移中提到的题目“{item}”在第 {version} 版中不存在{hint}",
        "en": "The migration names an item “{item}” that version {version} does not have{hint}",
    },
    "lint.migration-unknown-option": {
        "zh-CN": "迁移中题目“{item}”的选项“{option}”在第 {version} 版中不存在",
        "en": "The migration maps option “{option}” of “{item}”, which version {version} "
        "does not have",
    },
    "lint.migration-unmapped-option": {
        "zh-CN": "题目“{item}”的旧选项“{option}”在第 {version} 版中没有对应："
        "请在 values 中写出它的新值（或 null）",
        "en": "Old option “{option}” of “{item}” maps to nothing in version {version}: give "
        "its new value (or null) under values",
    },
    "lint.migration-dropped-item": {
        "zh-CN": "旧题目“{item}”在第 {version} 版中不存在，也没有改名或列入 remove：答案会丢失",
        "en": "Old item “{item}” is not in version {version}, nor renamed, nor listed under "
        "remove: its answers would be lost",
    },
}
