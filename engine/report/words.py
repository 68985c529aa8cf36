"""The words printed on reports, in every interface language.

The Chinese is the working language of child directors and supervisors (DOMAIN.md): a red
flag is a 高危指标 that decides the colour by itself (一票否决), an unknown answer is an item
that could not be assessed (无法评估), the household is 共同生活的家庭成员. English text uses
English punctuation only.
"""

from __future__ import annotations

from engine.forms.i18n import pick

WORDS: dict[str, dict[str, str]] = {
    "report.title": {
        "zh-CN": "儿童入户评估报告（四色分类）",
        "en": "Home assessment report (four colours)",
    },
    "roster.title": {"zh-CN": "儿童四色分类花名册", "en": "Roster of children by band"},
    "child": {"zh-CN": "儿童姓名", "en": "Child"},
    "child.self": {"zh-CN": "本儿童", "en": "the child"},
    "sex": {"zh-CN": "性别", "en": "Sex"},
    "age": {"zh-CN": "年龄", "en": "Age"},
    "age.value": {"zh-CN": "{n} 周岁", "en": "{n}"},
    "categories": {"zh-CN": "儿童类别", "en": "Categories"},
    "village": {"zh-CN": "乡镇、村（社区）", "en": "Township, village"},
    "assessed_on": {"zh-CN": "评估日期", "en": "Assessed on"},
    "assessor": {"zh-CN": "评估人", "en": "Assessor"},
    "form": {"zh-CN": "所用评估表", "en": "Form"},
    "generated": {"zh-CN": "报告生成时间", "en": "Report generated"},
    "sync": {"zh-CN": "数据同步状态", "en": "Sync state"},
    "sync.synced": {"zh-CN": "已同步", "en": "synced"},
    "sync.local": {"zh-CN": "本机有修改尚未同步", "en": "local changes not yet synced"},
    "sync.conflicted": {"zh-CN": "存在冲突，待处理", "en": "conflicted, to be resolved"},
    "sync.unknown": {"zh-CN": "未知", "en": "unknown"},
    "band.level": {"zh-CN": "风险等级 {n}/{of}", "en": "level {n} of {of}"},
    "no_assessment": {"zh-CN": "尚无已定稿的评估。", "en": "No final assessment yet."},
    "why": {"zh-CN": "定级依据", "en": "Why this band"},
    "total": {"zh-CN": "总分", "en": "Total"},
    "domain": {"zh-CN": "评估领域", "en": "Domain"},
    "score": {"zh-CN": "得分", "en": "Score"},
    "range": {"zh-CN": "分值范围", "en": "Range"},
    "items": {"zh-CN": "各领域计分项目", "en": "The answers that scored, by domain"},
    "item": {"zh-CN": "评估项目", "en": "Item"},
    "answer": {"zh-CN": "所选回答", "en": "Answer given"},
    "points": {"zh-CN": "分值", "en": "Points"},
    "unknown.answer": {"zh-CN": "未知，无法评估（按 0 分计）", "en": "unknown (scores 0)"},
    "other_items": {"zh-CN": "其他", "en": "Other"},
    "no_items": {"zh-CN": "没有计分的回答。", "en": "No answer scored."},
    "red_flags": {"zh-CN": "高危指标（一票否决项）", "en": "Red flags (decide the band alone)"},
    "red_flag": {"zh-CN": "触发的高危指标", "en": "Red flag"},
    "raised_by": {"zh-CN": "触发依据（所选回答）", "en": "Raised by the answer"},
    "red_flags.none": {"zh-CN": "高危指标：未触发。", "en": "Red flags: none fired."},
    "override": {"zh-CN": "人工研判调整", "en": "Discretionary override"},
    "override.text": {
        "zh-CN": "由 {by} 从“{from_band}”调整为“{to_band}”。理由：{reason}",
        "en": "{by} moved the band from “{from_band}” to “{to_band}”. Reason: {reason}",
    },
    "unknown": {"zh-CN": "无法评估的项目", "en": "Items that could not be assessed"},
    "unknown.count": {
        "zh-CN": "共 {n} 项，回答为“未知”，按 0 分计，已在上表中列出。",
        "en": "{n}, answered as unknown; they score 0 and are listed above.",
    },
    "reasons": {"zh-CN": "定级说明", "en": "How the band was decided"},
    "result_unreadable": {
        "zh-CN": "该评估保存的结果无法读取，以下仅列出原始记录。",
        "en": "The stored result of this assessment cannot be read; the record is shown as stored.",
    },
    "migrated_from": {"zh-CN": "由第 {versions} 版迁移", "en": "migrated from v{versions}"},
    "answered_on": {
        "zh-CN": "{on}　{form} 第 {version} 版{migrated}：{band}（{total} 分）",
        "en": "{on}  {form} v{version}{migrated}: {band} ({total})",
    },
    "older_form": {
        "zh-CN": "此评估使用 {form} 第 {version} 版填写（当前为第 {current} 版），"
        "结果按当时版本显示。",
        "en": "Filled with {form} version {version} (now version {current}); "
        "the result is shown as computed then.",
    },
    "needs": {"zh-CN": "需求分类与建议服务", "en": "Need categories and suggested services"},
    "need": {"zh-CN": "需求分类", "en": "Need"},
    "need.level": {"zh-CN": "需求程度", "en": "Level"},
    "need.items": {"zh-CN": "依据项目", "en": "Rated items"},
    "services": {"zh-CN": "建议服务", "en": "Suggested services"},
    "need.0": {"zh-CN": "0 无需求", "en": "0 no evidence of need"},
    "need.1": {"zh-CN": "1 需关注", "en": "1 watch"},
    "need.2": {"zh-CN": "2 需要服务", "en": "2 act"},
    "need.3": {"zh-CN": "3 需立即服务", "en": "3 act now"},
    "strengths": {"zh-CN": "优势（保护性因素）", "en": "Strengths"},
    "strength.level": {"zh-CN": "程度", "en": "Rating"},
    "no_needs": {"zh-CN": "未发现需要服务的需求。", "en": "No need calling for action."},
    "no_needs_form": {"zh-CN": "尚无需求评估。", "en": "No needs assessment yet."},
    "family": {"zh-CN": "家庭关系结构图", "en": "Family structure (genogram)"},
    "no_family": {"zh-CN": "尚未登记家庭结构。", "en": "No family structure recorded yet."},
    "family.facts": {"zh-CN": "家庭情况", "en": "Family facts"},
    "family.member": {"zh-CN": "家庭成员", "en": "Member"},
    "family.work": {"zh-CN": "务工地点", "en": "Works in"},
    "family.away": {"zh-CN": "外出时间", "en": "Away"},
    "family.away.value": {"zh-CN": "{n} 个月", "en": "{n} months"},
    "family.contact": {"zh-CN": "与儿童联系", "en": "Contact with the child"},
    "family.capacity": {"zh-CN": "监护能力", "en": "Guardianship capacity"},
    "family.income": {"zh-CN": "家庭收入来源", "en": "Household income"},
    "family.benefits": {"zh-CN": "享受的救助", "en": "Benefits received"},
    "family.not_recorded": {"zh-CN": "未登记", "en": "not recorded"},
    "legend.male": {"zh-CN": "男", "en": "male"},
    "legend.female": {"zh-CN": "女", "en": "female"},
    "legend.unknown_sex": {"zh-CN": "性别未登记", "en": "sex not recorded"},
    "legend.child": {"zh-CN": "评估对象儿童（双线）", "en": "the child (double outline)"},
    "legend.deceased": {"zh-CN": "已故", "en": "deceased"},
    "legend.household": {"zh-CN": "与儿童共同生活（虚线圈内）", "en": "lives with the child"},
    "legend.married": {"zh-CN": "已婚", "en": "married"},
    "legend.cohabiting": {"zh-CN": "同居", "en": "cohabiting"},
    "legend.separated": {"zh-CN": "分居", "en": "separated"},
    "legend.divorced": {"zh-CN": "离异", "en": "divorced"},
    "legend.unrecorded": {"zh-CN": "父母关系未登记", "en": "parents, tie not recorded"},
    "legend.close": {"zh-CN": "亲密", "en": "close"},
    "legend.distant": {"zh-CN": "疏远", "en": "distant"},
    "legend.hostile": {"zh-CN": "敌对、冲突", "en": "hostile"},
    "legend.abusive": {"zh-CN": "虐待（箭头指向儿童）", "en": "abusive (arrow to the child)"},
    "note.member_reference": {
        "zh-CN": "第 {n} 位成员的{what}填写为“{value}”，不在成员名单中，图中未画出。",
        "en": "Member {n}: the {what} given ({value}) is not in the list; not drawn.",
    },
    "note.couple_reference": {
        "zh-CN": "第 {n} 条夫妻关系中的成员“{value}”不在成员名单中，未画出。",
        "en": "Couple {n} names a member not in the list ({value}); not drawn.",
    },
    "note.parent_generation": {
        "zh-CN": "第 {n} 位成员的{what}不是其上一辈，这条亲子关系未画出，请核对。",
        "en": "Member {n}: the {what} given is not of the generation above; not drawn.",
    },
    "note.parent_sex": {
        "zh-CN": "第 {n} 位成员的{what}登记的性别不符，请核对。",
        "en": "Member {n}: the {what} given is recorded with the other sex; please check.",
    },
    "note.same_parents": {
        "zh-CN": "第 {n} 位成员的父亲和母亲填了同一人，这条亲子关系未画出，请核对。",
        "en": "Member {n}: father and mother name the same person; not drawn.",
    },
    "note.presumed_siblings": {
        "zh-CN": "兄弟姐妹的父母未登记（旧版家庭结构表），图中按与本儿童同父同母绘制。",
        "en": "The siblings' parents are not recorded (older family form): "
        "they are drawn as full siblings of the child.",
    },
    "note.couple_twice": {
        "zh-CN": "第 {n} 条夫妻关系与前面重复，只画一次。",
        "en": "Couple {n} repeats an earlier one; drawn once.",
    },
    "note.couple_generation": {
        "zh-CN": "第 {n} 条夫妻关系的双方不在同一辈，未画出，请核对。",
        "en": "Couple {n} joins people of different generations; not drawn.",
    },
    "what.father": {"zh-CN": "父亲", "en": "father"},
    "what.mother": {"zh-CN": "母亲", "en": "mother"},
    "history": {"zh-CN": "历次评估得分", "en": "Assessment history"},
    "history.none": {"zh-CN": "仅有一次评估。", "en": "Only one assessment so far."},
    "review": {"zh-CN": "审核记录", "en": "Review chain"},
    "review.none": {"zh-CN": "尚未提交审核。", "en": "Not submitted for review."},
    "plan": {"zh-CN": "服务方案（一人一策）", "en": "Service plan"},
    "plan.goals": {"zh-CN": "服务目标", "en": "Goals"},
    "plan.kind": {"zh-CN": "服务类型", "en": "Kind"},
    "plan.what": {"zh-CN": "服务内容", "en": "Service"},
    "plan.needs": {"zh-CN": "回应的需求", "en": "Needs answered"},
    "plan.responsible": {"zh-CN": "负责人", "en": "Responsible"},
    "plan.dates": {"zh-CN": "起止日期", "en": "Dates"},
    "plan.progress": {"zh-CN": "服务进展记录", "en": "Progress notes"},
    "plan.when": {"zh-CN": "时间", "en": "When"},
    "plan.by": {"zh-CN": "记录人", "en": "By"},
    "plan.note": {"zh-CN": "进展", "en": "Note"},
    "plan.no_progress": {"zh-CN": "尚无进展记录。", "en": "No progress notes yet."},
    "signatures": {"zh-CN": "签字确认", "en": "Signatures"},
    "signature.assessor": {"zh-CN": "评估人签字：", "en": "Assessor:"},
    "signature.reviewer": {"zh-CN": "审核人签字：", "en": "Reviewer:"},
    "signature.date": {"zh-CN": "日期：", "en": "Date:"},
    "footer": {
        "zh-CN": "保密：本报告含未成年人个人信息，仅限儿童保护工作使用，不得外传。",
        "en": "Confidential: personal data of a child, for child-protection work only.",
    },
    "page": {"zh-CN": "第 {n} 页 / 共 {of} 页", "en": "Page {n} of {of}"},
    "roster.district": {"zh-CN": "区域：{district}", "en": "District: {district}"},
    "roster.all": {"zh-CN": "全部区域", "en": "all districts"},
    "roster.counts": {"zh-CN": "各色级人数", "en": "Children per band"},
    "roster.name": {"zh-CN": "姓名", "en": "Name"},
    "roster.band": {"zh-CN": "分类结果", "en": "Band"},
    "roster.last": {"zh-CN": "最近评估", "en": "Last assessed"},
    "roster.next": {"zh-CN": "下次到期", "en": "Next due"},
    "roster.overdue": {"zh-CN": "逾期 {n} 天", "en": "{n} d overdue"},
    "roster.no_band": {"zh-CN": "未评估", "en": "not assessed"},
    "roster.total": {"zh-CN": "共 {n} 名儿童", "en": "{n} children"},
    "roster.warning": {"zh-CN": "预警", "en": "Warning"},
    "roster.closed": {"zh-CN": "{name}（已结案）", "en": "{name} (closed)"},
    "roster.legend": {
        "zh-CN": "图例：色块中的 ■■■■ 至 ■□□□ 表示风险等级由高到低，黑白复印也可分辨；"
        "“! 逾期 N 天”（灰底）表示已过到期日；“预警”栏的 ▲ 表示触发了早期预警规则；"
        "标“已结案”的儿童不再排期。",
        "en": "Legend: ■■■■ to ■□□□ in the band cell mark the band from the highest risk down, "
        'readable in black and white; "! N d overdue" (grey) is past its due date; ▲ under '
        'Warning: an early-warning rule fired; "closed" cases are no longer scheduled.',
    },
    "none": {"zh-CN": "无", "en": "none"},
    "yes": {"zh-CN": "是", "en": "yes"},
    "no": {"zh-CN": "否", "en": "no"},
    "sep.list": {"zh-CN": "、", "en": ", "},
    "sep.items": {"zh-CN": "；", "en": "; "},
    "sep.colon": {"zh-CN": "：", "en": ": "},
}


def word(key: str, lang: str, **params: object) -> str:
    text = pick(WORDS[key], lang)
    return text.format(**params) if params else text


def joined(items: list[str], lang: str, sep: str = "sep.list") -> str:
    """Items joined the way the language lists them (、 or a comma)."""
    return word(sep, lang).join(items)
