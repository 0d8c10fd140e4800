"""World desk stories. Places, people and institutions are invented."""

from ..spec import (
    Story,
    ago,
    bullets,
    fact_box,
    figure,
    heading,
    illustrator,
    p,
    pull_quote,
    quote,
    related,
    table,
)
from .sections import WORLD

art = illustrator(WORLD)


STORIES = (
    Story(
        slug="fishing-boats-impounded-northern-waters",
        section="world",
        title="Fishing boats impounded as Northern Waters talks stall",
        standfirst=(
            "Estmark's coastguard escorts three Meridian Islands trawlers into port a day "
            "after negotiations over the disputed fishing grounds end without a deal."
        ),
        age=ago(days=17, hours=3),
        authors=("ines-varga",),
        tags=("Oceans", "Trade"),
        lead_image=art(
            "Trawlers held at a harbour wall (illustration)",
            "Illustration: dark blue waves under a pale sky, with the hulls of fishing "
            "boats drawn as simple shapes along a harbour wall.",
            "Three trawlers from the Meridian Islands are being held in Halvik.",
            "waves",
        ),
        body=(
            p(
                "Coastguard vessels from Estmark escorted three trawlers registered in the "
                "Meridian Islands into the port of Halvik on Saturday, accusing their crews "
                "of fishing inside the disputed zone. The boats and their catch are being "
                "held until a court hearing."
            ),
            p(
                "The seizures came a day after the latest round of talks between the two "
                "countries ended without agreement, and raised fears in the islands that the "
                "dispute, now in its second year, could escalate."
            ),
            quote(
                "These are family boats. The men aboard them have fished those grounds "
                "since before some of the officials arguing about them were born.",
                "Rosa Teixeira, chair of the Meridian Islands Fishermen's Association",
            ),
            p(
                "Estmark's coastguard said the vessels had ignored radio warnings and that "
                "the seizures were “a routine application of the law”. Its statement did not "
                "say how long the crews, seventeen people in all, would remain in Halvik."
            ),
            heading("What each side wants"),
            bullets(
                "Estmark: access to the northern grounds and one shared catch limit",
                "The Meridian Islands: an inshore zone closed to large trawlers",
                "Both: an end to seizures while the talks continue",
            ),
            p(
                "Diplomats are due to meet again under the Northern Waters Council later "
                "this month. Officials close to the talks said a compromise on the size of "
                "an inshore zone was “within reach”, but that neither government wanted to "
                "be seen to move first."
            ),
        ),
    ),
    Story(
        slug="meridian-islands-move-capital",
        section="world",
        title="Meridian Islands vote to move their capital inland as the sea rises",
        standfirst=(
            "Parliament backs a 30-year plan to shift government offices from the harbour "
            "town of Porto Alva to the hills, starting with the archive that flooded twice."
        ),
        age=ago(days=10, hours=6),
        authors=("ines-varga", "priya-castellane"),
        tags=("Climate", "Oceans"),
        lead_image=art(
            "Rings of rising water around an island (illustration)",
            "Illustration: concentric rings in shades of blue spreading out from a sand-"
            "coloured island shape.",
            "Porto Alva's harbour district flooded nine times last winter.",
            "rings",
        ),
        body=(
            p(
                "Parliament in the Meridian Islands has voted to move the country's capital "
                "from the harbour town of Porto Alva to a site in the hills of the main "
                "island, in what ministers called a 30-year plan to keep the state running "
                "as the sea rises."
            ),
            p(
                "The motion passed by 41 votes to 12. Government offices will move in "
                "stages, starting with the national archive and the health ministry, whose "
                "buildings flooded twice last winter."
            ),
            quote(
                "We are not abandoning Porto Alva. We are making sure that when the water "
                "comes, the records of who we are are not in the basement.",
                "Lucinda Abreu, the islands' minister for planning",
                "speech to parliament",
            ),
            table(
                "Porto Alva and the new site compared",
                ("", "Porto Alva", "Serra Nova site"),
                ("Height above sea level", "2 m", "140 m"),
                ("Days of flooding last winter", "9", "0"),
                ("Distance from the main port", "0 km", "18 km"),
                ("Civil servants planned by 2040", "3,200", "2,600"),
            ),
            p(
                "Opposition members said the cost, estimated at a fifth of the national "
                "budget over the period, had not been properly explained, and questioned "
                "whether international climate funds promised to the islands would arrive."
            ),
            pull_quote(
                "When the water comes, the records of who we are should not be in the basement.",
                "Lucinda Abreu",
            ),
            p(
                "Scientists at the islands' marine institute say the sea around Porto Alva "
                "has risen by about 11 centimetres since the 1990s, and that storm surges now "
                "reach streets that were dry a generation ago."
            ),
            related(
                "meridian-coral-bleaching-later",
                "Why the Meridian Islands' coral is bleaching later than its neighbours'",
            ),
        ),
    ),
    Story(
        slug="measles-cases-rise-vaccination-gaps",
        section="world",
        title="Measles cases rise across the continent after vaccination gaps",
        standfirst=(
            "The Continental Health Agency counts four times as many cases as the year "
            "before and urges catch-up campaigns before the summer travel season."
        ),
        age=ago(days=13, hours=2),
        authors=("priya-castellane", "ines-varga"),
        tags=("Health",),
        lead_image=art(
            "A grid of dots with a cluster highlighted (illustration)",
            "Illustration: a regular grid of pale dots on blue, with a cluster of sand-"
            "coloured dots standing out in one corner, and the figure 9,000.",
            "Outbreaks were largest where vaccination fell during the pandemic years.",
            "grid",
            label="9,000",
        ),
        body=(
            p(
                "The Continental Health Agency has warned that measles cases rose sharply "
                "last year in countries where childhood vaccination fell during the pandemic "
                "years, and urged governments to run catch-up campaigns before the summer."
            ),
            p(
                "In its annual report the agency recorded more than 9,000 cases across its "
                "member states, almost four times the previous year's figure, with the "
                "largest outbreaks in Corvania and the Saltreach Federation."
            ),
            quote(
                "Measles is the first disease to come back when vaccination slips, because "
                "it is the most contagious. It is the smoke alarm for the whole system.",
                "Dr Anneke Vos, head of infectious diseases at the Continental Health Agency",
            ),
            heading("How the valley compares"),
            p(
                "Uptake of the second dose in Harrowdale County stands at 89 per cent, "
                "according to the regional health board: below the 95 per cent experts say "
                "is needed to stop outbreaks, but above the continental average."
            ),
            fact_box(
                "Measles: what to know",
                "Two doses of the MMR vaccine give about 97% protection.",
                "Adults who missed a dose can have it free at their GP practice.",
                "It starts with fever, cough and red eyes; the rash follows days later.",
                "If you have symptoms, phone your surgery rather than walking in.",
            ),
            quote(
                "We have clinics every Saturday this spring. If you are not sure whether "
                "your child had both doses, come and ask: we can check the record in minutes.",
                "Grace Owusu, immunisation lead at the regional health board",
            ),
        ),
    ),
    Story(
        slug="saltreach-seasonal-workers-border",
        section="world",
        title="Saltreach Federation reopens its borders to seasonal farm workers",
        standfirst=(
            "Growers blamed a two-year closure for fruit left on the branch. The new "
            "permits let workers leave a bad employer, which unions call the key change."
        ),
        age=ago(days=6, hours=1),
        authors=("ines-varga",),
        tags=("Migration", "Trade"),
        lead_image=art(
            "A road winding between orchards (illustration)",
            "Illustration: a winding sand-coloured line crossing a blue and teal landscape, "
            "with small circles marking stops along the way.",
            "Three land crossings will reopen to seasonal workers next month.",
            "route",
        ),
        body=(
            p(
                "The Saltreach Federation will reopen three land crossings to seasonal farm "
                "workers from next month, reversing a two-year closure that growers blamed "
                "for fruit left rotting on the branch."
            ),
            p(
                "Under the scheme, workers from neighbouring states will receive a "
                "nine-month permit linked to a registered employer, with a guaranteed "
                "minimum wage and the right to change employer if conditions are poor."
            ),
            quote(
                "We spent two summers watching apples fall because there was nobody to pick "
                "them. This is not generosity; it is arithmetic.",
                "Yusuf Karaman, chair of the Saltreach Growers' Council",
            ),
            p(
                "Labour unions welcomed the right to switch employers, which they had "
                "demanded after reports that workers in the last scheme were housed in "
                "shipping containers."
            ),
            quote(
                "A permit that ties a worker to one farm gives the farm all the power. "
                "Letting people leave a bad employer is the most important line in this law.",
                "Mira Osei, organiser with the Agricultural Workers' Union",
            ),
            heading("What the permit includes"),
            bullets(
                "Nine months' residence, renewable once",
                "A wage at least equal to the federation's agricultural minimum",
                "Inspected accommodation, paid for by the employer",
                "The right to move to another registered employer",
            ),
            p(
                "Officials expect about 14,000 permits to be issued in the first year. "
                "Growers in the Lowmere valley, who compete with Saltreach for some of the "
                "same workers, said they would watch the scheme closely."
            ),
        ),
    ),
    Story(
        slug="corvania-snap-election-energy",
        section="world",
        title="Corvania heads to the polls in a snap election over energy bills",
        standfirst=(
            "The prime minister loses a confidence vote after his coalition partner "
            "refuses to end the household price cap. Traders fear higher prices next door."
        ),
        age=ago(days=3, hours=5),
        authors=("ines-varga", "tomas-hale"),
        tags=("Elections", "Energy"),
        lead_image=art(
            "Bars of a poll chart rising (illustration)",
            "Illustration: four vertical bars of different heights in sand and teal on a "
            "dark blue background.",
            "Polls put the Social Democrats narrowly ahead, with many voters undecided.",
            "bars",
        ),
        body=(
            p(
                "Voters in Corvania will choose a new parliament in five weeks after prime "
                "minister Aurel Maticu lost a confidence vote on Thursday, brought down by a "
                "revolt in his own coalition over household energy bills."
            ),
            p(
                "Maticu's government had proposed ending a price cap introduced two winters "
                "ago, arguing that the country could no longer afford it. The smaller of his "
                "two coalition partners, the agrarian League, voted with the opposition."
            ),
            quote(
                "We were elected to keep people warm, not to balance a spreadsheet in February.",
                "Dana Vulpescu, leader of the League",
                "speech to parliament",
            ),
            p(
                "Corvania exports electricity to three of its neighbours, including Estmark, "
                "and traders have warned that a long campaign could push up wholesale prices "
                "across the region. The Lowmere valley buys a small but growing share of its "
                "power through the Corvanian interconnector."
            ),
            heading("The main contenders"),
            bullets(
                "Civic Union (Maticu): replace the cap with targeted help for poorer homes",
                "Social Democrats: keep the cap and tax energy companies' profits",
                "The League: cheaper power for farms and rural households",
                "Renewal: a new party built around a plan for offshore wind",
            ),
            p(
                "Polls published this week put the Social Democrats narrowly ahead, though "
                "nearly a quarter of voters said they had not yet decided."
            ),
            quote(
                "Snap elections in Corvania tend to be won in the last fortnight. Anyone who "
                "tells you they know the result today is guessing.",
                "Professor Ilinca Draghi, political scientist at the University of Vestra",
            ),
        ),
    ),
    Story(
        slug="estmark-meridian-fishing-truce",
        section="world",
        title="Estmark and the Meridian Islands sign a truce in their fishing dispute",
        standfirst=(
            "After eleven rounds of talks, trawlers from both countries can return to the "
            "contested grounds next month under a shared catch limit and a joint patrol."
        ),
        age=ago(hours=20),
        authors=("ines-varga",),
        tags=("Oceans", "Trade"),
        lead_image=art(
            "Two fleets meeting on open water (illustration)",
            "Illustration: layered blue waves with two groups of small boat shapes "
            "facing each other under a pale sky.",
            "Dozens of trawlers have been tied up in harbour since the spring before last.",
            "waves",
        ),
        lead_image_caption=(
            "Boats from both fleets can return to the grounds east of the Skerry Bank next month."
        ),
        body=(
            p(
                "Fishing boats from Estmark and the Meridian Islands will be allowed back "
                "into each other's waters from next month, after the two governments signed "
                "a truce on Tuesday ending a dispute that has kept dozens of trawlers tied up "
                "in harbour since the spring before last."
            ),
            p(
                "The agreement, reached after eleven rounds of talks hosted by the Northern "
                "Waters Council, sets a shared catch limit for herring and mackerel in the "
                "contested grounds east of the Skerry Bank and creates a joint patrol to "
                "enforce it."
            ),
            quote(
                "Nobody won this argument by staying in port. Our crews have lost two "
                "seasons, and the fish did not get the memo about the border.",
                "Halvard Lien, Estmark's minister for fisheries",
            ),
            p(
                "The Meridian Islands' chief negotiator said the deal protected the islands' "
                "small inshore fleet, which had complained that larger Estmark vessels were "
                "emptying grounds that island families have worked for generations."
            ),
            quote(
                "We asked for one thing: that the boats who fish these waters every day are "
                "not crowded out by the ones who visit twice a year. This text gives us that.",
                "Amalia Duarte-Fenn, chief negotiator for the Meridian Islands",
            ),
            heading("What changes for crews"),
            p(
                "Vessels longer than 24 metres will be kept out of a 12-mile inshore zone "
                "around the islands, while Estmark's boats gain access to the deeper "
                "northern grounds for the first time in three years. The limits will be "
                "reviewed each autumn using surveys by both countries' marine institutes."
            ),
            fact_box(
                "The dispute in brief",
                "It began when Estmark extended its fishing zone by 20 nautical miles.",
                "More than 60 trawlers from both fleets sat idle for most of two seasons.",
                "There were eleven rounds of talks under the Northern Waters Council.",
                "The truce takes effect on the first day of next month.",
            ),
            pull_quote("The fish did not get the memo about the border.", "Halvard Lien"),
            p(
                "Fish merchants in Ashwick, which buys much of the islands' catch, welcomed "
                "the news. The harbour's auction house said volumes had fallen by almost a "
                "third during the dispute."
            ),
            p(
                "Environmental groups were more cautious. The Northern Waters Trust said the "
                "shared limits were higher than scientists had recommended, and warned that "
                "the agreement would be “tested by the first poor season”."
            ),
            related(
                "fishing-boats-impounded-northern-waters",
                "Earlier: Fishing boats impounded as Northern Waters talks stall",
            ),
        ),
    ),
    Story(
        slug="storm-idris-power-cuts",
        section="world",
        title="Storm Idris leaves thousands without power along the northern coast",
        standfirst=(
            "Gusts of up to 130 km/h cut electricity to homes in Estmark and the valley, "
            "cancel the Halvik ferry and breach a sea wall near Gull Point."
        ),
        age=ago(hours=30),
        authors=("ines-varga", "callum-reyes"),
        tags=("Climate", "Energy"),
        lead_image=art(
            "Rain driving across a dark sea (illustration)",
            "Illustration: slanting pale lines of rain over dark blue and teal bands of sea.",
            "The storm brought a month's rain to parts of Estmark in a day.",
            "rain",
        ),
        body=(
            p(
                "More than 40,000 homes in Estmark and about 6,000 in the Lowmere valley were "
                "without electricity on Sunday night after Storm Idris brought gusts of up to "
                "130 km/h to the northern coast."
            ),
            p(
                "The ferry between Ashwick and Halvik was cancelled for a second day, and the "
                "coast road between Saltmere and Port Lowen was closed after a section of sea "
                "wall gave way near Gull Point."
            ),
            quote(
                "Our crews have been out since four in the morning. Please stay away from "
                "fallen lines and check on neighbours who rely on powered medical equipment.",
                "Valley Power, the regional grid operator",
                "statement on Sunday evening",
            ),
            figure(
                art(
                    "Headlands under a storm sky (illustration)",
                    "Illustration: dark hills layered against a stormy teal sky.",
                    "Gusts were strongest on the exposed headlands north of Saltmere.",
                    "hills",
                ),
                alignment="wide",
            ),
            p(
                "In Estmark the storm brought down trees across railway lines north of the "
                "capital, and the national weather service said some areas had more than "
                "their monthly average rainfall in 24 hours."
            ),
            fact_box(
                "If you lose power",
                "Report outages to Valley Power on 0800 555 0142.",
                "Treat every fallen line as live.",
                "Keep fridge and freezer doors closed.",
                "Road closures are listed on the Courier's live page.",
            ),
            p(
                "Forecasters expect the wind to ease by Tuesday, although a yellow warning "
                "for rain remains in place for the valley."
            ),
        ),
    ),
)
