"""Deadline-day users for locust (started by bench/load/run.py, which sets the environment):

- readers: signed in as the demo roles (leader, admin, dept, town, clerk, inspector, researcher),
  each reading its role's pages with a pause between pages, as people do;
- uploaders: one clerk per school, who opens the upload form at some moment of the upload
  window, uploads the school's roster, watches the job page (polled every second, as htmx
  does) until the import ends, then reads the school's pages.

Every request's time and outcome is written to LOAD_RESULTS (JSON lines) for run.py.
"""

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "5,15").split(","))
UPLOAD_WINDOW = float(os.environ.get("LOAD_UPLOAD_WINDOW", "60"))
MAX_READS = int(os.environ.get("LOAD_MAX_READS", "100000"))
RESULTS = os.environ["LOAD_RESULTS"]

READERS = iter(PLAN["readers"])
UPLOADS = iter(PLAN["uploads"])
READS = itertools.count(1)
RECORDS: list[dict] = []

# page kind of a path, for the per-page figures
KINDS = [
    (r"^/$", "驾驶舱"),
    (r"^/plan/projects/", "重点项目"),
    (r"^/plan/", "方案与部门"),
    (r"^/indicators/targets/", "目标"),
    (r"^/indicators/[^/]+/records/", "指标下钻"),
    (r"^/indicators/[^/]+/", "指标"),
    (r"^/indicators/$", "指标列表"),
    (r"^/units/", "单位画像"),
    (r"^/org/units/", "单位详情"),
    (r"^/students/schools/", "学生名单"),
    (r"^/yzjh/", "优质均衡"),
    (r"^/supervision/", "督导"),
    (r"^/reporting/", "进展报告"),
    (r"^/spreadsheets/$", "导入记录"),
    (r"^/school-years/", "学年"),
]


def kind_of(path: str) -> str:
    return next((label for pattern, label in KINDS if re.search(pattern, path)), path)


@events.request.add_listener
def record(request_type, name, response_time, response_length, response, exception, **kw):
    status = getattr(response, "status_code", 0)
    RECORDS.append(
        {
            "group": kw.get("context", {}).get("group", "page"),
            "name": name,
            "ms": response_time,
            "status": status,
            "error": repr(exception) if exception else "",
            "at": time.time(),
        }
    )


@events.test_stop.add_listener
def save(**kw):
    with open(RESULTS, "w", encoding="utf-8") as out:
        for r in RECORDS:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")


class Signed(HttpUser):
    abstract = True

    def sign_in(self, session: str) -> None:
        self.client.cookies.set(PLAN["session_cookie"], session)

    def read(self, path: str, group: str = "page") -> None:
        with self.client.get(
            path,
            name=kind_of(path),
            context={"group": group},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path}: HTTP {response.status_code}")


class Reader(Signed):
    """A signed-in demo role reading its pages."""

    fixed_count = len(PLAN["readers"])

    def on_start(self):
        me = next(READERS)
        self.sign_in(me["session"])
        self.pages = PLAN["pages"][me["role"]]
        gevent.sleep(random.uniform(0, THINK[1]))  # people do not all click at once

    @task
    def browse(self):
        if next(READS) > MAX_READS:
            raise StopUser()
        self.read(random.choice(self.pages))
        gevent.sleep(random.uniform(*THINK))


class Uploader(Signed):
    """A school clerk uploading the school's roster once, then reading the school's pages."""

    fixed_count = len(PLAN["uploads"])

    def on_start(self):
        self.me = next(UPLOADS)
        self.sign_in(self.me["session"])
        self.done = False
        gevent.sleep(random.uniform(0, UPLOAD_WINDOW))

    def upload(self) -> str | None:
        url = "/spreadsheets/kinds/students/upload/"
        form = self.client.get(url, name="上传页", context={"group": "upload"})
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if form.status_code != 200 or not token:
            return None
        with open(self.me["file"], "rb") as f:
            data = f.read()
        with self.client.post(
            url,
            data={"csrfmiddlewaretoken": token.group(1), "year": str(PLAN["year"])},
            files={"file": (f"学生名册-{self.me['school']}.xlsx", data)},
            headers={"Referer": self.host + url},
            name="上传",
            context={"group": "upload"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            job = re.search(r"/spreadsheets/jobs/(\d+)/", response.headers.get("Location", ""))
            if response.status_code != 302 or not job:
                response.failure(f"上传未被接受：HTTP {response.status_code}")
                return None
            return job.group(0)

    def watch(self, job_url: str) -> None:
        """Poll the job's status fragment every second until it stops asking to be polled."""
        self.read(job_url, group="poll")
        while True:
            gevent.sleep(1)
            with self.client.get(
                job_url,
                headers={"HX-Request": "true"},
                name="任务进度",
                context={"group": "poll"},
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                    return
                if 'hx-trigger="every 1s"' not in response.text:
                    return

    @task
    def work(self):
        if not self.done:
            self.done = True
            job_url = self.upload()
            if job_url:
                self.watch(job_url)
            return
        if next(READS) > MAX_READS:
            raise StopUser()
        path = random.choice(PLAN["pages"]["uploader"]).replace("{school}", self.me["school"])
        self.read(path)
        gevent.sleep(random.uniform(*THINK))
