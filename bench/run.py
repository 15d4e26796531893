"""Run the PESAN benchmark against the seeded bench database; write JSON and a Markdown table.

    .venv/bin/python bench/run.py [--duration 20] [--workers 2*cores+1] [--connections = workers]
                                  [--threads 2] [--port 8765] [--quick] [--only bare,pages_list,...]

What it does (see docs/performance.md for the how and why):

1. ``collectstatic`` into ``bench/var/static`` (whitenoise's manifest storage, as in production), then starts
   ``gunicorn bench.wsgi`` (``bench.settings``: production settings, Redis cache, throttles effectively off)
   with ``--workers`` sync workers on 127.0.0.1.
2. Public reads are measured three times, each on its own gunicorn: with the public response cache on
   (``cached``), off with stored items on (``cold``: ``PESAN_PUBLIC_CACHE_SECONDS=0``, every request runs its view
   as a reader after a publish does) and with both off (``scratch``: every item computed) — the pages list, a
   typed list with ``fields=*``, a page detail, the regulation and news lists and the HTML homepage. Then the
   service targets on the cache-on server: ticket status lookup (tracking number + access token of seeded
   tickets), the operator desk list filtered by unit and status and unfiltered, the empty Wagtail dashboard of
   the same officer (the desk's yardstick), ticket submission (distinct JSON bodies from Lua). For each target,
   ``wrk`` (``--threads``, ``--connections``, ``--duration`` seconds, after a short warm-up) records requests/s
   and p50/p95/p99 latency (ms, from wrk's own histogram through a Lua ``done()`` hook) and non-2xx answers.
   ``/bench/bare/`` is measured first and last on each server; the mean is the divisor of that server's ratios.
3. After the submission run: non-2xx/socket errors must be 0 and the tickets created during the run must
   have distinct tracking numbers (count = count distinct); both are printed and stored; exit status 1 when
   either fails.
4. Times in-process: the PPID annual report function (cold = first call in this process, warm = median of
   the next three) and the statistics endpoint over HTTP (cold = first request after the cache was cleared,
   warm = median of five cached requests). News import: a 1,000-item RSS feed (``bench/fixtures``) served by
   a local ``http.server``, imported with ``berita.services.run_import``; articles/s.

Writes ``bench/results/<UTC timestamp>.json``, ``bench/results/latest.json`` and ``bench/results/latest.md``.

``--growth 5000,50000,200000`` (issue 20; ``make bench`` passes it) then measures the desk list (filtered and
unfiltered), the status lookup, the submission and the PPID annual report at each of those ticket volumes, one
database per volume, and adds the growth table to ``latest.md`` (also ``bench/results/growth-latest.md``;
:func:`run_growth`); ``--growth-only`` skips the main run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.server
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
VAR = BENCH / "var"
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))

from bench.seed import BENCH_OPERATOR, bench_token, configure  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
PYTHON = sys.executable

# --- Lua for wrk -------------------------------------------------------------------------------------------
LUA_COMMON = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
non2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "connect_errors": %d, '
    .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""

LUA_SUBMIT = r"""
counter = 0
function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  run_id = args[1] or "x"
end
function request()
  counter = counter + 1
  local nik = string.format("3171%06d%06d", math.random(0, 999999), math.random(0, 999999))
  local body = string.format(
    '{"name": "Pemohon Bench %d-%d", "nik": "%s", "email": "bench.%s.%d.%d@contoh.invalid", '
    .. '"phone": "081234567890", "address": "Jl. Uji Beban No. %d, Jakarta", '
    .. '"information_requested": "Salinan laporan keuangan %s nomor %d-%d", "purpose": "Penelitian", '
    .. '"obtain_method": "soft_copy", "delivery_method": "email"}',
    tid or 0, counter, nik, run_id, tid or 0, counter, counter, run_id, tid or 0, counter)
  return wrk.format("POST", "/api/v2/ppid/requests/", {["Content-Type"] = "application/json",
    ["Accept-Language"] = "id"}, body)
end
"""

LUA_LOOKUP_TEMPLATE = r"""
pairs_list = {%s}
function init(args) math.randomseed(os.time() * 1000 + (tid or 0)) end
function request()
  local p = pairs_list[math.random(1, #pairs_list)]
  return wrk.format("GET", "/api/v2/tickets/" .. p[1] .. "/", {["X-Access-Token"] = p[2]})
end
"""


# --- helpers ------------------------------------------------------------------------------------------------
def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def http_get(url: str, headers: dict | None = None, timeout: float = 120) -> tuple[int, bytes, float]:
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            body = response.read()
            return response.status, body, time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.perf_counter() - started


def machine_info() -> dict:
    """nproc, RAM, load, CPU model, PostgreSQL/Redis/Python/Django/Wagtail versions."""
    import django
    import redis
    import wagtail
    from django.conf import settings
    from django.db import connection

    mem_kb = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    redis_version = redis.Redis.from_url(settings.REDIS_URL).info("server").get("redis_version", "?")
    wrk_version = subprocess.run([WRK, "-v"], capture_output=True, text=True).stdout.splitlines()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "loadavg_at_start": list(os.getloadavg()),
        "postgresql": pg,
        "redis": redis_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "wrk": wrk_version[0] if wrk_version else "?",
        "kernel": platform.release(),
    }


def volume() -> dict:
    from berita.models import NewsPage
    from home.models import PublicInformationPage
    from layanan.core.models.tickets import Ticket, TimelineEntry
    from regulasi.models import RegulationPage

    return {
        "tickets": Ticket.objects.count(),
        "timeline_entries": TimelineEntry.objects.count(),
        "news_pages": NewsPage.objects.count(),
        "regulations": RegulationPage.objects.count(),
        "dip_entries": PublicInformationPage.objects.count(),
    }


# --- server -------------------------------------------------------------------------------------------------
class Server:
    """gunicorn bench.wsgi on 127.0.0.1:``port`` with ``workers`` sync workers (its own process group)."""

    def __init__(self, port: int, workers: int, log: Path, env: dict | None = None):
        self.port, self.workers, self.log, self.env = port, workers, log, env or {}
        self.proc = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT), **self.env}
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        cmd = [
            gunicorn,
            "bench.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        self.handle = open(self.log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.handle, stderr=self.handle, start_new_session=True
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log}")
            with contextlib.suppress(OSError):
                status, _, _ = http_get(f"{self.base}/bench/bare/", timeout=5)
                if status == 200:
                    return
            time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer within 90 s; see {self.log}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        if getattr(self, "handle", None):
            self.handle.close()


# --- wrk ----------------------------------------------------------------------------------------------------
def run_wrk(base: str, path: str, *, args, lua: str = "", headers=(), script_args=(), duration=None) -> dict:
    """One wrk run; returns rps, latency percentiles (ms), request and error counts."""
    duration = duration or args.duration
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(LUA_COMMON + lua)
        script = handle.name
    cmd = [WRK, "-t", str(args.threads), "-c", str(args.connections), "-d", f"{duration}s", "--timeout", "30s"]
    cmd += ["-s", script]
    for header in headers:
        cmd += ["-H", header]
    cmd.append(base + path)
    if script_args:
        cmd += ["--", *script_args]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 120)
    finally:
        os.unlink(script)
    match = re.search(r"^WRKJSON (\{.*\})$", out.stdout, re.M)
    if not match:
        raise RuntimeError(f"wrk gave no result for {path}: {out.stdout}\n{out.stderr}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    return {
        "path": path,
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "non2xx": raw["non2xx"],
        "socket_errors": errors,
    }


def warm_up(base: str, targets_: list[dict], workers: int, lookups: list[str]) -> float:
    """Send every target ``3 × workers`` concurrent requests and wait for all answers, so that each gunicorn
    worker has served each path once (a worker's first request of a page — imports, URL and template loading
    — takes seconds on this machine and must not fall into a measurement). Returns the seconds taken."""
    from concurrent.futures import ThreadPoolExecutor

    def one(job):
        target, i = job
        headers = dict(h.split(": ", 1) for h in target.get("headers", ()))
        url = base + target["path"]
        data = None
        if target["name"] == "status_lookup" and lookups:
            number = lookups[i % len(lookups)]
            url, headers["X-Access-Token"] = f"{base}/api/v2/tickets/{number}/", bench_token(number)
        elif target["name"] == "submission":
            data = json.dumps(
                {
                    "name": f"Pemohon Pemanasan {i}",
                    "nik": f"3171{random.randrange(10**12):012d}",
                    "email": f"warmup.{i}@contoh.invalid",
                    "address": "Jl. Uji Beban No. 1, Jakarta",
                    "information_requested": f"Dokumen pemanasan {i}",
                    "purpose": "Penelitian",
                    "obtain_method": "soft_copy",
                    "delivery_method": "email",
                }
            ).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers)
        with contextlib.suppress(Exception), urllib.request.urlopen(request, timeout=180) as response:  # noqa: S310
            response.read()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers * 3) as pool:
        for target in targets_:
            list(pool.map(one, [(target, i) for i in range(workers * 3)]))
    return time.monotonic() - started


# --- targets ------------------------------------------------------------------------------------------------
def desk_session() -> str:
    """A session key logged in as ``bench.operator`` (created directly in the session store) and verified with a
    second step, as production requires of the PPID Utama (``PESAN_2FA_REQUIRED_GROUPS``): a confirmed TOTP
    device of the operator is recorded in the session, so each request pays django-otp's device check as an
    officer's would (without it every desk request was answered by the verification page)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=BENCH_OPERATOR)
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def prepare_targets() -> dict:
    """Ids and parameters the targets need, chosen from the seeded data (largest unit/status combination)."""
    from django.db.models import Count

    from berita.models import NewsPage
    from layanan.core.models.tickets import Ticket
    from regulasi.models import RegulationPage

    news = NewsPage.objects.live().order_by("-date").values_list("pk", flat=True).first()
    kind = (
        RegulationPage.objects.values_list("kind").annotate(n=Count("pk")).order_by("-n").values_list("kind", flat=True)
    ).first()
    combo = (
        Ticket.objects.filter(service="ppid_request", unit__isnull=False)
        .exclude(status="closed")
        .values("unit_id", "status")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    rng = random.Random(7)
    max_pk = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample_pks = rng.sample(range(1, max_pk + 1), min(2000, max_pk))
    from layanan.core.crypto import hash_token

    rows = Ticket.objects.filter(pk__in=sample_pks, service__in=["ppid_request", "lapor", "objection"])
    lookups = [
        number
        for number, stored in rows.values_list("tracking_number", "access_token_hash")
        if stored == hash_token(bench_token(number))  # seeded tickets (not demo or benchmark submissions)
    ][:500]
    return {
        "news_page_id": news,
        "regulation_kind": kind,
        "desk_unit": combo["unit_id"] if combo else None,
        "desk_status": combo["status"] if combo else "in_process",
        "desk_rows_matching": combo["n"] if combo else 0,
        "lookups": lookups,
    }


#: Public reads measured twice: with the public response cache off (``cold``: every request computes its answer,
#: as the first reader after a publish does) and on (``cached``). Name, label, path (``{news}``/``{kind}`` filled).
PUBLIC_READS = (
    ("pages_list", "GET /api/v2/pages/ (list)", "/api/v2/pages/"),
    ("typed_list", "GET /api/v2/pages/?type=berita.NewsPage&fields=*&limit=20", None),
    ("pages_detail", "GET /api/v2/pages/<id>/ (news detail)", "/api/v2/pages/{news}/"),
    ("regulations_filter", "GET /api/v2/regulations/?kind=<kind>", "/api/v2/regulations/?kind={kind}"),
    ("news_list", "GET /api/v2/news/", "/api/v2/news/"),
    ("homepage", "GET / (homepage, HTML)", "/"),
)
TYPED_LIST_PATH = "/api/v2/pages/?type=berita.NewsPage&fields=*&limit=20"
#: The servers of the public reads besides the main one (cache on), by phase: ``cold`` — the public response cache
#: off (``home.cache``), stored items on (``home.stored``: what a reader gets after a publish made the responses
#: stale); ``scratch`` — both off (every item computed: the first reader of a page's new version).
PHASE_SERVER_ENV = {
    "cold": {"PESAN_PUBLIC_CACHE_SECONDS": "0"},
    "scratch": {"PESAN_PUBLIC_CACHE_SECONDS": "0", "PESAN_STORED_ITEMS_SECONDS": "0"},
}


def targets(prep: dict, cookie: str) -> list[dict]:
    """Every target, each with its ``phase``: ``cold`` and ``scratch`` (public reads served by the servers of
    :data:`PHASE_SERVER_ENV`), ``cached`` (public reads, cache on) and ``service`` (lookup, desk, submission; cache on,
    as in production)."""
    public = []
    for phase in ("cold", "scratch", "cached"):
        for name, label, path in PUBLIC_READS:
            path = (path or TYPED_LIST_PATH).format(news=prep["news_page_id"], kind=prep["regulation_kind"])
            label = label.replace("<kind>", str(prep["regulation_kind"]))
            public.append({"name": f"{phase}_{name}", "label": label, "path": path, "phase": phase})
    lookup_lua = LUA_LOOKUP_TEMPLATE % ",".join(f'{{"{n}", "{bench_token(n)}"}}' for n in prep["lookups"])
    desk = f"/admin/layanan/ppidrequestticket/?unit__id__exact={prep['desk_unit']}&status={prep['desk_status']}"
    service = [
        {"name": "status_lookup", "label": "GET /api/v2/tickets/<number>/ (token)", "path": "/", "lua": lookup_lua},
        {
            "name": "desk_list",
            "label": "GET desk list (PPID, unit + status filter, logged in)",
            "path": desk,
            "headers": [f"Cookie: {cookie}"],
        },
        {
            "name": "desk_list_all",
            "label": "GET desk list (PPID, unfiltered, logged in)",
            "path": "/admin/layanan/ppidrequestticket/",
            "headers": [f"Cookie: {cookie}"],
        },
        {
            "name": "desk_dashboard",
            "label": "GET /admin/ (empty Wagtail dashboard, same officer: the desk list's yardstick)",
            "path": "/admin/",
            "headers": [f"Cookie: {cookie}"],
        },
        {
            "name": "submission",
            "label": "POST /api/v2/ppid/requests/ (distinct bodies)",
            "path": "/api/v2/ppid/requests/",
            "lua": LUA_SUBMIT,
        },
    ]
    return public + [{**target, "phase": "service"} for target in service]


def check_submissions(since) -> dict:
    """Tickets created since ``since``: count, distinct tracking numbers, and the counter check."""
    from django.db.models import Count

    from layanan.core.models.tickets import Ticket

    created = Ticket.objects.filter(created_at__gte=since)
    numbers = created.aggregate(n=Count("pk"), distinct=Count("tracking_number", distinct=True))
    total_dupes = (
        Ticket.objects.values("tracking_number").annotate(n=Count("pk")).filter(n__gt=1).count()
    )  # the column is unique: must be 0
    return {"created": numbers["n"], "distinct_numbers": numbers["distinct"], "duplicate_numbers_in_db": total_dupes}


# --- in-process timings -------------------------------------------------------------------------------------
def time_reports(base: str, year: int) -> dict:
    from django.core.cache import cache

    from layanan.ppid.reports import ppid_annual_report

    t0 = time.perf_counter()
    report = ppid_annual_report(year)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        ppid_annual_report(year)
        warm.append(time.perf_counter() - t0)
    cache.clear()  # bench Redis database only (REDIS_URL .../2)
    status, _body, stats_cold = http_get(f"{base}/api/v2/statistics/?year={year}")
    stats_warm = []
    for _ in range(5):
        status_w, _b, seconds = http_get(f"{base}/api/v2/statistics/?year={year}")
        stats_warm.append(seconds)
    return {
        "year": year,
        "annual_report_requests": report.requests,
        "annual_report_cold_ms": round(cold * 1000, 1),
        "annual_report_warm_ms": round(statistics.median(warm) * 1000, 1),
        "statistics_status": status,
        "statistics_cold_ms": round(stats_cold * 1000, 1),
        "statistics_warm_ms": round(statistics.median(stats_warm) * 1000, 1),
    }


def news_feed(count: int) -> bytes:
    """An RSS 2.0 feed of ``count`` items in the shape of the shared fixture (bench/fixtures/rss-sample.xml)."""
    sample = (BENCH / "fixtures" / "rss-sample.xml").read_text(encoding="utf-8")
    head, rest = sample.split("<item>", 1)
    items = re.findall(r"<item>.*?</item>", "<item>" + rest, re.S)
    tail = "</channel>\n</rss>\n"
    out = [head]
    for i in range(count):
        item = items[i % len(items)]
        item = re.sub(r"<enclosure[^>]*/>", "", item)  # images are fetched on approval, not on import
        item = re.sub(r"\?p=(\d+)", rf"?p=\g<1>{i:05d}", item)
        item = re.sub(r"(<link>[^<]+)</link>", rf"\g<1>-{i}</link>", item)
        item = re.sub(r"<title>([^<]+)</title>", rf"<title>\g<1> ({i})</title>", item, count=1)
        out.append(item + "\n")
    out.append(tail)
    return "".join(out).encode("utf-8")


def time_news_import(count: int) -> dict:
    from berita.models import ImportSource
    from berita.services import run_import

    body = news_feed(count)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    name = f"bench-import-{int(time.time())}"
    source = ImportSource.objects.create(
        name=name,
        kind="rss",
        base_url=f"http://127.0.0.1:{server.server_port}",
        feed_url=f"http://127.0.0.1:{server.server_port}/feed.xml",
        enabled=False,
        max_items=count,
    )
    try:
        t0 = time.perf_counter()
        run = run_import(source, trigger="manual")
        seconds = time.perf_counter() - t0
        result = {
            "items_in_feed": count,
            "feed_bytes": len(body),
            "created": run.new,
            "status": run.status,
            "error": run.error[:200],
            "seconds": round(seconds, 2),
            "articles_per_s": round(run.new / seconds, 1) if seconds else 0.0,
        }
    finally:
        server.shutdown()
        from berita.models import ImportedArticle, ImportRun

        ImportedArticle.objects.filter(source=source).delete()
        ImportRun.objects.filter(source=source).delete()
        source.delete()
    return result


# --- output -------------------------------------------------------------------------------------------------
def measure_target(server: Server, target: dict, args, run_id: str) -> dict:
    """Warm-up (``--warmup`` s, unrecorded), then ``--duration`` s of wrk load on ``target``; the row of it."""
    if args.warmup:
        run_wrk(
            server.base,
            target["path"],
            args=args,
            lua=target.get("lua", ""),
            headers=target.get("headers", ()),
            script_args=("warmup",),
            duration=args.warmup,
        )
    row = run_wrk(
        server.base,
        target["path"],
        args=args,
        lua=target.get("lua", ""),
        headers=target.get("headers", ()),
        script_args=(run_id,),
    )
    row.update(name=target["name"], label=target["label"], phase=target.get("phase", "floor"))
    if target["name"] == "status_lookup":
        row["path"] = "/api/v2/tickets/<number>/"
    if row["non2xx"] and target["name"] not in ("submission", "status_lookup"):
        headers = dict(h.split(": ", 1) for h in target.get("headers", ()))
        status, body, _ = http_get(server.base + target["path"], headers=headers)
        row["sample_non2xx"] = f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
    say(f"{row['label']}: {row['rps']} req/s, p95 {row['p95_ms']} ms, non-2xx {row['non2xx']}")
    return row


def measure_phase(server: Server, chosen: list[dict], prep: dict, args, run_id: str) -> tuple[list[dict], float, float]:
    """Every worker warmed on every target, then the bare view, each target, the bare view again, on one server.
    Returns (rows with ``ratio_to_bare`` to the mean of this server's two bare runs, that floor in req/s, seconds of
    warm-up)."""
    bare = {"name": "bare", "label": "GET /bench/bare/ (floor)", "path": "/bench/bare/"}
    say("warming up every worker on every target")
    warm = warm_up(server.base, [bare, *chosen], args.workers, prep["lookups"])
    first_bare = measure_target(server, bare, args, run_id)
    rows = [measure_target(server, target, args, run_id) for target in chosen]
    last_bare = measure_target(server, bare, args, run_id)
    floor = (first_bare["rps"] + last_bare["rps"]) / 2
    first_bare.update(name="bare_first", label="GET /bench/bare/ (floor, first)")
    last_bare.update(name="bare_last", label="GET /bench/bare/ (floor, last)")
    all_rows = [first_bare, *rows, last_bare]
    for row in all_rows:
        row["ratio_to_bare"] = round(row["rps"] / floor, 3) if floor else 0.0
    return all_rows, round(floor, 1), warm


def markdown(result: dict) -> str:
    m, cfg = result["machine"], result["config"]
    lines = [
        f"# PESAN benchmark — {result['started_at']}",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, load at start "
        f"{', '.join(f'{x:.2f}' for x in m['loadavg_at_start'])}; PostgreSQL {m['postgresql']}, Redis {m['redis']}, "
        f"Python {m['python']}, Django {m['django']}, Wagtail {m['wagtail']}, {m['wrk']}.",
        f"Server: gunicorn {cfg['workers']} sync workers, bench.settings (production settings, Redis cache, "
        f"throttles at 1,000,000/s). Load: wrk {cfg['threads']} threads, {cfg['connections']} connections, "
        f"{cfg['duration']} s per target on loopback (wrk shares the 2 cores with the server).",
        "Volume: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in result["volume"].items()) + ".",
        "",
    ]
    sections = (
        (
            "cold",
            "Cold public reads: the public response cache off, stored items on (every request runs its view; the "
            "items of unchanged pages are stored — a reader after a publish)",
            "cold_bare",
        ),
        (
            "scratch",
            "Public reads from scratch: response cache and stored items off (every item computed — the first reader "
            "of a page's new version)",
            "scratch_bare",
        ),
        ("cached", "Cached public reads: the public response cache on", "bare"),
        ("service", "Status lookup, operator desk and submission (cache on, as in production)", "bare"),
    )
    for phase, title, floor_prefix in sections:
        phase_rows = [r for r in result["targets"] if r.get("phase") == phase]
        if not phase_rows:
            continue
        floors = [r for r in result["targets"] if r["name"].startswith(floor_prefix + "_")]
        lines += [
            "",
            f"### {title}",
            "",
            "| target | req/s | × bare | p50 ms | p95 ms | p99 ms | requests | non-2xx | socket errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in [*floors[:1], *phase_rows, *floors[1:]]:
            lines.append(
                f"| {row['label']} | {row['rps']:,.1f} | {row.get('ratio_to_bare', 1.0):.3f} | {row['p50_ms']} | "
                f"{row['p95_ms']} | {row['p99_ms']} | {row['requests']:,} | {row['non2xx']} | {row['socket_errors']} |"
            )
    sub = result.get("submission_check")
    if sub:
        lines += [
            "",
            f"Submission check: {sub['created']:,} tickets created during the run, {sub['distinct_numbers']:,} "
            f"distinct tracking numbers, {sub['duplicate_numbers_in_db']} duplicated numbers in the database, "
            f"{sub['failed_requests']} failed requests → **{'OK' if sub['ok'] else 'FAILED'}**.",
        ]
    rep = result.get("reports")
    if rep:
        lines += [
            "",
            f"PPID annual report {rep['year']} ({rep['annual_report_requests']:,} requests): cold "
            f"{rep['annual_report_cold_ms']} ms, warm {rep['annual_report_warm_ms']} ms (in-process). "
            f"Statistics endpoint: cold {rep['statistics_cold_ms']} ms, warm (cached) {rep['statistics_warm_ms']} ms "
            f"(HTTP {rep['statistics_status']}).",
        ]
    news = result.get("news_import")
    if news:
        lines += [
            "",
            f"News import: {news['created']:,} of {news['items_in_feed']:,} RSS items in {news['seconds']} s = "
            f"**{news['articles_per_s']} articles/s** (status {news['status']}).",
        ]
    goals = result.get("targets_met")
    if goals:
        lines += ["", "| goal | result | met |", "|---|---|---|"]
        for goal in goals:
            lines.append(f"| {goal['goal']} | {goal['result']} | {'yes' if goal['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def evaluate(result: dict) -> list[dict]:
    """The goals of issues 9 and 20, each with the measured result and whether it was met."""
    rows = {r["name"]: r for r in result["targets"]}
    goals = []

    def goal(text: str, shown: str, met: bool) -> None:
        goals.append({"goal": text, "result": shown, "met": met})

    for name, _label, _path in PUBLIC_READS:
        row = rows.get(f"cold_{name}")
        if row:
            ratio = row["ratio_to_bare"]
            goal(f"cold: {row['label']} ≥ 0.10 × bare", f"{ratio:.3f} × bare", row["requests"] > 0 and ratio >= 0.10)
    for name, _label, _path in PUBLIC_READS:
        row = rows.get(f"cached_{name}")
        if row:
            ratio = row["ratio_to_bare"]
            goal(f"cached: {row['label']} ≥ 1.0 × bare", f"{ratio:.3f} × bare", row["requests"] > 0 and ratio >= 1.0)
    for name in ("cached_pages_list", "cached_regulations_filter", "desk_list"):
        row = rows.get(name)
        if row:
            goal(f"{row['label']}: p95 < 100 ms", f"{row['p95_ms']} ms", row["requests"] > 0 and row["p95_ms"] < 100)
    dashboard = rows.get("desk_dashboard")
    for name in ("desk_list", "desk_list_all"):
        row = rows.get(name)
        if row and dashboard and row["rps"]:
            cost = dashboard["rps"] / row["rps"]
            goal(f"{row['label']}: ≤ 1.5 × the cost of the empty dashboard", f"{cost:.2f} ×", cost <= 1.5)
    if "submission" in rows:
        sub = result.get("submission_check", {})
        row = rows["submission"]
        goal(
            "Submission ≥ 0.15 × bare, no failed or duplicate ticket",
            f"{row['ratio_to_bare']:.3f} × bare, {sub.get('failed_requests')} failed, "
            f"{sub.get('created', 0) - sub.get('distinct_numbers', 0)} duplicates",
            row["ratio_to_bare"] >= 0.15 and bool(sub.get("ok")),
        )
    return goals


# --- growth: the same targets at several ticket volumes ------------------------------------------------------
#: Targets of the growth table (issue 20): what a busy archive could slow down.
GROWTH_TARGETS = ("desk_list", "desk_list_all", "status_lookup", "submission")


def growth_database(url: str, tickets: int) -> str:
    """The database URL of the growth step with ``tickets`` tickets: the current bench database when it already
    holds about that many (within 5 %, e.g. the 200,000 of ``make bench``), else ``<its name>_g<tickets>``
    (seeded by the step when missing)."""
    from bench.seed import ticket_count

    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        held = ticket_count()
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = saved
    if held and abs(held - tickets) <= tickets * 0.05:
        return url
    head, _, tail = url.rpartition("/")
    name, sep, query = tail.partition("?")
    return f"{head}/{name}_g{tickets}{sep}{query}"


def run_growth(args) -> int:
    """Measure :data:`GROWTH_TARGETS` and the PPID annual report at each volume of ``--growth``, one volume after
    the other in one invocation: per volume, ``bench/seed.py --if-empty`` on its own database
    (:func:`growth_database`; few pages: only the tickets grow), then this script with ``--only`` those targets
    in a subprocess (its own gunicorn, its own bare-view floor measured first and last). Every throughput is a
    ratio to the bare view *of its own step*, so the steps compare although the machine's speed drifts; the
    annual report is timed in-process (warm, ms) and compared with the smallest volume.

    Writes ``bench/results/growth-<UTC timestamp>.{json,md}`` and ``growth-latest.{json,md}``. Exit status 1
    when a step fails (seed, server, or the submission check)."""
    volumes = sorted({int(v) for v in args.growth.split(",") if v.strip()})
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pesan_bench")
    RESULTS.mkdir(exist_ok=True)
    started = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    steps, failures = [], []
    for tickets in volumes:
        url = growth_database(base_url, tickets)
        env = {**os.environ, "DATABASE_URL": url}
        say(f"growth step {tickets:,} tickets: {url.rpartition('/')[2]}")
        seed = [PYTHON, str(BENCH / "seed.py"), "--tickets", str(tickets), "--if-empty"]
        seed += ["--news", "100", "--regulations", "50", "--dip", "30"]
        if subprocess.run(seed, cwd=ROOT, env=env, check=False).returncode:
            failures.append(f"seed of {tickets}")
            continue
        name = f"growth-{stamp}-{tickets}"
        step = [PYTHON, str(Path(__file__).resolve()), "--only", ",".join([*GROWTH_TARGETS, "reports"])]
        step += ["--results-name", name, "--duration", str(args.duration), "--warmup", str(args.warmup)]
        step += ["--workers", str(args.workers), "--threads", str(args.threads)]
        step += ["--quick"] if args.quick else []
        step += ["--connections", str(args.connections)] if args.connections else []
        code = subprocess.run(step, cwd=ROOT, env=env, check=False).returncode
        path = RESULTS / f"{name}.json"
        if not path.exists():
            failures.append(f"run at {tickets}")
            continue
        if code:
            failures.append(f"run at {tickets} (exit {code})")
        steps.append({"tickets": tickets, "result": json.loads(path.read_text())})
    growth = {
        "started_at": started.isoformat().replace("+00:00", "Z"),
        "volumes": volumes,
        "quick": bool(args.quick),
        "steps": steps,
        "failures": failures,
    }
    return publish(growth, growth_markdown(growth), (f"growth-{stamp}", "growth-latest"), failures)


def publish(result: dict, md: str, stems: tuple[str, ...], failures: list[str]) -> int:
    """Write ``result`` as ``bench/results/<stem>.json`` and ``md`` as ``<stem>.md`` for each stem, print the table;
    exit status 1 (and the failures said) when anything failed."""
    text = json.dumps(result, indent=2, default=str)
    for stem in stems:
        (RESULTS / f"{stem}.json").write_text(text)
        (RESULTS / f"{stem}.md").write_text(md)
    print()
    print(md)
    say("written " + " and ".join(f"bench/results/{stem}.md" for stem in stems))
    if failures:
        say("FAILED: " + "; ".join(failures))
        return 1
    return 0


def growth_markdown(growth: dict) -> str:
    """The growth table: one row per target, one column per volume (× its step's bare view), then the last volume
    over the first; the annual report in ms (warm, in-process)."""
    steps = growth["steps"]
    if not steps:
        return "# PESAN growth table\n\nNo step completed: " + "; ".join(growth["failures"]) + "\n"
    heads = [f"{s['tickets']:,}" for s in steps]
    lines = [
        f"# PESAN growth table — {growth['started_at']}{' (quick run)' if growth['quick'] else ''}",
        "",
        "Each cell: requests/s as a ratio to the bare view measured in the same step (p95 ms in brackets); last "
        "column: the largest volume over the smallest (1.00 = flat).",
        "",
        "| target | " + " | ".join(f"{h} tickets" for h in heads) + " | largest / smallest |",
        "|---|" + "---:|" * (len(steps) + 1),
    ]
    for name in GROWTH_TARGETS:
        cells, ratios, label = [], [], name
        for step in steps:
            row = next((r for r in step["result"]["targets"] if r["name"] == name), None)
            if row is None:
                cells.append("—")
                continue
            label = row["label"]
            ratios.append(row["ratio_to_bare"])
            cells.append(f"{row['ratio_to_bare']:.3f}× ({row['p95_ms']} ms)")
        trend = f"{ratios[-1] / ratios[0]:.2f}" if len(ratios) > 1 and ratios[0] else "—"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {trend} |")
    reports = [step["result"].get("reports") for step in steps]
    cells = [f"{r['annual_report_warm_ms']} ms ({r['annual_report_requests']:,} req.)" if r else "—" for r in reports]
    timed = [r["annual_report_warm_ms"] for r in reports if r]
    trend = f"{timed[-1] / timed[0]:.2f}" if len(timed) > 1 and timed[0] else "—"
    lines.append("| PPID annual report, warm, in-process | " + " | ".join(cells) + f" | {trend} |")
    lines.append(
        "| bare view req/s (floor of the step) | "
        + " | ".join(f"{s['result']['bare_rps']:,.1f}" for s in steps)
        + " | — |"
    )
    loads = [s["result"]["machine"].get("loadavg_at_start") for s in steps]
    lines += ["", "Load average at the start of each step: " + "; ".join(str(x) for x in loads) + "."]
    if growth["failures"]:
        lines += ["", "Failed steps: " + "; ".join(growth["failures"]) + "."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per target (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unrecorded load before each target")
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--connections", type=int, default=0, help="wrk connections (default: = workers)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--quick", action="store_true", help="5 s per target, 1 s warm-up, 200-item news feed")
    parser.add_argument("--only", default="", help="comma-separated target names (bare is always measured)")
    parser.add_argument("--news-items", type=int, default=1000)
    parser.add_argument(
        "--growth",
        default="",
        help="comma-separated ticket volumes (e.g. 5000,50000,200000): after the run, measure the growth targets at "
        "each, one database per volume, and add the growth table (see run_growth)",
    )
    parser.add_argument("--growth-only", action="store_true", help="with --growth: only the growth table")
    parser.add_argument("--results-name", default="", help=argparse.SUPPRESS)  # a growth step's result file
    args = parser.parse_args(argv)
    if args.growth and args.growth_only:
        return run_growth(args)
    configure()
    if args.quick:
        args.duration, args.warmup, args.news_items = 5, 1, 200
    args.connections = args.connections or args.workers
    if not args.port:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    if not Path(WRK).exists():
        raise SystemExit("wrk is not installed (apt-get install wrk); `make bench` installs it")

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from layanan.core.models.tickets import Ticket

    if Ticket.objects.count() == 0:
        raise SystemExit("the bench database is empty: run bench/seed.py first (make bench does)")
    RESULTS.mkdir(exist_ok=True)
    VAR.mkdir(exist_ok=True)
    say("collectstatic (bench/var/static)")
    call_command("collectstatic", interactive=False, verbosity=0)

    started = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    result: dict = {
        "started_at": started.isoformat().replace("+00:00", "Z"),
        "machine": machine_info(),
        "config": {
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "duration": args.duration,
            "warmup": args.warmup,
            "settings": "bench.settings",
            "throttles": "1000000/s (effectively off)",
            "db_conn_max_age": os.environ.get("DB_CONN_MAX_AGE"),
        },
        "volume": volume(),
    }
    prep = prepare_targets()
    result["parameters"] = {k: v for k, v in prep.items() if k != "lookups"}
    cookie = desk_session()
    wanted = {n for n in args.only.split(",") if n}
    chosen = [t for t in targets(prep, cookie) if not wanted or t["name"] in wanted]
    run_id = started.strftime("%Y%m%d%H%M%S")
    failures, rows = [], []
    warm_targets = [t for t in chosen if t["phase"] not in PHASE_SERVER_ENV]
    needs_server = warm_targets or not wanted or {"reports"} & wanted
    if needs_server:
        server = Server(args.port, args.workers, VAR / "gunicorn.log")
        say(f"starting gunicorn with {args.workers} workers on :{args.port} (public response cache on)")
        server.start()
        try:
            submission_since = timezone.now()  # the warm-up submissions count too: real tickets, no duplicates
            phase_rows, floor, warm = measure_phase(server, warm_targets, prep, args, run_id)
            rows += phase_rows
            result["bare_rps"] = floor
            result["config"]["warm_up_seconds"] = round(warm, 1)
            sub_row = next((r for r in phase_rows if r["name"] == "submission"), None)
            if sub_row is not None:
                check = check_submissions(submission_since)
                check["failed_requests"] = sub_row["non2xx"] + sub_row["socket_errors"]
                check["ok"] = (
                    check["failed_requests"] == 0
                    and check["created"] == check["distinct_numbers"]
                    and check["duplicate_numbers_in_db"] == 0
                    and check["created"] >= sub_row["requests"]
                )
                result["submission_check"] = check
                say(f"submission check: {check}")
                if not check["ok"]:
                    failures.append("submission check failed")
            if not wanted or "reports" in wanted:
                year = timezone.localdate().year - 1
                say("timing the annual report and the statistics endpoint")
                result["reports"] = time_reports(server.base, year)
            if not wanted or "news_import" in wanted:
                say(f"news import of {args.news_items} items")
                result["news_import"] = time_news_import(args.news_items)
        finally:
            server.stop()
            with contextlib.suppress(Exception):
                from django.core.cache import cache

                cache.clear()  # the queued receipt e-mails of the submission run (bench Redis db only)
    for phase, env in PHASE_SERVER_ENV.items():
        phase_targets = [t for t in chosen if t["phase"] == phase]
        if not phase_targets:
            continue
        server = Server(args.port, args.workers, VAR / f"gunicorn-{phase}.log", env=env)
        say(f"starting gunicorn with {args.workers} workers on :{args.port} ({phase}: {env})")
        server.start()
        try:
            phase_rows, floor, _warm = measure_phase(server, phase_targets, prep, args, run_id)
        finally:
            server.stop()
        for row in phase_rows:
            if row["name"].startswith("bare"):
                row["name"] = f"{phase}_{row['name']}"
        rows += phase_rows
        result[f"{phase}_bare_rps"] = floor
    result["targets"] = rows
    result["machine"]["loadavg_at_end"] = list(os.getloadavg())
    result["targets_met"] = evaluate(result)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    if args.results_name:  # one step of a growth run: its own file, latest.* left alone
        (RESULTS / f"{args.results_name}.json").write_text(json.dumps(result, indent=2, default=str))
        return 1 if failures else 0
    md = markdown(result)
    if args.growth:  # the growth table of the same invocation, after this run's servers have stopped
        if run_growth(args):
            failures.append("growth run")
        growth_md = (RESULTS / "growth-latest.md").read_text()
        md += "\n" + growth_md.replace("# PESAN growth table", "## Growth table", 1)
    return publish(result, md, (stamp, "latest"), failures)


if __name__ == "__main__":
    raise SystemExit(main())
