# ruff: noqa: E501  (the HTML template reads best on long lines)
"""Report rendering: ReportLab (what careforms uses) against an HTML template through WeasyPrint.

Same run, same child, same content (header, band block, domain scores with bars, red flags,
the answers that scored, override, needs and strengths, genogram, family facts, trend, plan
with progress notes, signatures, "page N of M" footer, embedded CJK font). Targets (issue: reports): at least 5x faster than the WeasyPrint route, and a batch
of 200 reports on both cores under 30 s.

    python3 bench/report_bench.py [--batch 200] [--repeat 15]

WeasyPrint is a bench-only dependency: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.casework.casefile import CaseFile, plan_body  # noqa: E402
from engine.casework.demo_caseload import FictionalChild, caseload  # noqa: E402
from engine.casework.rules import load_rules  # noqa: E402
from engine.forms.i18n import pick  # noqa: E402
from engine.forms.registry import FormRegistry  # noqa: E402
from engine.forms.results import Classification, NeedsAssessment  # noqa: E402
from engine.report.child_report import child_report  # noqa: E402
from engine.report.fonts import report_font  # noqa: E402
from engine.report.roster import roster  # noqa: E402

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0)


def timed(work: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` runs (after one warm-up run)."""
    work()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def red_child(children: list[FictionalChild]) -> CaseFile:
    """The first red child whose latest risk assessment fired a red flag, with a large family."""
    for planted in children:
        case = CaseFile.from_documents(planted.child, planted.documents)
        latest = case.latest("risk")
        family = case.latest("family")
        if latest and latest.red_flags and family and len(family.answers["members"]) > 4:
            return case
    for planted in children:
        case = CaseFile.from_documents(planted.child, planted.documents)
        if (latest := case.latest("risk")) and latest.red_flags:
            return case
    raise SystemExit("no red child with a red flag in the caseload")


# --- the WeasyPrint route: an HTML template with the same content --------------------------

CSS = """
@font-face { font-family: cjk; src: url("file://%(font)s"); }
@page { size: A4; margin: 16mm;
  @bottom-left { content: "%(footer)s"; font: 7.5pt cjk; color: #888; }
  @bottom-right { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font: 7.5pt cjk; color: #888; } }
body { font: 9.5pt/1.4 cjk; color: #222; }
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin: 8pt 0 4pt; }
table { border-collapse: collapse; width: 100%%; } td, th { border: 0.4pt solid #888; padding: 2pt 3pt; }
.band { border: 1.5pt solid #000; height: 24mm; display: flex; align-items: center; }
.swatch { width: 24mm; height: 24mm; background: repeating-linear-gradient(45deg, #fff 0 1pt, transparent 1pt 4mm); }
.bar { background: #e6e6e6; height: 9pt; width: 60mm; } .bar div { background: #222; height: 9pt; }
.two { display: flex; gap: 6mm; } .two > * { flex: 1; }
"""


def html_report(case: CaseFile, forms: FormRegistry, lang: str = "zh-CN") -> str:
    """The child's report as HTML, built like a Python team would with a template."""
    e = html.escape
    p = case.profile
    latest = case.latest("risk")
    assert latest is not None
    result = Classification.model_validate(latest.result["classification"])
    needs_obs = [o for o in case.finals() if o.result.get("needs")]
    needs = NeedsAssessment.model_validate(needs_obs[-1].result["needs"]) if needs_obs else None
    band = result.band
    assert band is not None
    parts = ["<h1>儿童入户评估报告（四色分类）</h1><table>"]
    rows = [("儿童", p.get("name")), ("性别", p.get("sex")), ("出生日期", p.get("birth_date")),
            ("类别", "、".join(p.get("categories", []))), ("村", p.get("village")),
            ("评估日期", latest.on), ("评估人", latest.answers.get("assessor")),
            ("评估表", f"{latest.form_id} v{latest.form_version}"), ("生成时间", NOW), ("同步状态", "有本机修改")]  # fmt: skip
    for i in range(0, len(rows), 2):
        parts.append(
            "<tr>"
            + "".join(f"<td>{e(str(k))}</td><td>{e(str(v))}</td>" for k, v in rows[i : i + 2])
            + "</tr>"
        )
    parts.append("</table>")
    parts.append(f'<div class="band" style="background:{band.color}"><div class="swatch"></div>'
                 f'<div style="font-size:20pt;color:#fff;margin-left:6mm">{e(pick(band.label, lang))}</div></div>')  # fmt: skip
    parts.append(
        f"<h2>分类依据</h2><p>总分: {result.total} ({result.low}–{result.high})</p><table>"
    )
    for d in result.domains:
        share = 100 * d.score / d.high if d.high else 0
        parts.append(f'<tr><td>{e(pick(d.label, lang))}</td><td>{d.score}</td><td>{d.low}–{d.high}</td>'
                     f'<td><div class="bar"><div style="width:{share:.0f}%"></div></div></td></tr>')  # fmt: skip
    parts.append("</table>")
    flags = "；".join(pick(f.label, lang) for f in result.red_flags) or "无"
    parts.append(f"<p>高危指标（一票否决项）: {e(flags)}</p>")
    parts.append(
        "<h2>各领域计分项目</h2><table><tr><th>领域</th><th>评估项目</th><th>所选回答</th><th>分值</th></tr>"
    )
    for c in result.contributions:
        if c.points:
            answer = pick(c.answer_label, lang) if c.answer_label else str(c.answer)
            parts.append(f"<tr><td>{e(str(c.domain))}</td><td>{e(pick(c.label, lang))}</td>"
                         f"<td>{e(answer)}</td><td>{c.points}</td></tr>")  # fmt: skip
    parts.append("</table>")
    parts += [f"<p>• {e(line)}</p>" for line in result.explain(lang)]
    if needs:
        parts.append('<h2>需求分类与建议服务</h2><div class="two"><table>')
        for c in needs.categories:
            services = "；".join(pick(s, lang) for s in c.services)
            parts.append(
                f"<tr><td>{e(pick(c.label, lang))}</td><td>{c.rating}</td><td>{e(services)}</td></tr>"
            )
        parts.append("</table><table>")
        for s in needs.strengths:
            parts.append(f"<tr><td>{e(pick(s.label, lang))}</td><td>{s.rating}</td></tr>")
        parts.append("</table></div>")
    family = case.latest("family")
    if family:
        members = family.answers.get("members", [])
        svg = ['<svg width="480" height="300" xmlns="http://www.w3.org/2000/svg">']
        for i, m in enumerate(members):
            x, y = 30 + (i % 7) * 66, 40 + (i // 7) * 92
            shape = (f'<rect x="{x - 11}" y="{y - 11}" width="22" height="22" fill="#fff" stroke="#000"/>'
                     if m.get("sex") == "male" else f'<circle cx="{x}" cy="{y}" r="11" fill="#fff" stroke="#000"/>')  # fmt: skip
            svg.append(shape)
            if not m.get("alive", True):
                svg.append(
                    f'<path d="M{x - 11} {y - 11} L{x + 11} {y + 11} M{x - 11} {y + 11} L{x + 11} {y - 11}" stroke="#000"/>'
                )
            svg.append(
                f'<text x="{x}" y="{y + 26}" font-size="6.5" text-anchor="middle" font-family="cjk">{e(m["relationship"])}</text>'
            )
        svg.append("</svg>")
        parts.append("<h2>家庭结构图</h2>" + "".join(svg))
        parts.append(
            "<h2>家庭情况</h2><table><tr><th>家庭成员</th><th>务工地点</th><th>外出时间</th><th>与儿童联系</th><th>监护能力</th></tr>"
        )
        for m in members:
            parts.append(f"<tr><td>{e(m['relationship'])} {e(m.get('name', ''))}</td><td>{e(m.get('work_location', '-'))}</td>"
                         f"<td>{m.get('months_away', '-')}</td><td>{e(m.get('contact_frequency', '-'))}</td>"
                         f"<td>{e(m.get('guardianship_capacity', '-'))}</td></tr>")  # fmt: skip
        parts.append("</table>")
    points = [(o.on, o.total) for o in case.finals("risk")]
    line = " ".join(f"{40 + i * 120},{140 - (t or 0) * 1.5}" for i, (_, t) in enumerate(points))
    parts.append(
        f'<h2>历次评估</h2><svg width="480" height="150"><polyline points="{line}" fill="none" stroke="#000"/></svg>'
    )
    if case.plans:
        plan = plan_body(case.plans[-1])
        parts.append(
            "<h2>服务方案（一人一策）</h2><table><tr><th>服务类型</th><th>服务内容</th><th>负责人</th><th>开始</th></tr>"
        )
        for service in plan.get("services", []):
            parts.append(f"<tr><td>{e(service.get('kind', ''))}</td><td>{e(service.get('description', ''))}</td>"
                         f"<td>{e(service.get('responsible', ''))}</td><td>{e(service.get('start', ''))}</td></tr>")  # fmt: skip
        parts.append("</table><table><tr><th>时间</th><th>记录人</th><th>进展</th></tr>")
        for note in plan.get("progress", []):
            parts.append(
                f"<tr><td>{e(note.get('at', ''))}</td><td>{e(note.get('by', ''))}</td><td>{e(note.get('note', ''))}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<h2>签字</h2><p>评估人签字：______________ 日期：__________</p><p>审核人签字：______________ 日期：__________</p>"
    )
    css = CSS % {"font": report_font().source, "footer": "保密：本报告含未成年人个人信息。"}
    return f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{''.join(parts)}</body></html>"


# --- the batch on both cores ------------------------------------------------------------------


def _render_batch(args: tuple[list[dict[str, Any]], str]) -> int:
    bundles, folder = args
    forms, rules = FormRegistry.load(), load_rules()
    for bundle in bundles:
        case = CaseFile.from_documents(bundle["child"], bundle["docs"])
        child_report(
            os.path.join(folder, case.id + ".pdf"), case, forms, generated_at=NOW, rules=rules
        )
    return len(bundles)


def batch(children: list[FictionalChild], workers: int) -> float:
    bundles = [{"child": c.child, "docs": c.documents} for c in children]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        chunks = [(bundles[i::workers], folder) for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            done = sum(pool.map(_render_batch, chunks))
        elapsed = time.perf_counter() - start
        assert done == len(bundles) == len(list(Path(folder).glob("*.pdf")))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    forms, rules = FormRegistry.load(), load_rules()
    children = caseload(max(500, args.batch), today=TODAY, forms=forms)
    case = red_child(children)
    cases = [CaseFile.from_documents(c.child, c.documents) for c in children[:500]]
    print(f"font: {report_font().source} (embedded: {report_font().embedded})")

    ours = timed(
        lambda: child_report(io.BytesIO(), case, forms, generated_at=NOW, rules=rules), args.repeat
    )
    roster_time = timed(
        lambda: roster(io.BytesIO(), cases, forms, rules, today=TODAY, generated_at=NOW),
        max(2, args.repeat // 5),
    )
    try:
        from weasyprint import HTML
    except ImportError:
        HTML = None  # noqa: N806
    if HTML is not None:
        theirs = timed(
            lambda: HTML(string=html_report(case, forms)).write_pdf(io.BytesIO()),
            max(3, args.repeat // 3),
        )
    workers = min(2, os.cpu_count() or 1)
    elapsed = batch(children[: args.batch], workers)

    print(f"child report (ReportLab):        {ours * 1000:8.1f} ms  (median of {args.repeat})")
    if HTML is not None:
        print(f"same report (HTML + WeasyPrint): {theirs * 1000:8.1f} ms")
        print(f"ratio: ReportLab is {theirs / ours:.1f}x faster (target ≥ 5x)")
    else:
        print("WeasyPrint not installed: pip install -e '.[bench]' for the comparison")
    print(f"roster of 500 children:          {roster_time * 1000:8.1f} ms")
    print(f"batch of {args.batch} reports on {workers} cores: {elapsed:6.2f} s "
          f"({args.batch / elapsed:.1f} reports/s; target < 30 s)")  # fmt: skip


if __name__ == "__main__":
    main()
