"""Every message of ledgers and discovery, by code, in every interface language."""

from __future__ import annotations

from engine.forms.i18n import pick

MESSAGES: dict[str, dict[str, str]] = {
    # reading a department's list: the whole file
    "list.missing": {"zh-CN": "{file}：找不到该文件", "en": "{file}: no such file"},
    "list.unreadable": {
        "zh-CN": "{file}：无法读取（{detail}）",
        "en": "{file}: cannot be read ({detail})",
    },
    "list.empty-file": {"zh-CN": "{file}：文件是空的", "en": "{file}: the file is empty"},
    "list.format": {
        "zh-CN": "{file}：不是 XLSX 或 CSV 表格（{detail}）；请另存为 .xlsx 或 .csv",
        "en": "{file}: not an XLSX or CSV spreadsheet ({detail}); save it as .xlsx or .csv",
    },
    "list.old-xls": {
        "zh-CN": "{file}：这是旧版 Excel 97-2003（.xls）格式；请在 Excel 或 WPS 中另存为 .xlsx",
        "en": "{file}: this is the old Excel 97-2003 (.xls) format; "
        "save it as .xlsx in Excel or WPS",
    },
    "list.bad-zip": {
        "zh-CN": "{file}：XLSX 文件已损坏（{detail}）",
        "en": "{file}: the XLSX file is damaged ({detail})",
    },
    "list.too-big": {
        "zh-CN": "{file}：解压后过大（{detail}），已拒绝读取；可能是压缩炸弹",
        "en": "{file}: too large once unpacked ({detail}); refused (it may be a zip bomb)",
    },
    "list.too-large-file": {
        "zh-CN": "{file}：文件过大（{detail}），上限 {limit}",
        "en": "{file}: the file is too large ({detail}); the limit is {limit}",
    },
    "list.too-many-rows": {
        "zh-CN": "{file}，工作表“{sheet}”：超过 {limit} 行（{detail}）；请按乡镇拆分后分别导入",
        "en": "{file}, sheet “{sheet}”: more than {limit} rows ({detail}); split it by township",
    },
    "list.no-sheet": {
        "zh-CN": "{file}：没有名为“{sheet}”的工作表（有：{detail}）",
        "en": "{file}: there is no sheet “{sheet}” (there are: {detail})",
    },
    "list.no-rows": {
        "zh-CN": "{file}，工作表“{sheet}”：没有任何内容",
        "en": "{file}, sheet “{sheet}”: there is nothing in it",
    },
    "list.no-header": {
        "zh-CN": "{file}，工作表“{sheet}”：前 {limit} 行中找不到表头（至少要有“姓名”列）；"
        "可用 --columns name=列名 指定",
        "en": "{file}, sheet “{sheet}”: no header row in the first {limit} rows (a name column "
        "is needed); name it with --columns name=HEADER",
    },
    "list.no-records": {
        "zh-CN": "{file}，工作表“{sheet}”：第 {row} 行表头之下没有记录",
        "en": "{file}, sheet “{sheet}”: no records under the header in row {row}",
    },
    "list.merged": {
        "zh-CN": "{file}，工作表“{sheet}”，{detail}：数据区有合并单元格；"
        "请取消合并并在每一行填写后再导入",
        "en": "{file}, sheet “{sheet}”, {detail}: merged cells among the records; unmerge them "
        "and fill every row, then import again",
    },
    "list.bad-mapping": {
        "zh-CN": "--columns：“{detail}”无法识别；写法如 name=学生姓名,id_number=D（字段：{limit}）",
        "en": "--columns: cannot read “{detail}”; write e.g. name=学生姓名,id_number=D "
        "(fields: {limit})",
    },
    "list.mapped-column-missing": {
        "zh-CN": "{file}，工作表“{sheet}”：表头中没有“{detail}”列（--columns）",
        "en": "{file}, sheet “{sheet}”: no column “{detail}” in the header (--columns)",
    },
    # one row
    "row.name-required": {"zh-CN": "缺少姓名", "en": "the name is missing"},
    "row.formula": {
        "zh-CN": "是公式（{detail}）而不是数值；请“选择性粘贴→数值”后再导入",
        "en": "holds a formula ({detail}), not a value; paste it as values and import again",
    },
    "row.too-long": {
        "zh-CN": "内容过长（{detail} 个字符）",
        "en": "too long ({detail} characters)",
    },
    "row.bad-date": {"zh-CN": "“{detail}”不是日期", "en": "“{detail}” is not a date"},
    "row.bad-sex": {
        "zh-CN": "“{detail}”不是性别（男/女）",
        "en": "“{detail}” is not a sex (男/女)",
    },
    "row.duplicate": {
        "zh-CN": "与第 {detail} 行身份证号相同",
        "en": "the same ID number as row {detail}",
    },
    "id.length": {
        "zh-CN": "身份证号应为 18 位（此处 {detail} 位）",
        "en": "an ID number has 18 characters (this one {detail})",
    },
    "id.characters": {
        "zh-CN": "身份证号只能是数字，末位可为 X",
        "en": "an ID number is digits, the last may be X",
    },
    "id.birth-date": {
        "zh-CN": "身份证号中的出生日期 {detail} 不存在",
        "en": "the birth date {detail} in the ID number does not exist",
    },
    "id.checksum": {
        "zh-CN": "身份证号校验位不符（可能抄错了一位）",
        "en": "the ID number's check character is wrong (a digit may be mistyped)",
    },
    "id.birth-differs": {
        "zh-CN": "出生日期 {detail} 与身份证号不一致",
        "en": "the birth date {detail} differs from the ID number's",
    },
    "id.sex-differs": {
        "zh-CN": "性别“{detail}”与身份证号不一致",
        "en": "the sex “{detail}” differs from the ID number's",
    },
    # matching
    "match.id": {"zh-CN": "身份证号相同", "en": "same ID number"},
    "match.name-birth": {"zh-CN": "姓名和出生日期相同", "en": "same name and birth date"},
    "match.similar": {
        "zh-CN": "姓名、村、监护人相近（相似度 {score}）",
        "en": "similar name, village and guardian (similarity {score})",
    },
    "match.none": {
        "zh-CN": "名册中没有此人：可能是新发现的儿童",
        "en": "not in the register: possibly a child not yet known",
    },
    "differs.name": {"zh-CN": "姓名不同", "en": "different name"},
    "differs.village": {"zh-CN": "村不同", "en": "different village"},
    "differs.birth_date": {"zh-CN": "出生日期不同", "en": "different birth date"},
    "differs.id_number": {"zh-CN": "身份证号不同", "en": "different ID number"},
    "differs.category": {"zh-CN": "新类别：{detail}", "en": "new category: {detail}"},
    "differs.closed": {"zh-CN": "个案已结案", "en": "the case is closed"},
    "differs.ambiguous": {
        "zh-CN": "名册中有 {detail} 名儿童符合",
        "en": "{detail} registered children fit",
    },
    # verification tasks
    "task.closed": {"zh-CN": "该核查任务已关闭", "en": "this verification task is already closed"},
    "task.reason-required": {"zh-CN": "请填写原因", "en": "a reason is required"},
    "task.categories-required": {
        "zh-CN": "请至少选择一个儿童类别",
        "en": "choose at least one category",
    },
    "task.no-child": {
        "zh-CN": "该记录没有匹配到名册中的儿童",
        "en": "this record matches no registered child",
    },
    "task.has-child": {
        "zh-CN": "该记录已匹配到名册中的儿童，不能再新建",
        "en": "this record matches a registered child; no new child is made",
    },
}


def say(code: str, lang: str, **params: object) -> str:
    text = pick(MESSAGES.get(code, {"en": code}), lang)
    return text.format(**params) if params else text
