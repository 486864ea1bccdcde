"""The HTML report in a real headless Chromium (Debian's, driven by Playwright).

Skipped when Playwright or Chromium is missing; ``.ci/run`` installs both.
The phone-width screenshot is saved in the test's temporary folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REVIEW_RULES
from jianfu_audit.cli import app

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="需要 chromium（Debian 软件包）")

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

NOTICES = {
    "1-甲镇通知.txt": (
        "关于<script>window.pwned = 1</script>开展工作的通知\n"
        "各乡镇要逐级召开动员部署会。\n"
        "各村每日报送进展，<img src=x onerror=\"window.pwned = 1\">。\n"
        "对工作不力的实行一票否决。\n"
        "每个村都要召开动员部署会。\n"
    ),
    "2-乙镇通知.txt": "各村每日报送照片。\n",
    "3-丙镇通知.txt": "请按时参加培训。\n",
}


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    (root / "rules").mkdir()
    shutil.copy(REVIEW_RULES, root / "rules" / "test.yaml")
    (root / "notices").mkdir()
    for name, text in NOTICES.items():
        (root / "notices" / name).write_text(text, encoding="utf-8")
    target = root / "报告.html"
    result = CliRunner().invoke(app, [
        "check", str(root / "notices"), "--rules", str(root / "rules"), "--select", "test-*",
        "--format", "html", "-o", str(target),
    ])
    assert target.exists(), result.output
    return target


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, report_file: Path):
    """The report on a phone-sized page; records console errors and every request."""
    page = browser.new_page(viewport=PHONE)
    page.problems = []
    page.requests = []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(report_file.as_uri())
    yield page
    page.close()


def visible_findings(page) -> int:
    return page.locator("li.finding:visible").count()


def highlighted(page) -> int:
    return page.locator("mark.hl:not(.off)").count()


def test_loads_cleanly_offline_and_fits_a_phone(page, tmp_path: Path) -> None:
    assert page.title() == "基层减负公文审计报告"
    assert page.problems == []
    assert page.requests == [page.url]  # nothing but the file itself
    assert page.evaluate("window.pwned") is None  # markup in the notice stayed text
    assert "<script>window.pwned = 1</script>" in page.locator("#d1 .text").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot = tmp_path / "report-phone.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000


def test_filters_by_category_and_severity(page) -> None:
    assert visible_findings(page) == 5
    assert highlighted(page) == 5
    page.get_by_role("checkbox", name="会议活动").uncheck()
    assert visible_findings(page) == 3
    assert highlighted(page) == 3
    assert page.locator("#shown").inner_text() == "当前显示 3 处问题"
    assert page.locator("[data-count='d1']").inner_text() == "显示 2 / 4 处问题"
    page.get_by_role("checkbox", name="提示").uncheck()
    assert visible_findings(page) == 1
    assert page.locator("li.finding:visible").get_attribute("data-category") == "veto"
    page.get_by_role("checkbox", name="会议活动").check()
    page.get_by_role("checkbox", name="提示").check()
    assert visible_findings(page) == 5
    assert page.problems == []


def test_click_on_highlight_shows_details(page) -> None:
    popup = page.locator("#popup")
    assert popup.is_hidden()
    page.locator("mark.hl", has_text="一票否决").click()
    assert popup.is_visible()
    assert "删除一票否决。" in popup.inner_text()
    assert "TEST-2024-C3" in popup.inner_text()
    page.locator("#popup-close").click()
    assert popup.is_hidden()


def test_document_table_sorts(page) -> None:
    def first_file() -> str:
        return page.locator("#docs tbody tr").first.locator("td").first.inner_text()

    header = page.locator("#docs th button", has_text="问题")
    header.click()  # ascending
    assert first_file().endswith("丙镇通知.txt")
    header.click()  # descending
    assert first_file().endswith("甲镇通知.txt")
    assert page.problems == []
