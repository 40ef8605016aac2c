"""How each catalogued pitfall is injected into a sample campaign, and when its guard must fire.

One entry per pitfall: the signal column the scenario drives past its threshold, when the
pitfall starts (on the first day of data, on a day drawn before the end, or in episodes), and
how long the guard's window needs before the change shows. The plan draws the days; the channel
generators read the pitfall code of a campaign (``Plan.shape``) and its role (scenario or twin)
to inject or to stay clean; the manifest turns the days into expected outcomes per night.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Pitfall codes: index into INJECTIONS (and into volumes.SCENARIO_PITFALLS).
(
    P01, P02, P03, P04, P05, P06, P07, P08, P09, P10, P11, P12,
    P13, P14, P15, P16, P17, P18, P19, P20, P21, P22, P23,
) = range(23)  # fmt: skip
NO_PITFALL = -1
#: Role of a campaign: a clean baseline, a scenario that drifts into its pitfall, or its twin.
BASELINE, SCENARIO, TWIN = 0, 1, 2

#: When the pitfall starts: on the first day of data (a property of the plan or of the whole
#: campaign), on a day drawn shortly before the end, on the first e-mail send on or after a
#: drawn day, or in episodes that end and come back.
FROM_START, DRAWN, FIRST_SEND, EPISODES = "start", "drawn", "first_send", "episodes"


@dataclass(frozen=True)
class Injection:
    """One pitfall as the generator injects it.

    ``settle_days``: days after ``from_day`` until the guard's window is certain to show the
    change (0 when the first affected row already fails the check). ``min_live_days``: the
    signal only applies once the campaign has been live this many days (counted from its
    start date, whichever way the day is counted), so the guard fails by
    ``start_date + min_live_days`` at the latest.
    """

    pitfall: str
    check: str
    timing: str
    description: str
    before_end: tuple[int, int] | None = None
    settle_days: int = 0
    min_live_days: int = 0
    co_marketing: bool = False


INJECTIONS: tuple[Injection, ...] = (
    Injection(
        "P01",
        "misaligned_creators",
        DRAWN,
        "From {from_day} a creator whose audience shares neither the country nor the interest "
        "of the target audience posts for the campaign every few days.",
        before_end=(7, 12),
    ),
    Injection(
        "P02",
        "outcome_kpis_with_target",
        FROM_START,
        "Declares only vanity KPIs (impressions, likes, followers); no outcome KPI with a "
        "target and a due date.",
    ),
    Injection(
        "P03",
        "nano_micro_spend_share",
        FROM_START,
        "Every creator is nano or micro tier: all influencer fees go to nano/micro creators, "
        "none mid tier or above.",
    ),
    Injection(
        "P04",
        "late_deliverables",
        DRAWN,
        "From {from_day} creator posts go live two to five days after their due date, without "
        "a brief sent beforehand.",
        before_end=(7, 12),
    ),
    Injection(
        "P05",
        "undisclosed_sponsored_posts",
        DRAWN,
        "From {from_day} sponsored creator and social posts carry no #ad or paid-partnership "
        "disclosure.",
        before_end=(7, 12),
    ),
    Injection(
        "P06",
        "formats_tried_8w",
        FROM_START,
        "A creator-only campaign (no own social posts planned) whose creators all post on "
        "Instagram: one format for its whole run.",
        min_live_days=28,
    ),
    Injection(
        "P07",
        "pr_gap",
        FROM_START,
        "Creators post from the first day, but no press release, article or interview "
        "backs the campaign.",
    ),
    Injection(
        "P08",
        "underperforming_creators",
        DRAWN,
        "From {from_day} a macro creator signed for reach posts every few days with "
        "engagement per impression under a third of the platform norm.",
        before_end=(7, 12),
        settle_days=1,
    ),
    Injection(
        "P09",
        "integration_score",
        DRAWN,
        "From {from_day} only paid ads run, without the campaign's utm_campaign; social, e-mail "
        "and influencer stop although all four channels are planned.",
        # Late enough for the 14-day score to settle, early enough that the 28-day short-video
        # window still holds short videos on both platforms from before the drift.
        before_end=(21, 23),
        settle_days=13,
    ),
    Injection(
        "P10",
        "reply_rate",
        DRAWN,
        "From {from_day} nobody answers comments on the campaign's social posts any more.",
        before_end=(8, 12),
        settle_days=6,
    ),
    Injection(
        "P11",
        "ownerless_active_channels",
        FROM_START,
        "The paid channel runs every day, but the channel owner list names nobody for it.",
    ),
    Injection(
        "P12",
        "sensitive_token_sends",
        FIRST_SEND,
        "From {from_day} personalised e-mails address people by sensitive attributes "
        "(pregnancy, medical condition, credit score).",
        before_end=(7, 12),
    ),
    Injection(
        "P13",
        "privacy_violations",
        FIRST_SEND,
        "From {from_day} e-mails go to recipients without recorded consent or who opted out "
        "before the send, and social post texts carry a raw e-mail address and phone number.",
        before_end=(7, 12),
    ),
    Injection(
        "P14",
        "personalisation_uplift",
        FROM_START,
        "Every send goes out generic and personalised to a large list; the personalised "
        "variant converts about a quarter worse than the generic one.",
        settle_days=27,
    ),
    Injection(
        "P15",
        "short_video_posts",
        FROM_START,
        "Social is planned and posts daily, but never a short video.",
    ),
    Injection(
        "P16",
        "experiments_live_30d",
        FROM_START,
        "One experiment launched with the campaign; no other test ever goes live.",
        min_live_days=14,
    ),
    Injection(
        "P17",
        "reserve_share",
        DRAWN,
        "On {from_day} a media booking commits the budget down to a reserve of about 5%.",
        before_end=(7, 12),
    ),
    Injection(
        "P18",
        "story_elements",
        FROM_START,
        "The plan gives the campaign a hashtag but no storyline.",
    ),
    Injection(
        "P19",
        "misfit_partners",
        FROM_START,
        "Co-marketing with a partner two price tiers away from the brand, with no shared "
        "customer segment.",
        co_marketing=True,
    ),
    Injection(
        "P20",
        "min_partner_overlap",
        FROM_START,
        "Co-marketing where one partner promotes only in the first fifth of the campaign window.",
        co_marketing=True,
    ),
    Injection(
        "P21",
        "stockout_days_7d",
        EPISODES,
        "A promoted product is out of stock and backordered {episodes}.",
    ),
    Injection(
        "P22",
        "partners_missing_terms",
        FROM_START,
        "Co-marketing with a partner whose contract is unsigned and names no exit conditions.",
        co_marketing=True,
    ),
    Injection(
        "P23",
        "roi_vs_target",
        FROM_START,
        "Attribution shows the campaign returning well under its target ROI from the start.",
        min_live_days=14,
    ),
)
PITFALL_IDS: tuple[str, ...] = tuple(i.pitfall for i in INJECTIONS)
CO_MARKETING_CODES: tuple[int, ...] = tuple(k for k, i in enumerate(INJECTIONS) if i.co_marketing)

#: Stock-out episodes of the intermittent scenario, in days before the end (inclusive): with a
#: 7-day window the guard fails from the first day of an episode until six days after its last.
EPISODES_LONG = ((40, 34), (19, 0))
#: The same shape squeezed into the shortest landing zones.
EPISODES_SHORT_FIRST = 4  # first episode length - 1, starting on the first day of data
EPISODES_SHORT_SECOND = 9  # second episode starts this many days before the end
SUPPLY_WINDOW_DAYS = 7


def episodes_before_end(days: int) -> tuple[tuple[int, int], ...]:
    """Stock-out episodes (first, last day, as days before the end) for a landing zone of
    ``days`` days: enter, persist, recover for at least a week, enter again."""
    if days > EPISODES_LONG[0][0]:
        return EPISODES_LONG
    first = days - 1
    return ((first, first - EPISODES_SHORT_FIRST), (EPISODES_SHORT_SECOND, 0))
