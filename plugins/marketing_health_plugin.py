"""The marketing health report in the Airflow UI: a "Marketing health" entry in the navigation.

The pages themselves live in ``marketing_health.report.web``; this file only hands them to
Airflow. Airflow does not sign in requests to plugin apps by itself, so every page requires a
user allowed to read the runs of the ``marketing_health`` DAG, the same people who can see
the run that wrote the report.
"""

from __future__ import annotations

from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity
from airflow.api_fastapi.core_api.security import requires_access_dag
from airflow.plugins_manager import AirflowPlugin
from fastapi import Depends

from marketing_health.demo import DAG_ID
from marketing_health.report.links import URL_PREFIX
from marketing_health.report.web import create_app

report_app = create_app(
    dependencies=[Depends(requires_access_dag("GET", DagAccessEntity.RUN, param_dag_id=DAG_ID))]
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
