"""End to end in Debian's chromium (headless, driven by Playwright): analyse an article with
the progress shown while the page polls for it (and without JavaScript), see the highlights,
open a card with the mouse and the keyboard, filter in the page by technique and confidence,
export and compare; the article page fits 1280 px and 390 px windows with every panel and shows
the evidence; axe-core finds no serious or critical violation on any page, the API explorer
included (open, trying out and answering), and none at all in the HTML report and the corpus
report.

Screenshots go to ``artifacts/web/`` (git-ignored). Skipped when /usr/bin/chromium is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import ARTIFACTS, BROWSER_MARKS, WIDER_THAN_WINDOW, serious_violations
from web_helpers import ARTICLE, SLUR, LiveServer, slur_analysis

from propwatch import Analysis, Article, Span, registry
from propwatch.db import repo
from propwatch.render.corpus import analysis_tallies, corpus_statistics
from propwatch.render.corpus_report import Statistics, build_report_view, render_report
from propwatch.render.view import Glossary

OTHER = "Harbour reopens\n\nThe harbour reopened on Monday; a disaster was avoided."

pytestmark = BROWSER_MARKS


def analyse(page: object, server: LiveServer, text: str, outlet: str) -> None:
    page.goto(f"{server.url}/")  # type: ignore[attr-defined]
    page.fill("#text", text)  # type: ignore[attr-defined]
    page.fill("#outlet", outlet)  # type: ignore[attr-defined]
    page.click("#analyse-button")  # type: ignore[attr-defined]
    page.wait_for_selector("#article-text")  # type: ignore[attr-defined]


def test_analyse_highlight_card_filter_export_compare(
    browser: object, live_server: LiveServer
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )

    analyse(page, live_server, ARTICLE, "Daily Example")
    assert page.url == f"{live_server.url}/articles/1"
    marks = page.locator("mark.hl")
    assert marks.count() == 4
    assert marks.all_inner_texts() == ["corrupt", " elites", "everyone", "disaster"]
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "01-article.png"), full_page=True)

    # Hover: the card lists both techniques of the overlapping fragment.
    marks.nth(0).hover()
    card = page.locator("#card")
    card.wait_for(state="visible")
    assert card.locator("strong").all_inner_texts() == [
        "Name calling / labeling",
        "Loaded language",
    ]
    assert "Confidence 75%" in card.inner_text()
    page.screenshot(path=str(ARTIFACTS / "02-card-hover.png"))

    # Keyboard: Tab reaches a highlight, arrows move between them, Escape closes the card.
    page.mouse.move(5, 5)
    page.focus("#text-heading ~ form button")
    while page.evaluate("document.activeElement.tagName") != "MARK":
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.spans") == "2 1"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "everyone"
    assert card.locator("strong").all_inner_texts() == ["Exaggeration / minimisation"]
    page.keyboard.press("Escape")
    assert card.is_hidden()

    # Filter to one technique, then by confidence, in the page: no reload (the mark set on
    # the window survives), the address keeps the filters for a reload or a link.
    page.evaluate("window.notReloaded = true")
    page.check("input[name=technique][value=Loaded_Language]")
    assert page.locator("mark.hl:not(.off)").all_inner_texts() == ["corrupt", "disaster"]
    assert page.locator("#found .found-item:visible strong").all_inner_texts() == [
        "Loaded language",
        "Loaded language",
    ]
    assert page.inner_text("#shown-count") == "2 of 4 shown"
    assert page.url.endswith("/articles/1?technique=Loaded_Language")
    page.screenshot(path=str(ARTIFACTS / "03-filtered.png"), full_page=True)
    page.fill("#min-confidence", "0.8")  # the keyword tagger scores every span 0.75
    assert page.locator("mark.hl:not(.off)").count() == 0
    assert page.inner_text("#min-confidence-value") == "80%"
    assert page.inner_text("#shown-count") == "0 of 4 shown"
    page.fill("#min-confidence", "0")
    page.uncheck("input[name=technique][value=Loaded_Language]")
    assert page.locator("mark.hl:not(.off)").count() == 4
    assert page.evaluate("window.notReloaded") is True
    assert page.url == f"{live_server.url}/articles/1"

    # Export the SemEval technique-classification TSV.
    with page.expect_download() as download_info:
        page.click("a[href$='/export/semeval-flc']")
    download = download_info.value
    assert download.suggested_filename == "propwatch-article-1.txt"
    assert Path(download.path()).read_text(encoding="utf-8") == (
        "pasted\tLoaded_Language\t31\t38\n"
        "pasted\tName_Calling-Labeling\t31\t45\n"
        "pasted\tExaggeration-Minimisation\t69\t77\n"
        "pasted\tLoaded_Language\t96\t104\n"
    )

    # Compare with a second article.
    analyse(page, live_server, OTHER, "Port News")
    page.goto(f"{live_server.url}/compare")
    page.select_option("#a", "1")
    page.select_option("#b", "2")
    page.click("#compare-button")
    page.wait_for_selector("section.profile")
    assert page.locator("section.profile h2").all_inner_texts() == [
        "Council vote sparks anger",
        "Harbour reopens",
    ]
    assert page.locator("section.profile svg.chart").count() == 2
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "04-compare.png"), full_page=True)

    for path in ("/", "/library", "/outlets", "/api"):
        page.goto(f"{live_server.url}{path}")
        assert serious_violations(page) == [], path
        page.screenshot(
            path=str(ARTIFACTS / f"05-{path.strip('/') or 'analyse'}.png"), full_page=True
        )
    context.close()
    assert problems == []


def test_analysing_shows_progress_then_opens_the_result(
    browser: object, live_server: LiveServer
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    # The first polls answer "running" whatever the job's state, so the progress can be seen
    # however fast the keyword pipeline is; later ones reach the server.
    polls: list[str] = []

    def running_twice(route: object) -> None:
        polls.append(route.request.url)  # type: ignore[attr-defined]
        if len(polls) <= 2:
            route.fulfill(json={"state": "running"})  # type: ignore[attr-defined]
        else:
            route.continue_()  # type: ignore[attr-defined]

    page.route("**/analyze/jobs/*", running_twice)
    page.goto(f"{live_server.url}/")
    page.fill("#text", ARTICLE)
    page.click("#analyse-button")
    page.wait_for_selector("#analyse-status:has-text('Analysing… ')")
    assert page.is_disabled("#analyse-button")
    assert page.inner_text("#analyse-button") == "Analysing…"
    assert page.input_value("#text") == ARTICLE
    page.wait_for_url(f"{live_server.url}/articles/1")
    assert page.locator("mark.hl").count() == 4
    assert len(polls) == 3

    # A refused text: the message, the text kept, the button usable again.
    page.goto(f"{live_server.url}/")
    page.fill("#text", "   ")
    page.click("#analyse-button")
    page.wait_for_selector("#analyse-status.error")
    assert page.inner_text("#analyse-status") == "text: empty text; paste an article"
    assert page.is_enabled("#analyse-button")
    assert page.input_value("#text") == "   "
    page.close()


def test_analyse_and_filter_without_javascript(browser: object, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    analyse(page, live_server, ARTICLE, "Daily Example")
    assert page.url == f"{live_server.url}/articles/1"
    page.check("input[name=technique][value=Loaded_Language]")
    page.click("#apply-filters")
    page.wait_for_url("**technique=Loaded_Language&min_confidence=0")
    assert page.locator("mark.hl:not(.off)").all_inner_texts() == ["corrupt", "disaster"]
    context.close()


LONG_TEXT = (
    "Harbour authority approves the eastern terminal expansion after a long night\n"
    "\n"
    "The reckless harbour board approved the eastern terminal expansion at midnight, "
    "ignoring every objection filed by residents of the old quarter.\n"
    "\n"
    "Councillor Maria Fernandez-Oyelaran called the decision a betrayal of every family "
    "that has fished these waters for generations.\n"
    "\n"
    "Details: https://harbour.example.org/minutes/2024/eastern-terminal-expansion-final-vote\n"
)
LONG_FRAMES = [
    "Legality_Constitutionality_and_jurisprudence",
    "Capacity_and_resources",
    "Quality_of_life",
    "Fairness_and_equality",
    "Policy_prescription_and_evaluation",
]


def _evidence_analysis() -> Analysis:
    """An article with every panel filled: frames with long labels, roles with sentences,
    techniques by paragraph, quotes, narratives, and a long unbroken address."""
    text = LONG_TEXT
    analysis = Analysis(
        Article(id="harbour", text=text, title=text.split("\n", 1)[0], outlet="Port News")
    )
    lines = [0, *(i + 2 for i, c in enumerate(text) if text[i : i + 2] == "\n\n")]
    ends = [text.index("\n", start) for start in lines]
    analysis.set_layer(
        "paragraphs",
        [
            Span(s, e, "paragraph", attrs={"line": 2 * n + 1})
            for n, (s, e) in enumerate(zip(lines, ends, strict=True))
        ],
    )
    reckless = text.index("reckless harbour board")
    betrayal = text.index("a betrayal of every family")
    analysis.set_layer(
        "techniques",
        [
            Span(
                reckless,
                reckless + 22,
                "Name_Calling-Labeling",
                0.82,
                {"category": "attack on reputation"},
            ),
            Span(
                reckless,
                reckless + 8,
                "Loaded_Language",
                0.64,
                {"category": "manipulative wording"},
            ),
            Span(
                betrayal,
                betrayal + 26,
                "Appeal_to_Fear-Prejudice",
                0.41,
                {"category": "justification"},
            ),
        ],
    )
    quote = text.index("the decision a betrayal")
    analysis.set_layer(
        "quotes",
        [Span(quote, ends[2] - 1, "indirect", attrs={"speaker": "Maria Fernandez-Oyelaran"})],
    )
    name = text.index("Maria Fernandez-Oyelaran")
    board = text.index("harbour board")
    analysis.set_layer(
        "entities",
        [
            Span(
                board,
                board + 13,
                "Antagonist",
                0.77,
                {
                    "entity": "Eastern Harbour Development Authority Board",
                    "fine_roles": ["Incompetent", "Corrupt", "Deceiver"],
                    "sentence": [lines[1], ends[1]],
                },
            ),
            Span(
                name,
                name + 24,
                "Protagonist",
                0.43,
                {
                    "entity": "Maria Fernandez-Oyelaran",
                    "fine_roles": ["Guardian", "Virtuous"],
                    "sentence": [lines[2], ends[2]],
                },
            ),
        ],
    )
    analysis.labels.update(
        scheme="semeval2023",
        genre="opinion",
        genre_scores={"opinion": 0.58, "reporting": 0.4, "satire": 0.02},
        genre_evidence=[[lines[1], ends[1]]],
        frames=LONG_FRAMES,
        frame_scores={f: 0.9 - 0.1 * i for i, f in enumerate(LONG_FRAMES)},
        paragraph_techniques=[
            {
                "line": 3,
                "techniques": ["Name_Calling-Labeling", "Loaded_Language"],
                "scores": [0.8, 0.6],
            },
            {"line": 5, "techniques": ["Appeal_to_Fear-Prejudice"], "scores": [0.38]},
        ],
        narratives=[
            {
                "narrative": "CC: Criticism of institutions and authorities",
                "subnarratives": [
                    "CC: Criticism of institutions and authorities: Criticism of local authorities"
                ],
                "score": 0.66,
                "evidence": [[lines[1], ends[1]]],
            }
        ],
    )
    return analysis


def test_article_page_fits_phone_and_desktop_and_shows_evidence(
    browser: object, live_server: LiveServer
) -> None:
    with live_server.app.state.services.sessions() as session:
        article_id = repo.add_analysis(session, _evidence_analysis()).id
    page = browser.new_page()  # type: ignore[attr-defined]
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/articles/{article_id}")
        assert page.evaluate(WIDER_THAN_WINDOW) == [], width
        page.screenshot(path=str(ARTIFACTS / f"07-evidence-{width}.png"), full_page=True)
    # The title opens the text and is shown there only; the h1 is for screen readers.
    assert page.inner_text("#article-text .title-line") == LONG_TEXT.split("\n")[0]
    heading = page.locator("h1").bounding_box()
    assert heading is not None and heading["width"] <= 1
    # Evidence: probabilities, low confidence marked, sentences behind the roles, paragraphs.
    assert page.inner_text("dl.pairs dd >> nth=0") == "opinion 58%"
    # The genre's cue sentence, shown on request.
    page.click("#genre-frame-cues summary")
    assert (
        page.locator("#genre-frame-cues blockquote >> nth=0").inner_text()
        == (LONG_TEXT.split("\n")[2])
    )
    assert page.locator("#paragraph-techniques li").all_inner_texts() == [
        "Line 3: The reckless harbour board approved the eastern terminal expansion at midnight,"
        " ignoring…\n\nName calling / labeling 80%; Loaded language 60%",
        "Line 5: Councillor Maria Fernandez-Oyelaran called the decision a betrayal of every "
        "family that…\n\nAppeal to fear / prejudice 38% (low confidence)",
    ]
    assert page.locator("#entity-roles tr.evidence").all_inner_texts() == [
        LONG_TEXT.split("\n")[2],
        LONG_TEXT.split("\n")[4],
    ]
    assert "Protagonist 43% (low confidence)" in page.inner_text("#entity-roles")
    assert serious_violations(page) == []
    page.close()


def test_api_explorer_runs_under_the_csp(browser: object, live_server: LiveServer) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    # The 1.5 MB Swagger UI bundle parses slowly on a busy shared machine.
    page.goto(f"{live_server.url}/api/docs", timeout=180_000)
    page.wait_for_selector(".opblock", timeout=180_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert sorted(set(paths)) == [
        "/api/v1/analyze",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/annotations",
        "/api/v1/articles/{article_id}/annotations/{annotation_id}",
        "/api/v1/articles/{article_id}/export/{format_name}",
        "/api/v1/articles/{article_id}/techniques/{number}/words",
        "/api/v1/stats",
    ]
    page.screenshot(path=str(ARTIFACTS / "06-api-explorer.png"))
    # axe-core on the page, then with an operation open for trying out and the schemas shown
    # (Swagger's colours are overridden in app.css; swagger-init.js names its menus).
    assert serious_violations(page) == []
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")
    assert serious_violations(page) == []
    page.click(".try-out__btn")
    page.wait_for_selector(".execute")
    page.locator(".models-control").click()  # the schemas, expanded
    assert serious_violations(page) == []
    # A request sent: its curl line and the answer, with their copy and download buttons.
    stats = page.locator("#operations-api-stats_api_v1_stats_get")
    stats.locator(".opblock-summary-control").click()
    stats.locator(".try-out__btn").click()
    stats.locator(".execute").click()
    stats.locator(".live-responses-table .response .response-col_status").wait_for()
    assert serious_violations(page) == []
    page.close()
    assert problems == []


REPORT_TEXT = "Council vote sparks anger\n\nThe corrupt elites ignored everyone, a disaster.\n"


def _report_analysis() -> Analysis:
    analysis = Analysis(Article(id="council", title="Council vote sparks anger", text=REPORT_TEXT))
    spans = [
        ("corrupt elites", "Name_Calling-Labeling", "attack on reputation"),
        ("corrupt", "Loaded_Language", "manipulative wording"),
        ("everyone", "Exaggeration-Minimisation", "manipulative wording"),
        ("disaster", "Appeal_to_Fear-Prejudice", "justification"),
    ]
    analysis.set_layer(
        "techniques",
        [
            Span(REPORT_TEXT.index(t), REPORT_TEXT.index(t) + len(t), name, 0.8, {"category": c})
            for t, name, c in spans
        ],
    )
    analysis.labels = {"genre": "opinion", "frames": ["Political"]}
    return analysis


def test_html_reports_pass_axe(browser: object, tmp_path: Path) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    analysis = _report_analysis()
    report = tmp_path / "report.html"
    with report.open("w", encoding="utf-8") as stream:
        # The second article fills every panel: probabilities, paragraphs, roles' sentences.
        registry.writers.get("html").write([analysis, _evidence_analysis()], stream)
    tallies = analysis_tallies("Daily Example", "2024-03", analysis.to_dict())
    stats = Statistics("outlet", corpus_statistics(tallies), layers={"techniques"})
    corpus = tmp_path / "corpus.html"
    corpus.write_text(
        render_report(build_report_view(stats), "corpus report", Glossary.load()), "utf-8"
    )
    page = browser.new_page()  # type: ignore[attr-defined]
    for path in (report, corpus):
        page.goto(path.as_uri())
        results = axe.run(page, options={"resultTypes": ["violations", "passes"]}).response
        assert [v["id"] for v in results["violations"]] == [], path.name
        if path == report:
            # The span numbers link to their cards: dark text over a category underline, not
            # category-coloured text (2.37:1 for manipulative wording's #d4a017 on white).
            contrast = next(r for r in results["passes"] if r["id"] == "color-contrast")
            ratios = [
                n["any"][0]["data"]["contrastRatio"]
                for n in contrast["nodes"]
                if n["target"][0].startswith('a[href$="#article-1-span-')
            ]
            assert len(ratios) == 4 and min(ratios) >= 4.5
    page.close()


def test_a_card_shows_the_words_that_weighed_most_on_request(
    browser: object, live_server: LiveServer
) -> None:
    with live_server.app.state.services.sessions() as session:
        article_id = repo.add_analysis(session, slur_analysis()).id
    page = browser.new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/articles/{article_id}")
    weighed = page.locator("#span-1 .weighed")
    assert weighed.inner_text() == "Which words weighed most?"  # nothing computed yet
    weighed.locator("button").click()
    weighed.locator("strong").first.wait_for()
    assert weighed.inner_text().startswith("Words that weighed most: ")
    words = weighed.locator("strong").all_inner_texts()
    assert words[0] in SLUR.split() and 1 <= len(words) <= 5
    # The hover card clones the item, words included.
    page.locator("mark.hl").first.hover()
    card = page.locator("#card")
    card.wait_for(state="visible")
    assert card.locator(".weighed strong").all_inner_texts() == words
    assert serious_violations(page) == []
    assert problems == []
    page.close()
