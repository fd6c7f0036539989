"""Each research/tabular format writes exactly the expected bytes for the hand-built analyses."""

from __future__ import annotations

import io

import pytest

from propwatch import Analysis, registry

EXPECTED = {
    "semeval-si": "7\t29\t52\n7\t75\t89\n",  # SI names no technique: overlaps merge
    "semeval-flc": (
        "7\tLoaded_Language\t29\t37\n"
        "7\tExaggeration-Minimisation\t29\t52\n"
        "7\tName_Calling-Labeling\t75\t89\n"
    ),
    "semeval2023-st1": "7\topinion\n8\treporting\n",
    "semeval2023-st2": "7\tEconomic,Political\n8\t\n",
    # Line numbers count the empty lines; a technique counts where its span overlaps.
    "semeval2023-st3": (
        "7\t1\t\n"
        "7\t3\tExaggeration-Minimisation,Loaded_Language\n"
        "7\t5\tName_Calling-Labeling\n"
        "8\t1\t\n"
    ),
    # End offsets are inclusive in this format: [38, 45) is written 38, 44.
    "semeval2025-st1": (
        "7\tcouncil\t38\t44\tAntagonist\tIncompetent\n"
        "7\tAnn Roe\t104\t110\tProtagonist\tGuardian\tPeacemaker\n"
    ),
    "semeval2025-st2": (
        "7\tURW: Discrediting Ukraine;URW: Praise of Russia\t"
        "URW: Discrediting Ukraine: Ukraine is a puppet of the West;URW: Praise of Russia: Other\n"
        "8\tOther\tOther\n"
    ),
    "quotes-tsv": (
        "7\t25\t63\t-1\t-1\t-1\t-1\t\tindirect\n7\t66\t90\t104\t111\t92\t96\tAnn Roe\tdirect\n"
    ),
    "csv": (
        "article_id,technique,category,start,end,score,voice,speaker,text\n"
        "7,Loaded_Language,manipulative wording,29,37,0.9100,author,,reckless\n"
        "7,Exaggeration-Minimisation,manipulative wording,29,52,0.5500,author,,"
        "reckless council wasted\n"
        "7,Name_Calling-Labeling,attack on reputation,75,89,0.8000,quoted,Ann Roe,budget vandals\n"
    ),
}


def write(name: str, analyses: list[Analysis]) -> str:
    stream = io.StringIO()
    registry.writers.get(name).write(analyses, stream)
    return stream.getvalue()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_writer_output_is_exact(name: str, analyses: list[Analysis]) -> None:
    assert write(name, analyses) == EXPECTED[name]


def test_writers_declare_the_analyses_they_read() -> None:
    requires = {name: registry.writers.get(name).requires for name in EXPECTED}
    assert requires == {
        "semeval-si": ("techniques",),
        "semeval-flc": ("techniques",),
        "semeval2023-st1": ("genre",),
        "semeval2023-st2": ("frames",),
        "semeval2023-st3": ("paragraphs", "techniques"),
        "semeval2025-st1": ("entities",),
        "semeval2025-st2": ("narratives",),
        "quotes-tsv": ("quotes",),
        "csv": ("techniques",),
    }


def test_quotes_tsv_keeps_one_row_when_the_speaker_has_a_tab(analyses: list[Analysis]) -> None:
    article = analyses[0]
    direct = article.layer("quotes")[1]
    article.set_layer("quotes", [direct.with_attrs(speaker="Ann\tRoe\n(critic)")])
    assert (
        write("quotes-tsv", [article]) == "7\t66\t90\t104\t111\t92\t96\tAnn Roe (critic)\tdirect\n"
    )


def test_semeval2023_st1_writes_the_most_probable_genre_where_unsure(
    analyses: list[Analysis],
) -> None:
    article = analyses[0]
    article.labels["genre"] = "unsure"
    article.labels["genre_scores"] = {"opinion": 0.3, "reporting": 0.45, "satire": 0.25}
    assert write("semeval2023-st1", [article]) == "7\treporting\n"


def test_semeval2025_st1_writes_a_given_mention_string(analyses: list[Analysis]) -> None:
    article = analyses[0]
    council = article.layer("entities")[0]
    article.set_layer("entities", [council.with_attrs(mention="Council")])
    assert write("semeval2025-st1", [article]) == "7\tCouncil\t38\t44\tAntagonist\tIncompetent\n"


def test_every_format_is_registered_with_suffix_and_media_type() -> None:
    table = {
        n: (registry.writers.get(n).suffix, registry.writers.get(n).media_type)
        for n in registry.writers
    }
    assert table == {
        "csv": (".csv", "text/csv"),
        "html": (".html", "text/html"),
        "json": (".json", "application/json"),
        "jsonl": (".jsonl", "application/x-ndjson"),
        "quotes-tsv": (".tsv", "text/tab-separated-values"),
        "semeval-flc": (".txt", "text/tab-separated-values"),
        "semeval-si": (".txt", "text/tab-separated-values"),
        "semeval2023-st1": (".txt", "text/tab-separated-values"),
        "semeval2023-st2": (".txt", "text/tab-separated-values"),
        "semeval2023-st3": (".txt", "text/tab-separated-values"),
        "semeval2025-st1": (".txt", "text/tab-separated-values"),
        "semeval2025-st2": (".txt", "text/tab-separated-values"),
    }
