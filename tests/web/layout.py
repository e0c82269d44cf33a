"""What the layout tests measure in the real browser: overflow, touch sizes, axe-core, and screenshots.

axe-core comes from the npm registry: `axe_source()` installs the pinned version once into a cache
directory (PITCHGATE_AXE_DIR, default ~/.cache/pitchgate/axe-core) with `npm install`, then reads it from
there. The page under test stays script-free: the checks are evaluated through Playwright (the DevTools
protocol's Runtime.evaluate), which the page's CSP does not govern.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

AXE_VERSION = "4.14.1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
"""Screenshots land here (artifacts/ is git-ignored), one file per page and viewport."""
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TOUCH = 44
"""The smallest touch target, in CSS pixels (WCAG 2.5.5, Apple's and Android's guides)."""

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      over.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, over};
}"""

SMALL_TARGETS = """(least) => {
  const small = [];
  for (const el of document.querySelectorAll('button, a.button, label.pick, select, input:not([type=hidden]):not([type=checkbox])')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.height < least - 0.5 || box.width < least - 0.5) {
      small.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def _cache_dir() -> Path:
    return Path(os.environ.get("PITCHGATE_AXE_DIR") or Path.home() / ".cache" / "pitchgate" / "axe-core")


@functools.cache
def axe_source() -> str:
    """axe.min.js of AXE_VERSION, installed from the npm registry on first use. Missing npm: a skip
    locally, a failure under CI (.ci/run installs Debian's npm)."""
    root = _cache_dir() / AXE_VERSION
    script = root / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                pytest.fail("axe-core cannot be installed under CI: no npm (apt-get install -y npm)")
            pytest.skip("no npm to install axe-core with (apt-get install -y npm)")
        root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(root), f"axe-core@{AXE_VERSION}"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script.read_text()


async def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical axe-core violations on the page as it is now."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(axe_source())
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


async def check_page(page: Any, name: str) -> Path:
    """Screenshot the page, then assert that nothing overflows the viewport, that buttons are touch-sized
    on a phone, and that axe-core finds no serious or critical violation. Returns the screenshot's path."""
    viewport = page.viewport_size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}-{viewport['width']}x{viewport['height']}.png"
    await page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    measured = await page.evaluate(OVERFLOW)
    # The layout viewport is the device's (the viewport meta tag works), less a scroll bar at most.
    assert viewport["width"] - 20 <= measured["width"] <= viewport["width"], measured
    assert measured["scrollWidth"] <= measured["width"], measured
    assert measured["over"] == [], measured
    if viewport["width"] <= PHONE["width"]:
        assert await page.evaluate(SMALL_TARGETS, TOUCH) == []
    assert await axe_violations(page) == []
    return shot
