"""Reference-data CSV files (wards, legal documents): one way to read them and one
way to refuse them, for the services and the commands that load them."""
import csv

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from core.text import clean_name


def csv_lines(stream, required):
    """(line number, {column: cleaned value}) for each data line, once the header
    holds every required column (names match ignoring case and spaces)."""
    reader = csv.DictReader(stream)
    header = [clean_name(h).lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            _("Dòng 1: tệp thiếu cột %(columns)s (cần các cột: %(required)s).")
            % {"columns": ", ".join(missing), "required": ", ".join(required)}
        )
    reader.fieldnames = header
    for line, raw in enumerate(reader, start=2):
        yield line, {k: clean_name(v) for k, v in raw.items() if k}


def parse_for_command(path, parse):
    """parse(stream) on a UTF-8 file, every failure turned into the command's error."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            return parse(stream)
    except FileNotFoundError:
        raise CommandError(f"Không tìm thấy tệp {path}.")
    except UnicodeDecodeError:
        raise CommandError(f"Tệp {path} không phải văn bản UTF-8.")
    except ValidationError as exc:
        raise CommandError("Tệp không hợp lệ, chưa nạp gì:\n" + "\n".join(exc.messages))
