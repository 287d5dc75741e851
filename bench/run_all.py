"""Every benchmark, one after the other, against the database DATABASE_URL names
(PostgreSQL with the province-scale demo data: `manage.py seed_demo --scale province`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antq_province .venv/bin/python bench/run_all.py

Each script prints its own figures and the data size it ran on; see
docs/performance.md for the latest run."""
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ["report.py", "rollups.py", "lists.py", "dashboard.py", "import_sessions.py"]


def main():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded with `manage.py seed_demo --scale province`.")
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}")
    failed = []
    for script in SCRIPTS:
        path = BENCH / script
        if not path.exists():
            continue
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(path)], cwd=BENCH.parent)
        print(f"-- {script}: {time.monotonic() - started:.0f} s, exit {result.returncode}")
        if result.returncode:
            failed.append(script)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
