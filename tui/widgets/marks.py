"""Toggles that show their state by a mark, not by colour alone (photocopies, old screens,
colour-blind workers): ● chosen, ○ not; ✓ ticked, blank not."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList

ON_RADIO, OFF_RADIO, TICK, NO_TICK = "●", "○", "✓", " "


class MarkedRadioButton(RadioButton):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = ON_RADIO if self.value else OFF_RADIO
        return super()._button


class MarkedCheckbox(Checkbox):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = TICK if self.value else NO_TICK
        return super()._button


class MarkedSelectionList(SelectionList[Any]):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3:
            return strip
        meta = segments[1].style.meta if segments[1].style else {}
        index = meta.get("option") if meta else None
        if index is None:
            return strip
        chosen = self.get_option_at_index(index).value in self.selected
        text, style, control = segments[1]
        segments[1] = Segment(TICK if chosen else NO_TICK, style, control)
        return Strip(segments, strip.cell_length)
