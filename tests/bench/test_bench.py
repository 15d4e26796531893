"""The benchmark's own helpers (bench/): the generated news feed, seeded access tokens, the results table."""

import re

import feedparser

from bench.run import evaluate, markdown, news_feed
from bench.seed import bench_token


def test_generated_feed_has_the_requested_number_of_distinct_articles():
    body = news_feed(1000)
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    assert len(parsed.entries) == 1000
    assert len({e.id for e in parsed.entries}) == 1000
    assert len({e.link for e in parsed.entries}) == 1000
    assert b"<enclosure" not in body  # images are fetched on approval only; the import run stays local


def test_seeded_tokens_are_stable_and_shaped_like_real_ones():
    token = bench_token("PPID-2026-000123")
    assert token == bench_token("PPID-2026-000123") != bench_token("PPID-2026-000124")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


def _result(submission_rps, p95, failed=0, ratio=0.6):
    rows = [
        {"name": "bare", "label": "bare", "rps": 1000.0, "ratio_to_bare": 1.0},
        {"name": "pages_list", "label": "pages", "rps": 1000.0 * ratio, "ratio_to_bare": ratio, "p95_ms": p95},
        {"name": "submission", "label": "submit", "rps": submission_rps, "ratio_to_bare": 0.1, "p95_ms": 90.0},
    ]
    for row in rows:
        row.update({k: row.get(k, 1.0) for k in ("p50_ms", "p95_ms", "p99_ms")}, requests=100, non2xx=0)
        row["socket_errors"] = 0
    return {
        "started_at": "2026-11-29T14:00:00Z",
        "machine": {
            "nproc": 2,
            "cpu": "x",
            "ram_gib": 4,
            "loadavg_at_start": [1.0, 1.0, 1.0],
            "postgresql": "15",
            "redis": "7",
            "python": "3.11",
            "django": "5.2",
            "wagtail": "8.0",
            "wrk": "wrk",
        },
        "config": {"workers": 5, "threads": 2, "connections": 5, "duration": 20},
        "volume": {"tickets": 200000},
        "targets": rows,
        "submission_check": {
            "created": 100,
            "distinct_numbers": 100,
            "duplicate_numbers_in_db": 0,
            "failed_requests": failed,
            "ok": failed == 0,
        },
    }


def test_goals_are_judged_from_the_measured_figures():
    met = {g["goal"]: g["met"] for g in evaluate(_result(submission_rps=120.0, p95=40.0))}
    assert all(met.values()) and len(met) == 3
    missed = {g["goal"]: g["met"] for g in evaluate(_result(submission_rps=80.0, p95=140.0, failed=2, ratio=0.3))}
    assert not any(missed.values())


def test_markdown_table_has_one_row_per_target_and_the_check():
    result = _result(submission_rps=120.0, p95=40.0)
    result["targets_met"] = evaluate(result)
    text = markdown(result)
    assert text.count("\n| ") >= 3 + 3
    assert "| submit | 120.0 | 0.10 |" in text
    assert "100 distinct tracking numbers" in text and "**OK**" in text
