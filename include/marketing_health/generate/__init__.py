"""Deterministic sample landing zones with injected pitfall scenarios.

``generate_landing`` writes ``<landing>/<source>/<YYYY-MM-DD>/<source>.csv`` for every contract
source (one file per event source and day with rows; each snapshot once, in the end-date folder)
and ``<landing>/scenarios.json``, the ground truth: which campaign drifts into which pitfall of
the catalogue (P01..P23) from which day, its clean twin, the nights its guard must fail and must
pass, and the clean campaigns that must pass every guard. Clean campaigns are realistic and
healthy on all 23 guards: creators whose audience fits, briefed and on time; disclosed posts;
short videos on two platforms; answered comments; owned channels; modest personalisation that
pays; live experiments; a budget reserve; partners that fit and stay in sync; stock on the
shelf; a return above target. ``injections`` lists how each pitfall is injected.

By default each unit of scale holds one scenario and one twin per pitfall plus two baselines
(a Chinese-named campaign and one whose plan names no owner channel): 48 campaigns. With
``random_scenarios=N`` the N scenarios draw their pitfall at random (``scenario_seed``,
repeats allowed), for a detection benchmark. The supply scenario (P21) comes and goes: stock
runs out twice, so its guard enters, persists, recovers and enters again.

Size: scale 1 is 48 campaigns and about 215k channel rows (social posts and comments, e-mail
sends and recipients, paid ads, influencer posts and workflow reports) over 60 days, plus
about 30k rows of snapshots and planning exports (9,600 of them the fixed creator pool). Rows
grow linearly with scale and days. Over 60 days:

    ========  =========  ============
    scale     campaigns  channel rows
    ========  =========  ============
    1         48         ~215k
    4.7       225        ~1M
    47        2,247      ~10M
    234       11,233     ~50M
    ========  =========  ============

With ``export_style="vendor"`` (``mixed``: on even days only) paid ads, e-mail recipients and
creator posts are written as Meta Ads Manager, Google Ads, Mailchimp and the creator report
export them (``generate.exports``), loading into the same warehouse numbers as the default
``contract`` style.

With ``team_style="contract"`` a Shanghai team and a Berlin team (``generate/teams.yaml``)
take over some scenario pairs, planned, named and posted in Chinese and German on their own
platforms (Douyin, Xiaohongshu, Weibo, WeChat Channels, Bilibili for Shanghai); with
``localised`` they also deliver their own files (``generate.team_files``): per platform, with
their locale's numbers and dates (``1,234.56``, ``2026/11/12``; ``1.234,56``, ``12.11.2026``)
and their words for platforms, formats and booleans, loading into the same rows. Which
campaign carries which pitfall never changes; the default ``none`` is the sample as it was.

``estimate_channel_rows(scale, days)`` gives the expected count; ``scale_for_rows`` inverts it.
Generation is vectorised (numpy per chunk of campaigns, strings built in DuckDB, files written
by DuckDB), so on two cores 1M channel rows take about 3 s, 10M about 25 s and 50M about 2.5
minutes, in about 2 GB of memory at most (the scratch database spills to disk beyond that).
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
