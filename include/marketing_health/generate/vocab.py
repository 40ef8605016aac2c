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
    #: Market codes the team runs campaigns in (its channel hears of them); empty: every market
    #: (a team organised by discipline, not region).
    markets: tuple[str, ...] = ()

    def serves(self, market_code: str) -> bool:
        return not self.markets or market_code in self.markets


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

#: Owner teams: regional teams own the campaigns of their markets, the others any market.
TEAMS: tuple[Team, ...] = (
    Team("Growth EMEA", "#growth-emea", ("DE", "FR", "ES", "IT", "NL", "UK", "SE", "PL")),
    Team("Brand Social", "#brand-social"),
    Team("CRM Lifecycle", "#crm-lifecycle"),
    Team("Performance DACH", "#performance-dach", ("DE",)),
    Team("Influencer Studio", "#influencer-studio"),
    Team("Growth Americas", "#growth-americas", ("US",)),
    Team("Retail Marketing APAC", "#retail-apac", ("HK",)),
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
    "de": (
        "Neu im Sortiment.",
        "So starten wir am liebsten in die Woche.",
        "Ihr habt gefragt, wir haben zugehört.",
        "Ein Blick hinter die Kulissen.",
        "Drei Tipps von unserem Team.",
        "Das Wochenende ist gerettet.",
        "Markiere jemanden, der das braucht.",
        "Nur solange der Vorrat reicht.",
        "Kleine Gewohnheiten, große Wirkung.",
        "Für jeden Tag gemacht.",
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
    "de": (
        "Link in der Bio.",
        "Jetzt entdecken.",
        "Schreibt es uns in die Kommentare.",
        "Speichern und später lesen.",
        "Teilt eure Version.",
    ),
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
    "de": (
        "Ehrlich begeistert von",
        "Nach zwei Wochen im Test:",
        "Mein Wochenende mit",
        "Seit Wochen mein Favorit:",
        "Endlich ausprobiert:",
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
#: The same in the languages of the sample teams (generate/teams.yaml); the product's
#: disclosure vocabulary knows every one of them.
LOCAL_DISCLOSURE_TAGS: dict[str, tuple[str, ...]] = {
    "en": DISCLOSURE_TAGS,
    "zh": ("#广告", "赞助", "#广告 #品牌合作", "（品牌合作）"),
    "de": ("#Werbung", "#Anzeige", "#Werbung #Kooperation", "(bezahlte Partnerschaft)"),
}

#: Short product-code prefix per brand (BRANDS order), as the shop system writes SKUs.
SKU_PREFIXES: tuple[str, ...] = (
    "NWR",
    "LUM",
    "KHR",
    "VEL",
    "AUR",
    "FJA",
    "SAK",
    "ATF",
    "BLB",
    "MNF",
    "PXP",
    "TPS",
)

#: Secondary audience interests a creator's profile lists next to the brand interest. None of
#: them is a brand interest, so only the brand interest decides whether interests overlap.
SECONDARY_INTERESTS: tuple[str, ...] = (
    "lifestyle",
    "travel",
    "wellness",
    "tech",
    "family",
    "fashion",
    "music",
    "diy",
)
#: Audience age bands of creators: the younger profile covers every campaign target except
#: 35-44|45-54, which the older profile covers.
CREATOR_AGE_PROFILES: tuple[str, ...] = ("18-24|25-34|35-44", "25-34|35-44|45-54")
OLDER_TARGET = "35-44|45-54"
BRAND_SAFETY_FLAGS: tuple[str, ...] = (
    "controversy",
    "fake_followers",
    "controversy|undisclosed_ads",
    "fake_followers|spam",
)

PRICE_TIERS: tuple[str, ...] = ("budget", "mass", "premium", "luxury")


@dataclass(frozen=True)
class Positioning:
    """How a brand (ours or a partner's) is positioned; lists are |-separated."""

    price_tier: str
    segments: str
    values: str
    conflicting: str = ""


#: Positioning of our brands, in BRANDS order.
POSITIONING: tuple[Positioning, ...] = (
    Positioning(
        "mass",
        "urban_professionals|active_lifestyle|students",
        "performance|community|sustainability",
        "fast_fashion|gambling|tobacco",
    ),
    Positioning(
        "premium",
        "wellness_seekers|urban_professionals",
        "quality|transparency",
        "animal_testing|fast_fashion|gambling",
    ),
    Positioning(
        "premium",
        "urban_professionals|home_cooks",
        "craftsmanship|sustainability",
        "gambling|fast_food",
    ),
    Positioning(
        "premium",
        "commuters|urban_professionals|active_lifestyle",
        "sustainability|design",
        "gambling|fossil_fuels",
    ),
    Positioning(
        "premium",
        "outdoor_lovers|active_lifestyle|young_families",
        "adventure|sustainability",
        "fast_fashion|gambling",
    ),
    Positioning(
        "premium",
        "music_lovers|urban_professionals",
        "design|craftsmanship",
        "gambling|fast_fashion",
    ),
    Positioning("mass", "wellness_seekers|home_cooks", "calm|quality", "gambling|tobacco"),
    Positioning(
        "mass",
        "active_lifestyle|students|urban_professionals",
        "health|community",
        "tobacco|gambling",
    ),
    Positioning(
        "mass",
        "homeowners|young_families|wellness_seekers",
        "sustainability|care",
        "gambling|fast_fashion",
    ),
    Positioning("mass", "home_cooks|young_families", "quality|tradition", "gambling|fast_food"),
    Positioning(
        "premium", "homeowners|urban_professionals", "design|quality", "fast_fashion|gambling"
    ),
    Positioning("mass", "pet_owners|young_families", "care|trust", "gambling|animal_testing"),
)


@dataclass(frozen=True)
class Partner:
    name: str
    positioning: Positioning


#: Partner brands for co-marketing. The last two misfit most of our brands on price tier.
PARTNERS: tuple[Partner, ...] = (
    Partner(
        "Peak Hydration",
        Positioning("mass", "active_lifestyle|urban_professionals|students", "health|performance"),
    ),
    Partner(
        "NordRail",
        Positioning(
            "mass", "commuters|urban_professionals|young_families", "sustainability|reliability"
        ),
    ),
    Partner(
        "GreenLeaf Market",
        Positioning(
            "premium", "young_families|wellness_seekers|home_cooks", "sustainability|quality"
        ),
    ),
    Partner(
        "CityFit Gyms",
        Positioning("mass", "active_lifestyle|students|urban_professionals", "community|health"),
    ),
    Partner(
        "Habitat & Co.",
        Positioning("premium", "homeowners|young_families|urban_professionals", "design|quality"),
    ),
    Partner(
        "TrailMap", Positioning("mass", "outdoor_lovers|active_lifestyle", "adventure|community")
    ),
    Partner(
        "Soundwave Festival",
        Positioning("mass", "music_lovers|students|urban_professionals", "creativity|community"),
    ),
    Partner("PawPal Insurance", Positioning("premium", "pet_owners|young_families", "trust|care")),
    Partner(
        "Slow Living Magazine",
        Positioning("premium", "wellness_seekers|home_cooks|homeowners", "calm|craftsmanship"),
    ),
    Partner("Maison Éclat", Positioning("luxury", "affluent_trendsetters", "exclusivity|status")),
    Partner(
        "BargainBin Outlet",
        Positioning("budget", "bargain_hunters|students", "low_price|convenience"),
    ),
)


def _items(cell: str) -> set[str]:
    return {v.strip().lower() for v in cell.split("|") if v.strip()}


def partner_fits(ours: Positioning, partner: Positioning) -> bool:
    """The fit rule of the partner-fit signal: price tiers at most one step apart, a shared
    target segment, and no partner value among the values we refuse."""
    steps = abs(PRICE_TIERS.index(ours.price_tier) - PRICE_TIERS.index(partner.price_tier))
    return (
        steps < 2
        and bool(_items(ours.segments) & _items(partner.segments))
        and not _items(partner.values) & _items(ours.conflicting)
    )


#: Per brand: partners that fit, and the partner a misfit scenario signs (two price tiers away).
FITTING_PARTNERS: tuple[tuple[int, ...], ...] = tuple(
    tuple(k for k, p in enumerate(PARTNERS) if partner_fits(ours, p.positioning))
    for ours in POSITIONING
)
MISFIT_PARTNER: tuple[int, ...] = tuple(
    next(
        k
        for k, p in enumerate(PARTNERS)
        if abs(PRICE_TIERS.index(ours.price_tier) - PRICE_TIERS.index(p.positioning.price_tier))
        >= 2
    )
    for ours in POSITIONING
)
PROMO_OFFERS: tuple[str, ...] = (
    "members get early access",
    "a free gift with every order",
    "twice the loyalty points this month",
    "a joint bundle at a friendly price",
    "meet us at the pop-up this weekend",
    "share your moment and win a joint hamper",
)
SUCCESS_METRICS: tuple[str, ...] = (
    "co-branded sign-ups|incremental revenue",
    "promo code redemptions|joint reach",
    "new customers from the partner audience|revenue per order",
)
EXIT_CONDITIONS: tuple[str, ...] = (
    "either side may end the partnership with thirty days notice",
    "ends when promo code redemptions stay below target for four weeks",
    "ends if either side breaches the brand guidelines",
)
PROMO_CHANNELS: tuple[str, ...] = ("online", "social", "email", "in_store", "paid", "event")

# fmt: off
#: Personalisation tokens the sensitive-attribute seed lists: a creepy-personalisation scenario
#: uses them. Never more than three tokens per send.
SENSITIVE_TOKENS: tuple[str, ...] = (
    "first_name|pregnancy", "first_name|medical_condition", "first_name|credit_score",
    "first_name|due_date|weight",
)
CHANNELS: tuple[str, ...] = ("social", "email", "paid", "influencer")
ATTRIBUTION_MODELS: tuple[str, ...] = (
    "data_driven", "last_click", "linear", "mmm", "first_click",
)
PR_TYPES: tuple[str, ...] = ("article", "interview", "podcast", "event", "statement")
PR_OUTLETS: tuple[str, ...] = (
    "Morning Gazette", "City Weekly", "Trend Radar", "The Lifestyle Desk", "Retail Today",
    "Marketing Insider", "Local Radio One", "Podcast: Small Habits", "Design Journal",
    "Evening Standard Online", "Brand Report", "Community Newsletter",
)
EXPERIMENT_CHANNELS: tuple[str, ...] = ("email", "paid", "site", "social", "influencer")
EXPERIMENT_HYPOTHESES: tuple[str, ...] = (
    "A shorter subject line lifts opens",
    "Product video beats the static image in prospecting ads",
    "Free delivery converts better than a discount",
    "User reviews on the landing page lift add-to-cart",
    "Creator whitelisting beats brand-handle ads",
    "Morning sends beat evening sends",
    "A carousel of three products lifts clicks",
    "Lookalike audiences beat interest targeting",
    "A quiz landing page lifts sign-ups",
    "Creator discount codes beat tracking links",
)
COMMITMENT_CHANNELS: tuple[str, ...] = ("paid", "influencer", "production", "paid", "pr")
#: Share of the budget each commitment takes (COMMITMENT_CHANNELS order) and when it is signed,
#: in days after the campaign start: bookings before launch, top-ups later. Together about two
#: thirds of the budget: the rest is the reserve.
COMMITMENT_SHARES: tuple[float, ...] = (0.28, 0.12, 0.08, 0.10, 0.05)
COMMITMENT_DAYS: tuple[int, ...] = (-14, -7, -3, 14, 28)
# fmt: on

COMMENT_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "positive": (
            "Love this!",
            "Just ordered mine.",
            "Best purchase this year.",
            "So good, thank you!",
            "This made my week.",
            "Need this in every colour.",
        ),
        "neutral": (
            "Does it ship to my city?",
            "What size should I get?",
            "Is this back in stock soon?",
            "How long does delivery take?",
            "Is there a store near me?",
        ),
        "negative": (
            "Still waiting for my order.",
            "Quality dropped a lot.",
            "Nobody answers my messages.",
            "Too expensive for what it is.",
            "Mine broke after a week.",
        ),
    },
    "de": {
        "positive": ("Richtig schön!", "Habe gerade bestellt.", "Bester Kauf des Jahres."),
        "neutral": (
            "Liefert ihr auch nach Österreich?",
            "Welche Größe passt?",
            "Wann kommt Nachschub?",
        ),
        "negative": (
            "Warte immer noch auf meine Bestellung.",
            "Niemand antwortet mir.",
            "Nach einer Woche kaputt.",
        ),
    },
    "zh": {
        "positive": ("太喜欢了！", "已经下单了。", "今年最值的一单。"),
        "neutral": ("什么时候发货？", "有小样吗？", "适合敏感肌吗？"),
        "negative": ("等了好久还没到。", "客服一直不回复。", "和描述不一样。"),
    },
}
SENTIMENTS: tuple[str, ...] = ("positive", "neutral", "negative")

#: Owners of a campaign's channels: people named by role, as planning sheets list them.
OWNER_ROLES: tuple[str, ...] = (
    "social lead",
    "CRM manager",
    "performance marketer",
    "creator manager",
)
