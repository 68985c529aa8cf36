"""The catalogue of messages, by code, in every interface language.

Tests assert codes; the wording lives here only. Templates use `str.format` fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from engine.forms.authoring_messages import AUTHORING
from engine.forms.i18n import DEFAULT_LANGUAGE, LANGUAGES, pick

_CATALOGUE: dict[str, dict[str, str]] = {
    # --- validation of answers -------------------------------------------------
    "required": {"zh-CN": "必填：请回答“{label}”", "en": "Required: please answer “{label}”"},
    "type": {"zh-CN": "应为{expected}", "en": "Must be {expected}"},
    "enum": {"zh-CN": "请从给定选项中选择", "en": "Choose one of the given options"},
    "const": {"zh-CN": "取值不符合要求", "en": "This value is not allowed here"},
    "minimum": {"zh-CN": "不能小于 {limit}", "en": "Must be at least {limit}"},
    "maximum": {"zh-CN": "不能大于 {limit}", "en": "Must be at most {limit}"},
    "exclusiveMinimum": {"zh-CN": "必须大于 {limit}", "en": "Must be greater than {limit}"},
    "exclusiveMaximum": {"zh-CN": "必须小于 {limit}", "en": "Must be less than {limit}"},
    "multipleOf": {"zh-CN": "必须是 {limit} 的倍数", "en": "Must be a multiple of {limit}"},
    "minLength": {"zh-CN": "至少 {limit} 个字", "en": "At least {limit} characters"},
    "maxLength": {"zh-CN": "最多 {limit} 个字", "en": "At most {limit} characters"},
    "pattern": {"zh-CN": "格式不正确", "en": "Not in the expected format"},
    "format": {"zh-CN": "格式应为{format}", "en": "Must be a valid {format}"},
    "minItems": {"zh-CN": "至少需要 {limit} 项", "en": "At least {limit} entries"},
    "maxItems": {"zh-CN": "最多 {limit} 项", "en": "At most {limit} entries"},
    "uniqueItems": {"zh-CN": "选项不能重复", "en": "Entries must not repeat"},
    "contains": {
        "zh-CN": "至少需要 {limit} 项符合要求",
        "en": "At least {limit} entries must match",
    },
    "minProperties": {"zh-CN": "至少需要 {limit} 项", "en": "At least {limit} entries"},
    "maxProperties": {"zh-CN": "最多 {limit} 项", "en": "At most {limit} entries"},
    "additionalProperties": {
        "zh-CN": "表单中没有“{name}”这一项",
        "en": "The form has no item “{name}”",
    },
    "anyOf": {"zh-CN": "不符合任何一种允许的情况", "en": "Matches none of the allowed cases"},
    "oneOf": {
        "zh-CN": "应恰好符合一种情况（符合了 {count} 种）",
        "en": "Must match exactly one case (matches {count})",
    },
    "not": {"zh-CN": "此取值不允许", "en": "This value is not allowed"},
    "false": {"zh-CN": "此处不应填写", "en": "Nothing may be entered here"},
    "schema": {"zh-CN": "不符合要求：{detail}", "en": "Not valid: {detail}"},
    # --- JSON type names -------------------------------------------------------
    "type.string": {"zh-CN": "文字", "en": "text"},
    "type.integer": {"zh-CN": "整数", "en": "a whole number"},
    "type.number": {"zh-CN": "数字", "en": "a number"},
    "type.boolean": {"zh-CN": "是或否", "en": "yes or no"},
    "type.array": {"zh-CN": "列表", "en": "a list"},
    "type.object": {"zh-CN": "一组内容", "en": "a group of answers"},
    "type.null": {"zh-CN": "空", "en": "empty"},
    "format.date": {"zh-CN": "日期（年-月-日）", "en": "date (YYYY-MM-DD)"},
    "format.date-time": {"zh-CN": "日期时间", "en": "date and time"},
    "format.email": {"zh-CN": "电子邮箱", "en": "e-mail address"},
    # --- classification --------------------------------------------------------
    "reason.threshold": {
        "zh-CN": "总分 {total} 分，落在“{band}”区间（{low}–{high} 分）",
        "en": "Total score {total} lies in the “{band}” range ({low}–{high})",
    },
    "reason.red_flag": {
        "zh-CN": "红色警示：{flag}，直接定为“{band}”",
        "en": "Red flag: {flag}; the child is placed in “{band}”",
    },
    "reason.override": {
        "zh-CN": "{by} 将等级由“{from_band}”调整为“{to_band}”，理由：{reason}",
        "en": "{by} moved the band from “{from_band}” to “{to_band}”; reason: {reason}",
    },
    "reason.unknown": {
        "zh-CN": "{count} 项答案不清楚，按 0 分计算",
        "en": "{count} answers are unknown and scored 0",
    },
    "override.reason_required": {
        "zh-CN": "调整等级必须写明理由",
        "en": "A written reason is required to override the band",
    },
    "override.by_required": {
        "zh-CN": "调整等级必须记录操作人",
        "en": "The person making the override must be recorded",
    },
    "override.too_far": {
        "zh-CN": "等级最多只能调整 {steps} 级",
        "en": "The band may move by at most {steps} step(s)",
    },
    "override.unknown_band": {
        "zh-CN": "没有名为“{band}”的等级",
        "en": "There is no band called “{band}”",
    },
    "override.down_from_red_flag": {
        "zh-CN": "存在红色警示时不能下调等级",
        "en": "The band cannot be lowered while a red flag applies",
    },
    "override.no_bands": {
        "zh-CN": "此表单没有风险等级",
        "en": "This form has no bands to override",
    },
    # --- form definition problems (careforms forms check) ------------------------
    "lint.unreadable": {"zh-CN": "无法读取文件：{detail}", "en": "Cannot read the file: {detail}"},
    "lint.invalid-json": {
        "zh-CN": "不是有效的 JSON（第 {line} 行第 {column} 列）：{detail}",
        "en": "Not valid JSON (line {line}, column {column}): {detail}",
    },
    "lint.duplicate-key": {
        "zh-CN": "同一对象中“{key}”出现了两次，前一个会被忽略",
        "en": "“{key}” appears twice in the same object; the first one would be ignored",
    },
    "lint.not-a-form": {
        "zh-CN": "这不是表单定义：顶层必须是对象，并带有 x-form（id 和 version）",
        "en": "Not a form definition: the top level must be an object with x-form (id and version)",
    },
    "lint.invalid-schema": {
        "zh-CN": "不是有效的 JSON Schema：{detail}",
        "en": "Not a valid JSON Schema: {detail}",
    },
    "lint.unknown-keyword": {
        "zh-CN": "未知的关键字“{keyword}”{hint}",
        "en": "Unknown keyword “{keyword}”{hint}",
    },
    "lint.hint": {"zh-CN": "，是否应为“{suggestion}”？", "en": "; did you mean “{suggestion}”?"},
    "lint.misplaced-keyword": {
        "zh-CN": "“{keyword}”只能写在{place}",
        "en": "“{keyword}” belongs {place}",
    },
    "lint.place.root": {"zh-CN": "表单的最顶层", "en": "at the top level of the form"},
    "lint.place.top-field": {
        "zh-CN": "表单顶层的题目上（properties 下的一项）",
        "en": "on a top-level item of the form (directly under properties)",
    },
    "lint.bad-vocabulary": {
        "zh-CN": "{keyword} 的写法不正确：{detail}",
        "en": "{keyword} is not written correctly: {detail}",
    },
    "lint.warning": {"zh-CN": "提示 ", "en": "warning "},
    "lint.label-fallback": {
        "zh-CN": "“{name}”没有 x-label，显示为“{shown}”；请加上中英文标题 x-label",
        "en": "“{name}” has no x-label and shows as “{shown}”; add an x-label in each language",
    },
    "lint.older-draft-dependencies": {
        "zh-CN": "dependencies 是旧版 JSON Schema 的写法：在 2020-12 中，"
        "字段列表写作 dependentRequired，子模式写作 dependentSchemas",
        "en": "dependencies is older JSON Schema: in 2020-12 write lists of fields as "
        "dependentRequired and subschemas as dependentSchemas",
    },
    "lint.older-draft-items": {
        "zh-CN": "items 写成数组是旧版 JSON Schema 的写法：在 2020-12 中，"
        "按位置的各项写作 prefixItems，其余各项写作 items",
        "en": "items as an array is older JSON Schema: in 2020-12 write the positional "
        "schemas as prefixItems and the schema of the rest as items",
    },
    "lint.missing-label": {
        "zh-CN": "缺少 {language} 的{what}",
        "en": "The {what} is missing in {language}",
    },
    "lint.what.label": {"zh-CN": "标题", "en": "label"},
    "lint.what.help": {"zh-CN": "帮助说明", "en": "help text"},
    "lint.what.option": {"zh-CN": "选项“{option}”的文字", "en": "text of option “{option}”"},
    "lint.what.service": {"zh-CN": "服务建议", "en": "suggested service"},
    "lint.what.title": {"zh-CN": "表单名称", "en": "form title"},
    "lint.missing-score": {
        "zh-CN": "选项“{option}”没有分值：请在 points 中写出它的分数，或列入 unknown",
        "en": "Option “{option}” has no score: give it points, or list it under unknown",
    },
    "lint.extra-score": {
        "zh-CN": "points 中的“{option}”不是这道题的选项",
        "en": "“{option}” in points is not one of this item's options",
    },
    "lint.score-without-options": {
        "zh-CN": "计分题必须有固定选项（enum、布尔或多选）",
        "en": "A scored item needs fixed options (an enum, a boolean or a multi-select)",
    },
    "lint.band-gap": {
        "zh-CN": "等级“{upper}”与“{lower}”之间有空档：{low}–{high} 分不属于任何等级",
        "en": "Gap between bands “{upper}” and “{lower}”: scores {low}–{high} fall in no band",
    },
    "lint.band-overlap": {
        "zh-CN": "等级“{upper}”与“{lower}”重叠：{low}–{high} 分同时属于两个等级",
        "en": "Bands “{upper}” and “{lower}” overlap: scores {low}–{high} fall in both",
    },
    "lint.band-coverage": {
        "zh-CN": "等级没有覆盖全部可能的分数（{low}–{high} 分）：{detail}",
        "en": "The bands do not cover every possible score ({low}–{high}): {detail}",
    },
    "lint.band-top": {
        "zh-CN": "最高等级需覆盖到 {high} 分",
        "en": "the top band must reach {high}",
    },
    "lint.band-bottom": {
        "zh-CN": "最低等级需从 {low} 分开始",
        "en": "the bottom band must start at {low}",
    },
    "lint.band-order": {
        "zh-CN": "等级“{band}”的下限 {min} 大于上限 {max}",
        "en": "Band “{band}” has its minimum {min} above its maximum {max}",
    },
    "lint.unknown-field": {
        "zh-CN": "{what}引用了不存在的题目“{field}”{hint}",
        "en": "{what} names an item “{field}” that does not exist{hint}",
    },
    "lint.what.visible-if": {"zh-CN": "显示条件", "en": "The visibility condition"},
    "lint.what.red-flag": {"zh-CN": "红色警示条件", "en": "The red flag"},
    "lint.what.section": {"zh-CN": "分节", "en": "The section"},
    "lint.what.need": {"zh-CN": "需求类别", "en": "The need category"},
    "lint.what.strength": {"zh-CN": "优势列表", "en": "The strengths list"},
    "lint.unknown-domain": {
        "zh-CN": "计分领域“{domain}”没有在 x-domains 中定义{hint}",
        "en": "Score domain “{domain}” is not declared in x-domains{hint}",
    },
    "lint.unknown-band": {
        "zh-CN": "等级“{band}”没有在 x-bands 中定义{hint}",
        "en": "Band “{band}” is not declared in x-bands{hint}",
    },
    "lint.duplicate-id": {
        "zh-CN": "编号“{id}”重复（第一次出现在 {first}）",
        "en": "Duplicate id “{id}” (first used at {first})",
    },
    "lint.bad-rules": {
        "zh-CN": "个案规则文件不符合规定：{detail}",
        "en": "The case-work rules do not follow their schema: {detail}",
    },
    "lint.duplicate-rule": {
        "zh-CN": "规则编号“{id}”重复（第一次出现在 {first}）",
        "en": "Duplicate rule id “{id}” (first used at {first})",
    },
    "lint.bad-date": {
        "zh-CN": "日期“{value}”不存在（格式为 月-日，例如 01-15）",
        "en": "There is no date “{value}” (write month-day, for example 01-15)",
    },
    "lint.unknown-form": {
        "zh-CN": "没有编号为“{name}”的表单{hint}",
        "en": "There is no form “{name}”{hint}",
    },
    "lint.unknown-flag": {
        "zh-CN": "表单中没有“{name}”这一紧急情况{hint}",
        "en": "The form has no red flag “{name}”{hint}",
    },
    "lint.unknown-kind": {
        "zh-CN": "走访表中没有“{name}”这种方式{hint}",
        "en": "The visit form has no kind of contact “{name}”{hint}",
    },
    "lint.field-in-two-sections": {
        "zh-CN": "题目“{field}”被放在了两个分节中",
        "en": "Item “{field}” is placed in two sections",
    },
    "lint.field-not-in-section": {
        "zh-CN": "题目“{field}”不在任何分节中，录入时不会显示",
        "en": "Item “{field}” is in no section and would never be shown",
    },
    "lint.unknown-widget": {
        "zh-CN": "没有名为“{widget}”的控件（可用：{known}）",
        "en": "There is no widget called “{widget}” (known: {known})",
    },
    "lint.widget-mismatch": {
        "zh-CN": "控件“{widget}”不能用于{kind}类型的题目",
        "en": "Widget “{widget}” cannot edit an item of type {kind}",
    },
    "lint.detail.required": {"zh-CN": "缺少“{missing}”", "en": "“{missing}” is missing"},
    "lint.detail.type": {"zh-CN": "应为 {expected} 类型", "en": "must be of type {expected}"},
    "lint.detail.pattern": {
        "zh-CN": "“{value}”的格式不对（应符合 {expected}）",
        "en": "“{value}” is not in the expected form ({expected})",
    },
    "lint.detail.enum": {"zh-CN": "应为以下之一：{expected}", "en": "must be one of: {expected}"},
    "lint.detail.additionalProperties": {
        "zh-CN": "不认识的项“{value}”",
        "en": "unknown entry “{value}”",
    },
    "lint.detail.minItems": {
        "zh-CN": "至少需要 {expected} 项",
        "en": "needs at least {expected} entries",
    },
    "lint.detail.minimum": {"zh-CN": "不能小于 {expected}", "en": "must be at least {expected}"},
    "lint.detail.minLength": {"zh-CN": "不能为空", "en": "must not be empty"},
    "lint.detail.minProperties": {"zh-CN": "不能为空", "en": "must not be empty"},
    "lint.detail.other": {"zh-CN": "{raw}", "en": "{raw}"},
    "lint.internal": {
        "zh-CN": "检查时遇到意外问题：{detail}",
        "en": "Unexpected problem while checking: {detail}",
    },
}

_CATALOGUE.update(AUTHORING)
CATALOGUE: Mapping[str, Mapping[str, str]] = MappingProxyType(_CATALOGUE)


def message(code: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The message for `code` in `lang`, with `params` filled in."""
    template = pick(CATALOGUE.get(code, {"en": code}), lang)
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def localised(code: str, /, **params: object) -> dict[str, str]:
    """The message for `code` in every language; a parameter that is itself a localised
    text (a dict by language) is given in each language's own words."""
    return {
        lang: message(
            code,
            lang,
            **{k: pick(v, lang) if isinstance(v, dict) else v for k, v in params.items()},
        )
        for lang in LANGUAGES
    }
