"""Health check of an Airflow job (triggerer, DAG processor): its heartbeat in the database.

``airflow jobs check`` answers the same question, but it starts Airflow's whole CLI: seconds of
CPU per check, and more than a minute on a busy two-core host, where the checks of a whole
stack then time out, pile up and slow the services they check. This asks PostgreSQL directly
(psycopg2 only, no Airflow import): a ``running`` job of the given type on this container's
host name whose last heartbeat is recent.

Run as a file, not as a module, so the ``marketing_health`` package is not imported either::

    python /opt/airflow/include/marketing_health/deploy/job_heartbeat.py TriggererJob

Exit 0 when alive; 1 with a line saying what was found otherwise (Docker keeps it in the
container's health log).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

import psycopg2

#: Seconds without a heartbeat after which a job counts as dead. Jobs beat every few seconds;
#: a loaded host delays a beat by tens of seconds, not minutes.
DEFAULT_MAX_AGE_SECONDS = 90
DATABASE_VARIABLE = "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"


def libpq_url(sqlalchemy_url: str) -> str:
    """Airflow's SQLAlchemy URL (``postgresql+psycopg2://...``) as libpq reads it."""
    scheme, sep, rest = sqlalchemy_url.partition("://")
    if not sep or not scheme.startswith("postgres"):
        raise ValueError(f"{DATABASE_VARIABLE} is not a PostgreSQL URL (scheme {scheme!r})")
    return f"postgresql://{rest}"


def heartbeat_age(url: str, job_type: str, hostname: str) -> float | None:
    """Seconds since the newest heartbeat of a running ``job_type`` job on ``hostname``."""
    with psycopg2.connect(url, connect_timeout=10) as con, con.cursor() as cur:
        cur.execute(
            "select extract(epoch from now() - max(latest_heartbeat)) from job "
            "where job_type = %s and hostname = %s and state = 'running'",
            [job_type, hostname],
        )
        row = cur.fetchone()
    return None if row is None or row[0] is None else float(row[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("job_type", help="TriggererJob, DagProcessorJob, SchedulerJob")
    parser.add_argument("--hostname", default=socket.gethostname())
    parser.add_argument("--max-age", type=float, default=DEFAULT_MAX_AGE_SECONDS)
    args = parser.parse_args(argv)
    url = os.environ.get(DATABASE_VARIABLE, "")
    if not url:
        print(f"{DATABASE_VARIABLE} is not set", file=sys.stderr)
        return 1
    age = heartbeat_age(libpq_url(url), args.job_type, args.hostname)
    if age is None:
        print(f"no running {args.job_type} on {args.hostname}")
        return 1
    if age > args.max_age:
        print(f"{args.job_type} on {args.hostname}: last heartbeat {age:.0f} s ago")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
