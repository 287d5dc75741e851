import unicodedata

from crispy_forms.layout import Column, Row, Submit
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import forms, template
from django.middleware.csrf import get_token
from django.template.defaultfilters import unordered_list
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.numbers import format_number
from core.widgets import render_input, renders_plain_input

register = template.Library()


@register.filter
def number(value, decimals=0):
    """{{ value|number }} -> 2.365, {{ share|number:1 }} -> 66,7 (core.numbers)."""
    return format_number(value, decimals)


@register.filter
def minutes(delta):
    """timedelta -> whole minutes, for "try again in 15 minutes"."""
    try:
        return max(1, int(delta.total_seconds() // 60))
    except AttributeError:
        return ""


@register.filter
def nfc(text):
    """Text in composed Unicode (NFC), as every other word of the page. Django
    writes some languages' own names decomposed ("Tiếng Việt" with combining
    accents), which a search of the page for the same words would not find."""
    return unicodedata.normalize("NFC", str(text))


@register.simple_tag
def field_control(field):
    """A bound field's input with the classes crispy-forms' Bootstrap 5 pack gives
    it (form-select or form-control, and is-invalid after a refused POST), for a
    form laid out by a plain template instead of crispy's templates per field:
    three small forms were a fifth of a model's page (issue #16). Django adds
    required, aria-invalid and aria-describedby (the ids of the error and the
    help). For inputs, drop-downs and text areas: a check box has another layout."""
    widget = field.field.widget
    # crispy's own class first ("textinput", "select"), kept for anything that
    # selects on it.
    classes = [widget.attrs.get("class", ""), type(widget).__name__.lower(),
               "form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(c for c in classes if c)}
    if renders_plain_input(widget):
        return render_input(field, attrs)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def field_block(field, inline_errors=False):
    """A field as crispy-forms' Bootstrap 5 pack lays it out (its |as_crispy_field:
    the wrapper, the label with the required mark, the control, the errors, the
    help), written here in one pass: crispy renders half a dozen templates per
    field, and the filter bars of the lists and the reports page were a quarter
    of those pages (issue #16). For inputs, drop-downs and text areas."""
    if field.is_hidden:
        return field.as_widget()
    auto_id = field.auto_id
    required = field.field.required
    parts = [format_html('<div id="div_{}" class="mb-3">', auto_id)]
    if field.label:
        parts.append(format_html('<label for="{}" class="form-label{}">{}{}</label>', field.id_for_label,
                                 " requiredField" if required else "", field.label,
                                 mark_safe('<span class="asteriskField">*</span>') if required else ""))
    parts.append(field_control(field))
    if field.errors:
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">', auto_id))
        tag = "span" if inline_errors else "p"
        parts.extend(format_html('<{} id="error_{}_{}"><strong>{}</strong></{}>', tag, number, auto_id, error, tag)
                     for number, error in enumerate(field.errors, 1))
        parts.append(mark_safe("</div>"))
    if field.help_text:
        # Help texts are the code's own, with markup (crispy writes them |safe).
        parts.append(format_html('<div id="{}_helptext" class="form-text">{}</div>', auto_id,
                                 mark_safe(field.help_text)))
    parts.append(mark_safe("</div>"))
    return mark_safe("".join(parts))


# The widgets field_block writes; a field with another (check boxes, files) is
# left to crispy.
_PLAIN_WIDGETS = (forms.Select, forms.Textarea, forms.DateInput, forms.TextInput, forms.NumberInput,
                  forms.EmailInput, forms.URLInput)


def _layout_part(form, part, rendered, inline_errors):
    """One part of a crispy Layout written the Bootstrap 5 pack's way, or None
    for a kind of part this does not know."""
    if isinstance(part, str):
        rendered.add(part)
        field = form[part]
        widget = field.field.widget
        if isinstance(widget, forms.CheckboxInput) or isinstance(widget, forms.CheckboxSelectMultiple) or (
                not isinstance(widget, _PLAIN_WIDGETS) and not field.is_hidden):
            return as_crispy_field(field)
        return field_block(field, inline_errors)
    if type(part) in (Row, Column) and not part.flat_attrs and not part.css_id:
        inner = [_layout_part(form, child, rendered, inline_errors) for child in part.fields]
        if any(html is None for html in inner):
            return None
        if type(part) is Row:
            css = f"row {part.css_class or ''}"
        else:
            css = part.css_class if "col" in (part.css_class or "") else f"col-md {part.css_class or ''}"
        return format_html('<div class="{}">{}</div>', css, mark_safe("".join(inner)))
    if type(part) is Submit and not part.flat_attrs:
        return format_html('<input type="submit" name="{}" value="{}" class="{}" id="{}"/>', part.name, part.value,
                           part.field_classes, part.id)
    return None


@register.simple_tag(takes_context=True)
def layout_form(context, form):
    """{% crispy form %} for a form whose helper lays out its fields by name, in
    Rows of Columns, with a Submit: the same markup written in one pass (crispy
    renders several templates per field, 60 % of the new-session page, issue #16).
    Anything else in the layout is left to crispy whole, so the page never lacks a
    part."""
    helper = form.helper
    rendered = set()
    parts = [_layout_part(form, part, rendered, helper.error_text_inline) for part in helper.layout.fields]
    request = context.get("request")
    if (any(html is None for html in parts) or helper.inputs or not helper.form_tag or helper.attrs
            or helper.help_text_inline or not helper.form_show_labels or not helper.form_show_errors
            or helper.form_error_title or request is None):
        with context.push(form=form, helper=helper):
            return CrispyFormNode("form", "helper").render(context)
    if helper.render_hidden_fields:
        parts.extend(field.as_widget() for field in form.hidden_fields() if field.name not in rendered)
    head = []
    if form.non_field_errors():
        head.append(format_html('<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                                unordered_list(form.non_field_errors(), autoescape=True)))
    token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    return format_html('<form method="{}"{}>{}{}{}</form>', helper.form_method,
                       mark_safe(' enctype="multipart/form-data"') if form.is_multipart() else "",
                       token, mark_safe("".join(head)), mark_safe("".join(parts)))
