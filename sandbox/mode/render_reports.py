"""Reports, datasets and what hangs off them (queries, charts, runs, query runs, filters,
schedules, subscriptions) as Mode's HAL+JSON objects."""
import base64
import secrets
import time

from . import forms
from .charts import legacy_view, view_vegas
from .responses import links
from .runs import last_query_run_id, last_successful_run
from .timefmt import iso_ms, iso_ms_offset


class ReportRendering:
    """The report half of ``render.Renderer``, whose ``__init__`` sets up the state both
    halves use (and which has the hrefs)."""

    # -- fields that differ on every request ----------------------------------------------
    def preview_image(self, report, run):
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = f"{self.workspace}/{report.token}/{run.token}/{secrets.token_hex(6)}"
        return (f"https://previews.mode-sandbox.invalid/report-run-previews/web/{path}"
                f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=SANDBOXKEY%2F{stamp[:8]}"
                f"%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date={stamp}&X-Amz-Expires=119"
                f"&X-Amz-SignedHeaders=host&X-Amz-Signature={secrets.token_hex(32)}")

    def flamingo_signature(self, report):
        org = self.world.organization_token
        payload = (f"signature={secrets.token_hex(32)}&organization_token={org}"
                   f"&shared_key_id=flamingo-read-1&tag_expression=O_{org}+%26%26+R_{report.token}"
                   f"&timestamp={int(time.time())}&user_token={secrets.token_hex(6)}")
        return base64.b64encode(payload.encode()).decode()

    # -- reports and their children ---------------------------------------------------------
    def report(self, report):
        runs = report.runs
        last_run = runs[-1] if runs else None
        succeeded = last_successful_run(report)
        href = self.report_href(report)
        ws, token = self.workspace, report.token
        web_kind = "datasets" if report.kind == "Dataset" else "reports"
        body = {
            "token": token, "id": report.id, "name": report.name,
            "description": report.description, "created_at": iso_ms(report.created_at),
            "updated_at": iso_ms(report.updated_at), "published_at": iso_ms(report.published_at),
            "edited_at": iso_ms(report.edited_at), "theme_id": report.theme_id,
            "color_mappings": {}, "type": report.kind, "last_successful_sync_at": None,
            "last_saved_at": iso_ms(report.last_saved_at), "archived": report.archived,
            "space_token": report.space, "account_id": self.world.account_id,
            "account_username": ws, "public": report.public, "full_width": report.full_width,
            "manual_run_disabled": report.manual_run_disabled,
            "run_privately": report.run_privately,
            "drilldowns_enabled": report.drilldowns_enabled,
            "is_embedded": report.is_embedded, "is_signed": report.is_signed,
            "shared": report.shared, "expected_runtime": report.expected_runtime,
            "last_successfully_run_at": iso_ms(succeeded.completed_at) if succeeded else None,
            "last_run_at": iso_ms(last_run.created_at) if last_run else None,
            "web_preview_image": self.preview_image(report, succeeded) if succeeded else None,
            "last_successful_run_token": succeeded.token if succeeded else None,
            "flamingo_signature": self.flamingo_signature(report),
            "query_count": len(report.queries), "max_query_count": 160,
            "chart_count": sum(len(q.charts) for q in report.queries),
            "runs_count": len(runs), "schedules_count": len(report.schedules),
            "view_count": report.view_count,
        }
        if report.state:
            body["state"] = report.state
        body["_links"] = links(
            self=href, web=f"https://app.mode.com/{ws}/{web_kind}/{token}",
            web_edit=f"/editor/{ws}/{web_kind}/{token}",
            csv_export=href + "/results/content.csv", share=f"/{ws}/{web_kind}/{token}",
            web_report_runs=f"/{ws}/{web_kind}/{token}/runs", account=self.api,
            report_run=(href + "/runs/{id}?embed[result]=1", True),
            space=self.space_href(report.space), space_links=href + "/space_links",
            queries=href + "/queries", report_runs=href + "/runs", report_pins=href + "/pins",
            report_filters=href + "/filters", report_schedules=href + "/schedules",
            report_subscriptions=href + "/subscriptions",
            python_visualizations=href + "/layout_cells",
            last_run=self.run_href(last_run) if last_run else None,
            last_successful_run=self.run_href(succeeded) if succeeded else None,
            perspective_email_subscription_memberships=(
                href + "/perspective_email_report_subscription_memberships"),
            validate_email_subscriber=(
                href + "/email_report_subscribers/validate{?subscriber[email]}", True),
            creator=self.user_href(report.creator),
            report_theme=f"{self.api}/report_themes/{report.theme_id:012x}",
            report_index_web=f"/{ws}/spaces/{report.space}/{web_kind}/{token}")
        body["_forms"] = forms.report_forms(self.api, "/" + ws, report, self.world.account_id)
        return body

    def query(self, query):
        href = f"{self.api}/reports/{query.report.token}/queries/{query.token}"
        report_href = self.report_href(query.report)
        return {
            "id": query.id, "token": query.token, "raw_query": query.raw_query,
            "created_at": iso_ms(query.created_at), "updated_at": iso_ms(query.updated_at),
            "name": query.name, "last_run_id": last_query_run_id(query),
            "data_source_id": query.data_source.id,
            "explorations_count": query.explorations_count,
            "_links": links(
                self=href, report=report_href, report_runs=report_href + "/runs",
                charts=href + "/charts", new_chart=href + "/charts/new",
                new_query_table=href + "/tables/new", query_tables=href + "/tables",
                query_runs=href + "/runs", creator=self.user_href(query.creator)),
            "_forms": forms.query_forms(self.api, query),
        }

    def chart(self, chart):
        query = chart.query
        report_token = query.report.token
        report_api = f"{self.api}/reports/{report_token}"
        report_web = f"/{self.workspace}/reports/{report_token}"
        href = f"{self.api}/reports/{report_token}/queries/{query.token}/charts/{chart.token}"
        version_two = chart.view_version == 2
        return {
            "view": {} if version_two else legacy_view(chart),
            "view_version": chart.view_version,
            "view_vegas": view_vegas(chart) if version_two else {},
            "token": chart.token, "created_at": iso_ms(chart.created_at),
            "updated_at": iso_ms(chart.updated_at),
            "color_palette_token": chart.color_palette_token,
            "switch_view_token": chart.switch_view_token,
            "_links": links(
                self=href,
                color_palette=f"{self.api}/color_palettes/{chart.color_palette_token}",
                report_viz_web=f"/{self.workspace}/reports/{report_token}/viz/{chart.token}",
                preview=(f"{report_api}/runs/{{token}}/charts/{chart.token}/preview", True),
                report_run_viz_web=(f"{report_web}/runs/{{token}}/viz/{chart.token}", True),
                creator=self.user_href(chart.creator)),
            "_forms": forms.chart_forms(self.api, chart),
        }

    def _purge_times(self, run):
        if run.purged_at is None:
            return None, None
        return iso_ms(run.purged_at), iso_ms(run.purged_at + 1234)

    def report_run(self, run):
        href = self.run_href(run)
        report = run.report
        ws = self.workspace
        purge_started, purge_completed = self._purge_times(run)
        return {
            "token": run.token, "state": run.state, "parameters": dict(run.parameters),
            "created_at": iso_ms(run.created_at), "updated_at": iso_ms(run.updated_at),
            "completed_at": iso_ms(run.completed_at), "purge_started_at": purge_started,
            "purge_completed_at": purge_completed, "python_state": "none", "form_fields": [],
            "pusher_channel_name": f"report-run-{run.token}",
            "_links": links(
                self=href, content=href + "/results/content",
                preview=f"{self.api}/reports/{report.token}/runs/{run.token}/preview",
                account=self.api, executed_by=self.user_href(run.executed_by),
                share=f"/{ws}/reports/{report.token}/runs/{run.token}",
                report=self.report_href(report), clone=href + "/clone",
                query_runs=href + "/query_runs", python_cell_runs=href + "/python_cell_runs",
                pdf_export=f"{self.api}/reports/{report.token}/exports/runs/{run.token}/pdf",
                web_clone=f"/{ws}/reports/{report.token}/runs/{run.token}/clone"),
        }

    def dataset_run(self, run):
        href = self.run_href(run)
        purge_started, purge_completed = self._purge_times(run)
        return {
            "token": run.token, "state": run.state, "created_at": iso_ms(run.created_at),
            "updated_at": iso_ms(run.updated_at), "completed_at": iso_ms(run.completed_at),
            "purge_started_at": purge_started, "purge_completed_at": purge_completed,
            "pusher_channel_name": f"dataset-run-{run.token}",
            "_links": links(
                self=href, account=self.api, executed_by=self.user_href(run.executed_by),
                dataset=self.report_href(run.report), query_runs=href + "/query_runs",
                share=f"/{self.workspace}/datasets/{run.report.token}/runs/{run.token}"),
        }

    def query_run(self, query_run):
        query, run = query_run.query, query_run.run
        href = self.query_run_href(query_run)
        report_token = run.report.token
        ws = self.workspace
        body = {
            "id": query_run.id, "token": query_run.token, "raw_source": query.raw_query,
            "statement_annotation": f"-- Mode: {ws}/reports/{report_token}/runs/{run.token}",
            "state": query_run.state, "created_at": iso_ms(query_run.created_at),
            "completed_at": iso_ms(query_run.completed_at),
            "data_source_id": query.data_source.id,
            "data_source_token": query.data_source.token, "limit": True,
            "query_token": query.token, "query_name": query.name,
            "query_created_at": iso_ms(query.created_at), "parameters": dict(run.parameters),
            "rendered_source": query.raw_query.replace(
                "{{ start_date }}", run.parameters.get("start_date", "2026-01-01")),
            "max_result_bytes": 1_000_000_000,
        }
        if query_run.state == "failed":
            body.update(error_code="query_failed", error_type="QueryError",
                        error_message="relation does not exist")
        body["_links"] = links(
            self=href, query=f"{self.api}/reports/{report_token}/queries/{query.token}",
            view=href + "/view", result=href + "/results",
            result_web=f"/{ws}/reports/{report_token}/runs/{run.token}/query_runs/"
                       f"{query_run.token}/results",
            query_web=f"/{ws}/reports/{report_token}/queries/{query.token}",
            report_run=self.run_href(run),
            report_run_web=f"/{ws}/reports/{report_token}/runs/{run.token}",
            executed_by=self.user_href(run.executed_by))
        return body

    def report_filter(self, item):
        continuous = item.data_type in ("NUMBER", "DATE")
        return {
            "id": item.id, "report_id": item.report.id, "token": item.token, "name": item.name,
            "row_order": item.row_order, "formula": item.formula, "data_type": item.data_type,
            "formula_type": "FIELD", "hide_select_all": False,
            "show_relevant_values_only": item.filter_type == "DISCRETE",
            "filter_type": item.filter_type, "control_type": item.control_type,
            "variable_type": "CONTINUOUS" if continuous else "DISCRETE",
            "options": dict(item.options), "created_at": iso_ms(item.created_at),
            "updated_at": iso_ms(item.updated_at),
            "_links": links(self=f"{self.report_href(item.report)}/filters/{item.token}",
                            report=self.report_href(item.report)),
        }

    def report_schedule(self, schedule):
        report_href = self.report_href(schedule.report)
        href = f"{report_href}/schedules/{schedule.token}"
        return {
            "token": schedule.token, "name": schedule.name, "state": "active",
            "parameters": {}, "created_at": iso_ms(schedule.created_at),
            "updated_at": iso_ms(schedule.updated_at), "retry_state": "ok", "retry_count": 0,
            "retry_delay": 0, "timeout": schedule.timeout,
            "last_run_at": iso_ms(schedule.last_run_at),
            "last_succeeded_at": iso_ms(schedule.last_succeeded_at),
            "last_scheduled_run": iso_ms_offset(schedule.last_scheduled_run),
            "next_scheduled_run": iso_ms_offset(schedule.next_scheduled_run),
            "subscribed": False, "frequency": schedule.frequency,
            "time_zone": schedule.time_zone, "hour": schedule.hour, "minute": schedule.minute,
            "report_name": schedule.report.name, "report_token": schedule.report.token,
            "report_type": "Report", "delivery": "email",
            "subscriber_count": schedule.subscriber_count,
            "_links": links(
                account=self.api, creator=self.user_href(schedule.creator), self=href,
                report=report_href, report_web=f"/{self.workspace}/reports/{schedule.report.token}",
                report_runs=report_href + "/runs",
                report_subscriptions=href + "/subscriptions"),
        }

    def report_subscription(self, item):
        report_href = self.report_href(item.report)
        href = f"{report_href}/subscriptions/{item.token}"
        return {
            "token": item.token, "created_at": iso_ms(item.created_at),
            "updated_at": iso_ms(item.updated_at),
            "data_previews_enabled": item.data_previews, "data_tables_enabled": item.data_tables,
            "csv_attachments_enabled": item.csv_attachments,
            "pdf_attachments_enabled": item.pdf_attachments,
            "report_links_enabled": item.report_links,
            "email_subscriber_count": item.email_subscriber_count,
            "_links": links(
                self=href,
                report_schedule=f"{report_href}/schedules/{item.schedule.token}",
                email_subscription_memberships=href + "/email_subscription_memberships",
                slack_subscription_memberships=href + "/slack_subscription_memberships"),
        }
