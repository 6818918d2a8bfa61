"""gunicorn settings (deploy/ruraledu-web.service starts gunicorn with -c this file).

Threaded workers: most pages are short CPU-bound Django views, but one rebuilt after a
recompute takes seconds and must not hold up the quick ones behind it; slow clients are the
reverse proxy's to buffer. Each thread keeps one PostgreSQL connection open (CONN_MAX_AGE, see the
README's deployment section). bench/load/run.py serves the load test with this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 × cores + 1: while one worker waits on PostgreSQL another uses the core
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
# threads: a page rebuilt after a recompute (seconds) no longer holds up the quick pages queued
# behind it in the same worker (measured by bench/load, see the README)
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread" if threads > 1 else "sync"
# an upload's safety check (check_upload) runs in the request; 30 MB takes a few seconds
timeout = 60
graceful_timeout = 30
# the reverse proxy keeps the browsers' connections; gunicorn closes each one after its response
# (an idle keep-alive closed just as a client reused it failed 4 requests in the load test)
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 0))
# a fresh process now and then returns memory; jitter keeps workers from restarting together
# (each restart empties that worker's page cache, so not too often)
max_requests = 5000
max_requests_jitter = 500
# requests are logged by the reverse proxy; errors go to the journal
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# only the local reverse proxy may say a request came over HTTPS (X-Forwarded-Proto)
forwarded_allow_ips = "127.0.0.1"
