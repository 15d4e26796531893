"""The API's contract, stated once: what the OpenAPI schema (drf-spectacular) says is what the validation does.

``tests/test_api_fuzz.py`` holds every operation to it with schemathesis: input valid per the schema is accepted,
input invalid per the schema is refused with a 400. The pieces here are shared by every app's API:

- :class:`AutoSchema` (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``): a view may add parameters computed when the
  schema is generated (``schema_parameters()``: bounds that depend on a setting, the date or the database);
- :class:`SchemaRules`: a serializer states its cross-field rules ("e-mail or phone", "a NIK for a person") as
  JSON Schema (OpenAPI 3.0: ``allOf`` / ``anyOf``), next to the fields they join;
- :func:`without_files`: the ``application/json`` variant of a multipart request body (files cannot travel in
  JSON);
- :class:`StrictCharField`, :class:`StrictBooleanField`: fields that refuse a JSON value of another type
  (the schema says ``string`` / ``boolean``);
- :class:`NotFutureDateField`: a date documented as not after today;
- the regular expressions of the schema's ``pattern`` keywords are built by :mod:`pesan_cms.patterns`.
"""

from __future__ import annotations

import copy

from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.utils import html

from pesan_cms.patterns import date_pattern

__all__ = [
    "AutoSchema",
    "NotFutureDateField",
    "SchemaRules",
    "StrictBooleanField",
    "StrictCharField",
    "blank_or",
    "without_files",
]


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, plus the view's ``schema_parameters()`` (a list of ``OpenApiParameter``)
    computed each time the schema is generated. Parameters given to ``@extend_schema`` are added after these,
    so a parameter is declared in one of the two places only."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        generated = getattr(self.view, "schema_parameters", None)
        if callable(generated):
            parameters = [*generated(), *parameters]
        return parameters

    def _get_request_for_media_type(self, serializer, direction="request"):
        # A body whose cross-field rules ask for a field (a code, or a tracking number and token) is required,
        # even when no single field is: drf-spectacular only looks at the fields.
        schema, required = super()._get_request_for_media_type(serializer, direction)
        return schema, required or bool(getattr(serializer, "schema_rules", None))


def blank_or(schema: dict) -> dict:
    """A query parameter's ``schema``, or the empty string: a django-filter filter left empty (``?year=``, as
    an HTML form sends it) filters nothing."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


class SchemaRules:
    """Serializer mixin: ``schema_rules`` (JSON Schema keywords, e.g. ``{"allOf": [...]}``) are added to the
    serializer's request component. They state the cross-field rules the serializer or its intake function
    enforces, so a client (and schemathesis) can tell a valid body from the schema alone."""

    schema_rules: dict = {}


class SchemaRulesExtension(OpenApiSerializerExtension):
    """Adds :attr:`SchemaRules.schema_rules` to the request components of every serializer using the mixin."""

    target_class = SchemaRules
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":  # a copy: drf-spectacular's hooks edit the schema in place
            schema.update(copy.deepcopy(self.target.schema_rules))
        return schema


def _is_file_field(field) -> bool:
    return isinstance(field, serializers.FileField) or isinstance(getattr(field, "child", None), serializers.FileField)


def without_files(serializer_class, *, schema_rules: dict | None = None, **fields):
    """The ``application/json`` body of a multipart endpoint: ``serializer_class`` without its file fields
    (``FileField`` or a list of them), named ``<Name>Json``. ``schema_rules`` replace the class's cross-field
    rules (a rule that needs a file cannot hold in JSON); ``fields`` replace fields (e.g. a flag that only
    makes sense with a file). Used for the schema only: the view validates with ``serializer_class``, which
    refuses a file field sent in JSON ("not a file")."""
    removed = {name: None for name, field in serializer_class().fields.items() if _is_file_field(field)}
    attrs = {"__module__": serializer_class.__module__, "__doc__": serializer_class.__doc__, **removed, **fields}
    if schema_rules is not None:
        attrs["schema_rules"] = schema_rules
    name = serializer_class.__name__.removesuffix("Serializer") + "JsonSerializer"
    return type(name, (serializer_class,), attrs)


class NotFutureDateField(serializers.DateField):
    """A ``DateField`` documented as "not after today" (a date of an event). The rule itself is checked where
    it lives (e.g. ``layanan.lapor.intake.check_lapor_report``); the schema's ``pattern``, computed when the
    schema is generated, admits the ISO dates of the years before the current one (a JSON Schema cannot
    compare a date with today)."""


class NotFutureDateFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NotFutureDateField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["pattern"] = date_pattern(1, timezone.localdate().year - 1)
        return schema


class StrictBooleanField(serializers.BooleanField):
    """A ``BooleanField`` that takes ``true``/``false`` in JSON (``1`` or ``"yes"`` is "Must be a valid
    boolean.", as the schema's ``type: boolean`` says); a form or multipart field, always text, keeps DRF's
    spellings (``true``, ``false``, ``on``, ``1`` …)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool) and not html.is_html_input(getattr(self.root, "initial_data", None)):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """A ``CharField`` that takes strings only: ``{"code": 0}`` is "Not a valid string." (DRF's ``CharField``
    would read it as ``"0"``, while the schema says ``type: string``). Form and multipart values are always
    strings."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
