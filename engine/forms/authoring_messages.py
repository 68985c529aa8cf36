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
    "lint.published-id": {
        "zh-CN": "服务器上的文档“{found}”与其中的定义（{expected}）不符",
        "en": "The published document “{found}” does not match its definition ({expected})",
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
    # --- XLSForm import ----------------------------------------------------------------
    "xls.unreadable": {
        "zh-CN": "无法读取电子表格：{detail}",
        "en": "Cannot read the spreadsheet: {detail}",
    },
    "xls.too-large": {
        "zh-CN": "电子表格过大（上限 {limit} 字节）",
        "en": "The spreadsheet is too large (limit {limit} bytes)",
    },
    "xls.too-many-rows": {
        "zh-CN": "行数过多（上限 {limit} 行），其余各行未读取",
        "en": "Too many rows (limit {limit}); the rest was not read",
    },
    "xls.no-survey": {"zh-CN": "缺少 survey 工作表", "en": "There is no survey sheet"},
    "xls.missing-cell": {"zh-CN": "此处不能为空", "en": "This cell must not be empty"},
    "xls.bad-name": {
        "zh-CN": "名称“{name}”不可用（以字母开头，只含字母、数字、_ - .）",
        "en": "The name “{name}” cannot be used (a letter first, then letters, digits, _ - .)",
    },
    "xls.duplicate-name": {
        "zh-CN": "名称“{name}”重复",
        "en": "The name “{name}” is used twice",
    },
    "xls.unknown-type": {
        "zh-CN": "不认识的题型“{type}”",
        "en": "Unknown question type “{type}”",
    },
    "xls.unknown-list": {
        "zh-CN": "choices 工作表中没有选项列表“{list}”",
        "en": "The choices sheet has no list “{list}”",
    },
    "xls.unmatched-end": {
        "zh-CN": "“{type}”没有对应的开始行",
        "en": "“{type}” closes nothing that was opened",
    },
    "xls.unclosed": {"zh-CN": "“{type}”没有结束行", "en": "“{type}” is never closed"},
    "xls.bad-score": {
        "zh-CN": "“{value}”不是整数（也不是 unknown）",
        "en": "“{value}” is not a whole number (nor unknown)",
    },
    "xls.bad-expression": {
        "zh-CN": "无法转换此表达式：{detail}",
        "en": "This expression cannot be translated: {detail}",
    },
    "xls.untranslated": {
        "zh-CN": "此表达式无法转换，已略去：{detail}",
        "en": "This expression cannot be translated and was left out: {detail}",
    },
    "xls.calculation": {
        "zh-CN": "计算（{type}）无法转换，已略去",
        "en": "The calculation ({type}) cannot be translated and was left out",
    },
    "xls.unsupported-type": {
        "zh-CN": "题型“{type}”不受支持，已略去",
        "en": "The question type “{type}” is not supported and was left out",
    },
    "xls.note-left-out": {
        "zh-CN": "分组之外的说明文字已略去",
        "en": "A note outside any group was left out",
    },
    "xls.missing-language": {
        "zh-CN": "缺少 {language} 的文字，暂用“{text}”",
        "en": "No text in {language}; “{text}” is used for now",
    },
    "xls.score-in-repeat": {
        "zh-CN": "重复组中的题目不能计分，分值已略去",
        "en": "Items in a repeat cannot be scored; the scores were left out",
    },
    "xls.bad-version": {
        "zh-CN": "版本“{value}”不是正整数，按第 1 版处理",
        "en": "The version “{value}” is not a positive whole number; 1 is used",
    },
}
