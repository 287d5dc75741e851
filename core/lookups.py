"""`field__any=[ids]`: membership in a list of integers sent as one parameter.

The figures filter by the wards of an area: 25 for a district, 428 for the
province, 3,321 for the nation. `field__in` turns each id into a placeholder and
Django resolves every one of them as an expression while building the query:
with 20 queries of 428 ids each, that was about 40 ms of the province
dashboard's Python, more than most of its SQL. On PostgreSQL, `= ANY(%s)` passes
the list as one array (psycopg2 adapts it in C) and the planner treats it as it
treats IN (the same index scans, the same hashed probe). SQLite has no arrays: there it is IN, with the
placeholders made in one go rather than resolved one by one."""
from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        # Integers only (ids): each is checked here, once, instead of resolved as
        # an expression; a non-integer is a programming error, raised at once.
        return [int(value) for value in self.rhs]

    def _values(self):
        if not self.rhs:
            # As IN with an empty list: no row, and no query at all.
            raise EmptyResultSet
        return self.rhs

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self._values()
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # Cast to the column's own type: psycopg2 sends ARRAY[1, 2, ...], an
        # integer[], and bigint = ANY(integer[]) is a cross-type comparison the
        # executor cannot hash, so it walks the whole array for every row (15 ms
        # became 37 ms on the province's units). Same type: one hash probe a row.
        array_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", (*lhs_params, self._values())


# A foreign key's lookups are its own (ForeignObject does not inherit Field's):
# `ward_id__any` and `ward__any` compare the key column with the ids.
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
