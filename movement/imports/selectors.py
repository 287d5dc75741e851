"""Reads of the import pages: a job's sheets for its page, and the records an
import created, always through movement.scope."""
from functools import reduce
from operator import or_

from django.db.models import Q

from movement.imports.models import ImportJob
from movement.imports.sheets import handler_for
from movement.scope import scope_queryset

RECORDS_PER_PAGE = 25


def job_sheets(job):
    """The job's sheets as its page shows them: the stored summary, with how many
    rows the preview leaves out. Jobs stored before the preview have counts only."""
    return [{**sheet, "more": max(sheet["rows"] - len(sheet.get("preview", ())), 0)} for sheet in job.summary]


def _in_runs(runs):
    return reduce(or_, (Q(pk__gte=first, pk__lte=last) for first, last in runs))


def imported_records(*, user, job, index):
    """(the sheet's summary, its handler, the records it created that the user
    may see, in row order), or None when the job created none from that sheet.

    The records carry no mark of their import (no job key, no batch id). A link
    to the list filtered by the ward and dates of the rows would also show what
    was entered by hand in those days, and adding the job to five tables (two of
    them another app's) would widen every insert for one page. The ids the
    import wrote are known exactly when it writes them: the job keeps them as
    runs (movement.imports.services.id_runs), a few numbers per sheet, and this
    lists exactly those records. The user's scope still applies: an officer
    moved to another ward no longer sees what they imported into the old one."""
    try:
        position = int(index)
    except (TypeError, ValueError):
        return None
    if job.status != ImportJob.Status.DONE or not 0 <= position < len(job.summary):
        return None
    sheet = job.summary[position]
    handler = handler_for(sheet["sheet"])
    runs = sheet.get("created")
    if handler is None or not runs:
        return None
    records = scope_queryset(user, handler.model.objects.select_related("ward")).filter(_in_runs(runs))
    return sheet, handler, records.order_by("pk")
