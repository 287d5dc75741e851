"""Writes to the models registry. Each function checks everything first and saves
in one transaction, so a refused input leaves nothing behind."""
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from core.text import clean_name
from core.validation import full_clean_with_field_errors
from models_registry.models import Attachment, Review, SecurityModel, StatusChange
from movement import rules
from movement.scope import edit_keeps_verification

MODEL_CONSTRAINT_FIELDS = {
    "duplicate_launch": "name",
    "negative_members": "members",
    "regulations_date_without_regulations": "regulations_adopted_on",
}
MODEL_FIELDS = ("name", "kind", "launched_on", "organisers", "members", "has_regulations",
                "regulations_adopted_on", "is_exemplar", "exemplar_note", "description")

# Photos of a launch and the signed decision as a scanned PDF; the default 10 MB
# (MODEL_ATTACHMENT_MAX_BYTES) covers a phone photo or a multi-page scan, and
# keeps the media disk in check.
ATTACHMENT_MAX_BYTES = settings.MODEL_ATTACHMENT_MAX_BYTES
ATTACHMENT_TYPES = {
    ".jpg": Attachment.Kind.PHOTO, ".jpeg": Attachment.Kind.PHOTO, ".png": Attachment.Kind.PHOTO,
    ".webp": Attachment.Kind.PHOTO, ".pdf": Attachment.Kind.DOCUMENT,
}
# The first bytes of each accepted format: a renamed .exe is refused even with a
# .pdf name.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
}


def clean_organisers(organisers):
    """The organising bodies as typed, each cleaned and named once (ignoring case):
    the form, the import and the demo all store them this way."""
    seen, result = set(), []
    for body in organisers or []:
        body = clean_name(body)
        if body and body.casefold() not in seen:
            seen.add(body.casefold())
            result.append(body)
    return result


def _check_model_rules(model, units):
    errors = {}
    if model.members is not None and model.members < 0:
        errors["members"] = [_("Số thành viên không được âm.")]
    errors.update(rules.date_errors({"launched_on": model.launched_on,
                                     "regulations_adopted_on": model.regulations_adopted_on}))
    foreign = rules.units_outside_ward(units, model.ward_id)
    if foreign:
        errors["units"] = [_("Đơn vị không thuộc phường, xã của mô hình: %(names)s.") % {"names": ", ".join(foreign)}]
    if errors:
        raise ValidationError(errors)


def _validate(model, units):
    """All errors at once: field rules, then the database constraints."""
    errors = {}
    try:
        _check_model_rules(model, units)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        full_clean_with_field_errors(model, MODEL_CONSTRAINT_FIELDS)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            # A field our own rules already explained keeps that one message.
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def attachment_limit_mb():
    """The size limit as the help texts and the refusal state it: "10" (MB), or
    "2,5" for a limit set between whole megabytes."""
    return f"{round(ATTACHMENT_MAX_BYTES / 1048576, 1):g}".replace(".", ",")


def attachment_check(upload):
    """Type (by extension and by content) and size of an uploaded file; returns its kind."""
    suffix = Path(upload.name or "").suffix.lower()
    kind = ATTACHMENT_TYPES.get(suffix)
    if kind is None:
        raise ValidationError(
            _("Tệp “%(name)s” không được chấp nhận: chỉ nhận ảnh (JPG, PNG, WEBP) hoặc văn bản PDF.")
            % {"name": upload.name}, code="attachment_type")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s MB); tối đa %(limit)s MB.")
            % {"name": upload.name, "size": f"{upload.size / 1048576:.1f}".replace(".", ","),
               "limit": attachment_limit_mb()}, code="attachment_size")
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng %(ext)s (nội dung tệp không khớp phần mở rộng).")
            % {"name": upload.name, "ext": suffix[1:].upper()}, code="attachment_content")
    return kind


def _check_attachments(uploads):
    errors = []
    kinds = []
    for upload in uploads:
        try:
            kinds.append(attachment_check(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return kinds


def _store_attachments(model, uploads, kinds, user):
    for upload, kind in zip(uploads, kinds):
        save_with_history(Attachment(model=model, file=upload, kind=kind, original_name=upload.name[:255],
                         size=upload.size, uploaded_by=user), user)


@transaction.atomic
def model_create(*, ward, user, units=(), selfs=(), attachments=(), **fields):
    unknown = set(fields) - set(MODEL_FIELDS)
    if unknown:
        raise TypeError(f"model_create() got unexpected fields {sorted(unknown)}")
    fields["organisers"] = clean_organisers(fields.get("organisers"))
    model = SecurityModel(ward=ward, created_by=user, **fields)
    if not model.is_exemplar:
        model.exemplar_note = ""
    units, attachments = list(units), list(attachments)
    errors, kinds = {}, []
    try:
        _validate(model, units)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        kinds = _check_attachments(attachments)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    model.status_since = model.launched_on
    save_with_history(model, user)
    model.units.set(units)
    model.selfs.set(selfs)
    save_with_history(StatusChange(model=model, status=SecurityModel.Status.ACTIVE, changed_on=model.launched_on,
                       note=_("Ra mắt mô hình"), created_by=user), user)
    _store_attachments(model, attachments, kinds, user)
    return model


@transaction.atomic
def model_update(*, model, user, units=None, selfs=None, **fields):
    unknown = set(fields) - set(MODEL_FIELDS)
    if unknown:
        raise TypeError(f"model_update() got unexpected fields {sorted(unknown)}")
    if "organisers" in fields:
        fields["organisers"] = clean_organisers(fields["organisers"])
    for field, value in fields.items():
        setattr(model, field, value)
    if not model.is_exemplar:
        model.exemplar_note = ""
    new_units = list(units) if units is not None else None
    _validate(model, new_units if new_units is not None else list(model.units.all()))
    # The first status change is the launch itself and moves with the launch
    # date; a later change may not fall before the launch.
    launch_change, *later_changes = list(model.status_changes.order_by("changed_on", "pk")) or [None]
    if any(change.changed_on < model.launched_on for change in later_changes):
        raise ValidationError({"launched_on": [
            _("Ngày ra mắt không được sau một lần thay đổi trạng thái đã ghi.")]})
    if launch_change is not None and launch_change.changed_on != model.launched_on:
        launch_change.changed_on = model.launched_on
        save_with_history(launch_change, user)
        if not later_changes:
            model.status_since = model.launched_on
    if model.verification == SecurityModel.Verification.VERIFIED and not edit_keeps_verification(user):
        model.verification = SecurityModel.Verification.SELF_DECLARED
        model.verified_by = None
        model.verified_at = None
    save_with_history(model, user)
    if new_units is not None:
        model.units.set(new_units)
    if selfs is not None:
        model.selfs.set(selfs)
    return model


@transaction.atomic
def model_verify(*, model, user):
    model.verification = SecurityModel.Verification.VERIFIED
    model.verified_by = user
    model.verified_at = timezone.now()
    return save_with_history(model, user)


@transaction.atomic
def model_change_status(*, model, user, status, changed_on, note=""):
    errors = {}
    if status not in SecurityModel.Status.values:
        errors["status"] = [_("Trạng thái không hợp lệ.")]
    elif status == model.status:
        errors["status"] = [_("Mô hình đang ở trạng thái này.")]
    if changed_on < model.launched_on:
        errors["changed_on"] = [_("Ngày thay đổi trạng thái không được trước ngày ra mắt (%(date)s).")
                                % {"date": model.launched_on.strftime("%d/%m/%Y")}]
    elif rules.date_problem(changed_on):
        errors.update(rules.date_errors({"changed_on": changed_on}))
    elif model.status_since and changed_on < model.status_since:
        errors["changed_on"] = [_("Ngày này trước lần thay đổi trạng thái gần nhất (%(date)s).")
                                % {"date": model.status_since.strftime("%d/%m/%Y")}]
    if errors:
        raise ValidationError(errors)
    change = save_with_history(StatusChange(model=model, status=status, changed_on=changed_on, note=clean_name(note),
                                created_by=user), user)
    model.status = status
    model.status_since = changed_on
    save_with_history(model, user)
    return change


@transaction.atomic
def review_create(*, model, user, year, kind, rating, members_at_review=None, notes=""):
    review = Review(model=model, year=year, kind=kind, rating=rating, members_at_review=members_at_review,
                    notes=notes, created_by=user)
    errors = {}
    if year < model.launched_on.year:
        errors["year"] = [_("Năm đánh giá không được trước năm ra mắt (%(year)s).") % {"year": model.launched_on.year}]
    elif year > timezone.localdate().year:
        errors["year"] = [_("Năm đánh giá không được ở tương lai.")]
    try:
        full_clean_with_field_errors(review, {"duplicate_review": "year"})
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return save_with_history(review, user)


@transaction.atomic
def attachments_add(*, model, user, uploads):
    uploads = list(uploads)
    if not uploads:
        raise ValidationError({"attachments": [_("Chưa chọn tệp nào.")]})
    kinds = _check_attachments(uploads)
    _store_attachments(model, uploads, kinds, user)
    return len(uploads)


@transaction.atomic
def attachment_delete(*, attachment, user):
    attachment._history_user = user
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(stored))

