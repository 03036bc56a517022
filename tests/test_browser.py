"""The HTML brief in a real browser: headless Chromium (Debian's ``chromium``) at desktop
and phone widths. The page must load without console errors (its own Content-Security-
Policy turns any script or fetch into one), draw its charts, and keep every box's text
inside the box and the page inside the screen. Screenshots go to ``build/screenshots/``
(or ``$PROVENANCE_SCREENSHOTS``).

Where Chromium is not installed the test skips and says so; ``.ci/run`` installs it and
sets ``PROVENANCE_REQUIRE_BROWSER=1``, which turns that skip into a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import Browser, find_chromium

SCREENSHOTS = Path(
    os.environ.get("PROVENANCE_SCREENSHOTS")
    or Path(__file__).resolve().parents[1] / "build" / "screenshots"
)
VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}

PROBE = """(() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const name = el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 40);
    if (box.right > width + 1 || box.left < -1) problems.push('outside the page: ' + name);
    const style = getComputedStyle(el);
    if (el.clientWidth > 0 && style.overflowX === 'visible'
        && el.scrollWidth > el.clientWidth + 1) problems.push('text overflows: ' + name);
  }
  const charts = [...document.querySelectorAll('figure svg')].map(svg => {
    const box = svg.getBoundingClientRect();
    return {width: box.width, height: box.height,
            marks: svg.querySelectorAll('path, use, line, polyline').length,
            labels: svg.querySelectorAll('text').length};
  });
  return {width, pageWidth: document.documentElement.scrollWidth, problems, charts,
          links: [...document.querySelectorAll('a[href]')].map(a => a.href)};
})()"""


@pytest.fixture
def brief(seeded, tmp_path):
    """A brief with figures to chart (a cumulative series, a range, a lower bound), a
    relay graph, a document link, a denial, and long unbroken text."""
    long_key = "nug-air-attacks-may-20-" + "x" * 60
    seeded.ok(
        "doc", "add", "monthly", "--title", "Monthly report " + "y" * 90,
        "--url", "https://example.org/reports/" + "z" * 120, "--publisher", "unnamed-outlet",
    )  # fmt: skip
    place = ["--place", "Myanmar except Yangon and Naypyitaw"]
    for key, value, end in (
        (long_key, "300..340", "2025-05-20"),
        ("nug-air-attacks-june", ">=410", "2025-06-15"),
        ("nug-air-attacks-july", "~520", "2025-07-15"),
    ):
        seeded.ok(
            "claim", "add", f"The junta carried out {value} air attacks since the quake.",
            "--source", "nug", "--via", "unnamed-outlet", "--doc", "monthly",
            "--quote", f"{value} air attacks " + "w" * 80, "--subject", "junta",
            "--property", "air_attacks", "--value", value, "--unit", "attacks",
            "--from", "2025-03-28", "--to", end, *place, "--key", key,
        )  # fmt: skip
    seeded.ok(
        "claim", "attribute", "nug-air-attacks-june", "--source", "junta-media",
        "--stance", "denies", "--quote", "<script>alert(1)</script>",
    )  # fmt: skip
    path = tmp_path / "brief.html"
    seeded.ok("export", "-f", "html", "--out", str(path))
    return path


@pytest.fixture
def browser():
    executable = find_chromium()
    if executable is None:
        if os.environ.get("PROVENANCE_REQUIRE_BROWSER"):
            pytest.fail("PROVENANCE_REQUIRE_BROWSER is set but no chromium is installed")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    driver = Browser(executable)
    try:
        yield driver
    finally:
        driver.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_html_brief_in_chromium(brief, browser, viewport):
    width, height, mobile = VIEWPORTS[viewport]
    browser.open(brief.as_uri(), width, height, mobile=mobile)
    found = browser.evaluate(PROBE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"brief-{viewport}.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
    assert browser.console_errors() == []
    assert found["width"] == width and found["pageWidth"] <= width, found
    assert found["problems"] == [], found["problems"][:10]
    charts = found["charts"]
    assert len(charts) >= 2  # the air-attacks series and the relay graph
    for chart in charts:
        assert 0 < chart["width"] <= width and chart["height"] > 50, chart
        assert chart["marks"] >= 3 and chart["labels"] >= 2, chart
    assert any(link.startswith("https://example.org/reports/") for link in found["links"])
