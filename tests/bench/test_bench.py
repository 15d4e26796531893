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


def _result(submission_ratio, p95, failed=0, cold=0.2, cached=1.2, desk_rps=40.0):
    """A run's result: the cache-on server's floor 1,000 req/s, the cold server's 800 req/s."""
    rows = [
        {"name": "bare_first", "label": "bare", "rps": 1000.0, "phase": "floor"},
        {"name": "cached_pages_list", "label": "pages", "rps": 1000.0 * cached, "phase": "cached", "p95_ms": p95},
        {"name": "desk_list", "label": "desk", "rps": desk_rps, "phase": "service", "p95_ms": p95},
        {"name": "desk_dashboard", "label": "dashboard", "rps": 50.0, "phase": "service"},
        {"name": "submission", "label": "submit", "rps": 1000 * submission_ratio, "phase": "service", "p95_ms": 90.0},
        {"name": "bare_last", "label": "bare", "rps": 1000.0, "phase": "floor"},
        {"name": "cold_bare_first", "label": "bare", "rps": 800.0, "phase": "floor"},
        {"name": "cold_typed_list", "label": "typed", "rps": 800.0 * cold, "phase": "cold", "p95_ms": p95},
        {"name": "cold_bare_last", "label": "bare", "rps": 800.0, "phase": "floor"},
    ]
    for row in rows:
        floor = 800.0 if row["name"].startswith("cold_") else 1000.0
        row["ratio_to_bare"] = row["rps"] / floor
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
    met = {g["goal"]: g["met"] for g in evaluate(_result(submission_ratio=0.2, p95=40.0))}
    assert all(met.values()) and len(met) == 6, met  # cold, cached, two p95, desk vs dashboard, submission
    missed = evaluate(_result(submission_ratio=0.1, p95=140.0, failed=2, cold=0.05, cached=0.9, desk_rps=20.0))
    assert not any(goal["met"] for goal in missed), missed
    assert evaluate(_result(submission_ratio=0.2, p95=40.0, failed=1))[-1]["met"] is False  # a failed request


def test_markdown_tables_by_phase_with_the_check():
    result = _result(submission_ratio=0.12, p95=40.0)
    result["targets_met"] = evaluate(result)
    text = markdown(result)
    assert "### Cold public reads" in text and "### Cached public reads" in text and "### Status lookup" in text
    assert "| typed | 160.0 | 0.200 |" in text  # the cold server's floor divides the cold rows
    assert "| submit | 120.0 | 0.120 |" in text
    assert "100 distinct tracking numbers" in text and "**OK**" in text
    goal = "| Submission ≥ 0.15 × bare, no failed or duplicate ticket | 0.120 × bare, 0 failed, 0 duplicates | **no** |"
    assert goal in text
