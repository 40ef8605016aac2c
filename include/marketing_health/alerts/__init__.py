"""Slack alerts: nightly digests per owner channel through an idempotent outbox, and ops alerts.

``build_digests`` reads the night's pitfalls (new, worse, persisting, resolved),
``build_ops_digest`` what kept the pipeline from seeing everything, ``queue_digests`` stores
the messages in ``alerts.outbox`` once per night and channel, ``deliver_pending`` sends
whatever is pending (to Slack, or to files when no Slack connection is configured), and
``notify_ops_failure`` is the tasks' failure callback. Importing this package is cheap: Airflow
and slack_sdk are loaded only when something is sent.
"""

from marketing_health.alerts.blocks import SlackMessage, escape
from marketing_health.alerts.delivery import Delivery, DeliveryReport, deliver_pending
from marketing_health.alerts.digest import Digest, build_digests
from marketing_health.alerts.ops import notify_ops_failure
from marketing_health.alerts.ops_digest import build_ops_digest
from marketing_health.alerts.outbox import alert_key, ensure_outbox, queue_digests

__all__ = [
    "Delivery",
    "DeliveryReport",
    "Digest",
    "SlackMessage",
    "alert_key",
    "build_digests",
    "build_ops_digest",
    "deliver_pending",
    "ensure_outbox",
    "escape",
    "notify_ops_failure",
    "queue_digests",
]
