"""Widgets shared by every app's forms (core knows no domain)."""
from django import forms
from django.forms import widgets
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from core.html import text


def _attrs(attrs):
    """Attributes as Django's widgets/attrs.html writes them: in their order, a
    True value as the bare name, a False one left out, any other as its text,
    escaped ({{ value|stringformat:'s' }})."""
    return "".join(f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def _option(value, label, selected):
    # The label as {{ widget.label }} shows it (localized, escaped unless safe),
    # the value as {{ widget.value|stringformat:'s' }}; the line break after it is
    # the end of Django's option template.
    return (f'\n  <option value="{text(value)}"{" selected" if selected else ""}>'
            f"{text(localize(label))}</option>\n")


class Select(forms.Select):
    """Django's drop-down, written in one pass in Python instead of one template
    per option: a ward's 500 units took 80 % of the new-session form, the list
    pages' filter bars up to half of the page (issue #16).

    The HTML is Django's byte for byte (widgets/select.html, select_option.html,
    attrs.html): the attributes the bound field and crispy-forms pass (id,
    required, aria-*, "form-select is-invalid") are written as given, the first
    option whose value matches is selected. Named Select because crispy-forms
    adds the widget's class name, lowercased, to its CSS classes ("select
    form-select"). For a single choice only: SelectMultiple keeps Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = self.format_value(value)
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            group = isinstance(option_label, (list, tuple))
            if group:
                parts.append(f'\n  <optgroup label="{conditional_escape(localize(option_value))}">')
            for choice_value, label in option_label if group else ((option_value, option_label),):
                is_selected = not has_selected and str(choice_value) in selected
                has_selected |= is_selected
                parts.append(_option(choice_value, label, is_selected))
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


# Django's widget templates that are only its <input> (widgets/input.html); check
# boxes and file inputs are left to Django (a check box's value is its checked).
_INPUT_TEMPLATES = {f"django/forms/widgets/{name}.html" for name in (
    "color", "date", "datetime", "email", "hidden", "number", "password", "search", "tel", "text", "time", "url")}


def renders_plain_input(widget):
    """Whether render_input writes what this widget's render() would."""
    return (type(widget).render is forms.Widget.render and type(widget).get_context is widgets.Input.get_context
            and widget.template_name in _INPUT_TEMPLATES)


def render_input(field, attrs):
    """field.as_widget(attrs=attrs) for a field whose widget renders_plain_input:
    the same <input> byte for byte (widgets/input.html and attrs.html), written
    here instead of through two templates: the inputs of a form were a third of
    the new-session page's rendering (issue #16). The steps are as_widget's."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = context["value"]
    # {{ widget.value|stringformat:'s' }}: the text of the value, escaped.
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return mark_safe(f'<input type="{conditional_escape(context["type"])}" name="{conditional_escape(context["name"])}"'
                     f'{shown}{_attrs(context["attrs"])}>')
