"""The HTML case report: one self-contained page, checked as text and in a real browser.

The browser tests drive Debian's Chromium (/usr/bin/chromium) with Playwright; they are
skipped, saying so, only when that browser is missing. Expected states and dates are
worked out by hand for examples/dis-undocumented-prepared-return.yaml:

  1 2022-03-01 contact                 pathway: Before first contact -> In contact with outreach or an authority
  2 2022-03-10 identified by DIS       -> Reflection period running; 2022-03-10 + 30 days = 2022-04-09 (a Saturday):
                                          last day of the reflection period and departure deadline
  3 2022-04-01 extension requested     -> Extension requested, awaiting a decision
  4 2022-04-05 extension granted       -> Reflection period extended; departure deadline moves to the maximum,
                                          2022-03-10 + 120 days = 2022-07-08 (a Friday)
  5 2022-06-20 prepared return accepted (no change of state)
  6 2022-07-01 returned                -> Returned home under a prepared return; 2022-07-01 + 6 months =
                                          2023-01-01: reintegration support is then the only entitlement

Set CASEPATH_SCREENSHOT=1 to (re)write docs/report-screenshot.png and docs/step-through-step-2.png
from this example.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from casepath import api, cli
from casepath.render import html

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dis-undocumented-prepared-return.yaml"
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


def _render(*files: Path) -> str:
    reports = []
    for file in files:
        scenario = api.load_scenario(file)
        workflow = api.load_workflow(scenario.workflow)
        reports.append((api.simulate(scenario, workflow, steps=True), workflow))
    return html.render_all(reports)


def _write_html(tmp_path: Path, *files: Path, lang: str = "en") -> Path:
    out = tmp_path / "case.html"
    code = cli.main(["simulate", *map(str, files), "--format", "html", "--output", str(out), "--lang", lang])
    assert code == 0
    return out


# ---------------------------------------------------------------- the file itself


def test_a_pseudonym_that_looks_like_markup_stays_text(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("alias: A\n", "alias: <script>alert(1)</script>\n")
    scenario = tmp_path / "markup.yaml"
    scenario.write_text(text, encoding="utf-8")
    page = _render(scenario)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The page's own scripts: the step-through data and the one small script, nothing else.
    assert page.count("<script") == 2


def test_the_page_needs_no_network() -> None:
    page = _render(EXAMPLE)
    # The only addresses are links to the public source documents, which a reader may follow;
    # the page itself loads nothing.
    links = set(re.findall(r'<a href="(https://[^"]+)" rel="noopener noreferrer">', page))
    known = {doc.url for doc in api.load_workflow("denmark").spec.sources.values() if doc.url}
    assert links and links <= known
    assert re.findall(r"https?://", re.sub(r'<a href="https://[^"]+"', "<a", page)) == []
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\bsrc=", page)
    assert "@import" not in page and "url(" not in page.replace("url(#r1-", "")


def test_the_same_reports_give_the_same_bytes(tmp_path: Path) -> None:
    first = _write_html(tmp_path, EXAMPLE).read_bytes()
    second = _render(EXAMPLE).encode("utf-8")
    assert first == second == _render(EXAMPLE).encode("utf-8")


def test_the_page_shows_what_the_text_report_shows() -> None:
    page = _render(EXAMPLE)
    assert '<html lang="en">' in page
    for shown in (
        "Undocumented woman identified by DIS accepts a prepared return (2022)",
        "Person (pseudonym)",
        "prepared return",
        "2022-04-09 (Sat)",  # last day of the reflection period
        "2022-07-08 (Fri)",  # the departure deadline after the extension
        "2023-01-01 (Sun)",  # end of reintegration support
        "is a public holiday (New Year&#39;s Day)",
        "Reintegration support after return",
        "Returned home under a prepared return",
        "How days and months are counted",
        "US TIP Report 2023",
    ):
        assert shown in page, shown


def test_several_scenarios_make_one_page_with_a_section_each() -> None:
    other = ROOT / "examples" / "asylum-seeker-refused-then-reflection.yaml"
    page = _render(EXAMPLE, other)
    assert page.count("<html") == 1
    assert page.count('<article class="case"') == 2
    assert 'id="r1"' in page and 'id="r2"' in page
    assert '<nav class="contents"' in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "element ids must be unique on the page"


def test_a_report_made_without_its_steps_has_no_step_through_but_the_rest_stands() -> None:
    scenario = api.load_scenario(EXAMPLE)
    workflow = api.load_workflow(scenario.workflow)
    page = html.render_all([(api.simulate(scenario, workflow), workflow)])
    assert "data-steps=" not in page
    assert "made without its steps" in page
    assert "2022-07-08 (Fri)" in page


def test_the_steps_come_from_the_run_itself_not_from_the_file(tmp_path: Path) -> None:
    copy = tmp_path / "case.yaml"
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    scenario = api.load_scenario(copy)
    workflow = api.load_workflow(scenario.workflow)
    report = api.simulate(scenario, workflow, steps=True)
    copy.unlink()  # gone before the page is made: the report carries its steps
    steps = report.steps
    assert steps is not None and [s.number for s in steps] == [1, 2, 3, 4, 5, 6]
    assert steps[-1].report is report
    # at step 2 (identified 2022-03-10) the departure deadline is 2022-03-10 + 30 days = 2022-04-09, upcoming
    second = steps[1].report
    assert [(d.id, d.due, d.status) for d in second.deadlines if d.id == "departure_deadline"] == [
        ("departure_deadline", "2022-04-09", "upcoming")
    ]
    assert "reintegration_support" not in {e.id for e in second.entitlements}
    page = html.render_all([(report, workflow)])
    assert page.count('class="step-body"') == 5 and page.count('class="step-body final"') == 1


def test_a_timeline_report_steps_through(tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    code = cli.main(
        [
            "timeline",
            "--identified",
            "2022-03-10",
            "--residence",
            "undocumented",
            "--extension-requested",
            "2022-04-01",
            "--reason",
            "special_circumstances",
            "--format",
            "html",
            "--output",
            str(out),
        ]
    )
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert 'data-steps="r1-steps"' in page
    assert page.count('class="step-body"') == 1  # 2 events: step 1 hidden, step 2 is the report itself


def test_a_scenario_stopped_by_a_rule_says_so_and_steps_to_the_refusal() -> None:
    page = _render(ROOT / "examples" / "extension-beyond-100-day-maximum-in-2012.yaml")
    assert "Stopped at event" in page
    assert "exceeds maximum" in page


def test_a_danish_page_has_danish_headings_dates_and_pictures(tmp_path: Path) -> None:
    page = _write_html(tmp_path, EXAMPLE, lang="da").read_text(encoding="utf-8")
    assert '<html lang="da">' in page
    for shown in (
        "casepath sagsrapport",
        "Hvad der er sket",
        "Frister",
        "Udrejsefrist",
        "2022-04-09 (lør)",  # 2022-03-10 + 30 days, a Saturday
        "2022-07-08 (fre)",  # 2022-03-10 + 120 days, a Friday
        "Sagens tidslinje",  # the time line's SVG title
        "maj 2022",  # a tick of the time line
        "Tilstandsdiagram: Ophold og forløb",  # a diagram's SVG title
        ">Forrige</button>",
        'aria-label="Gå sagen igennem skridt for skridt"',
        "data-words=",  # the step-through script's words
    ):
        assert shown in page, shown
    body = page[page.index('<a class="skip"') : page.index("<script>\n")]  # data-words is keyed in English
    for english in ("What happened", "Deadlines", "Previous", "(Sat)", "Time line", "State diagram", "casepath case"):
        assert english not in body, english


# ---------------------------------------------------------------- in a real browser

# CI sets CASEPATH_REQUIRE_TOOLS=1: there a missing browser fails the tests instead of skipping them.
MAY_SKIP = os.environ.get("CASEPATH_REQUIRE_TOOLS") != "1"
browser_only = pytest.mark.skipif(
    not CHROMIUM.exists() and MAY_SKIP,
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() and MAY_SKIP:
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def opened(browser, tmp_path: Path):
    """The example's page, opened from disk, with every request and console problem recorded."""
    out = _write_html(tmp_path, EXAMPLE)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    url = out.resolve().as_uri()
    page.goto(url)
    yield page, url, requests, problems
    page.close()


def _step_panel(page, title: str) -> str:
    return page.locator(".step-grid > div").filter(has=page.get_by_role("heading", name=title)).inner_text()


@browser_only
def test_the_page_shows_timeline_deadlines_and_diagram_and_fetches_nothing(opened) -> None:
    page, url, requests, problems = opened
    assert page.locator("svg.timeline:visible").count() == 1
    assert page.get_by_role("heading", name="Deadlines", exact=True).is_visible()
    assert page.locator("svg.diagram:visible").count() == 5  # one per track of the workflow
    # The case's path is marked in the diagram: it ended in the returned state.
    assert page.locator('svg.diagram:visible .state.now[data-state="returned"]').count() == 1
    assert page.locator("svg.diagram:visible .edge.taken").count() >= 5
    assert requests == [url]
    assert problems == []


@browser_only
def test_stepping_through_shows_the_case_after_each_event(opened) -> None:
    page, url, requests, problems = opened
    status = page.locator(".step-status")
    assert status.inner_text() == "Step 6 of 6 (the case as it stands)"
    assert _step_panel(page, "Entitlements that apply now").splitlines()[1:] == [
        "Reintegration support after return (from 2022-07-01 (Fri), until 2023-01-01 (Sun) at the latest)"
    ]

    page.get_by_role("button", name="First").click()
    assert status.inner_text().startswith("Step 1 of 6. 2022-03-01 (Tue): First contact.")
    assert "Stay and pathway: In contact with outreach or an authority" in _step_panel(page, "Tracks")
    assert "None" in _step_panel(page, "Deadlines set so far")

    page.get_by_role("button", name="Next").click()
    assert status.inner_text().startswith("Step 2 of 6. 2022-03-10 (Thu): Formally identified as a victim.")
    assert "Stay and pathway: Reflection period running" in _step_panel(page, "Tracks")
    deadlines = _step_panel(page, "Deadlines set so far")
    assert "2022-04-09 (Sat) — Last day of the reflection period upcoming" in deadlines
    assert "2022-04-09 (Sat) — Departure deadline upcoming" in deadlines
    assert "Safe accommodation" in _step_panel(page, "Entitlements that apply now")
    assert page.locator('svg.diagram:visible .state.now[data-state="reflection"]').count() == 1

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert status.inner_text().startswith("Step 4 of 6. 2022-04-05 (Tue): Extension granted.")
    assert "Stay and pathway: Reflection period extended" in _step_panel(page, "Tracks")
    deadlines = _step_panel(page, "Deadlines set so far")
    assert "2022-07-08 (Fri) — Departure deadline upcoming" in deadlines
    assert "2022-04-09 (Sat) — Departure deadline" not in deadlines  # replaced, so no longer shown
    # The time line follows: it shows the 4 events known then, and nothing after them.
    assert page.locator("svg.timeline:visible .event").count() == 4

    page.keyboard.press("ArrowLeft")
    assert status.inner_text().startswith(
        "Step 3 of 6. 2022-04-01 (Fri): Extension of the reflection period requested."
    )
    assert page.locator("[aria-live=polite]").count() >= 1
    assert requests == [url]
    assert problems == []


@browser_only
def test_at_step_2_nothing_later_shows(opened) -> None:
    page, url, requests, problems = opened
    assert requests == [url]
    page.get_by_role("button", name="First").click()
    page.get_by_role("button", name="Next").click()
    assert page.locator(".step-status").inner_text().startswith("Step 2 of 6. 2022-03-10 (Thu)")
    shown = page.locator("main").inner_text()
    # identified 2022-03-10: the departure deadline is 2022-03-10 + 30 days = 2022-04-09, still ahead;
    # the 2022-07-08 one is set only by the extension of step 4, and reintegration support by the return (step 6)
    assert "Departure deadline" in shown and "2022-04-09 (Sat)" in shown
    assert "2022-07-08 (Fri)\nDeparture deadline" not in shown
    assert "Reintegration support" not in shown
    happened = page.locator("ol.events:visible").inner_text()
    assert "Formally identified as a victim" in happened
    assert "Returned home" not in happened and "Extension granted" not in happened
    visible_statuses = page.locator(".card.deadline:visible .status").all_inner_texts()
    assert visible_statuses and set(visible_statuses) == {"upcoming"}
    # the time line and the diagrams show the two events known then
    assert page.locator("svg.timeline:visible .event").count() == 2
    assert page.locator('svg.diagram:visible .state.now[data-state="reflection"]').count() == 1
    assert page.locator('svg.diagram:visible .state.visited[data-state="returned"]').count() == 0
    assert problems == []


@browser_only
def test_a_timeline_page_steps_through_in_the_browser(browser, tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    args = ["timeline", "--identified", "2022-03-10", "--residence", "undocumented", "--format", "html"]
    assert (
        cli.main([*args, "--extension-requested", "2022-04-01", "--reason", "special_circumstances", "-o", str(out)])
        == 0
    )
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(out.resolve().as_uri())
    status = page.locator(".step-status")
    assert status.inner_text() == "Step 2 of 2 (the case as it stands)"
    page.get_by_role("button", name="Previous").click()
    assert status.inner_text().startswith("Step 1 of 2.")
    assert page.locator("svg.timeline:visible .event").count() == 1
    page.close()


@browser_only
def test_a_danish_page_steps_through_in_danish(browser, tmp_path: Path) -> None:
    out = _write_html(tmp_path, EXAMPLE, lang="da")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(out.resolve().as_uri())
    for heading in ("Hvad der er sket", "Frister", "Rettigheder", "Tidslinje", "Kildedokumenter"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    status = page.locator(".step-status")
    assert status.inner_text() == "Skridt 6 af 6 (sagen, som den står)"
    page.get_by_role("button", name="Første").click()
    assert status.inner_text().startswith("Skridt 1 af 6. 2022-03-01 (tir): Første kontakt.")
    assert "Ingen" in _step_panel(page, "Frister fastsat indtil nu")
    page.get_by_role("button", name="Næste").click()
    assert status.inner_text().startswith("Skridt 2 af 6. 2022-03-10 (tor): Formelt identificeret som offer.")
    deadlines = _step_panel(page, "Frister fastsat indtil nu")
    assert "2022-04-09 (lør) — Udrejsefrist løber" in deadlines
    page.keyboard.press("End")
    entitlements = _step_panel(page, "Rettigheder, der gælder nu").splitlines()[1:]
    assert entitlements == [
        "Reintegrationsstøtte efter hjemkomsten (fra 2022-07-01 (fre), senest til 2023-01-01 (søn))"
    ]
    assert problems == []
    page.close()


@browser_only
def test_print_shows_no_controls(opened) -> None:
    page, url, requests, problems = opened
    assert page.locator(".controls").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".controls").is_hidden()
    assert page.locator(".stepper").is_hidden()
    assert page.locator("svg.timeline:visible").count() == 1  # the whole case, whatever the step on screen
    assert page.locator("svg.diagram:visible").count() == 5
    # Pictures and deadline cards are never cut by a page break.
    for selector in ("figure.picture", ".card"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    # The page asks for A4 (595 x 842 points), and Chromium prints it so.
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = {tuple(round(float(n)) for n in box) for box in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert sizes == {(595, 842)}
    assert requests == [url]
    assert problems == []


@browser_only
@pytest.mark.skipif(os.environ.get("CASEPATH_SCREENSHOT") != "1", reason="set CASEPATH_SCREENSHOT=1 to rewrite it")
def test_write_the_screenshot_for_the_docs(opened, tmp_path: Path) -> None:
    page = opened[0]
    shot = tmp_path / "report-screenshot.png"
    page.screenshot(path=str(shot), clip={"x": 0, "y": 0, "width": 1100, "height": 1500})  # the top: kept small
    shutil.copyfile(shot, ROOT / "docs" / "report-screenshot.png")


@browser_only
@pytest.mark.skipif(os.environ.get("CASEPATH_SCREENSHOT") != "1", reason="set CASEPATH_SCREENSHOT=1 to rewrite it")
def test_write_the_step_2_screenshot_for_the_docs(opened, tmp_path: Path) -> None:
    """The step-through at step 2, as a trainer shows it to a class (README: For trainers)."""
    page = opened[0]
    page.get_by_role("button", name="First").click()
    page.get_by_role("button", name="Next").click()
    assert page.locator(".step-status").inner_text().startswith("Step 2 of 6.")
    top = page.locator("section.stepper:visible").bounding_box()
    assert top is not None
    shot = tmp_path / "step-through-step-2.png"
    y = max(0, top["y"] - 10)
    page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": y, "width": 1100, "height": 1250})
    shutil.copyfile(shot, ROOT / "docs" / "step-through-step-2.png")
