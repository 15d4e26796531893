"""CPU instructions per admin page, in process, for ``valgrind --tool=callgrind`` (docs/performance.md).

``python bench/instructions.py <target> <pages>`` renders ``pages`` pages of ``target`` (``desk_list``: the PPID
desk list filtered by the bench's largest unit and status; ``dashboard``: ``/admin/``; ``account``:
``/admin/account/``, an admin page with no panels) as ``bench.operator``
after one unmeasured warm-up page each, and prints the status codes. Run it under callgrind with ``pages`` = 10
and 0: the difference of the two "Collected" totals divided by 10 is the cost of one page (start-up, imports
and the warm-up cancel out). Instruction counts repeat within a fraction of a percent whatever else the machine
is doing, unlike CPU time. Needs the seeded bench database (``DATABASE_URL``, as ``make bench``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))

from bench.seed import BENCH_OPERATOR, configure  # noqa: E402


def main() -> None:
    target, pages = sys.argv[1], int(sys.argv[2])
    configure()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.run import prepare_targets

    prep = prepare_targets()
    urls = {
        "desk_list": f"/admin/layanan/ppidrequestticket/?unit__id__exact={prep['desk_unit']}"
        f"&status={prep['desk_status']}",
        "dashboard": "/admin/",
        "account": "/admin/account/",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=BENCH_OPERATOR))
    codes = [client.get(urls[target]).status_code]  # warm-up (caches, templates)
    codes += [client.get(urls[target]).status_code for _ in range(pages)]
    print(target, pages, codes)


if __name__ == "__main__":
    main()
