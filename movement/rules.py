"""The movement's record rules, each in one place: forms, services, the workbook
import and the demo data all call these, so a rule and its message cannot drift
apart between the pages and the spreadsheet.

The `*_problem` functions answer in sentence fragments ("ngày 01/02/2027 ở tương
lai") that an import error puts after its "Trang tính …, dòng …, cột …:" prefix;
the `check_*` functions raise the same rule as a field error for forms and
services."""
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.selectors import closed_year

# The registry starts with 2015: the year pickers, the reports and every date a
# user types (launch, session, plan...) begin there; an earlier date is a typo
# ("0001-01-01", "2002" for "2022"), not history this product keeps.
FIRST_YEAR = 2015
# Plans are numbered per year; a year this far ahead is a typo too.
LAST_PLAN_YEAR = 2100

UNIT_NOT_IN_WARD = gettext_lazy("Đơn vị này không thuộc phường, xã của bản ghi.")


def _sentence(fragment):
    return capfirst(fragment) + "."


def date_problem(value, *, today=None):
    """Why a record's date cannot be accepted, as the import states it beside the
    cell ("ngày 01/02/2027 ở tương lai"), or None. Checked against the local date:
    at 06:30 in Vinh it is still "yesterday" in UTC."""
    if value is None:
        return None
    if value > (today or timezone.localdate()):
        return _("ngày %(date)s ở tương lai") % {"date": value.strftime("%d/%m/%Y")}
    if value.year < FIRST_YEAR:
        return _("ngày %(date)s trước năm %(year)s, năm đầu tiên phần mềm theo dõi") % {
            "date": value.strftime("%d/%m/%Y"), "year": FIRST_YEAR}
    return None


def _field_message(value, today):
    # Beside a form field the date itself is in view: the message names the rule.
    if value > (today or timezone.localdate()):
        return _("Ngày không được ở tương lai.")
    return _("Ngày không được trước năm %(year)s.") % {"year": FIRST_YEAR}


def check_date(value, field, *, today=None):
    """Raise a field error when date_problem finds one."""
    if date_problem(value, today=today):
        raise ValidationError({field: _field_message(value, today)})


def date_errors(dates, *, today=None):
    """{field: [message]} for every bad date of {field: value}: forms show them all at once."""
    return {field: [_field_message(value, today)] for field, value in dates.items()
            if date_problem(value, today=today)}


def year_problem(year):
    if year is not None and not FIRST_YEAR <= year <= LAST_PLAN_YEAR:
        return _("năm phải từ %(first)s đến %(last)s") % {"first": FIRST_YEAR, "last": LAST_PLAN_YEAR}
    return None


def years_until_today():
    """The years a picker offers, newest first."""
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def plan_date_problem(issued_on, year):
    """A plan for a year is issued in that year or at the end of the one before."""
    if issued_on and year and issued_on.year not in (year, year - 1):
        return _("ngày ban hành phải thuộc năm của kế hoạch hoặc năm trước đó")
    return None


def check_plan_date(issued_on, year, field="issued_on"):
    problem = plan_date_problem(issued_on, year)
    if problem:
        raise ValidationError({field: _sentence(problem)})


def closed_year_message(area, year):
    """Said wherever a record of a closed year is refused. A whole sentence (it is
    read on its own beside a field, and after the import's cell prefix). area: the
    district, ward or province whose final report closed the year."""
    return _("Số liệu năm %(year)s của %(district)s đã được chốt; muốn sửa, Ban Chỉ đạo phải mở lại năm này.") % {
        "year": str(year), "district": area}


def closed_year_problem(ward, date):
    """Why a record of this ward dated `date` may not be created, changed or
    deleted: its district's report for that year is final (areas.ClosedYear).
    One small query; None when the year is open. ward: a Ward or its id."""
    if date is None or ward is None:
        return None
    closed = closed_year(ward, date.year)
    return closed_year_message(closed.area, closed.year) if closed is not None else None


def closed_dates_problem(ward, *dates):
    """closed_year_problem for the first of these dates whose year is closed, or
    None. Given a record's new and stored date: moving it into or out of a closed
    year changes that year too. One query a distinct year."""
    for day in {d.year: d for d in dates if d}.values():
        problem = closed_year_problem(ward, day)
        if problem:
            return problem
    return None


def check_not_closed(ward, date, field=None):
    """Raise closed_year_problem as an error of `field` (of the whole record when None)."""
    problem = closed_year_problem(ward, date)
    if problem:
        raise ValidationError({field: problem} if field else problem, code="closed_year")
