"""Every word of the terminal app, in every interface language (zh-CN first)."""

from __future__ import annotations

from collections.abc import Callable

from engine.forms.i18n import LANGUAGES, pick

Said = Callable[[str], str]  # a message, in the language it is asked for

WORDS: dict[str, dict[str, str]] = {
    "app.title": {"zh-CN": "careforms 儿童入户评估", "en": "careforms home assessments"},
    "unlock.title": {"zh-CN": "打开本机数据库", "en": "Open the local replica"},
    "unlock.new": {
        "zh-CN": "首次使用：请设置口令（至少 8 个字符）",
        "en": "First use: choose a passphrase (8 characters or more)",
    },
    "unlock.ask": {"zh-CN": "请输入口令", "en": "Passphrase"},
    "unlock.again": {"zh-CN": "请再输入一次", "en": "Type it again"},
    "unlock.differ": {"zh-CN": "两次输入的口令不一致", "en": "The two passphrases differ"},
    "unlock.short": {"zh-CN": "口令至少需要 8 个字符", "en": "At least 8 characters"},
    "unlock.wrong": {"zh-CN": "口令不正确", "en": "Wrong passphrase"},
    "unlock.opening": {"zh-CN": "正在打开……", "en": "Opening…"},
    "list.title": {"zh-CN": "儿童名单", "en": "Children"},
    "list.search": {"zh-CN": "搜索：姓名、拼音、村", "en": "Search: name, pinyin, village"},
    "list.count": {"zh-CN": "显示 {shown} / 共 {total} 名", "en": "{shown} of {total} children"},
    "list.all_bands": {"zh-CN": "全部色级", "en": "All bands"},
    "list.all_categories": {"zh-CN": "全部类别", "en": "All categories"},
    "list.overdue_only": {"zh-CN": "仅逾期", "en": "Overdue only"},
    "list.empty": {
        "zh-CN": "还没有儿童：ctrl+n 新建，或 ctrl+d 生成示例数据（虚构）",
        "en": "No children yet: ctrl+n to add one, or ctrl+d for fictional demo data",
    },
    "key.demo": {"zh-CN": "示例数据", "en": "Demo data"},
    "col.band": {"zh-CN": "色级", "en": "Band"},
    "col.name": {"zh-CN": "姓名", "en": "Name"},
    "col.category": {"zh-CN": "类别", "en": "Category"},
    "col.village": {"zh-CN": "村", "en": "Village"},
    "col.due": {"zh-CN": "下次到期", "en": "Next due"},
    "col.warn": {"zh-CN": "预警", "en": "Warn"},
    "col.date": {"zh-CN": "日期", "en": "Date"},
    "col.form": {"zh-CN": "表单", "en": "Form"},
    "key.migrate": {"zh-CN": "迁移到新版", "en": "Migrate"},
    "key.versions": {"zh-CN": "表单版本", "en": "Form versions"},
    "col.status": {"zh-CN": "状态", "en": "Status"},
    "col.total": {"zh-CN": "总分", "en": "Total"},
    "col.review": {"zh-CN": "审核", "en": "Review"},
    "history.child": {"zh-CN": "基本情况", "en": "profile"},
    "history.assessment": {"zh-CN": "评估", "en": "assessment"},
    "history.visit": {"zh-CN": "走访", "en": "visit"},
    "history.plan": {"zh-CN": "服务方案", "en": "plan"},
    "history.created": {"zh-CN": "新建", "en": "created"},
    "history.changed": {"zh-CN": "修改了 {fields}", "en": "changed {fields}"},
    "review.state.not_submitted": {"zh-CN": "未提交", "en": "not submitted"},
    "review.state.submitted": {"zh-CN": "待审核", "en": "submitted"},
    "review.state.approved": {"zh-CN": "已通过", "en": "approved"},
    "review.state.returned": {"zh-CN": "已退回", "en": "returned"},
    "key.progress": {"zh-CN": "进展记录", "en": "Progress note"},
    "file.no_plan": {"zh-CN": "还没有服务方案", "en": "No service plan yet"},
    "file.progress_note": {"zh-CN": "本次服务进展", "en": "What was done"},
    "file.plan_hint": {"zh-CN": "按 p 添加进展记录", "en": "Press p to add a progress note"},
    "no_band": {"zh-CN": "未评", "en": "none"},
    "overdue": {"zh-CN": "逾期{n}天", "en": "{n}d late"},
    "key.quit": {"zh-CN": "退出", "en": "Quit"},
    "key.lang": {"zh-CN": "English", "en": "中文"},
    "key.open": {"zh-CN": "打开", "en": "Open"},
    "key.new_child": {"zh-CN": "新建儿童", "en": "New child"},
    "key.search": {"zh-CN": "搜索", "en": "Search"},
    "key.sort": {"zh-CN": "排序", "en": "Sort"},
    "key.back": {"zh-CN": "返回", "en": "Back"},
    "key.help": {"zh-CN": "说明", "en": "Help"},
    "key.finalise": {"zh-CN": "完成", "en": "Finalise"},
    "key.next_section": {"zh-CN": "下一部分", "en": "Next section"},
    "key.prev_section": {"zh-CN": "上一部分", "en": "Previous section"},
    "key.new_assessment": {"zh-CN": "新评估", "en": "New assessment"},
    "key.report": {"zh-CN": "报告", "en": "Report"},
    "key.override": {"zh-CN": "酌情调整", "en": "Override"},
    "key.due": {"zh-CN": "到期", "en": "Due"},
    "key.sync": {"zh-CN": "同步", "en": "Sync"},
    "key.conflicts": {"zh-CN": "冲突", "en": "Conflicts"},
    "sort.band": {"zh-CN": "按色级", "en": "by band"},
    "sort.name": {"zh-CN": "按姓名", "en": "by name"},
    "sort.due": {"zh-CN": "按到期日", "en": "by due date"},
    "sort.village": {"zh-CN": "按村", "en": "by village"},
    "file.profile": {"zh-CN": "基本情况", "en": "Profile"},
    "file.family": {"zh-CN": "家庭结构", "en": "Family"},
    "file.assessments": {"zh-CN": "评估", "en": "Assessments"},
    "file.visits": {"zh-CN": "走访", "en": "Visits"},
    "file.plans": {"zh-CN": "服务方案", "en": "Plans"},
    "file.history": {"zh-CN": "修改记录", "en": "Changes"},
    "file.warnings": {"zh-CN": "预警", "en": "Warnings"},
    "file.state": {"zh-CN": "个案状态", "en": "Case state"},
    "file.no_family": {"zh-CN": "尚未记录家庭结构", "en": "No family structure yet"},
    "file.draft": {"zh-CN": "草稿", "en": "draft"},
    "file.final": {"zh-CN": "已完成", "en": "final"},
    "file.choose_form": {"zh-CN": "选择表单", "en": "Choose a form"},
    "file.continue_draft": {
        "zh-CN": "有未完成的草稿（{date}），是否继续？",
        "en": "There is an unfinished draft ({date}). Continue it?",
    },
    "file.continue": {"zh-CN": "继续草稿", "en": "Continue the draft"},
    "file.start_new": {"zh-CN": "重新开始", "en": "Start a new one"},
    "form.progress": {
        "zh-CN": "已答 {answered} / 必答 {required}",
        "en": "{answered} answered / {required} required",
    },
    "form.saved": {"zh-CN": "已自动保存 {time}", "en": "Saved {time}"},
    "form.missing": {"zh-CN": "还有 {n} 项必答未填", "en": "{n} required answers missing"},
    "form.wrong": {"zh-CN": "{n} 项格式或取值不对", "en": "{n} answers in a wrong format"},
    "form.first_problem": {"zh-CN": "已跳到第一项：{what}", "en": "Moved to the first: {what}"},
    "form.no_help": {"zh-CN": "“{label}”没有说明", "en": "“{label}” has no help text"},
    "form.help_where": {
        "zh-CN": "先把光标移到一个题目上，再按 F2 查看说明",
        "en": "Move to a question first, then F2 shows its help",
    },
    "form.date_format": {"zh-CN": "年-月-日，如 2026-01-31", "en": "YYYY-MM-DD"},
    "key.family": {"zh-CN": "家庭", "en": "Family"},
    "bad_forms.summary": {
        "zh-CN": "{files} 个表单定义文件有 {n} 处问题，已跳过；"
        "ctrl+p →“表单定义问题”查看全部。第一处：{first}",
        "en": "{n} problems in {files} form definition files, skipped; ctrl+p → "
        "“Form definition problems” lists them all. The first: {first}",
    },
    "problems.title": {"zh-CN": "表单定义问题", "en": "Form definition problems"},
    "worker.title": {"zh-CN": "使用人信息", "en": "Who is working"},
    "worker.help": {
        "zh-CN": "您的姓名、身份和区域会记录在您填写、审核和调整的每一份记录上。",
        "en": "Your name, role and district are recorded on every record you fill, review "
        "or override.",
    },
    "worker.name": {"zh-CN": "姓名", "en": "Name"},
    "worker.name_required": {"zh-CN": "请填写姓名", "en": "Please give your name"},
    "worker.role": {"zh-CN": "身份", "en": "Role"},
    "worker.role.director": {"zh-CN": "儿童主任", "en": "Village child director"},
    "worker.role.social_worker": {"zh-CN": "未保社工", "en": "Child-protection social worker"},
    "worker.role.supervisor": {"zh-CN": "督导员", "en": "Supervisor"},
    "worker.role.expert": {"zh-CN": "专家", "en": "Expert"},
    "worker.district": {"zh-CN": "区域", "en": "District"},
    "form.unsupported": {"zh-CN": "不支持的字段 {pointer}", "en": "Unsupported field {pointer}"},
    "form.add": {"zh-CN": "添加", "en": "Add"},
    "form.remove": {"zh-CN": "删除", "en": "Remove"},
    "form.up": {"zh-CN": "上移", "en": "Up"},
    "form.down": {"zh-CN": "下移", "en": "Down"},
    "form.entry": {"zh-CN": "第 {n} 项", "en": "Entry {n}"},
    "form.yes": {"zh-CN": "是", "en": "yes"},
    "form.no": {"zh-CN": "否", "en": "no"},
    "form.invalid_number": {"zh-CN": "请输入数字", "en": "Enter a number"},
    "form.invalid_date": {"zh-CN": "日期格式为 2026-01-31", "en": "Write dates as 2026-01-31"},
    "result.title": {"zh-CN": "评估结果", "en": "Result"},
    "result.total": {"zh-CN": "总分 {total}（{low}–{high}）", "en": "Total {total} ({low}–{high})"},
    "result.flags": {"zh-CN": "红旗项", "en": "Red flags"},
    "result.reasons": {"zh-CN": "判定依据", "en": "Why"},
    "result.needs": {"zh-CN": "需求分类与建议服务", "en": "Need categories and services"},
    "result.domains": {"zh-CN": "各领域得分", "en": "Domain scores"},
    "override.title": {"zh-CN": "酌情调整色级", "en": "Override the band"},
    "override.band": {"zh-CN": "调整为", "en": "Move to"},
    "override.reason": {"zh-CN": "理由（必填）", "en": "Reason (required)"},
    "override.save": {"zh-CN": "保存调整", "en": "Save the override"},
    "override.none": {
        "zh-CN": "按本表单的规则，此结果不能调整色级",
        "en": "The form's rules allow no override of this result",
    },
    "result.strengths": {"zh-CN": "优势", "en": "Strengths"},
    "review.approve_unsubmitted": {
        "zh-CN": "只能审核已提交的评估：请先按 s 提交审核",
        "en": "Only a submitted assessment can be approved: press s to submit it first",
    },
    "review.confirm_submit": {
        "zh-CN": "提交审核后，评估将交给督导审核。确定提交？",
        "en": "Submit this assessment to the supervisor for review?",
    },
    "cancel": {"zh-CN": "取消", "en": "Cancel"},
    "bad_forms": {
        "zh-CN": "有表单定义存在问题，已跳过：",
        "en": "Some form definitions have problems and were skipped:",
    },
    "none": {"zh-CN": "无", "en": "none"},
    "due.title": {
        "zh-CN": "到期事项：已逾期及未来 {days} 天内",
        "en": "Due: overdue and in the next {days} days",
    },
    "due.count": {"zh-CN": "共 {n} 项", "en": "{n} items"},
    "due.loading": {"zh-CN": "正在读取……", "en": "Reading…"},
    "list.indexing": {
        "zh-CN": "正在计算色级和到期日：{done} / {total}",
        "en": "working out bands and due dates: {done} / {total}",
    },
    "list.drafts": {
        "zh-CN": "有 {n} 份未完成的草稿（{children} 名儿童：{names}），在儿童档案中按 n 继续",
        "en": "{n} unfinished drafts ({children} children: {names}); press n in the child's "
        "file to continue",
    },
    "key.clear": {"zh-CN": "清空搜索", "en": "Clear search"},
    "due.col.village": {"zh-CN": "村", "en": "Village"},
    "due.col.due": {"zh-CN": "到期日", "en": "Due"},
    "due.col.late": {"zh-CN": "逾期", "en": "Late"},
    "due.col.name": {"zh-CN": "姓名", "en": "Name"},
    "due.col.band": {"zh-CN": "色级", "en": "Band"},
    "due.col.why": {"zh-CN": "依据", "en": "Rule"},
    "review.title": {"zh-CN": "审核链", "en": "Review chain"},
    "review.none": {"zh-CN": "尚未提交审核", "en": "Not submitted for review"},
    "review.comment": {"zh-CN": "意见", "en": "Comment"},
    "review.save": {"zh-CN": "确定", "en": "Save"},
    "key.submit": {"zh-CN": "提交审核", "en": "Submit"},
    "key.approve": {"zh-CN": "审核通过", "en": "Approve"},
    "key.return": {"zh-CN": "退回", "en": "Return"},
    "key.advise": {"zh-CN": "专家意见", "en": "Advise"},
    "key.lifecycle": {"zh-CN": "个案状态", "en": "Case state"},
    "lifecycle.to": {"zh-CN": "转为", "en": "Move to"},
    "lifecycle.note": {
        "zh-CN": "说明（结案必须填写理由）",
        "en": "Note (a reason is required to close)",
    },
    "review.not-final": {
        "zh-CN": "只有已完成的评估才能提交审核",
        "en": "Only a final assessment can be reviewed",
    },
    "review.out-of-order": {
        "zh-CN": "当前审核状态下不能进行此操作",
        "en": "Not possible at this point of the review",
    },
    "review.role-required": {
        "zh-CN": "需要督导（或专家）权限",
        "en": "This needs the supervisor (or expert) role",
    },
    "review.comment-required": {"zh-CN": "请填写意见", "en": "A comment is required"},
    "review.unknown-step": {"zh-CN": "未知的审核步骤", "en": "Unknown review step"},
    "lifecycle.not-allowed": {"zh-CN": "不能转为该状态", "en": "The case cannot move there"},
    "lifecycle.reason-required": {"zh-CN": "结案必须填写理由", "en": "Closing needs a reason"},
    "sync.title": {"zh-CN": "与办公室服务器同步", "en": "Sync with the office server"},
    "sync.server": {"zh-CN": "服务器地址", "en": "Server"},
    "sync.district": {"zh-CN": "区域", "en": "District"},
    "sync.user": {"zh-CN": "用户名", "en": "User"},
    "sync.password": {"zh-CN": "密码（不保存到文件）", "en": "Password (never written to a file)"},
    "sync.pull": {"zh-CN": "下载", "en": "pull"},
    "sync.push": {"zh-CN": "上传", "en": "push"},
    "sync.phase.checking": {"zh-CN": "{direction}：检查中……", "en": "{direction}: checking…"},
    "sync.phase.transferring": {"zh-CN": "{direction}：传输中", "en": "{direction}: transferring"},
    "sync.phase.done": {"zh-CN": "{direction}：完成", "en": "{direction}: done"},
    "sync.summary": {
        "zh-CN": "下载 {pulled}，上传 {pushed}，冲突 {conflicts}，被拒绝 {rejected}",
        "en": "pulled {pulled}, pushed {pushed}, conflicts {conflicts}, rejected {rejected}",
    },
    "sync.rejected": {"zh-CN": "  被拒绝：{id}（{reason}）", "en": "  rejected: {id} ({reason})"},
    "sync.conflict": {"zh-CN": "  冲突：{id}", "en": "  conflict: {id}"},
    "sync.failed": {"zh-CN": "同步未完成：{error}", "en": "Sync did not finish: {error}"},
    "sync.missing": {
        "zh-CN": "请填写服务器地址、区域和用户名",
        "en": "Give the server, the district and the user name",
    },
    "sync.error.district": {
        "zh-CN": "区域名称只能用小写英文字母、数字、- 和 _（例如 kunshan）",
        "en": "A district name is lower-case letters, digits, - and _ (e.g. kunshan)",
    },
    "sync.error.unreachable": {
        "zh-CN": "连接不上服务器 {server}：请检查网络和服务器地址。本机数据没有改动。",
        "en": "Cannot reach the server {server}: check the network and the address. "
        "Nothing here was changed.",
    },
    "sync.error.not_allowed": {
        "zh-CN": "服务器拒绝了登录或访问：请检查用户名、密码，以及该用户是否属于这个区域。",
        "en": "The server refused the login or the access: check the user name, the password, "
        "and that the user belongs to this district.",
    },
    "sync.error.missing": {
        "zh-CN": "服务器上没有这个区域的数据库（{database}）："
        "请管理员先运行 careforms server init。",
        "en": "The server has no database for this district ({database}): an administrator "
        "must run careforms server init first.",
    },
    "sync.error.server": {
        "zh-CN": "服务器出错（{status}）：{reason}",
        "en": "The server answered with an error ({status}): {reason}",
    },
    "sync.error.other": {"zh-CN": "同步出错：{detail}", "en": "The sync failed: {detail}"},
    "sync.kept_title": {
        "zh-CN": "服务器拒绝的文档（修改后会重新上传；Delete 键不再提示）",
        "en": "Refused by the server (sent again once changed; Delete stops listing one)",
    },
    "sync.kept": {
        "zh-CN": "{id}：{reason}（{at}）",
        "en": "{id}: {reason} ({at})",
    },
    "key.dismiss": {"zh-CN": "不再提示", "en": "Dismiss"},
    "sync.last": {"zh-CN": "上次成功同步：{when}", "en": "Last successful sync: {when}"},
    "sync.never": {"zh-CN": "尚未同步过", "en": "Never synced"},
    "sync.preview": {"zh-CN": "预览", "en": "preview"},
    "sync.previewing": {"zh-CN": "正在统计将发送和接收的内容……", "en": "Counting what would move…"},
    "key.bundles": {"zh-CN": "文件同步", "en": "sync by file"},
    "bundle.title": {"zh-CN": "无网络时用文件同步", "en": "Sync by file, with no network"},
    "bundle.help": {
        "zh-CN": "1. 写入同步包（可存到 U 盘）并带到办公室；2. 办公室导入后生成回执包；"
        "3. 把回执包带回本机导入。口令不会保存；文件加密，无法直接读取。",
        "en": "1. Write a bundle (onto a USB stick) and take it to the office; 2. the office "
        "reads it and writes an answer; 3. bring the answer back and read it here. The "
        "passphrase is never saved; the files are encrypted.",
    },
    "bundle.folder": {
        "zh-CN": "同步包存放的文件夹（如 U 盘）",
        "en": "Folder for the bundle (e.g. a USB stick)",
    },
    "bundle.passphrase": {"zh-CN": "同步包口令（不保存）", "en": "Bundle passphrase (never saved)"},
    "bundle.answer": {"zh-CN": "要导入的回执包文件", "en": "The office's answer to read"},
    "bundle.preview": {"zh-CN": "预览", "en": "preview"},
    "bundle.write": {"zh-CN": "写入同步包", "en": "write bundle"},
    "bundle.read": {"zh-CN": "导入回执", "en": "read answer"},
    "bundle.no_district": {
        "zh-CN": "请填写本机所属区域（小写字母、数字、- 或 _）。",
        "en": "Give this laptop's district (lower-case letters, digits, - and _).",
    },
    "bundle.short": {
        "zh-CN": "请输入同步包口令（写入时至少 8 个字符）。",
        "en": "Type the bundle passphrase (8 characters or more for a new bundle).",
    },
    "bundle.no_answer": {
        "zh-CN": "请填写回执包文件的位置。",
        "en": "Give the answer file's place.",
    },
    "bundle.writing": {"zh-CN": "正在写入同步包……", "en": "Writing the bundle…"},
    "bundle.reading": {"zh-CN": "正在检查并导入回执……", "en": "Checking and reading the answer…"},
    "bundle.cannot_write": {
        "zh-CN": "无法写入 {path}：{detail}。本机数据未受影响。",
        "en": "Cannot write into {path}: {detail}. Nothing here changed.",
    },
    "bundle.written": {
        "zh-CN": "已写入 {path}（{n} 份文档）。请带到办公室导入。",
        "en": "Wrote {path} ({n} documents). Take it to the office.",
    },
    "bundle.applied": {
        "zh-CN": "已导入回执：{n} 份文档（本机新增或更新 {written}），"
        "拒收 {rejected}，新表单 {forms}。",
        "en": "Read the answer: {n} documents ({written} new or changed here), {rejected} "
        "rejected, {forms} new forms.",
    },
    "conflicts.title": {"zh-CN": "冲突处理", "en": "Conflicts"},
    "conflicts.none": {"zh-CN": "没有冲突", "en": "No conflicts"},
    "conflicts.head": {
        "zh-CN": "{id}：共 {n} 个版本（设备：{devices}）。请逐项选择保留的内容。",
        "en": "{id}: {n} versions (devices: {devices}). Choose what to keep, field by field.",
    },
    "conflicts.version": {"zh-CN": "版本{n}（{device}）", "en": "Version {n} ({device})"},
    "conflicts.edit": {"zh-CN": "手动填写", "en": "Type a value"},
    "conflicts.absent": {"zh-CN": "（无）", "en": "(none)"},
    "conflicts.save": {"zh-CN": "保存合并", "en": "Save the merge"},
    "conflicts.choose": {"zh-CN": "还有 {n} 项未选择", "en": "{n} fields still need a choice"},
    "conflicts.saved": {"zh-CN": "已保存合并结果", "en": "Merge saved"},
    "conflicts.kind.child": {"zh-CN": "基本情况", "en": "profile"},
    "conflicts.kind.assessment": {"zh-CN": "评估", "en": "assessment"},
    "conflicts.kind.visit": {"zh-CN": "走访", "en": "visit"},
    "conflicts.kind.plan": {"zh-CN": "服务方案", "en": "plan"},
    "cli.description": {
        "zh-CN": "儿童入户评估（离线）：不带命令时打开终端应用。",
        "en": "Home assessments of children at risk, offline: without a command, the app opens.",
    },
    "cli.lang": {
        "zh-CN": "界面语言（默认 zh-CN，或 $CAREFORMS_LANG）",
        "en": "interface language (default zh-CN, or $CAREFORMS_LANG)",
    },
    "cli.home": {
        "zh-CN": "本机数据库所在文件夹（默认 $CAREFORMS_HOME 或 ~/.careforms）",
        "en": "folder of the local replica (default $CAREFORMS_HOME or ~/.careforms)",
    },
    "cli.forms": {
        "zh-CN": "应用另外读取的表单定义文件夹（可重复），如本区的表单",
        "en": "the app: another folder of form definitions (repeatable), e.g. a district's",
    },
    "cli.commands": {"zh-CN": "命令", "en": "commands"},
    "report.written": {"zh-CN": "报告已生成：{path}", "en": "Report written: {path}"},
    "report.failed": {
        "zh-CN": "报告未能生成：{reason}",
        "en": "The report was not written: {reason}",
    },
    "key.report_encrypted": {"zh-CN": "加密", "en": "Encrypted"},
    "report.encrypted_title": {
        "zh-CN": "加密报告：打开 PDF 需要输入此密码（密码不会保存）",
        "en": "Encrypted report: the PDF opens only with this password (it is not kept)",
    },
    "password.first": {"zh-CN": "密码", "en": "Password"},
    "password.again": {"zh-CN": "再输入一次", "en": "Type it again"},
    "password.ok": {"zh-CN": "生成加密报告", "en": "Write the report"},
    "password.short": {"zh-CN": "密码至少 {n} 个字符", "en": "At least {n} characters"},
    "password.differ": {"zh-CN": "两次输入的密码不同", "en": "The two passwords differ"},
}

# Discovery (双排查): verification tasks and screening batches (issue 14).
WORDS.update(
    {
        "key.tasks": {"zh-CN": "核查任务", "en": "Tasks"},
        "key.batches": {"zh-CN": "排查进度", "en": "Batches"},
        "key.confirm": {"zh-CN": "核实属实", "en": "Confirmed"},
        "key.not_confirmed": {"zh-CN": "核实不属实", "en": "Not confirmed"},
        "key.open_child": {"zh-CN": "打开儿童档案", "en": "Open the child"},
        "key.all_tasks": {"zh-CN": "全部/待核查", "en": "All / open"},
        "tasks.title": {"zh-CN": "入户核查任务（双排查）", "en": "Verification tasks (双排查)"},
        "tasks.count": {
            "zh-CN": "待核查 {open} 个，共 {total} 个",
            "en": "{open} open of {total}",
        },
        "tasks.none": {"zh-CN": "没有核查任务", "en": "No verification tasks"},
        "tasks.col.status": {"zh-CN": "状态", "en": "Status"},
        "tasks.col.village": {"zh-CN": "村", "en": "Village"},
        "tasks.col.name": {"zh-CN": "姓名", "en": "Name"},
        "tasks.col.source": {"zh-CN": "来源部门", "en": "Department"},
        "tasks.col.reason": {"zh-CN": "比对结果", "en": "Match"},
        "task.status.open": {"zh-CN": "待核查", "en": "open"},
        "task.status.confirmed": {"zh-CN": "属实", "en": "confirmed"},
        "task.status.not_confirmed": {"zh-CN": "不属实", "en": "not confirmed"},
        "task.title": {"zh-CN": "入户核查：{name}", "en": "Verification: {name}"},
        "task.department": {
            "zh-CN": "部门信息（{source}，{file} 第 {row} 行）",
            "en": "From the department ({source}, {file} row {row})",
        },
        "task.match": {"zh-CN": "比对结果", "en": "Match"},
        "task.child": {"zh-CN": "名册中的儿童", "en": "Registered child"},
        "task.suggested": {"zh-CN": "名单所指类别", "en": "Categories the list suggests"},
        "task.outcome": {"zh-CN": "核查结果", "en": "Outcome"},
        "task.outcome.new_child": {
            "zh-CN": "属实：新发现儿童，已建档（接案）",
            "en": "confirmed: a new child, taken into intake",
        },
        "task.outcome.categories": {
            "zh-CN": "属实：儿童类别已更新",
            "en": "confirmed: the child's categories were updated",
        },
        "task.outcome.exit": {
            "zh-CN": "属实：儿童退出（已结案）",
            "en": "confirmed: the child exits (case closed)",
        },
        "task.outcome.none": {"zh-CN": "不属实", "en": "not confirmed"},
        "task.new_child_title": {
            "zh-CN": "核实属实：为新发现的儿童建档",
            "en": "Confirmed: take the child into intake",
        },
        "task.change_title": {
            "zh-CN": "核实属实：名册中儿童的情况变化",
            "en": "Confirmed: the registered child's situation changed",
        },
        "task.kind": {"zh-CN": "变化", "en": "What changed"},
        "task.kind.categories": {"zh-CN": "更新儿童类别", "en": "update the categories"},
        "task.kind.exit": {"zh-CN": "退出（结案）", "en": "exit (close the case)"},
        "task.categories": {"zh-CN": "儿童类别（空格选择）", "en": "Categories (space to choose)"},
        "task.note": {
            "zh-CN": "说明（退出时必须填写原因）",
            "en": "Note (a reason is required for an exit)",
        },
        "task.not_confirmed_title": {
            "zh-CN": "核实不属实",
            "en": "Not confirmed",
        },
        "task.reason": {"zh-CN": "原因（必填）", "en": "Reason (required)"},
        "task.saved": {"zh-CN": "已保存核查结果", "en": "Outcome saved"},
        "task.save_failed": {"zh-CN": "未能保存：{error}", "en": "Not saved: {error}"},
        "task.field.name": {"zh-CN": "姓名", "en": "Name"},
        "task.field.id_number": {"zh-CN": "身份证号", "en": "ID number"},
        "task.field.sex": {"zh-CN": "性别", "en": "Sex"},
        "task.field.birth_date": {"zh-CN": "出生日期", "en": "Birth date"},
        "task.field.address": {"zh-CN": "户籍地址", "en": "Address"},
        "task.field.township": {"zh-CN": "乡镇", "en": "Township"},
        "task.field.village": {"zh-CN": "村", "en": "Village"},
        "task.field.guardian": {"zh-CN": "监护人", "en": "Guardian"},
        "task.field.phone": {"zh-CN": "联系电话", "en": "Phone"},
        "task.field.category": {"zh-CN": "类别", "en": "Category"},
        "task.field.school": {"zh-CN": "学校", "en": "School"},
        "task.field.note": {"zh-CN": "备注", "en": "Note"},
        "batches.title": {"zh-CN": "双排查进度", "en": "Screening batches"},
        "batches.none": {"zh-CN": "还没有导入过部门名单", "en": "No department list imported yet"},
        "batches.col.source": {"zh-CN": "来源", "en": "Source"},
        "batches.col.file": {"zh-CN": "文件", "en": "File"},
        "batches.col.imported": {"zh-CN": "导入日期", "en": "Imported"},
        "batches.col.records": {"zh-CN": "比对记录", "en": "Records"},
        "batches.col.bad_rows": {"zh-CN": "问题行", "en": "Bad rows"},
        "batches.col.candidates": {"zh-CN": "核查对象", "en": "Candidates"},
        "batches.col.verified": {"zh-CN": "已核查", "en": "Verified"},
        "batches.col.confirmed": {"zh-CN": "属实", "en": "Confirmed"},
        "batches.col.new_children": {"zh-CN": "新发现", "en": "New children"},
        "batches.col.category_changes": {"zh-CN": "类别变更", "en": "Category changes"},
        "batches.col.exits": {"zh-CN": "退出", "en": "Exits"},
        "batches.col.open": {"zh-CN": "待核查", "en": "Open"},
    }
)


# argparse's own texts (its gettext ids), for `careforms --help` in the interface language
ARGPARSE_WORDS: dict[str, dict[str, str]] = {
    "usage: ": {"zh-CN": "用法："},
    "options": {"zh-CN": "选项"},
    "positional arguments": {"zh-CN": "位置参数"},
    "show this help message and exit": {"zh-CN": "显示帮助并退出"},
    "%(prog)s: error: %(message)s\n": {"zh-CN": "%(prog)s：错误：%(message)s\n"},
    "the following arguments are required: %s": {"zh-CN": "缺少必需的参数：%s"},
    "unrecognized arguments: %s": {"zh-CN": "无法识别的参数：%s"},
    "invalid choice: %(value)r (choose from %(choices)s)": {
        "zh-CN": "无效的选择：%(value)r（可选：%(choices)s）"
    },
    "expected one argument": {"zh-CN": "需要一个参数值"},
}


def t(key: str, lang: str, **params: object) -> str:
    text = pick(WORDS[key], lang)
    return text.format(**params) if params else text


def in_each_language(say: Said) -> Said:
    """`say`, said now in every language: shown again in the language switched to (F9)
    without keeping what it was made from (an exception's frames may hold a password)."""
    said = {lang: say(lang) for lang in LANGUAGES}
    return said.__getitem__
