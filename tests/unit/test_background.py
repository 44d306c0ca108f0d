"""Work beside the build (papers.build.background): a value computed in a child process
gives what computing it here gives, a failure fails the build, and a child started before
its arguments exist neither blocks the build nor outlives it."""

from __future__ import annotations

import os
import time

import pytest
from papers.build.background import Pending, Primed

BIG = list(range(200_000))  # pickled, far more than a pipe holds


def slow_prepare():
    time.sleep(0.3)  # as importing numpy and scipy does while the build loads the catalogue


def total(numbers, offset):
    return sum(numbers) + offset


@pytest.mark.parametrize("processes", [1, 2])
def test_a_primed_value_is_the_functions_in_a_child_or_here(processes):
    primed = Primed(slow_prepare, total, processes)
    assert primed.in_child == (processes > 1)
    started = time.perf_counter()
    primed.give(BIG, 7)
    assert time.perf_counter() - started < 0.25  # the build goes on while the child prepares
    assert primed.get() == sum(BIG) + 7
    assert primed.get() == sum(BIG) + 7  # fetched once, kept


def test_a_primed_child_that_fails_fails_the_build():
    primed = Primed(lambda: None, lambda: 1 / 0, 2)
    primed.give()
    with pytest.raises(RuntimeError, match="in the background failed"):
        primed.get()


def test_a_primed_child_never_given_its_arguments_leaves_quietly(capfd):
    primed = Primed(lambda: None, total, 2)
    os.close(primed._request)  # the build stopped before giving them: no one writes again
    _, status = os.waitpid(primed._pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "Traceback" not in capfd.readouterr().err


def test_a_pending_value_is_the_functions_in_a_child_or_here():
    assert Pending(lambda: total(BIG, 1), 2).get() == Pending(lambda: total(BIG, 1), 1).get() == sum(BIG) + 1
