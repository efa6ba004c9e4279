"""The review site in a real browser (Debian's Chromium, driven by Playwright), served by a local http.server.

One site (conftest.example_site) and one browser per session keep these tests cheap.
"""
from __future__ import annotations

from urllib.parse import urldefrag, urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser import CHROMIUM, LAPTOP, PHONE, chromium, serve
from gitrepo import EXAMPLE


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} ontbreekt: installeer Chromium met 'sudo apt-get install chromium' (make test doet "
                    "dat zelf als root)")
    with chromium() as started:
        yield started


@pytest.fixture(scope="module")
def site_url(example_site):
    with serve(example_site.folder) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=LAPTOP)
    opened = context.new_page()
    opened.errors = []  # console errors, page errors and failed requests, each as text
    opened.on("console", lambda message: opened.errors.append(message.text) if message.type == "error" else None)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("requestfailed", lambda request: opened.errors.append(f"{request.url}: {request.failure}"))
    opened.on("response", lambda response: opened.errors.append(f"{response.url}: {response.status}")
              if response.status >= 400 else None)
    yield opened
    context.close()


def test_click_from_home_to_region_to_document_to_redline_and_back(page, site_url):
    page.goto(site_url + "index.html")
    page.get_by_role("link", name="Techniekregio Lindewaard").first.click()
    assert page.url.endswith(f"{EXAMPLE}/index.html")
    page.get_by_role("link", name="Regioplan", exact=True).click()
    assert page.url.endswith(f"{EXAMPLE}/regioplan.html")
    assert page.get_by_role("heading", name="Regioplan Techniekregio Lindewaard 2025-2028").is_visible()
    page.get_by_role("link", name="Techniekregio Lindewaard").first.click()  # the breadcrumb
    page.get_by_role("link", name="naar de huidige versie").click()
    assert "/redline-" in page.url
    assert page.get_by_role("heading", name="De wijziging in één oogopslag").is_visible()
    page.go_back()
    assert page.url.endswith(f"{EXAMPLE}/index.html")
    page.get_by_role("link", name="Alle regio's").first.click()
    assert page.url.endswith("index.html") and f"/{EXAMPLE}/" not in page.url
    assert page.errors == []


def test_redline_is_navigable_by_keyboard(page, site_url, example_site):
    [redline] = [p.name for p in (example_site.folder / EXAMPLE).glob(f"redline-{example_site.approved[1][:10]}*")]
    page.goto(f"{site_url}{EXAMPLE}/{redline}")
    page.keyboard.press("n")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in ("INS", "DEL") or page.evaluate("document.activeElement.classList.contains('stodocs-changed')")
    assert page.locator(".change-position").inner_text().startswith("Wijziging 1 van ")
    page.get_by_role("button", name="Volgende wijziging").focus()
    page.keyboard.press("Enter")
    assert page.locator(".change-position").inner_text().startswith("Wijziging 2 van ")
    # without colour: inserted text is underlined, deleted text struck through
    assert "underline" in page.evaluate("getComputedStyle(document.querySelector('article ins')).textDecorationLine")
    assert "line-through" in page.evaluate("getComputedStyle(document.querySelector('article del')).textDecorationLine")
    assert page.errors == []


def _crawl(page, site_url) -> dict[str, list[str]]:
    """Open every page reachable from the home page; return each page's links (without fragments)."""
    seen, todo = {}, [site_url + "index.html"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        if not url.endswith(".html"):  # a PDF: fetched, not shown (headless Chromium has no PDF viewer)
            response = page.request.get(url)
            assert response.ok and response.body().startswith(b"%PDF-"), url
            seen[url] = []
            continue
        response = page.goto(url)
        assert response is not None and response.ok, url
        page.wait_for_load_state("load")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        links = [urldefrag(urljoin(url, href))[0] for href in hrefs if not href.startswith(("#", "data:"))]
        assert all(link.startswith(site_url) for link in links), [l for l in links if not l.startswith(site_url)]
        seen[url] = links
        todo += [link for link in links if link not in seen]
    return seen


def test_every_page_and_link_resolves_without_console_errors(page, site_url, example_site):
    seen = _crawl(page, site_url)
    pages = [url for url in seen if url.endswith(".html")]
    assert len(pages) >= 10 and sum(url.endswith(".pdf") for url in seen) == 5
    assert len([url for url in pages if "/redline-" in url]) == 2
    assert page.errors == [], "\n".join(page.errors)  # no console error, no failed request, no missing asset (a 404 is caught too)


def test_search_finds_a_sentence_from_a_document(page, site_url):
    page.goto(site_url + "zoeken.html")
    page.get_by_label("Zoek een woord of zin").fill("groeiende installatiesector")
    page.get_by_role("button", name="Zoeken").click()
    result = page.locator(".search-results li a").first
    result.wait_for()
    assert "Regioplan" in result.inner_text()
    result.click()
    assert page.url.endswith(f"{EXAMPLE}/regioplan.html")
    assert page.errors == []


@pytest.mark.parametrize("path", ["index.html", f"{EXAMPLE}/index.html", f"{EXAMPLE}/meerjarenbegroting.html",
                                  f"{EXAMPLE}/activiteitenplan.html", "zoeken.html"])
def test_a_phone_never_scrolls_sideways(browser, site_url, path):
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.goto(site_url + path)
    width = phone.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= PHONE["width"], path


def test_redline_on_a_phone_never_scrolls_sideways(browser, site_url, example_site):
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    for redline in sorted((example_site.folder / EXAMPLE).glob("redline-*.html")):
        phone.goto(f"{site_url}{EXAMPLE}/{redline.name}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], redline.name
    context.close()


def test_axe_finds_no_serious_or_critical_violation(page, site_url, example_site):
    redline = sorted((example_site.folder / EXAMPLE).glob("redline-*.html"))[-1].name
    axe = Axe()
    for path in ("index.html", f"{EXAMPLE}/index.html", f"{EXAMPLE}/regioplan.html", f"{EXAMPLE}/meerjarenbegroting.html",
                 f"{EXAMPLE}/{redline}", "zoeken.html"):
        page.goto(site_url + path)
        violations = axe.run(page).response["violations"]
        serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                   if v["impact"] in ("serious", "critical")]
        assert serious == [], path
