"""A reviewer without a mouse adds a span the model missed on the article page (Debian's
chromium, Playwright): the add dialog opens on its find field, the typed words mark the first
place they occur, Enter moves to the next one, and the span is saved with its offsets; no
offsets are typed.

Skipped when /usr/bin/chromium is absent, like the other browser tests.
"""

from __future__ import annotations

from browser_helpers import BROWSER_MARKS, serious_violations
from web_helpers import ARTICLE, LiveServer

pytestmark = BROWSER_MARKS

SECOND = ARTICLE.index("council ignored")  # "Council" also opens the title


def test_a_missed_span_is_found_and_added_by_keyboard(
    browser: object, live_server: LiveServer
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 800})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    stored = page.request.post(
        f"{live_server.url}/api/v1/analyze", data={"text": ARTICLE}, timeout=180_000
    )
    assert stored.status == 201
    page.goto(f"{live_server.url}/articles/1")

    page.focus("#review-add")
    page.keyboard.press("Enter")
    assert page.inner_text("#review-dialog-title") == "Add a missed technique"
    assert page.evaluate("document.activeElement.id") == "review-find"
    page.keyboard.type("council")
    assert page.inner_text("#review-find-status") == "Place 1 of 2."
    assert page.inner_text("#review-fragment") == "Council"
    page.keyboard.press("Enter")  # the next place, not Save
    assert page.inner_text("#review-find-status") == "Place 2 of 2."
    assert (page.input_value("#review-start"), page.input_value("#review-end")) == (
        str(SECOND),
        str(SECOND + 7),
    )
    page.keyboard.press("Enter")  # past the last place: back to the first
    assert page.inner_text("#review-find-status") == "Place 1 of 2."
    page.keyboard.press("Enter")
    assert page.inner_text("#review-fragment") == "council"
    assert serious_violations(page) == []

    page.focus("#review-dialog input[value=Appeal_to_Authority]")
    page.keyboard.press("Space")
    page.focus("#review-end")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_selector("#review-status:has-text('Added')")
    assert page.inner_text("#review-status") == "Added “council”."
    saved = page.request.get(f"{live_server.url}/api/v1/articles/1/annotations").json()
    assert [(a["action"], a["start"], a["end"], a["labels"]) for a in saved["annotations"]] == [
        ("add", SECOND, SECOND + 7, ["Appeal_to_Authority"])
    ]

    page.focus("#review-add")
    page.keyboard.press("Enter")
    # Spaces in the words match the line breaks between paragraphs too; case is ignored.
    page.keyboard.type("anger the CORRUPT")
    assert page.inner_text("#review-find-status") == "Place 1 of 1."
    start = ARTICLE.index("anger")
    assert (page.input_value("#review-start"), page.input_value("#review-end")) == (
        str(start),
        str(ARTICLE.index(" elites")),
    )
    page.keyboard.type(" tyrants")
    assert page.inner_text("#review-find-status") == "Not in the text."
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "review-add"
    assert problems == []
