"""Politics desk stories. Councils, parties and people are invented."""

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
from .sections import POLITICS

art = illustrator(POLITICS)


STORIES = (
    Story(
        slug="rural-bus-routes-at-risk",
        section="politics",
        title="Rural bus routes at risk as the operators' subsidy runs out",
        standfirst=(
            "Eleven services in the upper valley could stop in the spring. For some "
            "villages they are the only public transport there is."
        ),
        age=ago(days=19, hours=4),
        authors=("callum-reyes",),
        tags=("Transport", "Lowmere valley"),
        lead_image=art(
            "A bus route map with village stops (illustration)",
            "Illustration: a yellow line winding across a dark red background, with round "
            "stops marked along it.",
            "The routes carry about 3,400 passengers a week.",
            "route",
        ),
        body=(
            p(
                "Eleven bus routes serving villages in the upper Lowmere valley could stop "
                "running in the spring, the operator Dale Coaches has warned, because a "
                "subsidy agreed during the pandemic ends in March."
            ),
            p(
                "The routes carry about 3,400 passengers a week. Some villages, including "
                "Marrow Hill and Cleve, have no other public transport."
            ),
            quote(
                "We'd keep them if we could. But a bus that carries nine people on a good day "
                "costs the same to run as one that carries sixty.",
                "Graham Tully, managing director of Dale Coaches",
            ),
            p("Passengers at the Fallowby interchange said the routes were a lifeline."),
            quote(
                "I don't drive. Without the 17 I can't get to my dialysis in Ashwick, "
                "simple as that.",
                "Maureen Pike, 71, from Cleve",
            ),
            heading("The routes at risk"),
            bullets(
                "Route 17: Cleve, Fallowby and Ashwick",
                "Route 22: Marrow Hill and Eddon Cross",
                "Route 31: the Upper Dale circular",
                "Eight school-day services in the upper valley",
            ),
            p("The Valley Assembly's transport committee will discuss the routes next week."),
        ),
    ),
    Story(
        slug="planning-rules-brownfield-homes",
        section="politics",
        title="New planning rules aim for 3,000 homes on old industrial land",
        standfirst=(
            "The Valley Assembly promises faster decisions on former yards and shipyards "
            "around Ashwick, and a fifth of the homes at affordable rents."
        ),
        age=ago(days=15, hours=7),
        authors=("tomas-hale",),
        tags=("Housing", "Ashwick"),
        lead_image=art(
            "A skyline of new homes (illustration)",
            "Illustration: rows of simple building shapes in cream and yellow against a "
            "deep red sky, with the number 3,000 in large type.",
            "Most of the sites are within walking distance of Ashwick station.",
            "skyline",
            label="3,000",
        ),
        body=(
            p(
                "The Valley Assembly has published planning rules that it says will allow "
                "3,000 homes to be built on former industrial sites in and around Ashwick "
                "over the next decade, while protecting the fields on the edge of the city."
            ),
            p(
                "Applications on the Assembly's register of brownfield land will be decided "
                "within 16 weeks, and developers will have to make at least a fifth of the "
                "homes affordable."
            ),
            quote(
                "We have old goods yards and shipyards sitting empty within walking distance "
                "of the station. It makes no sense to build on farmland first.",
                "Kwame Asante, the Assembly's lead member for planning",
            ),
            p(
                "Developers said the affordable housing rule would make some sites "
                "unviable because of the cost of cleaning contaminated ground."
            ),
            quote(
                "Decontaminating a shipyard is expensive. If the rules don't allow for that, "
                "the sites will stay empty and the fields will go anyway.",
                "Fiona Lindqvist, regional director of the Home Builders' Forum",
            ),
            heading("The largest sites"),
            table(
                "Largest sites on the brownfield register",
                ("Site", "Former use", "Homes (estimate)"),
                ("Northgate goods yard", "Railway depot", "650"),
                ("Tannery Reach", "Leather works", "420"),
                ("Old harbour warehouses", "Storage", "420"),
                ("Calder shipyard", "Shipbuilding", "380"),
            ),
        ),
    ),
    Story(
        slug="youth-council-apprentice-bus-travel",
        section="politics",
        title="Youth council wins its campaign for free bus travel for apprentices",
        standfirst=(
            "From September, apprentices under 22 will ride free across the valley, "
            "just as college students already do."
        ),
        age=ago(days=12, hours=5),
        authors=("callum-reyes",),
        tags=("Transport", "Education"),
        lead_image=art(
            "A bus pass against a route map (illustration)",
            "Illustration: a winding yellow route across a red background with the word "
            "FREE in large cream letters.",
            "About 2,600 young people in apprenticeships will qualify.",
            "route",
            label="FREE",
        ),
        body=(
            p(
                "Apprentices under 22 will travel free on buses across the Lowmere valley "
                "from September, after the Valley Assembly backed a proposal that began at "
                "the region's youth council."
            ),
            p(
                "The scheme, expected to cost £1.1 million a year, extends the pass already "
                "given to school and college students to about 2,600 young people in "
                "apprenticeships."
            ),
            quote(
                "My friends at college got a free pass and I paid £14 a week to get to the "
                "same workshop. We just asked why, and kept asking.",
                "Aisha Rahman, 17, who chairs the Lowmere Youth Council",
            ),
            p("Employers' groups supported the change."),
            quote(
                "Half of our apprentices live more than ten miles from our yard. This widens "
                "the pool of people who can say yes to a job offer.",
                "Neil Brannigan, training manager at Ashwick Marine Engineering",
            ),
            fact_box(
                "Who qualifies",
                "Apprentices aged 16 to 21 who live in the valley",
                "Registered with a training provider in Harrowdale County",
                "Apply through your training provider from August",
            ),
        ),
    ),
    Story(
        slug="council-tax-rise-care-costs",
        section="politics",
        title="Council tax to rise by 4.9% as Ashwick warns of the cost of care",
        standfirst=(
            "Almost all of the extra money will go on adult social care, which now takes "
            "41 pence of every pound the council spends."
        ),
        age=ago(days=8, hours=3),
        authors=("tomas-hale", "maren-ekdahl"),
        tags=("Public money", "Health"),
        lead_image=art(
            "Council tax bands as a bar chart (illustration)",
            "Illustration: five cream bars rising from left to right on a dark red "
            "background, labelled 4.9%.",
            "Band D households will pay £103 more a year.",
            "bars",
            label="4.9%",
        ),
        body=(
            p(
                "Households in Ashwick will pay 4.9 per cent more council tax from April "
                "after councillors approved the largest increase allowed without a local "
                "referendum."
            ),
            p(
                "The council said almost all of the extra money, about £6.8 million, would "
                "go on adult social care, where the cost of places in residential homes has "
                "risen by a fifth in two years."
            ),
            table(
                "What you will pay each year",
                ("Band", "This year", "From April", "Increase"),
                ("A", "£1,402", "£1,471", "£69"),
                ("B", "£1,636", "£1,716", "£80"),
                ("C", "£1,869", "£1,961", "£92"),
                ("D", "£2,103", "£2,206", "£103"),
                ("E", "£2,570", "£2,696", "£126"),
            ),
            quote(
                "Nobody comes into local politics to put up taxes. But the alternative was "
                "cutting the hours of the carers who get people out of bed in the morning, "
                "and I would not do that.",
                "Councillor Bethan Ruiz, cabinet member for finance",
            ),
            p(
                "Opposition councillors proposed a smaller rise, paid for by delaying "
                "repairs to the civic centre. Their amendment was defeated."
            ),
            pull_quote(
                "The alternative was cutting the hours of the carers who get people out of "
                "bed in the morning.",
                "Bethan Ruiz",
            ),
            p(
                "The Courier's analysis of the council's accounts shows that adult social "
                "care now takes 41 pence of every pound the council spends, up from 33 pence "
                "five years ago."
            ),
            figure(
                art(
                    "Share of council spending on adult social care (chart)",
                    "Chart: bars growing from 33p five years ago to 41p this year, in cream "
                    "on dark red.",
                    "Pence in every pound of council spending that goes on adult social care.",
                    "bars",
                    label="41p",
                ),
                credit="Byline Courier/Maren Ekdahl",
            ),
        ),
    ),
    Story(
        slug="eddon-cross-by-election-candidates",
        section="politics",
        title="Eddon Cross by-election: what the five candidates promise",
        standfirst=(
            "Voters choose a new Assembly member a week on Thursday. We asked each "
            "candidate for the one promise they would most like to be judged on."
        ),
        age=ago(days=4, hours=2),
        authors=("tomas-hale",),
        tags=("Elections",),
        lead_image=art(
            "Columns of a ballot tally (illustration)",
            "Illustration: five tall columns in cream and yellow on a dark red background.",
            "Five candidates are standing to replace Marguerite Olsen.",
            "columns",
        ),
        body=(
            p(
                "Voters in Eddon Cross go to the polls a week on Thursday to replace "
                "Marguerite Olsen, who stood down from the Valley Assembly after fourteen "
                "years. Five candidates are standing."
            ),
            heading("The candidates"),
            heading("Rhys Calloway, Valley Labour", "h3"),
            p(
                "A former head teacher, Calloway promises to reopen the town's youth centre "
                "within a year, paid for by selling the empty council offices on Mill Street."
            ),
            heading("Nadia Faroukh, Progressive Alliance", "h3"),
            p(
                "A pharmacist, Faroukh wants a walk-in health clinic at the railway station, "
                "open in the evenings and at weekends."
            ),
            heading("George Penhallow, Independent", "h3"),
            p(
                "A farmer from the edge of town, Penhallow is standing to stop the planned "
                "warehouse park on the Eddon water meadows."
            ),
            heading("Lena Marsh, Green Valley", "h3"),
            p("Marsh promises free insulation for every home in the town built before 1950."),
            heading("Peter Anand, Liberal Reform", "h3"),
            p("Anand would cap town-centre parking charges at £1 an hour."),
            quote(
                "By-elections in the valley are usually decided by turnout, and turnout is "
                "usually decided by the weather.",
                "Kirsty MacLeod, who runs the polling firm Valley Insights",
            ),
            fact_box(
                "How to vote",
                "Polling stations are open from 7am to 10pm.",
                "You need photo ID to vote in person.",
                "Postal votes must arrive by the close of poll.",
                "The count is overnight at Eddon Cross leisure centre.",
            ),
        ),
    ),
    Story(
        slug="ashwick-mayor-harbour-contract",
        section="politics",
        title="Ashwick mayor faces questions over the harbour redevelopment contract",
        standfirst=(
            "Documents show the winning bid scored lower on affordable homes than a rival, "
            "and was chosen after the council changed its scoring late in the process."
        ),
        age=ago(hours=40),
        authors=("tomas-hale", "callum-reyes"),
        tags=("Ashwick", "Housing", "Public money"),
        lead_image=art(
            "Warehouses on the old harbour (illustration)",
            "Illustration: a row of block-shaped warehouses in cream against a deep red "
            "evening sky.",
            "The harbour warehouses have stood empty for fifteen years.",
            "skyline",
        ),
        body=(
            p(
                "Ashwick's mayor, Simone Brandt, will appear before the council's scrutiny "
                "committee next week to answer questions about how a £60 million contract "
                "to redevelop the old harbour warehouses was awarded."
            ),
            p(
                "Documents seen by the Courier show that the winning bid, from the developer "
                "Quayside Partnership, scored lower on affordable housing than one of the "
                "two rival bids, but was chosen after the council changed how it weighed the "
                "criteria late in the process."
            ),
            quote(
                "I want to see the reasoning, in writing, for every change made to the "
                "scoring after the bids came in. If it was all above board, that should not "
                "be hard.",
                "Councillor Owen Pritchard, chair of the scrutiny committee",
            ),
            p(
                "The mayor's office said the scoring had been revised on the advice of "
                "outside consultants to give more weight to “deliverability”, and that the "
                "chosen scheme was the only one with its funding in place."
            ),
            quote(
                "The harbour has been empty for fifteen years. I make no apology for "
                "choosing the plan that will actually get built.",
                "Simone Brandt, mayor of Ashwick",
            ),
            heading("What the scheme includes"),
            bullets(
                "420 homes, 84 of them let at social rents",
                "A public quayside walk from the ferry terminal to the rope works",
                "Workshops and a covered market in the two listed warehouses",
                "Building in three phases over seven years",
            ),
            p(
                "Residents' groups on the harbour estate have asked for the full scoring "
                "sheets to be published before the committee meets."
            ),
            related("planning-rules-brownfield-homes"),
        ),
    ),
    Story(
        slug="assembly-budget-rural-buses",
        section="politics",
        title="Valley Assembly passes its budget after a late deal saves rural buses",
        standfirst=(
            "Independents win two more years for eleven village routes in exchange for "
            "their votes. Housing gets the biggest rise, health the most money."
        ),
        age=ago(hours=5),
        authors=("tomas-hale",),
        tags=("Public money", "Transport"),
        lead_image=art(
            "Budget lines as a chart (illustration)",
            "Illustration: cream and yellow bars of different heights on dark red, labelled 1.9bn.",
            "The Assembly approved the budget by 29 votes to 22.",
            "bars",
            label="1.9bn",
        ),
        body=(
            p(
                "The Valley Assembly approved next year's budget on Wednesday night by 29 "
                "votes to 22, after the governing group agreed a last-minute deal with "
                "independent members to keep eleven rural bus routes running for two more "
                "years."
            ),
            p(
                "The £1.9 billion budget had been expected to pass comfortably until Monday, "
                "when four independents said they would vote against it unless money was "
                "found for the routes, which serve villages between Fallowby and the upper "
                "valley."
            ),
            quote(
                "For some of my constituents, the 7.40 from Marrow Hill is the only way to "
                "get to a hospital appointment, a job or a college. That is not a luxury.",
                "Harriet Solberg, independent member for the Upper Valley",
            ),
            p(
                "The deal moves £3.2 million from a road resurfacing fund into bus subsidies. "
                "The Assembly's finance lead, Daniel Achterberg, said the roads would still be "
                "repaired “in a sensible order”."
            ),
            heading("Where the money goes"),
            table(
                "Valley Assembly budget by area",
                ("Area", "This year", "Next year", "Change"),
                ("Health and care", "£742m", "£781m", "+5.3%"),
                ("Schools and colleges", "£516m", "£529m", "+2.5%"),
                ("Transport", "£188m", "£194m", "+3.2%"),
                ("Housing", "£97m", "£112m", "+15.5%"),
                ("Everything else", "£301m", "£284m", "−5.6%"),
            ),
            quote(
                "This budget protects the services people rely on most, and I am glad we "
                "found a way to keep the buses running.",
                "Daniel Achterberg, the Assembly's finance lead",
            ),
            p(
                "Opposition members called the rise in the housing budget “too little, too "
                "late” and voted against the package."
            ),
            related(
                "rural-bus-routes-at-risk",
                "Background: Rural bus routes at risk as the operators' subsidy runs out",
            ),
        ),
    ),
)
