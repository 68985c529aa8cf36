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
}
