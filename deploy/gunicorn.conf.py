"""gunicorn settings (deploy/ruraledu-web.service starts gunicorn with -c this file).

Sync workers: the pages are short CPU-bound Django views, and slow clients are the reverse
proxy's to buffer. Each worker keeps one PostgreSQL connection open (CONN_MAX_AGE, see the
README's deployment section). bench/load/run.py serves the load test with this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 × cores + 1: while one worker waits on PostgreSQL another uses the core
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# an upload's safety check (check_upload) runs in the request; 30 MB takes a few seconds
timeout = 60
graceful_timeout = 30
keepalive = 5
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
