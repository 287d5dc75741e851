"""Who a request's session belongs to, read in one plain query.

Django's ModelBackend finds the user of every request through the ORM: the
user with its ward and district (accounts.models.UserManager: the menu names
them), some 30 columns over three tables, the query built anew each time: 0.5
of a page's 13 ms (issue #16). UserBackend reads the same row with SQL written
once per process and builds the same instances; everything else is
ModelBackend's."""
from functools import lru_cache

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import User
from areas.models import District, Ward

# The user's own columns, then its ward's, then its district's.
_PARTS = ((User, None), (Ward, "ward"), (District, "district"))


@lru_cache(maxsize=None)
def _plan(vendor):
    """The SQL, and for each column what the ORM's compiler applies to its raw
    value (the backend's converters, then the field's: SQLite gives dates and
    booleans back as text and integers) with the column it passes them."""
    quote = connection.ops.quote_name
    user = quote("u")
    selected, joins, converters = [], [], []
    for model, relation in _PARTS:
        alias = quote(relation or "u")
        for field in model._meta.concrete_fields:
            selected.append(f"{alias}.{quote(field.column)}")
            column = field.get_col(model._meta.db_table)
            converters.append((connection.ops.get_db_converters(column) + column.get_db_converters(connection),
                               column))
        if relation:
            joins.append(f"LEFT JOIN {quote(model._meta.db_table)} {alias} ON {alias}.{quote(model._meta.pk.column)}"
                         f" = {user}.{quote(User._meta.get_field(relation).column)}")
    sql = (f"SELECT {', '.join(selected)} FROM {quote(User._meta.db_table)} {user} {' '.join(joins)} "
           f"WHERE {user}.{quote(User._meta.pk.column)} = %s")
    return sql, converters


def user_with_area(user_id):
    """The user of this id with its ward and district loaded, or None: what
    User.objects.get(pk=user_id) gives, in one query Django need not build."""
    try:
        user_id = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    sql, converters = _plan(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (functions, column) in zip(row, converters):
        for function in functions:
            value = function(value, column, connection)
        values.append(value)
    instances, start = [], 0
    for model, _relation in _PARTS:
        fields = model._meta.concrete_fields
        own = values[start:start + len(fields)]
        start += len(fields)
        # A user without a ward (or district) has NULLs there, its id first.
        instances.append(None if own[0] is None else model.from_db(connection.alias, [f.attname for f in fields], own))
    user, ward, district = instances
    user._state.fields_cache["ward"] = ward
    user._state.fields_cache["district"] = district
    return user


class UserBackend(ModelBackend):
    """ModelBackend, with the session's user read by user_with_area. A wrong
    password ends the sign-in here: the ModelBackend listed after this one (for
    the sessions it signed in before) would otherwise hash it a second time."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None and password is not None:
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user = user_with_area(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
