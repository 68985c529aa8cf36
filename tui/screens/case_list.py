"""The case list: every child with band, name, category, village, next due date, warning.

Search as you type, filter by band, category and overdue, sort. Rows come from the child
documents at once; bands, due dates and warnings are filled in by a worker thread.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Label, Select

from engine.casework.case_documents import new_child
from engine.forms.i18n import pick
from tui.case_index import (
    SORTS,
    CaseRow,
    Query,
    SavedIndex,
    load_head,
    load_index,
    matching,
    ordered,
    row_from_child,
    rules_fingerprint,
    up_to_date,
)
from tui.screens.base import LocalisedScreen
from tui.screens.form_entry import FormScreen
from tui.session import Session
from tui.widgets.case_table import BandLook, CaseTable, Column
from tui.widgets.marks import MarkedCheckbox
from tui.words import t


class CaseListScreen(LocalisedScreen[None]):
    BINDINGS = [
        Binding("enter", "open", "key.open", show=True),
        Binding("ctrl+f", "search", "key.search"),
        Binding("ctrl+o", "sort", "key.sort"),
        Binding("ctrl+n", "new_child", "key.new_child"),
        Binding("f3", "app.due", "key.due"),
        Binding("f6", "app.sync", "key.sync"),
        Binding("f4", "app.conflicts", "key.conflicts"),
        Binding("ctrl+t", "app.tasks", "key.tasks"),
        Binding("ctrl+d", "demo", "key.demo", show=False),
        Binding("escape", "clear", "key.clear", show=False),
    ]

    def __init__(self, session: Session, lang: str, today: date | None = None) -> None:
        super().__init__(lang)
        self.session = session
        self.today = today or date.today()
        self.rows: list[CaseRow] = []
        self.query_state = Query()
        band_form = session.forms.get(session.rules.band_form)
        self.bands = list(band_form.bands)
        self.fingerprint = rules_fingerprint(session.rules, band_form.digest)
        self.indexed_seq = 0
        self.total_hint = 0
        self.indexing: tuple[int, int] | None = None  # children done, of how many
        self.drafts_told = False
        self._ordered: list[CaseRow] = []
        self._ordered_from: list[CaseRow] | None = None
        self._ordered_sort = ""
        self.band_order = {b.id: i for i, b in enumerate(self.bands)}
        profile = session.forms.get("child-profile")
        categories = profile.fields["categories"]
        self.category_labels = {
            str(k): categories.option_label(k) or {"zh-CN": str(k)}
            for k in categories.options or []
        }

    def compose(self) -> ComposeResult:
        with Horizontal(id="filters"):
            # typing on the list lands here letter by letter: the text is never selected
            yield Input(placeholder=t("list.search", self.lang), id="search", select_on_focus=False)
        yield Label("", id="count")
        yield CaseTable(id="cases")
        yield Footer(compact=True)

    def _filters(self) -> list[Widget]:
        """Band, category and overdue filters: mounted just after the list is first drawn,
        so that the list and the search box answer as soon as possible."""
        lang, query = self.lang, self.query_state
        return [
            Select(
                [(b.word(lang), b.id) for b in self.bands],
                prompt=t("list.all_bands", lang), id="band", compact=True,
                value=query.band or Select.NULL,
            ),
            Select(
                [(pick(label, lang), key) for key, label in self.category_labels.items()],
                prompt=t("list.all_categories", lang), id="category", compact=True,
                value=query.category or Select.NULL,
            ),
            MarkedCheckbox(
                t("list.overdue_only", lang), query.overdue_only, id="overdue", compact=True
            ),
        ]  # fmt: skip

    def _mount_filters(self) -> None:
        if not self.query("#band"):
            self.query_one("#filters").mount_all(self._filters())

    def on_mount(self) -> None:
        head = load_head(self.session.store, self.today)
        if head is not None:  # the first screenful now; the rest from the worker at once
            self.rows, self.total_hint = head
        super().on_mount()
        self.query_one(CaseTable).focus()
        self.enrich_rows(None, first=head is None)

    async def on_screen_resume(self) -> None:
        """Back from a child's file: redo only the children changed meanwhile."""
        await super().on_screen_resume()
        if self.indexed_seq and self.session.store.update_seq != self.indexed_seq:
            day = self.today.isoformat()
            self.enrich_rows(SavedIndex(self.rows, self.indexed_seq, day, self.fingerprint))

    def refill(self) -> None:
        self.call_after_refresh(self._mount_filters)
        self._dress(self.query_one(CaseTable))
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = self.query_state.text
        self.refilter()

    def _dress(self, table: CaseTable) -> None:
        lang = self.lang
        table.columns = [
            Column(t("col.band", lang), 6),
            Column(t("col.name", lang), 10),
            Column(t("col.category", lang), 16),
            Column(t("col.village", lang), 10),
            Column(t("col.due", lang), 11),
            Column(t("col.warn", lang), 4),
        ]
        table.bands = {b.id: BandLook(b.word(lang), b.color) for b in self.bands}
        table.categories = {k: pick(v, lang) for k, v in self.category_labels.items()}
        table.words = {"none": t("no_band", lang), "overdue": t("overdue", lang, n="{n}")}

    @work(thread=True, exclusive=True, group="enrich")
    def enrich_rows(self, saved: SavedIndex | None, *, first: bool = False) -> None:
        """The saved index (when none was given), then bands, next due dates and warnings:
        only for children changed since it, when it is of today and of these rules, else for
        everyone, shown as they come with the progress. Then the index is saved."""
        store, rules, today = self.session.store, self.session.rules, self.today
        if saved is None:
            saved = load_index(store, today)
            if saved is not None:
                self.app.call_from_thread(self._enriched, saved.rows, 0)
            elif first:  # names at once; the rest as it is computed
                plain = [row_from_child(doc, spell=False) for doc in store.all_docs("child:")]
                self.app.call_from_thread(self._enriched, plain, 0, (0, len(plain)))

        def partial(rows: list[CaseRow], done: int, total: int) -> None:
            self.app.call_from_thread(self._enriched, rows, 0, (done, total))

        with self.session.index_lock:  # the due view may be computing it: once is enough
            rows, seq = up_to_date(
                store, rules, today, self.fingerprint, self.band_order, saved, partial
            )
        self.app.call_from_thread(self._enriched, rows, seq)

    def _enriched(
        self, rows: list[CaseRow], seq: int, indexing: tuple[int, int] | None = None
    ) -> None:
        self.rows, self.total_hint = rows, len(rows)
        self.indexed_seq = seq or self.indexed_seq
        self.indexing = indexing
        self.refilter()
        if seq:
            self._tell_drafts()

    def _tell_drafts(self) -> None:
        """Once per start: unfinished drafts exist, and about which children."""
        if self.drafts_told:
            return
        self.drafts_told = True
        with_drafts = [r for r in self.rows if r.drafts]
        if with_drafts:
            names = "、".join(r.name for r in with_drafts[:5])
            more = "…" if len(with_drafts) > 5 else ""
            self.notify(
                t("list.drafts", self.lang, n=sum(r.drafts for r in with_drafts),
                  children=len(with_drafts), names=names + more),
                timeout=10,
            )  # fmt: skip

    def refilter(self) -> None:
        sort = self.query_state.sort
        if self._ordered_from is not self.rows or self._ordered_sort != sort:
            # sorted once per list and order, not at every keystroke
            self._ordered = ordered(self.rows, sort, self.band_order)
            self._ordered_from, self._ordered_sort = self.rows, sort
        shown = matching(self._ordered, self.query_state)
        self.query_one(CaseTable).show(shown)
        total = max(len(self.rows), self.total_hint)
        count = t("list.count", self.lang, shown=len(shown), total=total)
        if self.indexing is not None:
            done, of = self.indexing
            count += "  ·  " + t("list.indexing", self.lang, done=done, total=of)
        if not self.rows:
            count += "  ·  " + t("list.empty", self.lang)
        self.query_one("#count", Label).update(count)

    def _update(self, **changes: Any) -> None:
        self.query_state = replace(self.query_state, **changes)
        self.refilter()

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._update(text=event.value)

    @on(Input.Submitted, "#search")
    def _to_table(self) -> None:
        self.query_one(CaseTable).focus()

    @on(Select.Changed, "#band")
    def _band(self, event: Select.Changed) -> None:
        self._update(band=None if event.value is Select.NULL else event.value)

    @on(Select.Changed, "#category")
    def _category(self, event: Select.Changed) -> None:
        self._update(category=None if event.value is Select.NULL else event.value)

    @on(Checkbox.Changed, "#overdue")
    def _overdue(self, event: Checkbox.Changed) -> None:
        self._update(overdue_only=event.value)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def focus_first(self) -> None:
        """The list has the cursor (typing searches all the same)."""
        if self.focused is None or not self.focused.is_attached:
            self.query_one(CaseTable).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing anywhere on the list searches: the first letter goes to the search box.
        Down in the search box goes to the list (as enter does), to pick a child found."""
        typing = isinstance(self.focused, Input | Select)
        if event.key == "down" and isinstance(self.focused, Input) and self.focused.id == "search":
            self._to_table()
            event.stop()
            event.prevent_default()
        elif event.is_printable and event.character and not typing:
            search = self.query_one("#search", Input)
            search.focus()
            search.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def action_clear(self) -> None:
        """esc: the search emptied and the cursor back in the list."""
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one(CaseTable).focus()

    def action_sort(self) -> None:
        following = SORTS[(SORTS.index(self.query_state.sort) + 1) % len(SORTS)]
        self._update(sort=following)
        self.notify(t(f"sort.{following}", self.lang), timeout=1.5)

    def action_open(self) -> None:
        self.query_one(CaseTable).action_open()

    def action_new_child(self) -> None:
        """A new child: the profile form first, then the child's file."""
        session = self.session
        form = session.forms.get("child-profile")
        by = session.stamp()
        uid = uuid.uuid4().hex
        answers = {"intake_date": self.today.isoformat()}
        doc = new_child(uid, answers, form, district=session.district, **by)
        doc["answers"] = {}  # the intake date is given, but a child untouched is not kept
        new = FormScreen(session, doc, form, self.lang, finalisable=False, answers=answers)

        def opened(_: object) -> None:
            if "_rev" in new.doc:  # cancelled before anything was typed: no "?" child left
                self.post_message(CaseTable.Opened(uid))

        self.app.push_screen(new, opened)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.rows if action == "demo" else True

    def action_demo(self) -> None:
        """Fill an empty replica with fictional children, to see every screen at once."""
        if not self.rows:
            self.fill_demo()

    @work(thread=True, exclusive=True, group="demo")
    def fill_demo(self) -> None:
        from tui.commands.demo import fill

        fill(self.session.store, 60, self.today, district=self.session.district)
        store, rules = self.session.store, self.session.rules
        with self.session.index_lock:
            rows, seq = up_to_date(
                store, rules, self.today, self.fingerprint, self.band_order, None
            )
        self.app.call_from_thread(self._enriched, rows, seq)
