"""gunicorn's settings for production (README, "Production"): what held under the
year-end load of issue #16 (bench/yearend_load.py; figures in docs/performance.md).
The command line overrides any of them (`--bind`, `--workers`)."""
import gc
import multiprocessing

bind = "127.0.0.1:8000"

# Sync workers, 2 × cores + 1. On 2 cores, 5 sync workers served 56 requests a
# second at 200 users with no connection lost; 3 gthread workers × 4 threads
# served 43 with a 5 s keep-alive and, with gunicorn's default 2 s, lost a third
# of the requests: the server closed kept-alive connections just as users came
# back after their 1–3 s pause. Every request here is CPU in Python or a short
# query, so threads buy no concurrency the processes do not already give.
worker_class = "sync"
workers = 2 * multiprocessing.cpu_count() + 1

# Only for a worker class that keeps connections (a sync worker closes each one
# after its response, behind nginx): longer than a user's pause between clicks.
keepalive = 5

# A worker silent this long is killed and replaced. The longest requests are a
# district's whole activity export (streamed; 1 s for the demo district) and,
# without a worker, a report built inside the click (3 s): far below it, while a
# runaway request cannot hold a worker for long.
timeout = 60
graceful_timeout = 30

# Recycle each worker after about 10,000 requests (the jitter keeps them from
# restarting together): memory a long-lived process gathers is given back. Not
# sooner: a new worker loads the application again (0.8 s of CPU) and serves its
# first pages cold; at the year-end peak's 100 requests a second, recycling
# every 2,000 took about 3 % of the two cores (issue #16).
max_requests = 10000
max_requests_jitter = 1000


# Requests a worker serves before its heap is frozen again (core.heap).
WARM_REQUESTS = 50


def post_request(worker, req, environ, resp):
    # Once the worker has served the common pages, their templates and
    # catalogues join the frozen heap too (core.heap; wsgi.py froze the rest).
    # Written out, not imported: gunicorn reads this file before the project is
    # on its path.
    if worker.nr == WARM_REQUESTS:
        gc.collect()
        gc.freeze()
