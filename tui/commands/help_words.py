"""The command line's help texts in zh-CN: each command's English help, word for word.

The commands declare their help in English (beside the argument); the parser is spoken in
the interface language by `spoken`. A help text missing here is found by the help test.
"""

from __future__ import annotations

import argparse

HELP_ZH: dict[str, str] = {
    # commands
    "check, list and preview form definitions": "检查、列出和预览表单定义",
    "move stored answers of a form to a newer version, re-scored":
        "把已保存的答案迁移到表单新版本并重新计分",
    "fill an empty replica with fictional children (every colour and category)":
        "在空的本机数据库中生成虚构儿童（各色级、各类别都有）",
    "what is overdue or due in the next days, by village": "按村列出已逾期和近几天到期的事项",
    "write a child's assessment report, or the roster, as a PDF": "把儿童评估报告或花名册写成 PDF",
    "write the ledger or a form's answers (XLSX/CSV)": "导出台账或某张表单的答案（XLSX/CSV）",
    "match a department's list against the register (双排查)": "把部门名单与在册儿童比对（双排查）",
    "read and write documents of the replica as JSON": "以 JSON 读写本机数据库中的文档",
    "push and pull with the office server": "与办公室服务器双向同步",
    "sync through encrypted files (no network)": "通过加密文件同步（无网络时）",
    "prepare the office CouchDB server (admin)": "准备办公室的 CouchDB 服务器（管理员）",
    # forms
    "check form definition files; exit 1 on any problem": "检查表单定义文件；有问题时退出码为 1",
    "list available forms and versions": "列出可用的表单及版本",
    "show a form as the worker will meet it": "按工作人员将看到的样子显示表单",
    "check, then publish forms and rules to the server (authors only)":
        "检查后把表单和规则发布到服务器（仅表单作者）",
    "turn an XLSForm spreadsheet into a form": "把 XLSForm 表格转换为表单",
    "files or folders (default: the built-in forms)": "文件或文件夹（默认：内置表单）",
    "another folder of forms (repeatable)": "另一个表单文件夹（可重复）",
    "files or folders": "文件或文件夹",
    "server URL": "服务器地址",
    "publish for this district only": "只发布给这个区县",
    "the .xlsx file": ".xlsx 文件",
    "folder to write to": "写入的文件夹",
    "form id, e.g. risk": "表单编号，例如 risk",
    "the form's version (default the newest)": "表单版本（默认最新版）",
    # migrate
    "the version to move to": "要迁移到的版本",
    "show what would change only": "只显示将会改变什么",
    "only this child's documents (its uuid)": "只处理这名儿童的文档（其 uuid）",
    "another folder of forms": "另一个表单文件夹",
    # demo, due
    "how many (default 60)": "数量（默认 60）",
    "look this many days ahead (default 14)": "向后看多少天（默认 14）",
    "print JSON": "输出 JSON",
    "as on this date (default today)": "按这一天计算（默认今天）",
    "only this district": "只含这个区县",
    "a case-work rules file (default: built-in)": "个案工作规则文件（默认：内置）",
    # report
    "a child's id (child:… or its uuid), or roster":
        "儿童编号（child:… 或其 uuid），或 roster（花名册）",
    "the PDF, or a folder (default: the reports folder)": "PDF 文件或文件夹（默认：报告文件夹）",
    "encrypt the PDF with a password (asked for, or $CAREFORMS_REPORT_PASSWORD)":
        "用密码加密 PDF（会询问密码，或取 $CAREFORMS_REPORT_PASSWORD）",
    "roster: only this district": "花名册：只含这个区县",
    "report on this assessment (default: the latest final one)":
        "报告这次评估（默认：最近一次定稿的）",
    "roster: due dates as on this day": "花名册：按这一天计算到期日",
    # export
    "the ledger (台账): one row per child, and counts": "台账：每名儿童一行，另附统计",
    "every finished assessment of a form, item by item": "某张表单的每次定稿评估，逐题列出",
    "only this village": "只含这个村",
    "FILE.xlsx (default) or FILE.csv": "文件.xlsx（默认）或 文件.csv",
    "ID numbers unmasked": "身份证号不打码",
    "ages and due dates as on this day": "按这一天计算年龄和到期日",
    "the form's id, e.g. risk": "表单编号，例如 risk",
    "answer codes instead of labels": "输出答案代码而不是文字",
    # discover
    "read a list (XLSX or CSV), match it, make tasks":
        "读入名单（XLSX 或 CSV），比对并生成核实任务",
    "every batch with its progress": "每一批名单及其进度",
    "the department's list, .xlsx or .csv": "部门名单，.xlsx 或 .csv",
    "the department, e.g. 教育局": "提供名单的部门，例如 教育局",
    "which column holds what, e.g. name=学生姓名,id_number=D (default: guessed)":
        "哪一列是什么，例如 name=学生姓名,id_number=D（默认：自动识别）",
    "the sheet to read (default the first)": "要读的工作表（默认第一个）",
    "what the list is about, e.g. disability (or 残疾); repeatable":
        "名单涉及的类别，例如 disability（或 残疾）；可重复",
    "district of the tasks (default: the replica's)": "任务所属区县（默认：本机数据库的区县）",
    "print the summary as JSON": "以 JSON 输出汇总",
    "import a list imported before": "再次导入已导入过的名单",
    # doc
    "print a document": "输出一个文档",
    "save documents from a JSON file (- for standard input)":
        "从 JSON 文件保存文档（- 表示标准输入）",
    "list documents (id and revision)": "列出文档（编号和修订版本）",
    "drop the bodies of old revisions and give the space back": "删除旧修订版本的内容并释放空间",
    "the document's id, e.g. child:…": "文档编号，例如 child:…",
    "a given revision instead of the winner": "指定的修订版本，而不是胜出版本",
    "include _conflicts and _deleted_conflicts": "包含 _conflicts 和 _deleted_conflicts",
    "a JSON object or a list of them": "一个 JSON 对象或对象列表",
    "only ids starting so, e.g. child:": "只列编号以此开头的，例如 child:",
    "whole documents": "完整文档",
    "only documents in conflict now (live versions)": "只列当前有冲突的文档（未删除的版本）",
    # sync
    "server URL (remembered)": "服务器地址（会记住）",
    "district (remembered)": "区县（会记住）",
    "user name (or COUCHDB_USER; remembered)": "用户名（或 COUCHDB_USER；会记住）",
    "changes per batch, both ways (default: 2000 pulled, 1000 pushed)":
        "每批变更数，拉取和推送都用（默认：拉取 2000，推送 1000）",
    "stop listing a rejected document (repeatable); no sync is run":
        "不再列出某个被拒绝的文档（可重复）；不进行同步",
    "stop listing every rejected document": "不再列出所有被拒绝的文档",
    "only show what would go out and come in (nothing is sent or written)":
        "只显示将发出和将收到的内容（不发送也不写入）",
    # bundle
    "write what the office has not acknowledged into a file": "把办公室尚未确认收到的内容写入文件",
    "at the office: read a laptop's bundle; on the laptop: apply the answer":
        "在办公室：读入笔记本电脑的同步文件；在笔记本电脑上：应用回执",
    "the file (default: bundles/ in --home)": "文件（默认：--home 中的 bundles/）",
    "this replica's district (remembered)": "本机数据库的区县（会记住）",
    "only show what the bundle would carry": "只显示同步文件将包含的内容",
    "at the office: the server to write the bundle into": "在办公室：写入同步文件内容的服务器",
    "at the office: refuse bundles of other districts": "在办公室：拒绝其他区县的同步文件",
    "at the office: the answer's file": "在办公室：回执文件",
    "the bundle or answer file to read": "要读入的同步文件或回执文件",
    # server
    "create databases, security, validation and indexes": "创建数据库、权限、校验函数和索引",
    "create or update a worker or supervisor": "创建或更新工作人员或督导员账号",
    "a district to prepare (repeatable)": "要准备的区县（可重复）",
    "the user's name on the server": "用户在服务器上的名字",
    "what the user may do": "用户的角色",
    "the user's district (an author may have none)": "用户所属区县（表单作者可以没有）",
}  # fmt: skip


def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parser and every command's parser under it."""
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += parsers(sub)
    return found


def spoken(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """The parser with its commands' help texts in `lang` (English as written otherwise); a
    command's own --help starts with what it does."""
    for each in parsers(parser):
        for action in each._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    said = _say(choice.help, lang)
                    choice.help = said
                    sub = action.choices[choice.dest]
                    sub.description = sub.description or said
            elif action.help and action.help != argparse.SUPPRESS:
                action.help = _say(action.help, lang)
    return parser


def _say(text: str | None, lang: str) -> str | None:
    if text is None or lang != "zh-CN":
        return text
    return HELP_ZH.get(text, text)
