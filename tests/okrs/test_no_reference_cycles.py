"""The OKR pages leave nothing for the cyclic garbage collector (issue 24): a recursive
closure is a reference cycle (the function, its cell, the function) that kept a whole
cycle's evaluation alive after the page, until a collection walked it — 2.1 s at 10,000
people, paid by whichever request came next. Every object these selectors make is freed
by reference counting as soon as the caller lets go of the result."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.demo.services import generate
from ampwork.okrs import selectors
from ampwork.okrs.generate import generate_okrs
from ampwork.pulse import anonymity


@pytest.fixture
def cycle_and_admin(db: Any) -> tuple[Any, Actor]:
    made = generate(people=40, slug="cycles")
    cycle = generate_okrs(
        made.organisation,
        objectives_per_person=2,
        key_results_per_objective=2,
        check_ins_per_key_result=2,
    )
    admin = Person.objects.get(organisation=made.organisation, email=made.admin_email)
    return cycle, Actor(organisation=made.organisation, role=admin.role, person=admin)


@pytest.fixture
def cyclic_garbage() -> Iterator[Callable[[Callable[[], Any]], list[str]]]:
    def made_by(fn: Callable[[], Any]) -> list[str]:
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            fn()  # the result is dropped at once
            gc.collect()
            return sorted(
                {
                    f"{type(o).__module__}.{type(o).__qualname__}"
                    for o in gc.garbage
                    if type(o).__module__.startswith("ampwork")
                    or getattr(o, "__module__", "").startswith("ampwork")
                }
            )
        finally:
            gc.set_debug(0)
            gc.garbage.clear()

    yield made_by


def test_alignment_and_dashboard_leave_no_cycles(
    cycle_and_admin: tuple[Any, Actor],
    cyclic_garbage: Callable[[Callable[[], Any]], list[str]],
) -> None:
    cycle, actor = cycle_and_admin
    selectors.alignment(actor, cycle)  # first: lazy imports and caches of Django's own
    assert cyclic_garbage(lambda: selectors.alignment(actor, cycle)) == []
    assert cyclic_garbage(lambda: selectors.dashboard(actor, cycle)) == []


def test_pulse_group_totals_leave_no_cycles(
    cyclic_garbage: Callable[[Callable[[], Any]], list[str]],
) -> None:
    parents = {1: None, 2: 1, 3: 2}
    assert cyclic_garbage(lambda: anonymity.totals(parents, {3: 4})) == []
