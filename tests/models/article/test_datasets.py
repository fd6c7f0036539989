"""Reading the article-level training and check sets into texts the pipeline reads."""

from __future__ import annotations

from pathlib import Path

from propwatch.training.article.datasets import hyperpartisan_texts

ARTICLES = """<articles>
<article id="0000001" title="Harbour fees rise again">
Photo: the quay <p>The harbour board raised its fees.</p> <p>Fishermen say they
cannot <a href="https://example.org">pay more</a>.</p>
</article>
</articles>
"""


def test_hyperpartisan_articles_keep_their_paragraphs_apart(tmp_path: Path) -> None:
    folder = tmp_path / "hyperpartisan"
    folder.mkdir()
    (folder / "articles-training-byarticle-20181122.xml").write_text(ARTICLES, encoding="utf-8")
    assert hyperpartisan_texts(tmp_path) == [
        "Harbour fees rise again\n\nPhoto: the quay\n\nThe harbour board raised its fees.\n\n"
        "Fishermen say they cannot pay more."
    ]
