"""The HTML report in a real headless Chromium: no console errors, Arabic laid out right to left.

Skipped when Chromium, its driver or selenium is absent; `.ci/run` installs them so CI runs it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kzkg_tools.cli import cli
from tests import run_output

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver")
if not (CHROMIUM and DRIVER):
    pytest.skip("headless Chromium and chromedriver are not installed", allow_module_level=True)

# Where the Arabic sentence's ink sits in its cell, from the rendered layout.
MEASURE = """
const td = document.querySelector('td[lang="ar"]');
const range = document.createRange();
range.selectNodeContents(td);
const text = range.getBoundingClientRect();
const cell = td.getBoundingClientRect();
return {direction: getComputedStyle(td).direction,
        cellLeft: cell.left, cellRight: cell.right,
        firstWordRight: (() => { const r = document.createRange();
            const node = td.firstChild; r.setStart(node, 0); r.setEnd(node, 2);
            return r.getBoundingClientRect().right; })(),
        textLeft: text.left, textRight: text.right};
"""


@pytest.fixture
def browser(tmp_path: Path):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,800",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def test_report_renders_rtl_without_console_errors(browser, tmp_path: Path) -> None:
    out = run_output.write(tmp_path / "out")
    page = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", str(out), "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    browser.get(page.as_uri())
    assert browser.title == "kzkg: facts across languages"
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    m = browser.execute_script(MEASURE)
    assert m["direction"] == "rtl"
    # The first logical word (في) is at the right edge of the cell, not the left.
    assert m["cellRight"] - m["firstWordRight"] < 20
    assert m["firstWordRight"] - m["cellLeft"] > (m["cellRight"] - m["cellLeft"]) / 2
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
