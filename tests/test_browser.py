"""End to end in headless Chromium: ``marsad ingest`` a small corpus, ``marsad serve`` it, use the dashboard.

Needs Debian's ``/usr/bin/chromium`` and the ``playwright`` package (no browser download); without them
the tests skip locally and fail in CI, where ``scripts/test.sh`` installs chromium.  Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.text.normalize import normalize_key

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).parents[1]
SHARED = Path(__file__).parents[2] / "shared" / "corpus"
ARTIFACTS = ROOT / "test-artifacts"
OUTLETS = ("BBC", "CNN", "France24", "Alarabia")
PER_OUTLET = 8
QUERY = "سوريا"

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # the test extra is not installed
    sync_playwright = None


def _missing() -> str | None:
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; scripts/test.sh does it in CI)"
    return None


def _corpus() -> list[str]:
    """The seed article and a few dozen ANT articles when ../shared is there, else tests/data/web."""
    if not SHARED.is_dir():
        return [str(ROOT / "tests" / "data" / "web")]
    paths = sorted(str(p) for p in (SHARED / "seed").glob("*.txt"))
    for outlet in OUTLETS:
        paths += sorted(str(p) for p in (SHARED / "ant-multisource" / outlet / "middleEast").glob("*.txt"))[
            :PER_OUTLET
        ]
    return paths


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"marsad serve exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"marsad serve did not answer {url} within {seconds:g} s")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    marsad = str(Path(sys.executable).parent / "marsad")
    db = str(tmp_path_factory.mktemp("browser") / "dashboard.db")
    ingest = subprocess.run(
        [marsad, "ingest", "--db", db, "--workers", "1", *_corpus()], capture_output=True, text=True
    )
    assert ingest.returncode == 0, f"marsad ingest failed: {ingest.stderr[-2000:]}"
    port = _free_port()
    server = subprocess.Popen(
        [marsad, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url + "api/dashboard/overview", server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_overview_search_and_article_highlights(page: Page) -> None:
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    stored = page.request.get("api/articles?limit=1").json()["total"]
    expect(page.get_by_test_id("article-count")).to_have_text(str(stored))
    brand = page.locator(".brand").bounding_box()
    assert brand and brand["x"] > 1280 / 2, "right to left: the brand sits at the right"
    _shot(page, "overview")

    page.locator("#search input").fill(QUERY)
    page.locator("#search input").press("Enter")
    results = page.get_by_test_id("search-results").locator("li a.title")
    expect(results.first).to_be_visible()
    titles = results.all_inner_texts()
    assert any(QUERY in title for title in titles)
    _shot(page, "search")

    results.filter(has_text=QUERY).first.click()
    article_view = page.get_by_test_id("article")
    expect(article_view).to_be_visible()
    article_id = page.url.rsplit("/", 1)[1]
    article = page.request.get(f"api/articles/{article_id}").json()
    marks = article_view.locator(".hl[data-start]").evaluate_all(
        "nodes => nodes.map(n => ({kind: n.dataset.kind, start: +n.dataset.start, end: +n.dataset.end,"
        " text: n.textContent, entity: n.dataset.entity ?? null, tip: n.title}))"
    )
    assert marks, "the article shows highlighted items"
    for mark in marks:  # every highlight is the original text at its offsets
        assert mark["text"] == article["text"][mark["start"] : mark["end"]]
        assert mark["tip"]
    body = [(p["start"], p["end"]) for p in article["paragraphs"]]
    in_body = [m for m in article["mentions"] if any(s <= m["start"] and m["end"] <= e for s, e in body)]
    shown = [m for m in marks if m["kind"] == "mention" and any(s <= m["start"] < e for s, e in body)]
    real = {(m["start"], m["end"], m["entity_id"]) for m in in_body}
    assert {(m["start"], m["end"], m["entity"]) for m in shown} <= real
    assert len(shown) >= 0.8 * len(in_body)  # only a mention crossing another item's edge goes unmarked
    entities = {e["id"]: e for e in article["entities"]}
    for mention in shown:  # a name found in the knowledge base is a surface of the entity it links to
        entity = entities[mention["entity"]]
        names = [
            normalize_key(n) for n in (entity["name_ar"], entity.get("name_en"), *entity["aliases"]) if n
        ]
        how = next(m["how"] for m in article["mentions"] if m["start"] == mention["start"])
        assert how != "kb" or any(name in normalize_key(mention["text"]) for name in names), mention
    expect(article_view.locator(".legend li")).to_have_count(5)
    _shot(page, "article")


def test_timeline_evidence_and_map(page: Page) -> None:
    page.goto("/#/timeline")
    items = page.get_by_test_id("timeline").locator("li.item")
    expect(items.first).to_be_visible()
    page.get_by_test_id("timeline").locator(".item-head").first.click()
    evidence = page.get_by_test_id("evidence")
    expect(evidence).to_be_visible()
    first = page.request.get("api/dashboard/timeline?limit=1").json()["items"][0]
    expect(evidence).to_have_text(first["text"])
    expect(evidence.locator(".hl").first).to_be_visible()
    _shot(page, "timeline")

    page.goto("/#/map")
    countries = page.locator("#map path.country")
    expect(countries.first).to_be_attached()
    assert countries.count() > 100
    places = page.request.get("api/dashboard/places").json()["items"]
    expect(page.locator("#map path.place")).to_have_count(len(places))
    _shot(page, "map")


def test_english_toggle_and_clear_errors(page: Page) -> None:
    page.goto("/#/article/no-such-article")
    expect(page.locator(".error")).to_contain_text("404")
    page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav.main a").first).to_have_text("Overview")
    expect(page.locator(".error")).to_contain_text("Could not load the data")
    _shot(page, "error-english")
    page.locator("#lang").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
