"""Writes of the movement's activities: sessions, signings, plans, commendations and
the legal-document catalogue. Each function validates fully (the record goes in
the ward of its date and its unit was in that ward then, the date is not in the
future, the database constraints), then saves in one transaction; callers pass
the acting user for the change history.

A record dated before a merge goes in the ward version valid on its date
(movement.services.record_ward): an officer of Trường Vinh recording a session
of March 2025 stores it in Trung Đô, the ward its unit was in then.

Who may write in which ward is the caller's business (movement.scope.can_edit_ward):
the same functions serve the views, the workbook import and the commands.

The *_update functions take `version`, the updated_at their edit form was loaded
at: a record saved since is not overwritten (core.concurrency.EditConflict)."""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.concurrency import check_version, lock_row
from core.csvfile import choice_by_label, csv_date, parse_csv
from core.history import save_with_history
from core.text import clean_name
from core.validation import full_clean_with_field_errors
from movement import rules
from movement.models import Commendation, CommitmentSigning, LegalDocument, PropagandaSession, UnitPlan
from movement.services import record_ward

SESSION_FIELDS = ("held_on", "unit", "topic", "channel", "audience", "attendance")
SIGNING_FIELDS = ("signed_on", "unit", "content", "signatories")
PLAN_FIELDS = ("year", "kind", "number", "issued_on")
COMMENDATION_FIELDS = ("awarded_on", "unit", "honoree", "honoree_kind", "title", "reason")

# Constraint violation codes -> the form field a user can fix.
CONSTRAINT_FIELDS = {
    "negative_attendance": "attendance",
    "negative_signatories": "signatories",
    "duplicate_plan": "number",
    "plan_year": "year",
}
COMMENDATION_CONSTRAINT_FIELDS = {"duplicate_commendation": "honoree"}
TEXT_FIELDS = {"topic", "content", "number", "honoree"}


def _check_fields(fields, allowed, function):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields {sorted(unknown)}")


def _assign(instance, fields):
    for field, value in fields.items():
        # Collapsed whitespace keeps "Khối  10" and "Khối 10" one record, in the
        # form and in the workbook import alike.
        setattr(instance, field, clean_name(value) if field in TEXT_FIELDS else value)


def _codes(documents):
    return ", ".join(sorted(d.code for d in documents))


def _place_and_clean(record, constraint_fields):
    """Put the record in the ward of its date (movement.services.record_ward), then
    run the model's own checks: every error at once, each beside its field, the
    placement's first.

    A record that passes is not checked against the database constraints nor for
    its ward and unit existing: the constraints cost a SELECT and two savepoint
    statements each, the foreign keys are instances the caller read, and the
    database checks all of them again as it saves (_save reports a refusal as
    these checks would). A record already refused is checked in full, so that a
    duplicate or a negative count shows with its other errors."""
    errors = {}
    try:
        record.ward = record_ward(ward=record.ward if record.ward_id else None, day=record.date,
                                  units=[record.unit] if record.unit_id else [], date_field=record.DATE_FIELD)
    except ValidationError as exc:
        errors = exc.update_error_dict({})
    loaded = [name for name in ("ward", "unit") if getattr(record, f"{name}_id") is not None]
    try:
        record.full_clean(exclude=loaded, validate_constraints=False)
        refused = bool(errors)
    except ValidationError:
        refused = True
    if refused:
        try:
            full_clean_with_field_errors(record, constraint_fields)
        except ValidationError as exc:
            for field, messages in exc.update_error_dict({}).items():
                errors.setdefault(field, messages)
        raise ValidationError(errors)


def _save(record, user, constraint_fields):
    """save_with_history; a row the database refuses for one of the model's
    constraints (the same session entered twice, two clicks at once included) is
    reported as full_clean reports it, beside its field. The save is tried in a
    savepoint, rolled back when refused."""
    try:
        with transaction.atomic():
            return save_with_history(record, user)
    except IntegrityError:
        # Which constraint, with its message: checked one by one as full_clean does.
        full_clean_with_field_errors(record, constraint_fields)
        raise


# --- Propaganda sessions -------------------------------------------------------

@transaction.atomic
def session_create(*, ward, user=None, legal_documents=(), **fields):
    _check_fields(fields, SESSION_FIELDS, "session_create")
    session = PropagandaSession(ward=ward)
    _assign(session, fields)
    session.legal_document_codes = _codes(legal_documents)
    _place_and_clean(session, CONSTRAINT_FIELDS)
    _save(session, user, CONSTRAINT_FIELDS)
    if legal_documents:
        # A new session has no documents to compare with, which set() would read.
        session.legal_documents.add(*legal_documents)
    return session


@transaction.atomic
def session_update(*, session, user=None, version=None, legal_documents=None, **fields):
    _check_fields(fields, SESSION_FIELDS, "session_update")
    check_version(session, version)
    _assign(session, fields)
    if legal_documents is not None:
        session.legal_document_codes = _codes(legal_documents)
    _place_and_clean(session, CONSTRAINT_FIELDS)
    _save(session, user, CONSTRAINT_FIELDS)
    if legal_documents is not None:
        session.legal_documents.set(legal_documents)
    return session


# --- Commitment signings -------------------------------------------------------

@transaction.atomic
def signing_create(*, ward, user=None, **fields):
    _check_fields(fields, SIGNING_FIELDS, "signing_create")
    signing = CommitmentSigning(ward=ward)
    _assign(signing, fields)
    _place_and_clean(signing, CONSTRAINT_FIELDS)
    return _save(signing, user, CONSTRAINT_FIELDS)


@transaction.atomic
def signing_update(*, signing, user=None, version=None, **fields):
    _check_fields(fields, SIGNING_FIELDS, "signing_update")
    check_version(signing, version)
    _assign(signing, fields)
    _place_and_clean(signing, CONSTRAINT_FIELDS)
    return _save(signing, user, CONSTRAINT_FIELDS)


# --- Unit plans ----------------------------------------------------------------

@transaction.atomic
def plan_create(*, unit, ward=None, user=None, **fields):
    """The ward is stored for scoping and counting: the unit's ward on the issue
    date. ward, when given (the form's), is where record_ward starts: the unit's
    ward of that day must be it or one of the wards that merged into it."""
    _check_fields(fields, PLAN_FIELDS, "plan_create")
    plan = UnitPlan(unit=unit, ward=ward)
    _assign(plan, fields)
    _place_and_clean(plan, CONSTRAINT_FIELDS)
    return _save(plan, user, CONSTRAINT_FIELDS)


@transaction.atomic
def plan_update(*, plan, user=None, version=None, unit=None, **fields):
    _check_fields(fields, PLAN_FIELDS, "plan_update")
    check_version(plan, version)
    if unit is not None:
        # A plan stays in its ward: moving it to another ward's unit is refused
        # (record_ward, beside the unit).
        plan.unit = unit
    _assign(plan, fields)
    _place_and_clean(plan, CONSTRAINT_FIELDS)
    return _save(plan, user, CONSTRAINT_FIELDS)


# --- Commendations -------------------------------------------------------------

@transaction.atomic
def commendation_create(*, ward, user=None, **fields):
    _check_fields(fields, COMMENDATION_FIELDS, "commendation_create")
    commendation = Commendation(ward=ward)
    _assign(commendation, fields)
    _place_and_clean(commendation, COMMENDATION_CONSTRAINT_FIELDS)
    return _save(commendation, user, COMMENDATION_CONSTRAINT_FIELDS)


@transaction.atomic
def commendation_update(*, commendation, user=None, version=None, **fields):
    _check_fields(fields, COMMENDATION_FIELDS, "commendation_update")
    check_version(commendation, version)
    _assign(commendation, fields)
    _place_and_clean(commendation, COMMENDATION_CONSTRAINT_FIELDS)
    return _save(commendation, user, COMMENDATION_CONSTRAINT_FIELDS)


# --- Deletion ------------------------------------------------------------------

@transaction.atomic
def activity_delete(*, record, user=None):
    """Delete any activity record; its history keeps a "deleted" entry naming the user.

    Raises the model's DoesNotExist when someone deleted it first: two deletes of
    one record at once used to both succeed (two "deleted" entries) or deadlock.
    Locking the row first makes the second wait, then find it gone.

    Raises ValidationError when the record's year is closed (movement.rules)."""
    current = lock_row(record)
    if current is None:
        raise type(record).DoesNotExist(f"{type(record).__name__} {record.pk} is already deleted.")
    rules.check_not_closed(current.ward_id, current.date)
    if user is not None:
        record._history_user = user
    record.delete()


# --- Reference data: the legal-document catalogue --------------------------------

LEGAL_CSV_COLUMNS = ("code", "kind", "issuer", "title")
LEGAL_CSV_OPTIONAL_COLUMNS = ("issued_on",)


@dataclass
class LegalDocumentRow:
    code: str
    kind: str
    issuer: str
    issued_on: datetime.date | None
    title: str


@dataclass
class LegalDocumentLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read_legal_document_line(values, line=None):
    problems = []
    kind = choice_by_label(LegalDocument.Kind.choices, values.get("kind", ""))
    if values.get("kind") and kind is None:
        problems.append(_("loại văn bản “%(kind)s” không hợp lệ") % {"kind": values["kind"]})
    issued_on = csv_date(values, "issued_on", problems)
    row = LegalDocumentRow(code=values.get("code", ""), kind=kind, issuer=values.get("issuer", ""),
                           issued_on=issued_on, title=values.get("title", ""))
    return row, problems


def parse_legal_documents_csv(stream):
    """Read and check every line of the legal-document CSV. Returns the rows, or
    raises ValidationError listing each bad line so nothing is loaded."""
    return parse_csv(stream, LEGAL_CSV_COLUMNS, _read_legal_document_line, lambda values: values.get("code", ""))


@transaction.atomic
def legal_documents_load(*, rows, user=None):
    """Create or update catalogue entries by code. Loading the same rows twice changes
    nothing; entries an administrator added by hand are left alone."""
    result = LegalDocumentLoadResult()
    existing = {d.code: d for d in LegalDocument.objects.all()}
    for row in rows:
        wanted = {"kind": row.kind, "issuer": row.issuer, "issued_on": row.issued_on, "title": row.title}
        document = existing.get(row.code)
        if document is None:
            document = LegalDocument(code=row.code, **wanted)
            full_clean_with_field_errors(document)
            save_with_history(document, user)
            result.created += 1
        elif any(getattr(document, f) != v for f, v in wanted.items()):
            for f, v in wanted.items():
                setattr(document, f, v)
            full_clean_with_field_errors(document)
            save_with_history(document, user)
            result.updated += 1
        else:
            result.unchanged += 1
    return result
