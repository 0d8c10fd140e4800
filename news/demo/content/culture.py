"""Culture desk stories. Books, films, bands and people are invented."""

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
from .sections import CULTURE

art = illustrator(CULTURE)


STORIES = (
    Story(
        slug="interview-novelist-number-42-bus",
        section="culture",
        title="Interview: the novelist who wrote a chapter for every stop on the 42",
        standfirst=(
            "Anwen Harcourt has taken the same bus to work for twenty years. Her new novel "
            "gives a voice to a different passenger at each of its 38 stops."
        ),
        age=ago(days=18, hours=6),
        authors=("femi-adeyemi",),
        tags=("Books", "Transport"),
        lead_image=art(
            "A bus route with 38 stops (illustration)",
            "Illustration: an orange line looping across a plum background, dotted with "
            "cream circles for stops.",
            "Request Stop follows the number 42 from Fallowby to Ashwick.",
            "route",
            label="42",
        ),
        body=(
            p(
                "Anwen Harcourt has taken the number 42 bus from Fallowby to Ashwick on most "
                "weekdays for twenty years. Her new novel, <i>Request Stop</i>, has 38 "
                "chapters, one for each stop on the route, and each is told by a different "
                "passenger."
            ),
            quote(
                "You see the same faces for years and never speak to them. I started "
                "inventing lives for them, then I felt guilty, so I started asking. Most "
                "people were delighted to be asked.",
                "Anwen Harcourt",
            ),
            p(
                "The book moves through a single day, from the cleaners on the first bus "
                "before six to the students on the last one home, and the stories overlap in "
                "ways the passengers never notice."
            ),
            heading("A novel in 38 stops"),
            p(
                "Harcourt, who works as a school librarian, wrote most of it on the bus, in "
                "pencil, in notebooks she kept in her coat pocket."
            ),
            quote(
                "The driver is the only character who appears in every chapter, and he never "
                "says a word. That was the hardest thing I have ever written.",
                "Anwen Harcourt",
            ),
            pull_quote("You see the same faces for years and never speak to them."),
            fact_box(
                "Request Stop",
                "Published by Lowmere Press, £14.99",
                "Reading and signing at Ashwick Central Library next month",
            ),
        ),
    ),
    Story(
        slug="shipwrights-diary-found-in-wall",
        section="culture",
        title="A shipwright's diary found in a wall rewrites the story of the strike",
        standfirst=(
            "Builders found the notebook wrapped in oilcloth in a bricked-up fireplace. "
            "It is the first account of the 1860s shipyard strike by a man who joined it."
        ),
        age=ago(days=14, hours=3),
        authors=("femi-adeyemi", "callum-reyes"),
        tags=("Heritage", "Books", "Ashwick"),
        lead_image=art(
            "Stacked pages of an old notebook (illustration)",
            "Illustration: overlapping cream rectangles like pages, tilted on a plum background.",
            "The diary covers four years in the life of a Calder yard shipwright.",
            "pages",
        ),
        body=(
            p(
                "Builders renovating a terraced house on Calder Street in Ashwick found a "
                "leather-bound diary wrapped in oilcloth inside a bricked-up fireplace, and "
                "historians say it is the first first-hand account of the shipyard strike of "
                "the 1860s by someone who took part."
            ),
            p(
                "The diary belonged to Josiah Penrose, a shipwright at the Calder yard, and "
                "covers four years of his life, including the eleven weeks of the strike."
            ),
            quote(
                "Every history of the strike we have is written from the owners' side, from "
                "their letters and their accounts. This is the first time we hear a worker, "
                "in his own words, deciding whether to walk out.",
                "Dr Amara Lindgren, curator of maritime history at the Ashwick Museum",
            ),
            quote(
                "Went to the meeting at the Anchor. Said nothing, but put my hand up with the "
                "rest. Mary says we shall manage. I hope she is right.",
                "Josiah Penrose",
                "diary entry for a Tuesday in March",
            ),
            figure(
                art(
                    "Pages from the shipwright's diary (illustration)",
                    "Illustration: cream pages fanned out over an orange and plum background.",
                    "The diary will go on display at the Ashwick Museum in the spring.",
                    "pages",
                ),
                alignment="left",
            ),
            p(
                "The homeowners, Sam and Priti Delaney, have lent the diary to the museum, "
                "which is transcribing it and will publish the full text online."
            ),
            quote(
                "We thought it was a bundle of rags. Then a page fell open and there was "
                "this beautiful handwriting.",
                "Priti Delaney",
            ),
        ),
    ),
    Story(
        slug="harbour-festival-line-up",
        section="culture",
        title="Harbour Festival line-up puts local bands ahead of the headliners",
        standfirst=(
            "For the first time, bands from the valley will take the main stage after "
            "dark, and tickets for under-18s drop to £5."
        ),
        age=ago(days=9, hours=2),
        authors=("femi-adeyemi",),
        tags=("Music", "Ashwick"),
        lead_image=art(
            "Stage lights over the quayside (illustration)",
            "Illustration: beams of orange and cream light fanning up from a stage into a "
            "plum night sky.",
            "The festival runs over two days on the quayside.",
            "stage",
        ),
        body=(
            p(
                "The Ashwick Harbour Festival has announced a line-up in which, for the "
                "first time, bands from the valley will play the main stage in the evening "
                "slots usually given to touring headliners."
            ),
            quote(
                "We kept being asked why the bands people actually queue to see on a Friday "
                "night in Ashwick were playing at three in the afternoon. We didn't have a "
                "good answer.",
                "Marcus Boateng, the festival's programmer",
            ),
            heading("Highlights"),
            bullets(
                "The Tidewaiters, Saltmere's five-piece folk band, closing Friday night",
                "Northgate Youth Brass, opening Saturday with music written for the quayside",
                "Lowen Sound System, running the late tent on both nights",
                "Singer-songwriter Orla Finch, launching her second album",
            ),
            p(
                "The festival has cut ticket prices for under-18s and will run a free shuttle "
                "bus from Fallowby and Eddon Cross on both days."
            ),
            quote(
                "Playing the main stage in your home town, after dark, with the ferry lights "
                "behind you: I'm going to cry, and I'm fine with that.",
                "Orla Finch",
            ),
            fact_box(
                "Harbour Festival",
                "Two days on the quayside, last weekend of next month",
                "Day tickets £28, weekend £48, under-18s £5",
                "Free shuttle buses from Fallowby and Eddon Cross",
            ),
        ),
    ),
    Story(
        slug="valley-libraries-lending-record",
        section="culture",
        title="Valley libraries lend more books than at any time in a decade",
        standfirst=(
            "Children's books and e-books lead the rise, despite a smaller budget for "
            "buying them. The mobile library's new stops are its busiest."
        ),
        age=ago(days=7, hours=5),
        authors=("callum-reyes", "maren-ekdahl"),
        tags=("Books", "Education", "Lowmere valley"),
        lead_image=art(
            "Shelves of books as coloured blocks (illustration)",
            "Illustration: rows of upright orange, cream and plum rectangles like books on "
            "shelves, labelled 1.46m.",
            "Libraries in the valley lent 1.46 million books last year.",
            "pages",
            label="1.46m",
        ),
        body=(
            p(
                "Public libraries in the Lowmere valley lent 1.46 million books last year, "
                "the highest number in ten years, with the biggest increases in children's "
                "books and in e-books borrowed through the libraries' app."
            ),
            table(
                "Loans by library last year",
                ("Library", "Loans", "Change on the year before"),
                ("Ashwick Central", "512,000", "+9%"),
                ("Port Lowen", "214,000", "+12%"),
                ("Eddon Cross", "168,000", "+6%"),
                ("Saltmere", "97,000", "+15%"),
                ("Mobile library", "61,000", "+21%"),
                ("E-books and audiobooks", "408,000", "+18%"),
            ),
            quote(
                "People assumed libraries would fade away once everyone had a phone. What "
                "happened is that people use their phones to borrow from the library.",
                "Hannah Lewis-Obi, head of library services for Harrowdale County",
            ),
            p(
                "Ashwick Central now opens until eight on weekdays, and the mobile library "
                "added stops at Marrow Hill and Cleve, which lost their branch libraries ten "
                "years ago."
            ),
            quote(
                "Mine read more than I do now. We come every Saturday and they each choose five.",
                "Sadia Karim, with her two children at Saltmere library",
            ),
            heading("Most borrowed last year", "h3"),
            bullets(
                "“The Lighthouse Keeper's Cat”, a picture book by a Saltmere illustrator",
                "“Low Water”, a crime novel set in Port Lowen",
                "“Grow Your Own in a Windy Garden”",
                "“A Short History of the Northern Waters”",
            ),
            p(
                "The rise comes despite a six per cent cut in the book-buying budget over "
                "three years, which the county says it will review in the spring."
            ),
        ),
    ),
    Story(
        slug="review-the-salt-road",
        section="culture",
        title="Review: The Salt Road is a patient, luminous film about leaving home",
        standfirst=(
            "Sigrun Dahl's first feature follows a salt-maker to the orchards of the "
            "Saltreach Federation, and trusts its audience all the way."
        ),
        age=ago(days=3, hours=2),
        authors=("femi-adeyemi",),
        tags=("Film", "Migration"),
        lead_image=art(
            "A road across hills at dusk (illustration)",
            "Illustration: layered orange and plum hills at dusk, with the rating 4/5.",
            "The Salt Road is showing at the Harbour Picturehouse until the end of the month.",
            "hills",
            label="4/5",
        ),
        body=(
            p(
                "Some films announce their importance from the first frame. <i>The Salt "
                "Road</i>, the first feature by the Estmark director Sigrun Dahl, does the "
                "opposite: it opens on a woman packing a suitcase, slowly, and lets you "
                "wonder for ten minutes why she is leaving."
            ),
            p(
                "She is Agnete (Liv Aamodt), a salt-maker on a windswept island who takes a "
                "season's work picking fruit in the Saltreach Federation after a storm ruins "
                "her family's pans. The film follows her from the first frost to the last "
                "apple."
            ),
            p(
                "Dahl spent years making documentaries, and she films the orchards and the "
                "dormitories with the same unhurried attention she gives the salt pans. The "
                "result is a film of small discoveries: a borrowed coat, a phone call cut "
                "short, a song sung in three languages at once."
            ),
            quote(
                "I wanted to make a film about the people who feed a continent and are "
                "invisible to it. But I did not want to make a film that tells you what to "
                "feel.",
                "Sigrun Dahl",
                "after the screening at the Harbour Picturehouse",
            ),
            p(
                "Not everything works. A subplot about a foreman's debts feels borrowed from "
                "a more conventional film, and the last ten minutes explain what the previous "
                "hundred had already shown. But Aamodt, in almost every shot, is remarkable."
            ),
            fact_box(
                "The Salt Road",
                "Director: Sigrun Dahl",
                "Starring: Liv Aamodt, Tobias Renn",
                "Running time: 1 hour 52 minutes",
                "At the Harbour Picturehouse, Ashwick, until the end of the month",
                "Our rating: four stars out of five",
            ),
            related(
                "saltreach-seasonal-workers-border",
                "Background: Saltreach Federation reopens its borders to seasonal workers",
            ),
        ),
    ),
    Story(
        slug="rope-works-reopens",
        section="culture",
        title="Ashwick's old rope works reopens as a home for makers and musicians",
        standfirst=(
            "After six years of restoration paid for by 1,100 shareholders, the 240-metre "
            "building on Tarry Lane has workshops, a studio and a concert hall."
        ),
        age=ago(hours=26),
        authors=("femi-adeyemi",),
        tags=("Ashwick", "Heritage", "Music"),
        lead_image=art(
            "The long brick rope walk (illustration)",
            "Illustration: a row of tall orange and cream columns receding along a plum "
            "background.",
            "The rope works had stood empty since the 1980s.",
            "columns",
        ),
        body=(
            p(
                "The long brick building on Tarry Lane where Ashwick's ships once got their "
                "rigging reopened on Saturday as workshops and a concert hall, after a "
                "six-year restoration paid for by a community share offer and a heritage "
                "grant."
            ),
            p(
                "The rope works, 240 metres long so that rope could be laid in a single "
                "length, had stood empty since the 1980s. It now holds sixteen workshops, a "
                "recording studio and a performance space at the far end, where the rope "
                "walk once turned."
            ),
            quote(
                "We kept the floor. You can still see the grooves where the carts ran for a "
                "hundred years, and we made the builders promise not to sand them away.",
                "Ruth Okonjo, chair of the Rope Works Community Trust",
            ),
            figure(
                art(
                    "Stage lights at the end of the rope walk (illustration)",
                    "Illustration: fans of cream and orange light rising from a low stage "
                    "into a plum darkness.",
                    "The performance space at the far end of the rope walk seats 180.",
                    "stage",
                ),
                alignment="wide",
            ),
            p(
                "More than 1,100 people bought shares at £50 each. The workshops are let at "
                "below-market rents to a boatbuilder, two potters, a bicycle repairer and a "
                "bookbinder, among others."
            ),
            quote(
                "The acoustics are strange and wonderful. The room is so long that the sound "
                "just keeps going, and you have to play into it rather than against it.",
                "Elena Rusk, cellist with the Lowmere Chamber Players",
            ),
            pull_quote("The room is so long that the sound just keeps going.", "Elena Rusk"),
            related(
                "shipwrights-diary-found-in-wall",
                "More from the harbour's history: a shipwright's diary found in a wall",
            ),
        ),
    ),
)
