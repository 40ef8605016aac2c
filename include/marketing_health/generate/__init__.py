"""Deterministic sample landing zones with injected pitfall scenarios.

``generate_landing`` writes ``<landing>/<source>/<YYYY-MM-DD>/<source>.csv`` for every contract
source (one file per source and day with rows; the campaigns and kpis snapshots once, in the
end-date folder) and ``<landing>/scenarios.json``, the ground truth: which campaign drifts into
which guarded pitfall (P02, P03, P05, P09, P13) from which day, its clean twin, and the clean
campaigns that must pass every guard.

Size: scale 1 is 12 campaigns (5 scenarios, 5 twins, 2 baselines) and about 40k channel rows
(social posts + e-mail sends + e-mail recipients + paid ads + influencer posts) over 60 days;
rows grow linearly with scale and days. Over 60 days:

    ========  =========  ============
    scale     campaigns  channel rows
    ========  =========  ============
    1         12         ~40k
    25        300        ~1M
    250       3,000      ~10M
    1,250     15,000     ~50M
    ========  =========  ============

``estimate_channel_rows(scale, days)`` gives the expected count; ``scale_for_rows`` inverts it.
Generation is vectorised (numpy per chunk of campaigns, strings built in DuckDB, files written
by DuckDB), so on two cores 1M rows take about 3 s, 10M about 25 s and 50M about 2.5 minutes,
in about 2 GB of memory at most (the scratch database spills to disk beyond that).
"""

from marketing_health.generate.cli import add_arguments, main, run
from marketing_health.generate.landing import LandingZoneExists, generate_landing
from marketing_health.generate.manifest import MANIFEST_NAME, Manifest, Scenario, load_manifest
from marketing_health.generate.volumes import estimate_channel_rows, scale_for_rows

__all__ = [
    "MANIFEST_NAME",
    "LandingZoneExists",
    "Manifest",
    "Scenario",
    "add_arguments",
    "estimate_channel_rows",
    "generate_landing",
    "load_manifest",
    "main",
    "run",
    "scale_for_rows",
]
