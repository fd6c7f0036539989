"""Quote pairing on hostile texts: every mark is looked at once, whatever the text."""

from __future__ import annotations

import pytest

from propwatch.models.quotes.marks import QuotedSpan, find_quoted_spans


@pytest.mark.timeout(20)
def test_pairing_a_megabyte_of_quotation_marks_is_linear() -> None:
    # Quadratic pairing (e.g. scanning back to the line start at every mark) would take hours.
    marks = '"' * 1_000_000
    spans = find_quoted_spans(marks)
    assert len(spans) == 500_000
    assert spans[-1] == QuotedSpan(999_998, 1_000_000, True)


@pytest.mark.timeout(20)
def test_pairing_many_paragraphs_of_open_quotes_is_linear() -> None:
    # Every line opens with a mark, so the first quote runs on through all 200,000 of them.
    text = '"a \n' * 200_000 + "“b ”" * 100_000
    spans = find_quoted_spans(text)
    assert spans[0] == QuotedSpan(0, 800_004, True)
    assert len(spans) == 100_000
    assert spans[-1] == QuotedSpan(len(text) - 4, len(text), True)


def test_a_mark_that_ends_its_line_opens_no_quote() -> None:
    # its opening mark was lost: reading on would pair it with the next paragraph's mark
    text = 'The mayor was blunt."\n\nThe vote is "final" now.'
    assert find_quoted_spans(text) == [QuotedSpan(35, 42, True)]
