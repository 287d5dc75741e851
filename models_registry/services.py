"""Writes to the models registry. Each function checks everything first and saves
in one transaction, so a refused input leaves nothing behind.

Verification follows every change a ward makes: an edit, a status change, a new or
removed attachment, a host unit renamed, each sends a verified model back to
"self-declared" (unless made by the body that verifies, the district committee or
since 1/7/2025 the province, or an administrator:
movement.scope.edit_keeps_verification), with the reason in the model's history.
Who may verify, or undo a verification, is movement.scope.can_verify_ward, the caller's to ask.

One save is one entry in the model's history (core.history.one_history_entry):
its fields, host units and "selfs" together, with the files it attached or
removed listed beside them (selectors.model_history).

A model launched before a merge goes in the ward version of its launch date, the
one its host units were in then (movement.services.record_ward)."""
import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.concurrency import check_version, lock_row
from core.history import one_history_entry, save_with_history
from core.text import clean_name
from core.validation import full_clean_with_field_errors
from models_registry.models import Attachment, Review, SecurityModel, StatusChange
from models_registry.organisers import clean_organisers, organisers_problem
from movement import rules
from movement.scope import edit_keeps_verification
from movement.services import record_ward

MODEL_CONSTRAINT_FIELDS = {
    "duplicate_launch": "name",
    "negative_members": "members",
    "regulations_date_without_regulations": "regulations_adopted_on",
}
MODEL_FIELDS = ("name", "kind", "launched_on", "organisers", "members", "has_regulations",
                "regulations_adopted_on", "is_exemplar", "exemplar_note", "description")

# Why a verification was undone, as the committee writes it (the form's bound).
UNVERIFY_REASON_MAX_LENGTH = 500

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


def _closed(model, date):
    """Why the model's records dated `date` are locked (movement.rules), or None."""
    return rules.closed_year_problem(model.ward_id, date)


def _units_outside_message(names):
    return _("Đơn vị không thuộc phường, xã của mô hình: %(names)s.") % {"names": ", ".join(names)}


def _check_model_rules(model, units, stored=None):
    errors = {}
    organisers = organisers_problem(model.organisers or [])
    if organisers:
        errors["organisers"] = [capfirst(organisers) + "."]
    if model.members is not None and model.members < 0:
        errors["members"] = [_("Số thành viên không được âm.")]
    errors.update(rules.date_errors({"launched_on": model.launched_on,
                                     "regulations_adopted_on": model.regulations_adopted_on}))
    # In the ward of its launch date, with host units that were in it that day.
    try:
        model.ward = record_ward(ward=model.ward, day=model.launched_on, units=units, date_field="launched_on",
                                 units_field="units", outside_message=_units_outside_message)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    # Launched in a closed year, or moved into or out of one (out of its stored
    # ward's, when the new date put it in another version of its area).
    if "launched_on" not in errors:
        stored_ward_id, stored_on = stored or (model.ward_id, None)
        if stored_ward_id == model.ward_id:
            problem = rules.closed_dates_problem(model.ward_id, model.launched_on, stored_on)
        else:
            problem = (rules.closed_dates_problem(model.ward_id, model.launched_on)
                       or rules.closed_dates_problem(stored_ward_id, stored_on))
        if problem:
            errors["launched_on"] = [problem]
    if errors:
        raise ValidationError(errors)


def _validate(model, units, stored=None):
    """All errors at once: field rules, then the database constraints. stored: the
    (ward id, launch date) stored before this edit."""
    errors = {}
    try:
        _check_model_rules(model, units, stored)
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


def _send_back_to_verify(model, user):
    """A change by this user sends a verified model back to be verified (see the
    module's head). True when it did; the caller saves with a reason."""
    if model.verification != SecurityModel.Verification.VERIFIED or edit_keeps_verification(user):
        return False
    model.verification = SecurityModel.Verification.SELF_DECLARED
    model.verified_by = None
    model.verified_at = None
    return True


def _save_model(model, user, reason=None):
    """Save with one history entry; the reason (why the model needs verifying
    again) goes into that entry only, whole: the history's change reason is a text
    column (SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD)."""
    with one_history_entry(model, user, reason):
        model.save()
    return model


def _refuse_if_closed(model, field=None):
    """A model launched in a closed year is that year's figure: its verification,
    files and deletion are locked with it (its later status changes are not)."""
    problem = _closed(model, model.launched_on)
    if problem:
        raise ValidationError({field: [problem]} if field else problem, code="closed_year")


def _locked(model):
    """The model's row locked for this transaction, and model refreshed from it,
    so a status change or an attachment checks against what is stored now. A model
    deleted meanwhile raises core.concurrency.EditConflict (a ValidationError)."""
    check_version(model, None)
    model.refresh_from_db()
    return model


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
    with one_history_entry(model, user):
        model.save()
        model.units.set(units)
        model.selfs.set(selfs)
        save_with_history(StatusChange(model=model, status=SecurityModel.Status.ACTIVE, changed_on=model.launched_on,
                                       note=_("Ra mắt mô hình"), created_by=user), user)
        _store_attachments(model, attachments, kinds, user)
    return model


@transaction.atomic
def model_update(*, model, user, version=None, units=None, selfs=None, **fields):
    """version: the updated_at the edit form was loaded at (core.concurrency); a
    model saved since is not overwritten."""
    unknown = set(fields) - set(MODEL_FIELDS)
    if unknown:
        raise TypeError(f"model_update() got unexpected fields {sorted(unknown)}")
    current = check_version(model, version)
    stored = (current.ward_id, current.launched_on)
    if "organisers" in fields:
        fields["organisers"] = clean_organisers(fields["organisers"])
    for field, value in fields.items():
        setattr(model, field, value)
    if not model.is_exemplar:
        model.exemplar_note = ""
    new_units = list(units) if units is not None else None
    _validate(model, new_units if new_units is not None else list(model.units.all()), stored)
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
    reason = _("Phường sửa thông tin: cần xác minh lại") if _send_back_to_verify(model, user) else None
    with one_history_entry(model, user, reason):
        model.save()
        if new_units is not None:
            model.units.set(new_units)
        if selfs is not None:
            model.selfs.set(selfs)
    return model


@transaction.atomic
def model_verify(*, model, user):
    # Locked and refreshed: saving the page's copy would undo a ward's change made meanwhile.
    _locked(model)
    _refuse_if_closed(model)
    model.verification = SecurityModel.Verification.VERIFIED
    model.verified_by = user
    model.verified_at = timezone.now()
    return save_with_history(model, user)


def model_verification_locked(model):
    """Why the model's verification can be neither given nor undone (its launch
    year is closed), or None: the confirmation pages say so before the button."""
    return _closed(model, model.launched_on)


@transaction.atomic
def model_unverify(*, model, user, reason):
    """Undo a verification, with the committee's reason kept in the model's history
    (the change reason of that entry). Who may is can_verify_ward, the caller's to
    ask. All or nothing: a refusal (no reason, not verified any more, the launch
    year closed) changes nothing and writes no history."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Hãy ghi lý do hủy xác minh.")]})
    if len(reason) > UNVERIFY_REASON_MAX_LENGTH:
        raise ValidationError({"reason": [_("Lý do dài tối đa %(limit)s ký tự.")
                                          % {"limit": UNVERIFY_REASON_MAX_LENGTH}]})
    # Locked and refreshed, as model_verify: two undos, or an undo and a ward's
    # edit, are checked one after the other.
    _locked(model)
    _refuse_if_closed(model)
    if model.verification != SecurityModel.Verification.VERIFIED:
        raise ValidationError(_("Mô hình này hiện không ở trạng thái đã xác minh; không có gì để hủy."),
                              code="not_verified")
    model.verification = SecurityModel.Verification.SELF_DECLARED
    model.verified_by = None
    model.verified_at = None
    return _save_model(model, user, _("Hủy xác minh: %(reason)s") % {"reason": reason})


@transaction.atomic
def model_change_status(*, model, user, status, changed_on, note=""):
    # Locked: two status changes at once are checked one after the other.
    _locked(model)
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
    elif problem := _closed(model, changed_on):
        errors["changed_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    change = save_with_history(StatusChange(model=model, status=status, changed_on=changed_on, note=clean_name(note),
                                created_by=user), user)
    model.status = status
    model.status_since = changed_on
    reason = _("Phường đổi trạng thái: cần xác minh lại") if _send_back_to_verify(model, user) else None
    _save_model(model, user, reason)
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
    elif problem := _closed(model, datetime.date(year, 1, 1)):
        errors["year"] = [problem]
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
    _locked(model)
    _refuse_if_closed(model, "attachments")
    sends_back = _send_back_to_verify(model, user)
    # An entry in the model's history even when nothing else changes: it lists the files.
    with one_history_entry(model, user, _("Phường thêm tệp đính kèm: cần xác minh lại") if sends_back else None):
        _store_attachments(model, uploads, kinds, user)
        if sends_back:
            model.save()
    return len(uploads)


@transaction.atomic
def attachment_delete(*, attachment, user):
    """Raises Attachment.DoesNotExist when someone deleted it first (one "deleted"
    history entry, never two)."""
    model = _locked(attachment.model)
    _refuse_if_closed(model)
    if lock_row(attachment) is None:
        raise Attachment.DoesNotExist(f"Attachment {attachment.pk} is already deleted.")
    attachment._history_user = user
    stored = attachment.file.name
    storage = attachment.file.storage
    sends_back = _send_back_to_verify(model, user)
    # An entry in the model's history even when nothing else changes: it lists the file.
    with one_history_entry(model, user, _("Phường xóa tệp đính kèm: cần xác minh lại") if sends_back else None):
        attachment.delete()
        if sends_back:
            model.save()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def model_delete(*, model, user):
    """Delete a model with its status changes, reviews and attachments
    (administrators, in the admin site). The attachments' files go too, once the
    deletion is committed. Raises SecurityModel.DoesNotExist when someone deleted
    it first."""
    current = lock_row(model)
    if current is None:
        raise SecurityModel.DoesNotExist(f"Model {model.pk} is already deleted.")
    _refuse_if_closed(current)
    files = [(a.file.storage, a.file.name) for a in model.attachments.all() if a.file.name]
    model._history_user = user
    model.delete()

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


# --- Host units changed in movement (hooks registered in apps.py) ----------------

def host_unit_renamed(*, unit, old_name, user):
    """A ward renamed a unit: the verified models it hosts go back to be verified."""
    if edit_keeps_verification(user):
        return
    reason = _("Đơn vị tham gia “%(old)s” đổi tên: cần xác minh lại") % {"old": old_name}
    for model in SecurityModel.objects.select_for_update(of=("self",)).filter(
            units=unit, verification=SecurityModel.Verification.VERIFIED):
        if rules.closed_year_problem(model.ward_id, model.launched_on):
            continue  # its year is reported: the verified count of that year stays as it was
        _send_back_to_verify(model, user)
        _save_model(model, user, reason)


def host_unit_deleting(*, unit, user):
    """A unit is about to be deleted: each model it hosts gets a history entry
    without it (the cascade that removes the link would leave none)."""
    reason = _("Xóa đơn vị tham gia “%(name)s”") % {"name": unit.name}
    for model in SecurityModel.objects.select_for_update(of=("self",)).filter(units=unit):
        if user is not None:
            model._history_user = user
        model._change_reason = reason
        # The m2m_changed signal writes the history entry (simple_history).
        model.units.remove(unit)

