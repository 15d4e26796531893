"""Fixtures of the channel tests (issue 18): the desk fixtures of ``tests/layanan`` (units, users per role, the API
client, the holiday calendar) are shared here; each area's servers live in their own module
(``mail_servers``, ``graph_server``)."""

from tests.layanan.conftest import (  # noqa: F401 - pytest fixtures, used by name
    _no_throttle_cache_leak,
    api_client,
    desk_users,
    make_user,
    settled_holidays,
    synced_holidays,
    units,
    work_calendar,
)
