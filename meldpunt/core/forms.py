"""A form renderer that writes the plain widgets in Python (FORM_RENDERER).

Django renders every widget, and every option of a select, through templates of its own (input,
attrs, select, select_option): about 0.1-0.3 ms a widget, which adds up on pages with many forms
(the case page shows some 30 fields of rarely used actions; a select of every organisation has
hundreds of options). For those templates this renderer writes the same markup directly; any
other template (a project's own widget, option groups of checkboxes, ...) is rendered by Django as
before. tests/test_query_counts.py holds its output to Django's for every form it touches.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: in order, True as a bare name, False left out.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            # The included option template's own trailing newline, as Django writes it.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


WIDGETS = "django/forms/widgets/"
OPTION = WIDGETS + "select_option.html"
_WRITERS = {
    **{
        f"{WIDGETS}{kind}.html": _input
        for kind in (
            "input",
            "text",
            "email",
            "number",
            "password",
            "hidden",
            "url",
            "tel",
            "search",
            "date",
            "time",
            "datetime",
            "checkbox",
            "color",
        )
    },
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
}


class QuickRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = _WRITERS.get(template_name)
        written = writer(context["widget"]) if writer is not None else None
        if written is None:
            return super().render(template_name, context, request)
        return mark_safe(written)  # noqa: S308 - every value above is escaped
