"""The garbage collector's pacing while a replication streams documents (`sync.collector`)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from sync import collector


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture(autouse=True)
def default_pacing() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_the_youngest_generation_is_collected_less_often_meanwhile_and_as_before_after() -> None:
    with collector.streaming:
        assert gc.get_threshold() == (collector.YOUNG, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_the_pacing_is_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector.streaming:
        raise RuntimeError("cut")
    assert gc.get_threshold() == (700, 10, 10)


def test_replications_side_by_side_restore_it_only_when_the_last_ends() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, tuple[int, int, int]] = {}

    def second() -> None:
        first_in.wait()
        with collector.streaming:
            second_in.set()
            first_out.wait()
            seen["after the first ended"] = gc.get_threshold()

    thread = threading.Thread(target=second)
    thread.start()
    with collector.streaming:
        first_in.set()
        second_in.wait()
    first_out.set()
    thread.join()
    assert seen["after the first ended"][0] == collector.YOUNG
    assert gc.get_threshold() == (700, 10, 10)


def test_a_collector_turned_off_stays_off() -> None:
    gc.set_threshold(0)
    with collector.streaming:
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold()[0] == 0


def test_cyclic_garbage_made_meanwhile_is_still_freed() -> None:
    """Unlike a collector turned off: a cycle dropped during a replication is gone after
    the next batch's worth of new containers."""
    with collector.streaming:
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        batch = [[i] for i in range(collector.YOUNG + 1000)]  # a batch's JSON, still held
        assert gone() is None
        assert len(batch) > collector.YOUNG


def test_a_pacing_set_meanwhile_by_something_else_stays() -> None:
    with collector.streaming:
        gc.set_threshold(1234, 5, 5)
    assert gc.get_threshold() == (1234, 5, 5)
