"""Corpus reports over ``propwatch batch`` results: statistics by outlet or month, as HTML."""

from propwatch.report.aggregate import GROUPINGS, GroupStats, Statistics, collect
from propwatch.report.html import render_report, write_report
from propwatch.report.view import ReportView, build_report_view

__all__ = [
    "GROUPINGS",
    "GroupStats",
    "ReportView",
    "Statistics",
    "build_report_view",
    "collect",
    "render_report",
    "write_report",
]
