from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception and str(exception) else ""}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
