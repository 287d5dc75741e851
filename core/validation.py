from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def full_clean_with_field_errors(instance, constraint_fields=None):
    """full_clean() that reports database-constraint violations against the field a
    user can fix, instead of at the top of the form.

    constraint_fields maps a constraint's violation_error_code to a field name."""
    constraint_fields = constraint_fields or {}
    try:
        instance.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict({})
        for error in list(errors.get(NON_FIELD_ERRORS, [])):
            field = constraint_fields.get(getattr(error, "code", None))
            if field:
                errors[NON_FIELD_ERRORS].remove(error)
                errors.setdefault(field, []).append(error)
        if NON_FIELD_ERRORS in errors and not errors[NON_FIELD_ERRORS]:
            del errors[NON_FIELD_ERRORS]
        raise ValidationError(errors) from None


def add_service_errors(form, exc):
    """Show a service's ValidationError on the form: each message beside its field,
    the rest at the top."""
    for field, errors in exc.update_error_dict({}).items():
        form.add_error(field if field in form.fields else None, errors)


def call_service(form, service, /, **arguments):
    """Call a service on behalf of a valid form. A ValidationError it raises is
    shown on the form (see add_service_errors) and None comes back, so the view
    shows the page again; otherwise the service's result (True if it has none)."""
    try:
        result = service(**arguments)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    return True if result is None else result
