"""The marketing health report in the Airflow UI: a "Marketing health" entry in the navigation.

The pages themselves live in ``marketing_health.report.web``; this file only hands them to
Airflow. Airflow does not sign in requests to plugin apps by itself, so every page requires a
user allowed to read the runs of the ``marketing_health`` DAG, the same people who can see
the run that wrote the report; acting on an alert from a page (acknowledge, snooze, label)
requires a user allowed to change those runs, and records that user.

One route is not behind Airflow's sign-in: Slack's interactivity endpoint
(``/marketing-health/slack/interactions``), which Slack calls when someone clicks a button
on an alert. Slack cannot sign in to Airflow; the route accepts only requests carrying Slack's
signature made with the app's signing secret (``marketing_health.alerts.interactions``).
"""

from __future__ import annotations

from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
from airflow.api_fastapi.core_api.security import GetUserDep, requires_access_dag
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends, HTTPException, Request

from marketing_health.demo import DAG_ID
from marketing_health.report.actions_page import UiUser
from marketing_health.report.links import URL_PREFIX
from marketing_health.report.web import ActionForbidden, create_app

_may_change_runs = requires_access_dag("PUT", DagAccessEntity.RUN, param_dag_id=DAG_ID)


def airflow_user(user: GetUserDep) -> UiUser:
    """The person signed in to Airflow, as alert actions record them."""
    return UiUser(str(user.get_id()), user.get_name())


def may_act(request: Request, user: GetUserDep) -> None:
    """Airflow's check that ``user`` may change the DAG's runs; a refusal becomes
    :class:`ActionForbidden`, so the reader (who passed the read check first) is told why."""
    try:
        _may_change_runs(request, user)
    except HTTPException as exc:
        if exc.status_code == 403:
            raise ActionForbidden() from exc
        raise


report_app = create_app(
    dependencies=[Depends(requires_access_dag("GET", DagAccessEntity.RUN, param_dag_id=DAG_ID))],
    write_dependencies=[Depends(may_act)],
    user=airflow_user,
)


class MarketingHealthPlugin(AirflowPlugin):
    name = "marketing_health"
    fastapi_apps = [  # noqa: RUF012 (Airflow reads these class attributes)
        {"app": report_app, "url_prefix": URL_PREFIX, "name": "Marketing health report"}
    ]
    external_views = [  # noqa: RUF012
        {
            "name": "Marketing health",
            # relative to the UI's base URL, so it works behind a path prefix too
            "href": URL_PREFIX.lstrip("/") + "/",
            "url_route": "marketing-health",
            "destination": "nav",
            "nav_top_level": True,
        }
    ]
