"""A reviewer corrects the model on the article page in Debian's chromium (Playwright): with the
keyboard they relabel a span, resize another and add one they select, and change a quote's
speaker and an entity's role; a colleague's edit in between is a conflict the page explains;
the corrections come out of ``propwatch annotations export`` as Label Studio tasks and JSONL
and ``import`` reads both back as they were. On a server with API keys the page asks for one
and the corrections are by the key's name.

Skipped when /usr/bin/chromium is absent, like the other browser tests.
"""

from __future__ import annotations

import json
from pathlib import Path

from browser_helpers import ARTIFACTS, BROWSER_MARKS, WIDER_THAN_WINDOW, serious_violations
from typer.testing import CliRunner
from web_helpers import ARTICLE, LiveServer, make_settings, serve

from propwatch.cli.main import app as cli
from propwatch.db import repo
from propwatch.db.engine import make_engine, make_sessionmaker, upgrade
from propwatch.text.analysis import ENTITIES, QUOTES, TECHNIQUES, Analysis
from propwatch.text.article import Article
from propwatch.text.span import Span
from propwatch.web.app import create_app
from propwatch.web.workers import AnalysisPool

pytestmark = BROWSER_MARKS

RESIZED = ARTICLE.index("a disaster for our town")  # the predicted span is "disaster"
ADDED = ARTICLE.index("sparks anger")  # in the title, where the model found nothing
# Selects [start, end) of the article text in the page, as a reader dragging over it would.
SELECT = """([start, end]) => {
  const text = document.getElementById("article-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.data.length;
    if (seen <= start && start <= seen + length) { range.setStart(node, start - seen); }
    if (seen <= end && end <= seen + length) { range.setEnd(node, end - seen); break; }
    seen += length;
  }
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
}"""


def stored_annotations(url: str) -> list[tuple[object, ...]]:
    """Every annotation in the database at ``url``: what it says, who and when."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        rows = [a for _row, annotations in repo.annotated_articles(session) for a in annotations]
    engine.dispose()
    return [(*a.key, a.who, a.created_at) for a in rows]


def database_with_the_article(source_url: str, path: Path) -> str:
    """A new database holding the article stored at ``source_url`` (its analysis, no
    annotations), as a colleague who analysed it too would have."""
    engine = make_engine(source_url)
    with make_sessionmaker(engine)() as session:
        analysis = repo.to_analysis(next(repo.annotated_articles(session))[0])
    engine.dispose()
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        repo.add_analysis(session, analysis)
    engine.dispose()
    return url


def test_review_in_the_page_then_export_and_import(
    browser: object, live_server: LiveServer, tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    stored = page.request.post(
        f"{live_server.url}/api/v1/analyze", data={"text": ARTICLE, "id": "council-1"}
    )
    assert stored.status == 201
    page.goto(f"{live_server.url}/articles/1")
    states = page.locator("#found .review-state")
    assert states.all_inner_texts() == ["Not reviewed"] * 4
    assert page.inner_text("#corrections") == "No corrections yet."

    # Keyboard: Enter on the highlight "everyone" goes to its review buttons.
    page.locator("mark.hl").nth(2).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "Accept"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    dialog = page.locator("#review-dialog")
    assert dialog.is_visible()
    assert page.inner_text("#review-dialog-title") == "Relabel or resize “everyone”"
    assert page.locator("input[name=review-technique]:checked").evaluate_all(
        "boxes => boxes.map((box) => box.value)"
    ) == ["Exaggeration-Minimisation"]
    assert serious_violations(page) == []
    page.check("#review-dialog input[value=Doubt]")
    page.focus("#review-end")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_selector("#review-status:has-text('Relabelled')")
    assert page.inner_text("#review-status") == "Relabelled “everyone”."
    assert page.evaluate("document.activeElement.dataset.review") == "edit"
    assert (
        states.nth(2)
        .inner_text()
        .startswith("Relabelled as Doubt; Exaggeration / minimisation by local, ")
    )
    page.keyboard.press("Escape")  # back to the highlight
    assert page.evaluate("document.activeElement.textContent") == "everyone"

    # Resize "disaster" to the whole phrase by its offsets (the arrow keys move them).
    page.click("#span-4 button[data-review=edit]")
    page.fill("#review-start", str(RESIZED))
    page.fill("#review-end", str(RESIZED + 23))
    assert page.inner_text("#review-fragment") == "a disaster for our town"
    page.click("#review-save")
    page.wait_for_selector("#review-status:has-text('Resized')")
    assert (
        states.nth(3)
        .inner_text()
        .startswith("Resized (Loaded language) to a disaster for our town by local, ")
    )

    # Add a missed span by selecting it.
    page.evaluate(SELECT, [ADDED, ADDED + 12])
    assert page.inner_text("#review-selection") == "Selected: “sparks anger”"
    page.click("#review-add")
    assert page.inner_text("#review-dialog-title") == "Add a missed technique"
    assert page.inner_text("#review-fragment") == "sparks anger"
    page.click("#review-save")
    assert page.inner_text("#review-dialog-error") == "Choose at least one technique."
    page.check("#review-dialog input[value=Loaded_Language]")
    page.click("#review-save")
    page.wait_for_selector("#review-status:has-text('Added')")

    # A colleague accepts "corrupt" meanwhile: the page's next write is refused, explained,
    # and the page shows the colleague's correction; done again, it is saved.
    colleague = page.request.post(
        f"{live_server.url}/api/v1/articles/1/annotations?version=3",
        data={
            "kind": "technique",
            "action": "accept",
            "start": 31,
            "end": 38,
            "labels": ["Loaded_Language"],
        },
    )
    assert colleague.status == 201
    page.click("#span-2 button[data-review=reject]")
    page.wait_for_selector("#review-status.error")
    assert page.inner_text("#review-status") == (
        "Not saved: someone else changed this article's corrections since the page showed "
        "them. The page now shows their changes; redo yours if it still applies."
    )
    assert states.nth(0).inner_text().startswith("Accepted by local, ")
    page.click("#span-2 button[data-review=reject]")
    page.wait_for_selector("#review-status:has-text('Rejected')")
    assert page.inner_text("#review-status") == "Rejected “corrupt elites”."
    assert [t.split(" by local")[0] for t in states.all_inner_texts()] == [
        "Accepted",
        "Rejected",
        "Relabelled as Doubt; Exaggeration / minimisation",
        "Resized (Loaded language) to a disaster for our town",
    ]
    summaries = page.locator("#corrections li")
    assert [t.split("\n")[0] for t in summaries.all_inner_texts()] == [
        "Relabelled as Doubt; Exaggeration / minimisation everyone (predicted span 3)",
        "Resized (Loaded language) a disaster for our town (predicted span 4)",
        "Added as Loaded language sparks anger",
        "Accepted corrupt (predicted span 1)",
        "Rejected corrupt elites (predicted span 2)",
    ]
    page.screenshot(path=str(ARTIFACTS / "08-review.png"), full_page=True)

    # A second reject, deleted again from the list.
    page.click("#span-3 button[data-review=reject]")
    page.wait_for_selector("#review-status:has-text('Rejected “everyone”')")
    assert summaries.count() == 6
    page.click("#corrections li >> nth=5 >> button[data-delete]")
    page.wait_for_selector("#review-status:has-text('Deleted')")
    assert summaries.count() == 5
    assert page.evaluate("document.activeElement.id") == "corrections-heading"
    assert states.nth(2).inner_text().startswith("Relabelled as Doubt")

    # The quote's speaker, changed in its own dialog.
    page.click("#speaker-1 button[data-review=edit]")
    assert page.inner_text("#label-dialog-title") == "Change the speaker"
    assert page.input_value("#speaker-name") == "Jane Park"
    page.fill("#speaker-name", "Mayor Jane Park")
    page.keyboard.press("Enter")
    page.wait_for_selector("#review-status:has-text('Relabelled “This is')")
    assert (
        page.locator("#speaker-1 .review-state")
        .inner_text()
        .startswith("Relabelled as Mayor Jane Park by local, ")
    )

    # Phone width: nothing wider than the window, dialog included; no serious violations.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate(WIDER_THAN_WINDOW) == []
    assert serious_violations(page) == []
    page.click("#span-4 button[data-review=edit]")
    assert page.evaluate(WIDER_THAN_WINDOW) == []
    page.screenshot(path=str(ARTIFACTS / "09-review-390.png"))
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.dataset.review") == "edit"
    page.close()
    assert problems == []

    # Export: Label Studio tasks hold the spans kept, the model's spans as predictions.
    runner = CliRunner()
    url = live_server.app.state.services.settings.database_url
    tasks, lines = tmp_path / "tasks.json", tmp_path / "corrections.jsonl"
    for name, path in (("labelstudio", tasks), ("jsonl", lines)):
        exported = runner.invoke(
            cli, ["annotations", "export", "--db", url, "--format", name, "-o", str(path)]
        )
        assert exported.exit_code == 0, exported.output
    (task,) = json.loads(tasks.read_text(encoding="utf-8"))
    assert task["data"] == {"text": ARTICLE, "propwatch_id": "council-1"}
    assert [r["value"] for r in task["annotations"][0]["result"]] == [
        {
            "start": 69,
            "end": 77,
            "text": "everyone",
            "labels": ["Doubt", "Exaggeration-Minimisation"],
        },
        {
            "start": RESIZED,
            "end": RESIZED + 23,
            "text": "a disaster for our town",
            "labels": ["Loaded_Language"],
        },
        {"start": ADDED, "end": ADDED + 12, "text": "sparks anger", "labels": ["Loaded_Language"]},
        {"start": 31, "end": 38, "text": "corrupt", "labels": ["Loaded_Language"]},
    ]
    results = task["annotations"][0]["result"]
    assert {(r["from_name"], r["to_name"], r["type"]) for r in results} == {
        ("technique", "text", "labels")
    }
    assert len(task["predictions"][0]["result"]) == 4

    # Import: JSONL gives back every field; Label Studio every field it keeps, by --who.
    reviewed = stored_annotations(url)
    into_jsonl = database_with_the_article(url, tmp_path / "jsonl.db")
    imported = runner.invoke(cli, ["annotations", "import", str(lines), "--db", into_jsonl])
    assert (imported.exit_code, imported.stdout) == (
        0,
        "imported 6 annotations (0 already stored, 0 rows left out)\n",
    )
    assert stored_annotations(into_jsonl) == reviewed
    into_tasks = database_with_the_article(url, tmp_path / "tasks.db")
    imported = runner.invoke(
        cli, ["annotations", "import", str(tasks), "--db", into_tasks, "--who", "bo"]
    )
    assert imported.exit_code == 0, imported.output
    assert [a[:6] for a in stored_annotations(into_tasks)] == [
        (*a[:5], "bo") for a in reviewed if a[0] == "technique" and a[1] != "reject"
    ]


def test_a_server_with_keys_saves_corrections_under_the_keys_name(
    browser: object, tmp_path: Path, analyzer: AnalysisPool
) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'keys.db'}", api_keys=["alice:s3cret"])
    app = create_app(settings, analyzer=analyzer)
    with serve(app) as server:
        page = browser.new_page()  # type: ignore[attr-defined]
        stored = page.request.post(
            f"{server.url}/api/v1/analyze",
            data={"text": ARTICLE},
            headers={"X-API-Key": "s3cret"},
        )
        assert stored.status == 201
        page.goto(f"{server.url}/articles/1")
        accept = page.locator("#span-1 button[data-review=accept]")
        accept.click()
        assert page.inner_text("#review-status") == "Enter your API key to save corrections."
        assert page.evaluate("document.activeElement.id") == "review-api-key"
        page.fill("#review-api-key", "not-the-key")
        accept.click()
        page.wait_for_selector("#review-status.error:has-text('API key field')")
        assert page.inner_text("#review-status") == (
            "Not saved: this server needs an API key; enter yours in the API key field."
        )
        page.fill("#review-api-key", "s3cret")
        accept.click()
        page.wait_for_selector("#review-status:has-text('Accepted')")
        assert page.locator("#span-1 .review-state").inner_text().startswith("Accepted by alice, ")
        page.close()
    app.state.services.engine.dispose()


def test_roles_are_changed_and_a_quote_without_speaker_given_one(
    browser: object, live_server: LiveServer
) -> None:
    text = 'Port news\n\nThe harbour board ignored the fishermen. "We were never asked."'
    analysis = Analysis(Article(id="port-1", text=text))
    board, fishermen = text.index("harbour board"), text.index("fishermen")
    quote = text.index("We were")
    analysis.set_layer(TECHNIQUES, [])
    analysis.set_layer(QUOTES, [Span(quote, quote + 20, "direct", 1.0, {})])
    analysis.set_layer(
        ENTITIES,
        [
            Span(
                board,
                board + 13,
                "Antagonist",
                0.7,
                {"entity": "Harbour board", "fine_roles": ["Incompetent"]},
            ),
            Span(fishermen, fishermen + 9, "Innocent", 0.6, {"entity": "fishermen"}),
        ],
    )
    with live_server.app.state.services.sessions() as session:
        article_id = repo.add_analysis(session, analysis).id
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text))
    page.goto(f"{live_server.url}/articles/{article_id}")
    # Nothing said, nothing to accept or reject: the quote can only be given a speaker.
    assert page.locator("#speaker-1 button").all_inner_texts() == ["Change speaker…"]
    assert page.locator(".review-item[id^=role] strong").all_inner_texts() == [
        "Antagonist (Incompetent)",
        "Innocent",
    ]
    page.click("#speaker-1 button[data-review=edit]")
    page.click("#label-save")
    assert problems == []
    assert page.inner_text("#label-dialog-error") == "Give the speaker's name."
    page.fill("#speaker-name", "a fisherman")
    page.click("#label-save")
    page.wait_for_selector("#review-status:has-text('Relabelled')")

    page.click("#role-1 button[data-review=edit]")
    assert page.inner_text("#label-dialog-title") == "Change the role"
    assert page.input_value("#main-role") == "Antagonist"
    assert page.input_value("#fine-roles") == "Incompetent"
    assert page.evaluate(WIDER_THAN_WINDOW) == []
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "10-role-390.png"))
    page.select_option("#main-role", "Innocent")
    page.fill("#fine-roles", "Victim, Exploited ,")
    page.click("#label-save")
    page.wait_for_selector("#review-status:has-text('Relabelled “harbour board”')")
    page.click("#role-2 button[data-review=accept]")
    page.wait_for_selector("#review-status:has-text('Accepted “fishermen”')")
    assert [
        t.split(" by ")[0] for t in page.locator(".review-item .review-state").all_inner_texts()
    ] == [
        "Relabelled as a fisherman",
        "Relabelled as Innocent (Victim, Exploited)",
        "Accepted",
    ]
    page.close()
    with live_server.app.state.services.sessions() as session:
        stored = repo.annotations_of(session, article_id)[1]
    assert [a.key for a in stored] == [
        ("speaker", "relabel", quote, quote + 20, ("a fisherman",)),
        ("role", "relabel", board, board + 13, ("Innocent", "Victim", "Exploited")),
        ("role", "accept", fishermen, fishermen + 9, ("Innocent",)),
    ]
