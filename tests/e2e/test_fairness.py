"""Fairness in the browser: people ops run the audit and read the reports; a member sees
their own pay only."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.fairness.models import AuditRun, CurrencyRate

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def test_people_ops_audit_reports_and_import(
    page: Any,
    live_server: Any,
    tmp_path: Path,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    sign_in(page, "people@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Fairness", exact=True).click()
    expect(page.locator(".gate__status")).to_have_text("red")
    page.locator(".chart").scroll_into_view_if_needed()  # charts are drawn when seen
    expect(page.locator(".chart .plotly")).to_be_visible()
    runs = AuditRun.objects.count()
    page.get_by_role("button", name="Run the audit").click()
    expect(page.locator(".message")).to_contain_text("the fairness gate is red")
    assert AuditRun.objects.count() == runs + 1
    shot(page, "fairness-overview")
    page.get_by_role("link", name="EU report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("EU Pay Transparency report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == "eu-pay-transparency.csv"
    page.goto(f"{live_server.url}/fairness/reports/uk/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("six measures")
    # import a currency rate through the preview
    path = tmp_path / "rates.csv"
    path.write_text("currency,rate\nGBP,1.17\n", encoding="utf-8")
    page.goto(f"{live_server.url}/fairness/import/?kind=rates")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name=re.compile("Import 1 rates rows")).click()
    expect(page.locator(".message")).to_contain_text("Imported 1 rates rows")
    assert CurrencyRate.objects.filter(currency="GBP").exists()


def test_member_sees_only_their_own_pay(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name="My pay").click()
    expect(page.get_by_role("heading", name="Against your range")).to_be_visible()
    expect(page.locator(".facts").first).to_contain_text("€")  # money as the reader writes it
    shot(page, "my-pay")
    page.goto(f"{live_server.url}/fairness/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")


def test_gate_reasons_speak_in_percent(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """Issue 18, item 10: the gate's reasons and the adjusted gap read as percentages,
    100·(exp(d) − 1) of each bound in log points; log points only as the method's detail."""
    ensure_demo()
    sign_in(page, "people@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/fairness/")
    page.get_by_role("button", name="Run the audit").click()
    expect(page.locator(".message")).to_contain_text("the fairness gate is")
    run = AuditRun.objects.latest("run_at", "id")
    low, high = run.summary["adjusted_gap"]["ci95"]
    bounds = [f"{100 * math.expm1(d):+.1f}%" for d in (low, high)]  # independent of gate.py
    reasons = page.locator(".gate li")
    expect(reasons.first).to_have_text(
        re.compile(
            r"^adjusted gap of [+-]\d+\.\d+% \((under )?5%( or more)? either way; 95% interval "
            + re.escape(f"{bounds[0]} to {bounds[1]}, which excludes zero)")
        )
    )
    gate_text = page.locator(".gate").inner_text()
    assert "log point" not in gate_text
    assert re.search(r"\d+ of 59 people \(\d+%; (under )?10%( or more)?\) paid below", gate_text)
    gap = page.locator("dt:has-text('Adjusted gap') + dd")
    expect(gap).to_contain_text(f"95% interval {bounds[0]} to {bounds[1]}")
    expect(gap.locator(".muted")).to_contain_text("In log points")
    shot(page, "fairness-gate-percent")
    sign_in(phone, "people@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/fairness/")
    expect(phone.locator(".gate li").first).to_contain_text(f"{bounds[0]} to {bounds[1]}")
    # (not innerWidth: a phone's window widens to whatever overflows it)
    root = "document.documentElement"
    assert phone.evaluate(f"{root}.scrollWidth <= {root}.clientWidth")
    shot(phone, "fairness-gate-percent-phone")
