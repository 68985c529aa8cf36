"""A monkey: seeded random walks of keys over the demo replica — the keys each screen's
footer shows, plus esc, tab, arrows, letters and digits. After every key: no error inside
Textual, a live focus (or the screen's own keys), a footer; at the end ctrl+q quits within a
second. A seed that once failed stays in SEEDS as a regression test.

Longer walks: CAREFORMS_MONKEY_KEYS=2000 CAREFORMS_MONKEY_SEEDS=1,2,3,4,5 pytest this file.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from pathlib import Path

import pytest
from textual.screen import ModalScreen

from sync.store import Store
from tests.tui.journeys import app_on, assert_alive, demo_replica, footer_keys, journey_store
from tui.screens.unlock import UnlockScreen

__all__ = ["demo_replica", "journey_store"]  # the fixtures, used by name

SEEDS = [int(s) for s in os.environ.get("CAREFORMS_MONKEY_SEEDS", "11,23,2026").split(",")]
KEYS = int(os.environ.get("CAREFORMS_MONKEY_KEYS", "200"))
ALWAYS = ["escape", "tab", "shift+tab", "up", "down", "enter", "space", "a", "b", "1", "2", "f9"]
# Not pressed at random: quitting ends the walk (it is the last key), a report writes a PDF
# (slow, and covered by its own test), ctrl+p opens the palette whose commands jump anywhere.
NEVER = {"ctrl+q", "r", "ctrl+p", "ctrl+c"}


@pytest.mark.parametrize("seed", SEEDS)
async def test_a_random_walk_of_keys_never_leaves_the_app_stuck(
    journey_store: tuple[Store, Path], seed: int
) -> None:
    store, replica = journey_store
    rng = random.Random(seed)
    app = app_on(store, replica, lang=rng.choice(["zh-CN", "en"]))
    walked: list[str] = []
    async with app.run_test(size=rng.choice([(80, 24), (120, 40)])) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(KEYS):
            screen = app.screen
            offered = [k for k in footer_keys(screen) if k not in NEVER]
            key = rng.choice(offered + ALWAYS if offered and rng.random() < 0.6 else ALWAYS)
            walked.append(key)
            await pilot.press(key)
            await pilot.pause()
            if rng.random() < 0.1:
                await app.workers.wait_for_complete()
            assert not isinstance(app.screen, UnlockScreen)
            try:
                assert_alive(app)
            except AssertionError as failed:
                raise AssertionError(f"seed {seed}, after {walked[-12:]}: {failed}") from None
            if len(app.screen_stack) > 12:  # deep enough: back to the list
                while len(app.screen_stack) > 2 and not isinstance(app.screen, ModalScreen):
                    app.pop_screen()
                    await pilot.pause()
        await app.workers.wait_for_complete()
        started = time.monotonic()
        await pilot.press("ctrl+q")
        while not app._exit and time.monotonic() - started < 2.0:
            await asyncio.sleep(0.02)
        quit_in = time.monotonic() - started
    assert quit_in < 1.0, f"seed {seed}: ctrl+q took {quit_in:.2f} s"
