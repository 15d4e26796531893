"""factory_boy factories shared by the suite: units and staff users (role groups, unit memberships, permissions).

The ``units`` fixture (``tests/layanan/conftest.py``) and ``staff`` (``tests/browser/conftest.py``) are thin
wrappers around them; new tests and fixtures can call them directly::

    unit = UnitFactory(code="T-DEP1")  # get-or-create by code
    UserFactory(username="ppid", groups=["PPID Utama"])  # password DEFAULT_PASSWORD
    UserFactory(username="op1", password="pw-Other-2026!", groups=["Operator Unit"], units=[unit], is_staff=True)

Role groups exist after ``migrate`` (created by a ``post_migrate`` handler). Models are named by app label, so this
module does not depend on where a model's module lives.
"""

from __future__ import annotations

import factory
from django.apps import apps
from factory.django import DjangoModelFactory, Password

DEFAULT_PASSWORD = "pw-Desk-2026!"


class UnitFactory(DjangoModelFactory):
    """A unit (kedeputian, biro …); an existing unit with the same ``code`` is returned as it is."""

    class Meta:
        model = "home.Unit"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T-UNIT{n}")
    name = factory.Sequence(lambda n: f"Unit Uji {n}")
    email = factory.LazyAttribute(lambda unit: f"{unit.code.lower()}@example.org")


class UserFactory(DjangoModelFactory):
    """A user; ``groups`` (role group names), ``units`` (unit memberships), ``permissions`` (codenames);
    ``password`` in clear (hashed here)."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password(DEFAULT_PASSWORD)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        from django.contrib.auth.hashers import identify_hasher, make_password

        try:
            identify_hasher(kwargs["password"])
        except ValueError:  # given in clear
            kwargs["password"] = make_password(kwargs["password"])
        return kwargs

    @factory.post_generation
    def permissions(user, create, codenames, **kwargs):  # noqa: N805 - factory_boy passes the object first
        for codename in codenames or ():
            user.user_permissions.add(apps.get_model("auth", "Permission").objects.get(codename=codename))

    @factory.post_generation
    def groups(user, create, names, **kwargs):  # noqa: N805
        for name in names or ():
            user.groups.add(apps.get_model("auth", "Group").objects.get(name=name))

    @factory.post_generation
    def units(user, create, units, **kwargs):  # noqa: N805
        for unit in units or ():
            apps.get_model("home", "UnitMembership").objects.create(user=user, unit=unit)
