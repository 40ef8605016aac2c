# Chinese copy uses full-width punctuation on purpose.
# ruff: noqa: RUF001
"""Words the sample landing zone is made of: brands, campaign themes, markets, teams, names and
post copy.

Everything is fictional. E-mail addresses use the reserved ``example.*`` domains so a sample file
that leaks somewhere never reaches a real inbox. Post copy avoids long digit runs and ``@``
patterns that look like addresses, so the only personal data the loader finds in free text is the
data a privacy scenario puts there on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Brand:
    name: str
    handle: str
    interest: str
    average_order: float


@dataclass(frozen=True)
class Theme:
    brand: int
    name: str
    hashtag: str
    utm_slug: str
    storyline: str
    locale: str = "en"


@dataclass(frozen=True)
class Market:
    code: str
    name: str
    currency: str
    countries: str
    phone_prefix: str
    phone_digits: int
    phone_pattern: str
    phone_layout: str


@dataclass(frozen=True)
class Team:
    name: str
    slack_channel: str


BRANDS: tuple[Brand, ...] = (
    Brand("Northwind Running", "@northwindrunning", "running", 95.0),
    Brand("Lumen Skincare", "@lumenskin", "beauty", 48.0),
    Brand("Kaffeehaus Roasters", "@kaffeehausroasters", "coffee", 32.0),
    Brand("Velo Urbano", "@velourbano", "cycling", 140.0),
    Brand("Aurora Outdoor", "@auroraoutdoor", "outdoor", 120.0),
    Brand("Fjord Audio", "@fjordaudio", "audio", 180.0),
    Brand("Sakura Tea Co.", "@sakuratea", "tea", 28.0),
    Brand("Atlas Fitness", "@atlasfitnessapp", "fitness", 60.0),
    Brand("Bloom Botanics", "@bloombotanics", "plants", 42.0),
    Brand("Mare Nostrum Foods", "@marenostrumfoods", "food", 38.0),
    Brand("Pixel & Pine", "@pixelandpine", "home", 160.0),
    Brand("Tandem Pet Supply", "@tandempets", "pets", 45.0),
)

#: The first theme is the Unicode one: the generator gives it to the first baseline campaign.
THEMES: tuple[Theme, ...] = (
    Theme(
        1,
        "双十一 Singles' Day",
        "#双十一",
        "singles_day",
        "双十一 is the night our community stocks up on the routine they love.",
        "zh",
    ),
    Theme(
        0,
        "Run The City",
        "#RunTheCity",
        "run_the_city",
        "Everyday runners reclaim their city streets before work.",
    ),
    Theme(
        0,
        "Marathon Ready",
        "#MarathonReady",
        "marathon_ready",
        "First-time marathoners get a plan, a crew and the right shoes.",
    ),
    Theme(
        0,
        "Trail Season",
        "#TrailSeason",
        "trail_season",
        "Road runners discover the trails just outside town.",
    ),
    Theme(
        1,
        "Glow Routine",
        "#GlowRoutine",
        "glow_routine",
        "A simple morning routine that works for every skin type.",
    ),
    Theme(
        1,
        "SPF Every Day",
        "#SPFEveryDay",
        "spf_every_day",
        "Sun protection becomes as routine as brushing your teeth.",
    ),
    Theme(
        2,
        "Morning Ritual",
        "#MorningRitual",
        "morning_ritual",
        "The first coffee of the day deserves a few quiet minutes.",
    ),
    Theme(
        2,
        "Cold Brew Summer",
        "#ColdBrewSummer",
        "cold_brew_summer",
        "Home-made cold brew that beats the café queue.",
    ),
    Theme(
        3,
        "Bike To Work",
        "#BikeToWork",
        "bike_to_work",
        "Commuters swap the traffic jam for the bike lane.",
    ),
    Theme(
        3,
        "Commute Better",
        "#CommuteBetter",
        "commute_better",
        "A faster, calmer way across town on two wheels.",
    ),
    Theme(
        4,
        "Into The Wild",
        "#IntoTheWild",
        "into_the_wild",
        "City people spend a weekend sleeping under the stars.",
    ),
    Theme(
        4,
        "Layer Up",
        "#LayerUp",
        "layer_up",
        "Stay warm and dry without looking like a mountain guide.",
    ),
    Theme(
        5,
        "Hear Every Detail",
        "#HearEveryDetail",
        "hear_every_detail",
        "Music lovers hear the parts of songs they never noticed.",
    ),
    Theme(
        5,
        "Quiet Commute",
        "#QuietCommute",
        "quiet_commute",
        "Noise cancelling turns the train ride into me-time.",
    ),
    Theme(
        6,
        "Slow Tea Sundays",
        "#SlowTeaSundays",
        "slow_tea_sundays",
        "One slow pot of tea to end a busy week.",
    ),
    Theme(
        6,
        "Matcha Moments",
        "#MatchaMoments",
        "matcha_moments",
        "Matcha as the calm alternative to the afternoon espresso.",
    ),
    Theme(
        7,
        "Reset With Atlas",
        "#ResetWithAtlas",
        "reset_with_atlas",
        "A month of short workouts that fit into any calendar.",
    ),
    Theme(
        8,
        "Green Your Home",
        "#GreenYourHome",
        "green_your_home",
        "Plants that survive even the busiest plant parents.",
    ),
    Theme(
        9,
        "Taste Of Sicily",
        "#TasteOfSicily",
        "taste_of_sicily",
        "Sicilian family recipes for a weeknight dinner.",
    ),
    Theme(
        10,
        "Home Office Refresh",
        "#HomeOfficeRefresh",
        "home_office_refresh",
        "A desk setup that makes working from home feel like a choice.",
    ),
    Theme(
        11,
        "Adopt Don't Shop",
        "#AdoptDontShop",
        "adopt_dont_shop",
        "Every adopted pet starts with the right first week at home.",
    ),
)

#: Markets, with how a mobile number is written there: prefix, then digits regrouped by the
#: pattern and layout (e.g. +49 151 2345678, +33 6 12 34 56 78, +34 612 345 678).
MARKETS: tuple[Market, ...] = (
    Market("DE", "Germany", "EUR", "DE|AT", "+49 151 ", 7, r"(\d{7})", r"\1"),
    Market(
        "FR", "France", "EUR", "FR|BE", "+33 6 ", 8, r"(\d\d)(\d\d)(\d\d)(\d\d)", r"\1 \2 \3 \4"
    ),
    Market("ES", "Spain", "EUR", "ES", "+34 6", 8, r"(\d\d)(\d{3})(\d{3})", r"\1 \2 \3"),
    Market("IT", "Italy", "EUR", "IT", "+39 347 ", 7, r"(\d{7})", r"\1"),
    Market("NL", "Netherlands", "EUR", "NL|BE", "+31 6 ", 8, r"(\d{8})", r"\1"),
    Market("UK", "United Kingdom", "GBP", "GB|IE", "+44 7700 ", 6, r"(\d{6})", r"\1"),
    Market("SE", "Sweden", "SEK", "SE|NO|DK", "+46 70 ", 7, r"(\d{3})(\d\d)(\d\d)", r"\1 \2 \3"),
    Market("PL", "Poland", "PLN", "PL", "+48 5", 8, r"(\d\d)(\d{3})(\d{3})", r"\1 \2 \3"),
    Market("US", "United States", "USD", "US|CA", "+1 415 ", 7, r"(\d{3})(\d{4})", r"\1 \2"),
    Market("HK", "Hong Kong", "HKD", "HK|SG|MY", "+852 9", 7, r"(\d{3})(\d{4})", r"\1 \2"),
)
#: Market of the Unicode baseline; other campaigns never draw it.
UNICODE_MARKET = 9

TEAMS: tuple[Team, ...] = (
    Team("Growth EMEA", "#growth-emea"),
    Team("Brand Social", "#brand-social"),
    Team("CRM Lifecycle", "#crm-lifecycle"),
    Team("Performance DACH", "#performance-dach"),
    Team("Influencer Studio", "#influencer-studio"),
    Team("Growth Americas", "#growth-americas"),
    Team("Retail Marketing APAC", "#retail-apac"),
)
#: Team of the baseline campaign whose plan names no Slack channel.
UNOWNED_TEAM = "Partnerships"

AGE_BANDS: tuple[str, ...] = ("18-24|25-34", "25-34|35-44", "25-34", "35-44|45-54", "18-24")

# fmt: off
PAID_PLATFORMS: tuple[str, ...] = (
    "meta", "google", "tiktok", "linkedin", "microsoft", "pinterest", "snapchat", "x",
)
SOCIAL_PLATFORMS: tuple[str, ...] = (
    "instagram", "tiktok", "facebook", "linkedin", "x", "youtube", "pinterest", "threads",
)
SOCIAL_FORMATS: tuple[str, ...] = (
    "short_video", "video", "image", "carousel", "text", "live", "story", "link",
)
INFLUENCER_PLATFORMS: tuple[str, ...] = (
    "instagram", "tiktok", "youtube", "x", "twitch", "linkedin", "facebook", "pinterest",
    "threads", "blog",
)
TIERS: tuple[str, ...] = ("nano", "micro", "mid", "macro", "celebrity")

PERSONALISATION_TOKENS: tuple[str, ...] = (
    "first_name",
    "first_name|city",
    "first_name|last_product",
    "first_name|favourite_category",
    "city|weather",
)
#: utm_campaign values found on links that belong to no campaign (always-on tagging, typos).
STRAY_UTMS: tuple[str, ...] = ("always_on", "brand_search", "newsletter", "spring_sale", "promo")

FIRST_NAMES: tuple[str, ...] = (
    "ana", "ben", "carla", "david", "elena", "felix", "greta", "hugo", "ines", "jonas", "karin",
    "lukas", "maria", "noah", "olivia", "paul", "rosa", "sofia", "tom", "ursula", "viktor",
    "wiebke", "xavier", "yara", "zoe", "amir", "bea", "chen", "daria", "emil", "fatima",
    "giulia", "hanna", "ivan", "jana", "kofi", "lea", "mateo", "nina", "omar", "pia", "rahul",
    "sara", "tariq", "uma", "vera", "wei", "yusuf", "zara", "mia",
)
LAST_NAMES: tuple[str, ...] = (
    "garcia", "mueller", "rossi", "dubois", "jansen", "kowalski", "novak", "silva", "schmidt",
    "bernard", "lopez", "bianchi", "fischer", "martin", "nielsen", "andersen", "wagner",
    "moreau", "romano", "costa", "weber", "lambert", "santos", "meyer", "ricci", "petit",
    "hoffmann", "fernandez", "conti", "becker", "laurent", "schulz", "moretti", "richter",
    "girard", "vidal", "koch", "marino", "wolf", "klein",
)
# fmt: on
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")

#: Creator handle endings by brand interest, e.g. @mia.runs.
HANDLE_ENDINGS: dict[str, tuple[str, ...]] = {
    "running": ("runs", "miles", "onthemove"),
    "beauty": ("glow", "skin", "beautydiary"),
    "coffee": ("brews", "coffeebreak", "beans"),
    "cycling": ("rides", "cycles", "onwheels"),
    "outdoor": ("outside", "wildtrips", "hikes"),
    "audio": ("listens", "vinyl", "soundcheck"),
    "tea": ("steeps", "teatime", "leaves"),
    "fitness": ("lifts", "moves", "fitlife"),
    "plants": ("plants", "greenhome", "grows"),
    "food": ("cooks", "eats", "kitchen"),
    "home": ("interiors", "homemade", "athome"),
    "pets": ("andpaws", "petlife", "dogdays"),
}

SOCIAL_HOOKS: dict[str, tuple[str, ...]] = {
    "en": (
        "New drop is live.",
        "Our favourite way to start the week.",
        "You asked, we listened.",
        "Behind the scenes with the team.",
        "Three tips from our experts.",
        "Weekend plans sorted.",
        "Tag someone who needs this.",
        "Meet the community.",
        "Limited run, while it lasts.",
        "Fresh from the studio.",
        "Small habits, big change.",
        "Swipe for the full story.",
        "Made for everyday moments.",
        "Your questions, answered.",
        "The wait is over.",
        "This one is for the early risers.",
    ),
    "zh": (
        "双十一限时优惠，今晚开抢！",
        "护肤好物清单来了。",
        "囤货季，别错过。",
        "和我们一起倒数。",
        "你的购物车准备好了吗？",
        "限量礼盒，先到先得。",
        "老朋友专属惊喜。",
        "今年最值得入手的一套。",
    ),
}
SOCIAL_CALLS: dict[str, tuple[str, ...]] = {
    "en": (
        "Link in bio.",
        "Shop now.",
        "Tell us in the comments.",
        "Save this for later.",
        "Find your nearest store.",
        "Join us this weekend.",
        "Share your version.",
        "Turn on notifications.",
    ),
    "zh": ("点击主页链接。", "评论区告诉我们。", "收藏起来慢慢看。", "转发给你的好友。"),
}
CREATOR_HOOKS: dict[str, tuple[str, ...]] = {
    "en": (
        "Obsessed with this.",
        "Honest review after two weeks.",
        "Packing my bag with",
        "Day in my life ft.",
        "Had to share this.",
        "My go-to lately:",
        "Trying something new with",
        "Weekend reset with",
        "Three reasons I switched to",
    ),
    "zh": (
        "真心推荐给大家：",
        "用了两周的真实感受：",
        "我的双十一清单：",
        "今天的开箱：",
        "最近离不开的：",
    ),
}
#: Disclosure tags a creator or the social team writes into the copy.
DISCLOSURE_TAGS: tuple[str, ...] = ("#ad", "#sponsored", "#ad #partner", "(paid partnership)")
