"""Each finding says whether it is new tonight or since when it has been failing."""

from __future__ import annotations

from marketing_health.alerts import build_digests
from marketing_health.warehouse import connect


def _texts(warehouse) -> tuple[str, str]:
    """(Slack blocks, plain-text fallback) of the one digest of the night."""
    with connect(warehouse.path, read_only=True) as con:
        (digest,) = build_digests(con, warehouse.run_date)
    (message,) = digest.messages
    blocks = "\n".join(b["text"]["text"] for b in message.blocks if "text" in b)
    return blocks, message.text


def _failing_campaign(warehouse):
    return (
        warehouse.campaign("C1", "Autumn Launch")
        .result("P13", "C1", "3 recipient(s) mailed without recorded consent.")
        .result("P03", "C1", "95% of influencer spend went to nano/micro creators.")
    )


def test_findings_say_new_tonight_or_failing_since(warehouse) -> None:
    _failing_campaign(warehouse)
    with connect(warehouse.path) as con:
        con.execute(
            """
            create table marts.fct_guard_states as select * from (values
                (date '2026-11-22', 'P13', 'C1', 'fail', 'persisting', date '2026-11-19', 3),
                (date '2026-11-22', 'P03', 'C1', 'fail', 'entered', date '2026-11-22', 1),
                (date '2026-11-21', 'P03', 'C1', 'pass', 'ok', null, 0)
            ) t(run_date, guard_id, campaign_id, outcome, state, failing_since, nights_failing)
            """
        )
    blocks, plain = _texts(warehouse)
    p13 = next(line for line in blocks.splitlines() if "P13" in line)
    p03 = next(line for line in blocks.splitlines() if "P03" in line)
    assert p13.endswith("· _failing since 19 Nov 2026 (3 nights)_")
    assert p03.endswith("· _new tonight_")
    assert "· failing since 19 Nov 2026 (3 nights)\nSeen:" in plain
    assert "· new tonight\nSeen:" in plain


def test_without_guard_states_every_finding_is_new(warehouse) -> None:
    _failing_campaign(warehouse)
    blocks, _plain = _texts(warehouse)
    assert blocks.count("_new tonight_") == 2 and "failing since" not in blocks
