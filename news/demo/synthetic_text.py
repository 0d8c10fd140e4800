"""Generated words for synthetic articles: varied, plausible, obviously filler on a close read.

Everything comes from one `random.Random`, so article number N always reads
the same. Nothing here touches the database.
"""

import uuid

PLACES = (
    "Ashwick",
    "Port Lowen",
    "Eddon Cross",
    "Saltmere",
    "Fallowby",
    "Kingsreach",
    "Marrow Hill",
    "Cleve",
    "the upper valley",
    "the harbour estate",
)

FIRST_NAMES = (
    "Alys", "Bram", "Carys", "Dev", "Elin", "Farid", "Gwen", "Hugo", "Iona", "Jonah",
    "Kemi", "Lorcan", "Mina", "Niall", "Olu", "Petra", "Quinn", "Rosa", "Sami", "Tove",
)  # fmt: skip

SURNAMES = (
    "Ashby", "Brennan", "Castell", "Dunmore", "Ekwueme", "Farrant", "Goss", "Halloran",
    "Ivers", "Jory", "Kettle", "Lund", "Mabry", "Nairn", "Orme", "Penrose", "Quarrie",
    "Rowe", "Sandoval", "Thorne",
)  # fmt: skip

ROLES = (
    "a local councillor",
    "who chairs the residents' association",
    "a spokesperson for the Valley Assembly",
    "a researcher at Ashwick University",
    "who has lived in the area for thirty years",
    "a union representative",
    "the director of a local charity",
    "a shop owner on the high street",
)

# Per section: who acts (singular, for the headline verbs), what about, and which tags fit.
DESKS = {
    "world": {
        "actors": (
            "Estmark's government",
            "The Meridian Islands' parliament",
            "Corvania's new cabinet",
            "The Saltreach Federation",
            "The Northern Waters Council",
            "The Continental Health Agency",
            "Halvik port authority",
        ),
        "topics": (
            "fishing quotas",
            "ferry crossings",
            "seasonal work permits",
            "offshore wind farms",
            "grain exports",
            "coastal defences",
            "cross-border rail",
            "vaccination campaigns",
        ),
        "tags": ("Oceans", "Trade", "Migration", "Elections", "Energy", "Health", "Climate"),
    },
    "politics": {
        "actors": (
            "The Valley Assembly",
            "Ashwick council",
            "Eddon Cross town council",
            "The mayor of Ashwick",
            "The opposition group on Ashwick council",
            "The Assembly's transport committee",
            "Port Lowen town council",
        ),
        "topics": (
            "bus subsidies",
            "school meals",
            "parking charges",
            "social housing",
            "flood defences",
            "library opening hours",
            "street lighting",
            "care home fees",
        ),
        "tags": ("Public money", "Transport", "Housing", "Elections", "Ashwick", "Education"),
    },
    "science": {
        "actors": (
            "A research team at Ashwick University",
            "The marine station",
            "The regional health board",
            "The Kingsreach Astronomical Society",
            "Ashwick College's engineering school",
            "A hospital trial team",
            "The valley's weather service",
        ),
        "topics": (
            "seagrass planting",
            "river pollution",
            "heat pumps",
            "hospital waiting times",
            "bird migration",
            "soil carbon",
            "dark skies",
            "tidal energy",
        ),
        "tags": ("Climate", "Oceans", "Health", "Energy", "Space", "Lowmere valley"),
    },
    "culture": {
        "actors": (
            "The Harbour Picturehouse",
            "The Ashwick Museum",
            "The Lowmere Chamber Players",
            "The county library service",
            "The Rope Works",
            "Saltmere folk club",
            "A Port Lowen gallery",
        ),
        "topics": (
            "a season of new films",
            "free museum entry",
            "a short story festival",
            "the old theatre's restoration",
            "a community choir",
            "harbour photographs",
            "a jazz weekend",
            "a poetry trail",
        ),
        "tags": ("Books", "Music", "Film", "Heritage", "Ashwick"),
    },
}

HEADLINES = (
    "{actor} backs new plan for {topic}",
    "{actor} delays decision on {topic}",
    "{actor} promises more money for {topic} in {place}",
    "Questions over {topic} as {actor_lower} reports",
    "{place} waits for answers on {topic}",
    "{actor} opens consultation on {topic}",
    "What the review of {topic} means for {place}",
    "{actor} and {place} at odds over {topic}",
)

STANDFIRSTS = (
    "The decision affects about {number:,} people in {place} and follows {months} months of "
    "debate.",
    "Supporters call it overdue; critics say {place} was not asked. A final vote is due in "
    "{months} months.",
    "{number:,} people responded to the consultation, more than for any proposal in "
    "{months} years.",
)

SENTENCES = (
    "{actor} said the plans for {topic} would be published in full next month.",
    "In {place}, opinion is divided, and a public meeting last week ran an hour over time.",
    "The cost is put at £{money} million over {months} years, according to figures seen by "
    "the Courier.",
    "About {number:,} households are likely to be affected.",
    "Critics say the timetable is too tight and that {place} has been left out of the talks.",
    "Similar schemes elsewhere have taken {months} months longer than planned.",
    "A report on {topic} is expected before the end of the year.",
    "The proposals will be discussed again at the next full meeting.",
    "Campaigners in {place} have collected {number:,} signatures on a petition.",
    "Officials insisted that nothing had yet been decided.",
)

QUOTES = (
    "We have waited a long time for a proper answer on {topic}, and this is a start.",
    "Nobody in {place} was asked what they thought, and it shows.",
    "If we get {topic} right, the rest of the valley will follow.",
    "The money is welcome, but it has to reach the people who need it.",
    "I have seen plans like this before. I will believe it when I see it working.",
)

HEADINGS = ("What happens next", "The background", "What people said", "The figures")


def _person(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _fill(template, slots):
    return template.format(**slots)


def synthetic_article(rng, desk):
    """Title, standfirst, raw StreamField body and tag names for one article."""
    desk = DESKS.get(desk) or DESKS[rng.choice(tuple(DESKS))]
    actor = rng.choice(desk["actors"])
    slots = {
        "actor": actor,
        "actor_lower": actor[0].lower() + actor[1:],
        "topic": rng.choice(desk["topics"]),
        "place": rng.choice(PLACES),
        "number": rng.randrange(400, 40_000, 50),
        "months": rng.randint(2, 18),
        "money": rng.randint(2, 90),
    }
    title = _fill(rng.choice(HEADLINES), slots)
    title = title[0].upper() + title[1:]

    def paragraph():
        sentences = rng.sample(SENTENCES, rng.randint(2, 4))
        return " ".join(_fill(sentence, slots) for sentence in sentences)

    body = [("paragraph", f"<p>{paragraph()}</p>"), ("paragraph", f"<p>{paragraph()}</p>")]
    body.append(
        (
            "quotation",
            {
                "quote": _fill(rng.choice(QUOTES), slots),
                "attribution": f"{_person(rng)}, {rng.choice(ROLES)}",
                "source": "",
                "source_url": "",
            },
        )
    )
    if rng.random() < 0.5:
        body.append(("heading", {"text": rng.choice(HEADINGS), "level": "h2"}))
    body.append(("paragraph", f"<p>{paragraph()}</p>"))
    if rng.random() < 0.25:
        items = [_fill(s, slots).rstrip(".") for s in rng.sample(SENTENCES, 3)]
        body.append(("list", {"style": "unordered", "items": items}))
    if rng.random() < 0.2:
        body.append(("pull_quote", {"text": _fill(rng.choice(QUOTES), slots), "attribution": ""}))
    body.append(("paragraph", f"<p>{paragraph()}</p>"))

    return {
        "title": title,
        "standfirst": _fill(rng.choice(STANDFIRSTS), slots),
        "body": [
            {
                "type": block_type,
                "value": value,
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            }
            for block_type, value in body
        ],
        "tags": rng.sample(desk["tags"], rng.randint(1, 3)),
    }
