"""Asynchronous analytics: reports and exports are created by POST and polled by GET.

A job answers ``running`` with rising progress for ``report_polls`` (``export_polls``) polls,
then ``done`` (or ``failed`` when ``report_fail`` / ``export_fail`` is set). Exports wider than
``export_max_days`` end as ``too_big``.
"""
import hashlib
import itertools

from ..app import Response
from . import analytics
from .ids import DAY, make_id
from .responses import ApiError


def _body(request):
    try:
        body = request.json()
    except ValueError:
        raise ApiError(400, "The request body must be JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object")
    return body


class AnalyticsJobs:
    def __init__(self, app):
        self.app = app
        self.reports = {}
        self.exports = {}
        self._numbers = itertools.count(1)

    def _progress(self, job, polls):
        """Advance a job by one poll; True once it is finished."""
        job["polls"] += 1
        if job["polls"] > polls:
            return True
        job["progress"] = int(100 * job["polls"] / (polls + 1))
        return False

    # -- reports -----------------------------------------------------------------------------
    def create_report(self, app, request, params):
        body = _body(request)
        try:
            start, end = analytics.read_window(body)
            accept = analytics.conversation_filter(app.world, body.get("filters"))
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        metrics = body.get("metrics")
        if not isinstance(metrics, list) or not metrics:
            raise ApiError(400, "metrics must be a non-empty list of metric ids")
        unknown = [m for m in metrics if m not in analytics.METRIC_IDS]
        if unknown:
            raise ApiError(400, f"unknown metrics: {', '.join(map(str, unknown))}")
        number = next(self._numbers)
        uid = hashlib.sha256(f"{app.seed}:report:{number}".encode()).hexdigest()
        self.reports[uid] = {"uid": uid, "window": (start, end), "metrics": metrics,
                             "accept": accept, "polls": 0, "progress": 0, "status": "running",
                             "result": []}
        return Response.json(201, self._report_view(app, self.reports[uid]))

    def get_report(self, app, request, params):
        uid = params["id"]
        job = self.reports.get(uid)
        if job is None:
            raise ApiError(404, f"No analytics report {uid}")
        if job["status"] == "running" and self._progress(job, int(app.options["report_polls"])):
            if app.options["report_fail"]:
                job["status"] = "failed"
            else:
                start, end = job["window"]
                values = analytics.compute(app.timelines, [start, end], job["accept"])[0]
                job["result"] = analytics.scalars(values, job["metrics"])
                job["status"], job["progress"] = "done", 100
        return self._report_view(app, job)

    def _report_view(self, app, job):
        return {"_links": {"self": app.renderer.url("analytics", "reports", job["uid"])},
                "uid": job["uid"], "status": job["status"], "progress": job["progress"],
                "metrics": job["result"] if job["status"] == "done" else []}

    # -- exports -----------------------------------------------------------------------------
    def create_export(self, app, request, params):
        body = _body(request)
        kind = body.get("type")
        if kind not in ("messages", "events"):
            raise ApiError(400, "type must be messages or events")
        try:
            start, end = analytics.read_window(body)
            accept = analytics.conversation_filter(app.world, body.get("filters"))
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        columns = body.get("columns")
        if columns is not None and not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)):
            raise ApiError(400, "columns must be a list of column names")
        export_id = make_id("exp", next(self._numbers))
        self.exports[export_id] = {
            "id": export_id, "type": kind, "window": (start, end), "columns": columns,
            "accept": accept, "timezone": body.get("timezone"), "filters": body.get("filters") or {},
            "created_at": analytics.now(), "polls": 0, "progress": 0, "status": "running",
            "content": None,
        }
        return Response.json(201, self._export_view(app, self.exports[export_id]))

    def get_export(self, app, request, params):
        export_id = params["id"]
        job = self.exports.get(export_id)
        if job is None:
            raise ApiError(404, f"No analytics export {export_id}")
        if job["status"] == "running":
            start, end = job["window"]
            if end - start > float(app.options["export_max_days"]) * DAY:
                job["status"] = "too_big"
            elif self._progress(job, int(app.options["export_polls"])):
                if app.options["export_fail"]:
                    job["status"] = "failed"
                else:
                    job["content"] = analytics.export_csv(
                        app.renderer, job["type"], start, end, job["columns"], job["accept"],
                        job["timezone"])
                    job["status"], job["progress"] = "done", 100
        return self._export_view(app, job)

    def _signature(self, export_id):
        return hashlib.sha256(f"{self.app.seed}:{export_id}".encode()).hexdigest()[:32]

    def _export_view(self, app, job):
        view = {"_links": {"self": app.renderer.url("analytics", "exports", job["id"])},
                "id": job["id"], "status": job["status"], "progress": job["progress"],
                "created_at": job["created_at"], "filters": job["filters"]}
        if job["status"] == "done":
            view["url"] = (app.renderer.url("downloads", "exports", job["id"])
                           + "?signature=" + self._signature(job["id"]))
            view["filename"] = f"{job['type']}-export-{job['id']}.csv"
            view["size"] = len(job["content"])
        return view

    def download(self, app, request, params):
        export_id = params["id"]
        job = self.exports.get(export_id)
        if job is None or job["content"] is None or request.arg("signature") != self._signature(export_id):
            return Response(403, b"<Error><Code>AccessDenied</Code></Error>",
                            {"Content-Type": "application/xml"})
        return Response(200, job["content"], {"Content-Type": "text/csv"})
