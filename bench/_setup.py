"""Shared start of the benchmark scripts: Django on the database DATABASE_URL names,
timing helpers, and the size of the data the figures were measured on."""
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def timed(function, repeat):
    """Run function `repeat` times; returns (median ms, p95 ms, last result)."""
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95, result


def data_size():
    from areas.models import District, Ward
    from models_registry.models import SecurityModel
    from movement.models import Commendation, CommitmentSigning, PropagandaSession, Unit, UnitPlan

    counts = {"districts": District.objects.count(), "wards": Ward.objects.count(), "units": Unit.objects.count(),
              "models": SecurityModel.objects.count(), "sessions": PropagandaSession.objects.count(),
              "signings": CommitmentSigning.objects.count(), "plans": UnitPlan.objects.count(),
              "commendations": Commendation.objects.count()}
    return f"{connection.vendor}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items())


def header(title):
    print(f"\n== {title} ==")
    print(f"data: {data_size()}")
