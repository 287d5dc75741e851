"""Reference-data CSV files (wards, legal documents): one way to read them and one
way to refuse them, for the services and the commands that load them."""
import csv
import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.text import clean_name, name_key


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


def parse_csv(stream, required, read, key, *, columns=None):
    """Check every line of a reference-data CSV, all or nothing.

    read(values, line) returns (row, problems): the parsed row and the list of
    what is wrong with the line (empty required columns are already reported);
    key(values) names the line for the duplicate check. columns: the header's
    columns when more than the required ones (which must not be empty). Returns
    the rows, or raises a ValidationError naming each bad line ("Dòng 4: …") so
    nothing is loaded."""
    rows, errors, seen = [], [], {}
    for line, values in csv_lines(stream, columns or required):
        problems = [_("cột %(column)s để trống") % {"column": c} for c in required if not values.get(c)]
        row, more = read(values, line)
        problems += more
        line_key = key(values)
        if not problems and line_key in seen:
            problems.append(_("trùng với dòng %(line)d") % {"line": seen[line_key]})
        seen.setdefault(line_key, line)
        if problems:
            errors.append(_("Dòng %(line)d: %(errors)s.") % {"line": line, "errors": "; ".join(problems)})
        else:
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Tệp không có dòng dữ liệu nào."))
    return rows


def csv_date(values, column, problems):
    """The optional date of a column (2024-12-01 or 01/12/2024), or None with the
    problem added when it is not a date."""
    try:
        return parse_csv_date(values.get(column))
    except ValueError:
        problems.append(_("cột %(column)s: “%(value)s” không phải ngày (dd/mm/yyyy)")
                        % {"column": column, "value": values[column]})
        return None


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


def parse_csv_date(text):
    """A date written 2024-12-01 or 01/12/2024; None when empty. ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def choice_by_label(choices, label):
    """The choice whose Vietnamese label (or value) is `label`, any case, whatever
    language the interface is in: reference files are written in Vietnamese."""
    wanted = name_key(label)
    with translation.override("vi"):
        for value, display in choices:
            if name_key(str(display)) == wanted or value == wanted:
                return value
    return None


class LoadCsvCommand(BaseCommand):
    """A command that loads a reference-data CSV, all or nothing: `parse` checks
    the file (a ValidationError names each bad line), `load` writes the rows and
    returns its counts, `summary` says what was done."""

    default_path = None
    columns_help = ""

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(self.default_path), help=self.columns_help)

    def parse(self, stream):
        raise NotImplementedError

    def load(self, rows):
        raise NotImplementedError

    def summary(self, rows, result):
        raise NotImplementedError

    def handle(self, *args, path, **options):
        rows = parse_for_command(path, self.parse)
        self.stdout.write(self.summary(rows, self.load(rows)))
