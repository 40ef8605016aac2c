"""E-mail tool exports (Klaviyo campaigns, Mailchimp campaign report and audience export) loaded
through the real pipeline; totals and consent checked against values worked out by hand."""

from __future__ import annotations

import pytest
from export_files import landing_file, load, one, query, write_export

KLAVIYO_HEADER = [
    "Campaign Name", "Tags", "Subject", "List", "Send Time", "Send Weekday", "Total Recipients",
    "Unique Placed Order", "Placed Order Rate", "Revenue", "Unique Opens", "Open Rate",
    "Total Opens", "Unique Clicks", "Click Rate", "Total Clicks", "Unsubscribes",
    "Spam Complaints", "Spam Complaints Rate", "Successful Deliveries", "Bounces", "Bounce Rate",
    "Campaign ID", "Campaign Channel", "Variant Name",
]  # fmt: skip
KLAVIYO_ROWS = [
    ["CMP-0004 | Free shipping", "Email, promo", "[MULTIPLE VARIATIONS]", "All Subscribers",
     "2026-11-19 11:00:00", "Thursday", "121401.0", "23.0", "0.02%", "1222.91", "58647.0",
     "48.43%", "83753.0", "770.0", "0.64%", "929.0", "476.0", "16.0", "0.01%", "121108.0",
     "293.0", "0.24%", "01JQYYRSHTMVBX2ZQ19RWKH2JW", "Email", "Variant A"],
    ["CMP-0004 | Free shipping", "Email, promo", "Hi {{ first_name }}", "All Subscribers",
     "2026-11-19 11:00:00", "Thursday", "1000.0", "4.0", "0.4%", "80.00", "500.0", "50.00%",
     "700.0", "20.0", "2.00%", "25.0", "3.0", "0.0", "0%", "1000.0", "0.0", "0%",
     "01JQYYRSHTMVBX2ZQ19RWKH2JW", "Email", "Variant B personalised"],
    ["CMP-0004 | Free shipping SMS", "SMS", "", "SMS list", "2026-11-19 12:00:00", "Thursday",
     "5000.0", "9.0", "0.18%", "300.00", "", "", "", "100.0", "2%", "120.0", "10.0", "0.0",
     "0%", "4990.0", "10.0", "0.2%", "01JQYYRSHTMVBX2ZQ19RWKH2JX", "SMS", ""],
]  # fmt: skip


def test_klaviyo_campaigns_export_loads_email_rows_with_counts_written_as_floats(paths):
    write_export(landing_file(paths, "email_sends", "klaviyo.csv"), [KLAVIYO_HEADER, *KLAVIYO_ROWS])

    (staged,) = load(paths, "email_sends")["email_sends"]

    assert staged.export_format == "Klaviyo campaigns export" and staged.rows_valid == 2
    assert staged.rows_skipped == {"SMS campaign (not an e-mail send)": 1}
    rows = query(
        paths,
        "SELECT send_date::VARCHAR, send_id, campaign_id, variant, delivered, opens, clicks, "
        "conversions, unsubscribes, complaints FROM raw.email_sends ORDER BY variant",
    )
    assert rows == [
        ("2026-11-19", "01JQYYRSHTMVBX2ZQ19RWKH2JW", "CMP-0004", "generic", 121108, 58647, 770,
         23, 476, 16),
        ("2026-11-19", "01JQYYRSHTMVBX2ZQ19RWKH2JW", "CMP-0004", "personalised", 1000, 500, 20,
         4, 3, 0),
    ]  # fmt: skip


@pytest.mark.parametrize(("open_rate", "click_rate"), [("48.43%", "0.64%"), ("0.4843", "0.0064")])
def test_klaviyo_rates_as_percent_or_fraction_give_the_same_counts(paths, open_rate, click_rate):
    header = ["Campaign Name", "Send Time", "Campaign ID", "Successful Deliveries", "Open Rate",
              "Click Rate", "Unsubscribe Rate", "Spam Complaints"]  # fmt: skip
    row = ["CMP-0004 | Promo", "2026-11-19 11:00:00", "01JQYYRSHTMVBX2ZQ19RWKH2JW", "10000.0",
           open_rate, click_rate, "6e-05", "1.0"]  # fmt: skip
    write_export(landing_file(paths, "email_sends", "klaviyo.csv"), [header, row])

    load(paths, "email_sends")

    # 48.43% of 10,000 = 4,843 opens; 0.64% = 64 clicks; 0.006% = 0.6 -> 1 unsubscribe.
    counts = query(paths, "SELECT opens, clicks, unsubscribes, complaints FROM raw.email_sends")
    assert counts == [(4843, 64, 1, 1)]


def test_mailchimp_campaign_report_loads_one_generic_send_per_campaign(paths):
    rows = [
        ["Title", "Subject", "List", "Send Date", "Send Weekday", "Total Recipients",
         "Successful Deliveries", "Soft Bounces", "Hard Bounces", "Total Bounces",
         "Unique Opens", "Open Rate", "Total Opens", "Unique Clicks", "Click Rate",
         "Total Clicks", "Unsubscribes", "Abuse Complaints", "Unique Id", "Total Orders"],
        ["CMP-0005 | Winter newsletter", "New in", "Newsletter", "11/19/2026 09:30 AM",
         "Thursday", "2,050", "2,000", "30", "20", "50", "812", "40.6%", "1,204", "96", "4.8%",
         "130", "7", "1", "587d3feffe", "12"],
        ["CMP-0005 | Winter reminder", "Last call", "Newsletter", "11/20/2026 06:00 PM",
         "Friday", "1,000", "990", "6", "4", "10", "300", "30.3%", "450", "33", "3.3%", "40",
         "2", "0", "587d3fe000", "3"],
    ]  # fmt: skip
    write_export(landing_file(paths, "email_sends", "mailchimp.csv"), rows)

    (staged,) = load(paths, "email_sends")["email_sends"]

    assert staged.export_format == "Mailchimp campaign report export" and staged.rows_valid == 2
    totals = query(
        paths,
        "SELECT count(*), sum(delivered), sum(opens), sum(clicks), sum(conversions), "
        "sum(unsubscribes), sum(complaints), string_agg(DISTINCT variant, ','), "
        "string_agg(DISTINCT campaign_id, ','), min(send_date)::VARCHAR FROM raw.email_sends",
    )
    assert totals == [(2, 2990, 1112, 129, 15, 9, 1, "generic", "CMP-0005", "2026-11-19")]


AUDIENCE_HEADER = [
    "Email Address", "First Name", "Last Name", "Phone Number", "MEMBER_RATING", "OPTIN_TIME",
    "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF",
    "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS",
]  # fmt: skip


def _member(email: str, optin: str, confirm: str, phone: str = "") -> list[str]:
    return [email, "Ada", "Lovelace", phone, "3", optin, "", confirm, "", "47.6614000",
            "-122.3", "-8", "-7", "America/Los_Angeles", "US", "WA", "2026-11-01 10:00:00",
            "44877845", "c2cb0681af", "", '"VIP"']  # fmt: skip


def test_mailchimp_audience_files_give_consent_per_recipient_and_hash_addresses(paths):
    subscribed = [
        AUDIENCE_HEADER,
        _member("ada@example.com", "2025-06-25 17:38:27", "2025-06-25 17:40:00", "+1 206 555 0100"),
        _member("imported@example.com", "", ""),
    ]
    unsubscribed = [
        [*AUDIENCE_HEADER, "UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID",
         "UNSUB_REASON", "UNSUB_REASON_OTHER"],
        [*_member("left@example.com", "2024-01-02 08:00:00", ""), "2026-11-19 20:15:00",
         "Winter newsletter", "587d3feffe", "NORMAL", ""],
    ]  # fmt: skip
    write_export(
        landing_file(paths, "email_recipients", "587d3feffe.csv", "2026-11-19"), subscribed
    )
    write_export(
        landing_file(paths, "email_recipients", "587d3feffe__unsubscribed.csv", "2026-11-19"),
        unsubscribed,
    )

    staged = load(paths, "email_recipients")["email_recipients"]

    assert [f.export_format for f in staged] == ["Mailchimp audience export (sent-to list)"] * 2
    rows = query(
        paths,
        "SELECT sent_date::VARCHAR, send_id, consent_status, consent_at::VARCHAR, "
        "opted_out_at::VARCHAR, phone_hash IS NOT NULL FROM raw.email_recipients "
        "ORDER BY consent_status",
    )
    assert rows == [
        ("2026-11-19", "587d3feffe", "opted_in", "2025-06-25 17:40:00", None, True),
        ("2026-11-19", "587d3feffe", "opted_out", "2024-01-02 08:00:00", "2026-11-19 20:15:00",
         False),
        ("2026-11-19", "587d3feffe", "unknown", None, None, False),
    ]  # fmt: skip
    stored = one(paths, "SELECT string_agg(email_hash, ',') FROM raw.email_recipients")
    assert "@" not in stored and len(stored.split(",")) == 3
