"""Unit memberships moved from the service desk (``layanan``) to the organisation (``home``), issue 14: an
install upgraded in place keeps every membership and every permission granted on them, under the new app."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from home.models import Unit, UnitMembership

BEFORE = [("home", "0001_initial"), ("layanan", "0003_service_choices_from_registry")]


@pytest.mark.django_db(transaction=True)
def test_memberships_and_their_permissions_survive_the_move():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        ContentTypeOld = old.get_model("contenttypes", "ContentType")
        assert ContentTypeOld.objects.filter(app_label="layanan", model="unitmembership").exists()
        assert not ContentTypeOld.objects.filter(app_label="home", model="unitmembership").exists()
        user = old.get_model("auth", "User").objects.create(username="pelaksana", password="!")
        unit = old.get_model("home", "Unit").objects.create(code="D1", name="Deputi Satu")
        old.get_model("layanan", "UnitMembership").objects.create(user=user, unit=unit)
        permission = old.get_model("auth", "Permission").objects.get(
            content_type__app_label="layanan", codename="change_unitmembership"
        )
        group = old.get_model("auth", "Group").objects.create(name="Pengelola operator")
        group.permissions.add(permission)
    finally:
        MigrationExecutor(connection).migrate(latest)

    membership = UnitMembership.objects.get(user__username="pelaksana")
    assert membership.unit == Unit.objects.get(code="D1")
    assert not ContentType.objects.filter(app_label="layanan", model="unitmembership").exists()
    assert Group.objects.get(name="Pengelola operator").permissions.get().content_type.app_label == "home"
    group_user = User.objects.get(username="pelaksana")
    group_user.groups.add(Group.objects.get(name="Pengelola operator"))
    assert User.objects.get(pk=group_user.pk).has_perm("home.change_unitmembership")
