"""Which form versions are in use on this laptop, where each came from and when it arrived;
and the versions that arrived broken (refused, the version before stays in use)."""

from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Label

from engine.casework.casefile import object_at
from engine.forms.i18n import pick
from sync.published_forms import refused_arrivals
from tui.migrations import KINDS
from tui.screens.base import LocalisedScreen
from tui.session import Session

WORDS = {
    "title": {"zh-CN": "表单版本", "en": "Form versions"},
    "col.form": {"zh-CN": "表单", "en": "Form"},
    "col.version": {"zh-CN": "版本", "en": "Version"},
    "col.source": {"zh-CN": "来源", "en": "Source"},
    "col.arrived": {"zh-CN": "到达时间", "en": "Arrived"},
    "col.use": {"zh-CN": "用途", "en": "Use"},
    "col.filled": {"zh-CN": "已填写", "en": "Filled"},
    "new": {"zh-CN": "新评估使用", "en": "new assessments"},
    "kept": {"zh-CN": "保留（旧记录）", "en": "kept for older ones"},
    "built-in": {"zh-CN": "内置", "en": "built-in"},
    "published": {"zh-CN": "已发布", "en": "published"},
    "folder": {"zh-CN": "文件夹", "en": "folder"},
    "refused": {
        "zh-CN": "拒收的版本（继续使用之前的版本）：",
        "en": "Refused on arrival (the version before stays in use):",
    },
    "none_refused": {"zh-CN": "没有拒收的版本。", "en": "Nothing was refused."},
}


def word(key: str, lang: str) -> str:
    return pick(WORDS[key], lang)


class FormVersionsScreen(LocalisedScreen[None]):
    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self, session: Session, lang: str) -> None:
        super().__init__(lang)
        self.session = session
        # read once: the screen is drawn again on every change of language
        self.filled = self._filled()
        self.refused = refused_arrivals(session.store)

    def _filled(self) -> Counter[tuple[str, int]]:
        counts: Counter[tuple[str, int]] = Counter()
        for kind in KINDS:
            for doc in self.session.store.all_docs(f"{kind}:"):
                ref = object_at(doc, "form")
                if isinstance(ref.get("version"), int):
                    counts[(str(ref.get("id")), ref["version"])] += 1
        return counts

    def compose(self) -> ComposeResult:
        lang, forms, filled, refused = self.lang, self.session.forms, self.filled, self.refused
        with VerticalScroll(id="form-versions"):
            yield Label(word("title", lang), classes="screen-title")
            table: DataTable[str] = DataTable(cursor_type="row", id="versions-table")
            columns = ("form", "version", "source", "arrived", "use", "filled")
            table.add_columns(*(word(f"col.{c}", lang) for c in columns))
            for form in forms:
                newest = forms.versions(form.id)[-1] == form.version
                arrived = (form.origin.arrived or "").replace("T", " ")[:16]
                table.add_row(
                    f"{pick(form.title, lang)} ({form.id})",
                    f"v{form.version}",
                    word(form.origin.kind, lang),
                    arrived or "-",
                    word("new" if newest else "kept", lang),
                    str(filled.get(form.key, 0)),
                    key=f"{form.id}:{form.version}",
                )
            yield table
            yield Label(word("refused" if refused else "none_refused", lang), id="refused-title")
            for key, when, problems in refused:
                yield Label(f"✗ {key}  {when.replace('T', ' ')[:16]}", classes="warning")
                for problem in problems[:10]:
                    yield Label(f"   {problem.render(lang)}")
            for problem in forms.problems:
                yield Label(f"✗ {problem.render(lang)}", classes="warning")
        yield Footer(compact=True)

    def action_back(self) -> None:
        self.dismiss(None)
