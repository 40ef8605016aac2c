"""Detection over many campaigns with randomly injected pitfalls: a confusion table per pitfall.

Every injected pitfall must be found for the right campaign, and no clean campaign may be
alerted. The table is printed (``pytest -s``) so a change in detection quality is visible.
"""

from __future__ import annotations

from collections import Counter

from .conftest import END


def confusion(manifest: dict, outcomes: dict[tuple[str, str], str]) -> dict[str, Counter]:
    injected = {(s["pitfall"], s["campaign_id"]) for s in manifest["scenarios"]}
    fired = {k for k, o in outcomes.items() if o == "fail"}
    table: dict[str, Counter] = {}
    for pid, _ in injected | fired:
        table.setdefault(pid, Counter())
    for pid, campaign in injected:
        table[pid]["injected"] += 1
        table[pid]["found" if (pid, campaign) in fired else "missed"] += 1
    for pid, _campaign in fired - injected:
        table[pid]["false alarms"] += 1
    return table


def format_table(table: dict[str, Counter]) -> str:
    cols = ["injected", "found", "missed", "false alarms"]
    lines = ["pitfall  " + "  ".join(f"{c:>12}" for c in cols)]
    for pid in sorted(table):
        lines.append(f"{pid:<8} " + "  ".join(f"{table[pid][c]:>12}" for c in cols))
    total = Counter()
    for counts in table.values():
        total.update(counts)
    lines.append("total    " + "  ".join(f"{total[c]:>12}" for c in cols))
    return "\n".join(lines)


def test_random_injections_are_all_found_and_nothing_else(random_run) -> None:
    outcomes = random_run.outcomes(END)
    table = confusion(random_run.manifest, outcomes)
    print("\nDetection on", len({c for _, c in outcomes}), "campaigns:\n" + format_table(table))
    assert sum(c["injected"] for c in table.values()) >= 30
    missed = {pid: c["missed"] for pid, c in table.items() if c["missed"]}
    false_alarms = {pid: c["false alarms"] for pid, c in table.items() if c["false alarms"]}
    assert not missed, f"missed: {missed}\n{format_table(table)}"
    assert not false_alarms, f"false alarms: {false_alarms}\n{format_table(table)}"
    clean = set(random_run.manifest["clean_campaigns"])
    assert not {c for (_, c), o in outcomes.items() if o == "fail"} & clean
