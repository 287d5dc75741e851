"""The page of an export made in the background, its download and its retry:
only for the user who asked for it (anyone else gets 404, as for a job that does
not exist)."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from movement.activities.kinds import KINDS
from movement.exports import services
from movement.exports.models import ExportJob


def _own_job(request, pk):
    job = ExportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None or job.kind not in KINDS:
        raise Http404
    return job


@login_required
def export_job(request, pk):
    job = _own_job(request, pk)
    kind = KINDS[job.kind]
    return render(request, "movement/export_job.html", {
        "job": job,
        "kind": kind,
        "Status": ExportJob.Status,
        "list_url": f"{reverse(kind.list_name)}{'?' + job.query if job.query else ''}",
        "size": job.file.size if job.status == ExportJob.Status.DONE and job.file else None,
        "days": settings.EXPORT_KEEP_DAYS,
    })


@login_required
def export_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("Tệp chưa sẵn sàng hoặc đã được xóa."))
    name = f"{KINDS[job.kind].slug}-{job.finished_at:%Y%m%d-%H%M}.{job.fmt}"
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def export_retry(request, pk):
    services.export_retry(job=_own_job(request, pk))
    return redirect("movement:export_job", pk=pk)
