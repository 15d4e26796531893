"""The operator desk list view (issue 9): wagtail-modeladmin's ``IndexView`` without its per-page overhead.

The stock view, at 200,000 tickets, spent most of a page in queries that are not the list itself:

- it builds the queryset (and so every list filter, each with its choices) twice per request: once in
  ``dispatch`` and again in ``get_context_data``;
- it counts the whole unscoped-by-filters list for "N out of M" (a count over ~90,000 rows), and then counts
  the filtered list twice (``result_count`` and the paginator).

``DeskIndexView`` reuses the queryset built in ``dispatch``, counts the filtered list once (the paginator's
count) and never counts the unfiltered list: an unfiltered list's total *is* the filtered count; a filtered
list shows "N matching" (template ``layanan/desk/index.html``) and only asks whether the list has any row at
all (``EXISTS``, one index probe) when the filters match nothing — so the page can still tell "no tickets yet"
from "nothing matches".

The rows are rendered in Python (``DeskIndexView.render_rows``: same markup as modeladmin's ``result_list``
tag, checked by ``tests/layanan/test_desk_perf.py``) instead of two nested inclusion tags per row and per cell
(~225 template renders per page, each copying the context); the ModelAdmin's ``prepare_rows(request, rows)``,
when it has one, runs first (the desk loads the rows' working calendar there, once).
"""

from __future__ import annotations

import datetime
import html

from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.utils import display_for_field, display_for_value
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import InvalidPage
from django.db import models
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail_modeladmin.templatetags.modeladmin_tags import items_for_result
from wagtail_modeladmin.views import IndexView


class DeskIndexView(IndexView):
    """Ticket list of one service for the desk: a constant, small number of queries whatever the volume.

    Context as the stock view (``all_count``, ``result_count``, ``paginator``, ``page_obj`` …) plus
    ``desk_filtered`` (a filter or a search is applied). ``all_count`` is exact only when the list is not
    filtered; when it is, it is ``result_count`` or, when that is 0, 1/0 for "the list has rows / is empty".
    """

    def is_filtered(self) -> bool:
        """Whether the request narrows the list (any list filter parameter, other lookup, or a search)."""
        return bool(self.get_filters_params()) or bool(self.query)

    def get_context_data(self, **kwargs):
        user = self.request.user
        queryset = self.queryset  # built once in dispatch(); the stock view builds it (and the filters) again
        paginator = self.paginator_class(queryset, self.items_per_page)
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        result_count = paginator.count  # the one COUNT of the filtered list (cached by the paginator)
        filtered = self.is_filtered()
        if not filtered or result_count:
            all_count = result_count  # unfiltered: the total; filtered with rows: "the list is not empty"
        else:
            all_count = int(self.get_base_queryset().exists())
        context = {
            "view": self,
            "result_headers": list(result_headers(self)),
            "all_count": all_count,
            "result_count": result_count,
            "desk_filtered": filtered,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "user_can_create": self.permission_helper.user_can_create(user),
            "show_search": self.search_handler.show_search_form,
        }
        context["desk_rows"] = self.render_rows(page_obj.object_list, context)
        context.update(kwargs)
        return super(IndexView, self).get_context_data(**context)

    def render_rows(self, objects, context) -> list[SafeString]:
        """The ``<tr>`` of each object, as modeladmin's ``result_row_display`` would render it: row attributes
        (``get_extra_attrs_for_row``, ``data-object-pk``, odd/even), one ``<td>`` per ``list_display`` column
        (the primary link — inspect — in the button column) and the object's buttons in that column.

        Cells come from a per-request column plan (``column_plan``); a list with a column kind the plan does not
        cover falls back to modeladmin's ``items_for_result`` for its cells (same markup, slower)."""
        request = self.request
        model_admin = self.model_admin
        button_column = self.list_display.index(model_admin.get_list_display_add_buttons(request))
        plan = self.column_plan()
        objects = list(objects)
        prepare = getattr(model_admin, "prepare_rows", None)  # e.g. load what every row needs in one go
        if prepare is not None:
            prepare(request, objects)
        rows = []
        for index, obj in enumerate(objects):
            attrs = model_admin.get_extra_attrs_for_row(obj, context)
            attrs["data-object-pk"] = obj.pk
            attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), "odd" if index % 2 == 0 else "even"]))
            buttons = self.get_buttons_for_obj(obj)
            if plan is None:
                cells = list(items_for_result(self, obj, request))
            else:
                primary = self.button_helper.get_primary_button(obj)
                cells = [
                    render_cell(model_admin, obj, column, primary if position == button_column else None)
                    for position, column in enumerate(plan)
                ]
            if buttons:
                actions = format_html_join("", "<li>{}</li>", ((render_button(b),) for b in buttons))
                # the cell is format_html() output ending in "</td>": the buttons go inside it, as modeladmin does
                opening = mark_safe(cells[button_column][:-5])  # noqa: S308 - already escaped HTML, cut
                cells[button_column] = format_html('{}<ul class="actions">{}</ul></td>', opening, actions)
            rows.append(format_html("<tr{}>{}</tr>", flatatt(attrs), format_html_join("", "{}", ((c,) for c in cells))))
        return rows

    def column_plan(self) -> list[tuple] | None:
        """``(name, kind, getter_or_field, empty_value_display)`` per ``list_display`` entry — kind ``"method"``
        (a plain method of the ModelAdmin) or ``"field"`` (a concrete, non-boolean model field, FK included) —
        or ``None`` when a column is anything else (model method, callable, boolean/``allow_tags`` method)."""
        model_admin = self.model_admin
        plan = []
        for name in self.list_display:
            if not isinstance(name, str):
                return None
            empty = model_admin.get_empty_value_display(name)
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                method = getattr(model_admin, name, None)
                if not callable(method) or any(
                    getattr(method, flag, None) for flag in ("boolean", "allow_tags", "empty_value_display")
                ):
                    return None
                plan.append((name, "method", method, empty))
                continue
            if field.auto_created or field.many_to_many or field.one_to_many or isinstance(field, models.BooleanField):
                return None
            plan.append((name, "field", field, empty))
        return plan


def render_cell(model_admin, obj, column, primary_button=None) -> SafeString:
    """One ``<td>`` exactly as modeladmin's ``items_for_result`` renders it for a method or a field column.

    Hand-assembled from escaped parts (``conditional_escape``): ``format_html``/``flatatt`` per cell cost more
    than the rest of the row on this machine (~200 cells per page)."""
    name, kind, source, empty = column
    classes = f"field-{name} title"
    if kind == "method":
        value = source(obj)
        shown = display_for_value(value, empty)
        if not value:
            shown = mark_safe(shown)  # noqa: S308 - modeladmin marks the empty-value marker safe too
        if isinstance(value, (datetime.date, datetime.time)):
            classes += " nowrap"
    else:
        shown = display_for_field(getattr(obj, name), source, empty)
        if isinstance(source, (models.DateField, models.TimeField, models.ForeignKey)):
            classes += " nowrap"
    shown = _escape(shown) or "&nbsp;"
    extra_classes = model_admin.get_extra_class_names_for_field_col(obj, name)
    extra_attrs = model_admin.get_extra_attrs_for_field_col(obj, name)
    if extra_classes or extra_attrs:
        attrs = flatatt({**extra_attrs, "class": " ".join([classes, *extra_classes])})
    else:
        attrs = f' class="{_escape(classes)}"'
    if primary_button is not None and primary_button.get("url"):
        url, title = _escape(primary_button["url"]), _escape(primary_button.get("title", ""))
        cell = f'<td{attrs}><div class="title-wrapper"><a href="{url}" title="{title}">{shown}</a></div></td>'
    else:
        cell = f"<td{attrs}>{shown}</td>"
    return mark_safe(cell)  # noqa: S308 - every part above is escaped (or modeladmin's own safe attrs)


def _escape(value) -> str:
    """``conditional_escape`` without its lazy-call wrapper: HTML-safe values as they are, others escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def render_button(button: dict) -> SafeString:
    """A list button as ``modeladmin/includes/button.html`` renders it (the template only for icon buttons)."""
    if button.get("icon"):
        return render_to_string("modeladmin/includes/button.html", {"button": button})
    return format_html(
        '<a{} class="{}" title="{}"{}{}>{}</a>',
        format_html(' href="{}"', button["url"]) if button.get("url") else "",
        button.get("classname", ""),
        button.get("title", ""),
        format_html(' target="{}"', button["target"]) if button.get("target") else "",
        format_html(' rel="{}"', button["rel"]) if button.get("rel") else "",
        button.get("label", ""),
    )
