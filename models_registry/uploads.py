"""Files chosen in a launch form whose save failed (a missing launch date, say):
kept here and attached by the next save, so the officer does not pick the photo
again (a browser never refills a file input). Each is named by a token signed
with the uploader's id, so a user can only attach files they uploaded themselves.
The form only asks (SecurityModelForm.held_uploads, keep_uploads); the view opens
them for models_registry.services.model_create and discards them once saved."""
import uuid
from datetime import timedelta
from pathlib import Path

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from models_registry.services import attachment_check

HELD_UPLOADS_DIR = "tmp/held-uploads"
HELD_UPLOADS_MAX_AGE = timedelta(days=1)
HELD_UPLOADS_MAX = 20  # per form; more than any launch has photos
_HELD_SALT = "models_registry.held-upload"


def hold_uploads(uploads, user):
    """Store the acceptable uploads under MEDIA_ROOT/tmp; returns their tokens.
    A refused file (type, size) is not kept: its error is already on the form."""
    _sweep_held_uploads()
    tokens = []
    for upload in uploads:
        try:
            attachment_check(upload)
        except ValidationError:
            continue
        upload.seek(0)
        path = default_storage.save(f"{HELD_UPLOADS_DIR}/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}",
                                    upload)
        tokens.append(signing.dumps({"path": path, "name": upload.name[:255], "user": user.pk}, salt=_HELD_SALT))
    return tokens


def held_upload(token, user):
    """{"path", "name", "token"} of a held file, or None for a token that is forged,
    expired, another user's, or whose file has gone (already saved or swept)."""
    try:
        data = signing.loads(token, salt=_HELD_SALT, max_age=HELD_UPLOADS_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk or not str(data.get("path", "")).startswith(f"{HELD_UPLOADS_DIR}/"):
        return None
    if not default_storage.exists(data["path"]):
        return None
    return {"path": data["path"], "name": data["name"], "token": token}


def held_uploads(tokens, user):
    """The files still held of the tokens a form posted back (at most
    HELD_UPLOADS_MAX are looked at)."""
    held = (held_upload(token, user) for token in tokens[:HELD_UPLOADS_MAX])
    return [item for item in held if item is not None]


def keep_uploads(held, uploads, user):
    """After a failed save: the tokens of the files already held, then of those
    just chosen, up to HELD_UPLOADS_MAX in all."""
    tokens = [item["token"] for item in held]
    room = max(HELD_UPLOADS_MAX - len(tokens), 0)
    return tokens + hold_uploads(list(uploads)[:room], user)


def open_held_uploads(held):
    """The held files as uploads the attachment service takes (named as chosen)."""
    return [File(default_storage.open(item["path"]).file, name=item["name"]) for item in held]


def discard_held_uploads(held):
    for item in held:
        default_storage.delete(item["path"])


def _sweep_held_uploads():
    """Files of a form that was never saved again: gone after a day."""
    try:
        _dirs, names = default_storage.listdir(HELD_UPLOADS_DIR)
    except FileNotFoundError:
        return
    oldest = timezone.now() - HELD_UPLOADS_MAX_AGE
    for name in names:
        path = f"{HELD_UPLOADS_DIR}/{name}"
        if default_storage.get_modified_time(path) < oldest:
            default_storage.delete(path)
