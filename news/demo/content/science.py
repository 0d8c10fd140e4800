"""Science desk stories. Studies, institutions and researchers are invented."""

from ..spec import (
    Story,
    ago,
    bullets,
    fact_box,
    figure,
    heading,
    illustrator,
    numbered,
    p,
    pull_quote,
    quote,
    related,
    table,
)
from .sections import SCIENCE

art = illustrator(SCIENCE)


STORIES = (
    Story(
        slug="meridian-coral-bleaching-later",
        section="science",
        title="Why the Meridian Islands' coral is bleaching later than its neighbours'",
        standfirst=(
            "Cold water rising from a deep trench buys the reefs two or three weeks in a "
            "hot summer, researchers say. It may not be enough for long."
        ),
        age=ago(days=20, hours=2),
        corrections=(
            (
                "correction",
                ago(days=19, hours=5),
                "An earlier version of this article said the study covered 20 reef sites. "
                "It covered 30.",
            ),
        ),
        authors=("priya-castellane", "ines-varga"),
        tags=("Oceans", "Climate"),
        lead_image=art(
            "Rings of cool water around a reef (illustration)",
            "Illustration: concentric teal rings spreading over dark green water around a "
            "yellow centre.",
            "The study compared temperature records from 30 reef sites over eight summers.",
            "rings",
        ),
        body=(
            p(
                "Coral reefs around the Meridian Islands bleach weeks later each summer than "
                "reefs of the same species elsewhere in the region, and scientists think cold "
                "water welling up from a deep trench to the west is the reason."
            ),
            p(
                "A study by the islands' marine institute and Ashwick University compared "
                "temperature records from 30 reef sites over eight summers."
            ),
            quote(
                "It is as if these reefs have a fridge door left open next to them. The "
                "upwelling buys them two or three weeks in a bad summer, which can be the "
                "difference between recovery and death.",
                "Dr Tavita Moreau, marine ecologist at the Meridian Institute of Oceanography",
            ),
            p(
                "The researchers warn that the protection is not permanent. The upwelling "
                "has weakened in three of the last five summers, and the water it brings up "
                "is itself a little warmer than it was."
            ),
            fact_box(
                "What is coral bleaching?",
                "Corals get most of their food from algae living in their tissue.",
                "When water stays too warm for too long, the coral expels the algae and "
                "turns white.",
                "Bleached coral can recover if the water cools in time; if not, it starves.",
            ),
        ),
    ),
    Story(
        slug="heat-pump-trial-first-winter",
        section="science",
        title="Heat pumps: what the first winter of the valley's trial showed",
        standfirst=(
            "Two hundred homes used a third less energy on average, but old houses saved "
            "almost nothing. Installation, not the machine, made the difference."
        ),
        age=ago(days=16, hours=1),
        authors=("maren-ekdahl", "priya-castellane"),
        tags=("Energy", "Climate", "Housing"),
        lead_image=art(
            "A sun over rows of houses (illustration)",
            "Illustration: a large yellow circle with rays above teal and green bands.",
            "The trial homes range from new flats to Victorian terraces.",
            "sun",
        ),
        body=(
            p(
                "The 200 homes in the Lowmere valley's heat pump trial used, on average, "
                "about a third less energy to stay warm last winter than before their gas "
                "boilers were taken out, according to the first year's results."
            ),
            p(
                "But the savings varied widely, from more than half in well-insulated newer "
                "houses to almost nothing in some Victorian terraces, and the results suggest "
                "that how a heat pump is installed matters as much as the machine."
            ),
            heading("The numbers"),
            table(
                "First winter of the trial, by age of house",
                ("Built", "Homes", "Average efficiency", "Change in heating bills"),
                ("After 1990", "64", "3.6", "−31%"),
                ("1945 to 1990", "81", "3.1", "−18%"),
                ("Before 1945", "55", "2.4", "−4%"),
            ),
            p(
                "Efficiency here is the seasonal performance figure: the units of heat a "
                "pump delivers for each unit of electricity it uses. A figure of 3 means "
                "three units of heat for one of electricity."
            ),
            quote(
                "The heat pump is not the problem in the older homes. The radiators were "
                "sized for a boiler running at 70 degrees, and the pump works best at 45.",
                "Dr Ruth Abernethy, the engineer who runs the trial",
            ),
            heading("What made the biggest difference", "h3"),
            bullets(
                "Larger radiators in the coldest rooms",
                "Loft and wall insulation before the installation",
                "Leaving the system at a steady low temperature instead of switching it off",
                "Installers who came back after a month to adjust the settings",
            ),
            quote(
                "I was sceptical. The first fortnight was cold because I kept turning it off. "
                "Once I left it alone, the house was warmer than it has ever been.",
                "Derek Oyelaran, whose home in Eddon Cross is part of the trial",
            ),
        ),
    ),
    Story(
        slug="shorter-radiotherapy-trial",
        section="science",
        title="One week of radiotherapy works as well as three, hospital trial finds",
        standfirst=(
            "For patients in the upper valley, the shorter course means ten fewer trips to "
            "Ashwick. Specialists want to see the five-year results."
        ),
        age=ago(days=11, hours=4),
        authors=("priya-castellane",),
        tags=("Health",),
        lead_image=art(
            "Beams converging on a point (illustration)",
            "Illustration: teal rings and lines converging on a small yellow circle on a "
            "dark green background.",
            "The trial followed 640 patients treated at Ashwick General Hospital.",
            "rings",
        ),
        body=(
            p(
                "Patients treated for early breast cancer at Ashwick General Hospital did as "
                "well on a one-week course of radiotherapy as on the standard three-week "
                "course, according to results from a trial of 640 patients published on "
                "Thursday."
            ),
            p(
                "After three years the cancer had returned in the treated breast in 1.4 per "
                "cent of patients on the shorter course and 1.6 per cent on the longer one, "
                "a difference the researchers said was within the range of chance."
            ),
            quote(
                "For a patient who lives an hour and a half away in the upper valley, the "
                "difference between five trips and fifteen is enormous. It is time off work, "
                "it is petrol, it is childcare.",
                "Dr Keisha Morgan, consultant oncologist and the trial's chief investigator",
            ),
            heading("What the trial found"),
            table(
                "Results after three years",
                ("", "One-week course", "Three-week course"),
                ("Patients", "321", "319"),
                ("Cancer returned in the treated breast", "1.4%", "1.6%"),
                ("Moderate or marked skin changes", "9%", "11%"),
                ("Hospital visits for treatment", "5", "15"),
            ),
            p(
                "The hospital says it will offer the shorter course as standard to suitable "
                "patients from next month."
            ),
            quote(
                "Three years is encouraging but it is not the end of the story. We will want "
                "to see the five-year figures before we are certain.",
                "Professor Lars Nyberg, a cancer specialist who was not involved in the trial",
            ),
        ),
    ),
    Story(
        slug="kingsreach-astronomers-variable-star",
        section="science",
        title="Amateur astronomers in Kingsreach discover a new variable star",
        standfirst=(
            "Members of a club that meets in an old cricket pavilion spotted a star that "
            "dims every 3.7 days while they were looking for asteroids."
        ),
        age=ago(days=9, hours=8),
        authors=("priya-castellane",),
        tags=("Space",),
        lead_image=art(
            "A field of stars with one highlighted (illustration)",
            "Illustration: scattered pale dots on a dark green night sky, with one yellow "
            "star circled.",
            "The star's brightness rises and falls every 3.7 days.",
            "stars",
        ),
        body=(
            p(
                "A group of amateur astronomers who meet in a converted cricket pavilion in "
                "Kingsreach have discovered a star whose brightness rises and falls every 3.7 "
                "days. The finding has been confirmed and added to an international "
                "catalogue of variable stars."
            ),
            p(
                "Members of the Kingsreach Astronomical Society noticed the flicker while "
                "checking images from the club's 30-centimetre telescope for a project on "
                "asteroids."
            ),
            quote(
                "We were looking for something moving. What we found was something blinking, "
                "and at first we thought it was a fault in the camera.",
                "Bernadette Cole, the society's observing secretary",
            ),
            p(
                "Professional astronomers say the regular dip suggests an eclipsing binary: "
                "two stars orbiting each other, each passing in front of the other as seen "
                "from Earth."
            ),
            pull_quote(
                "We were looking for something moving. What we found was something blinking.",
                "Bernadette Cole",
            ),
            quote(
                "Amateurs find these because they are patient and look at the same patch of "
                "sky night after night. Professional telescopes are usually too busy.",
                "Dr Samir Haddad, astrophysicist at Ashwick University",
            ),
            p(
                "The society holds open evenings on the first Friday of each month, weather "
                "permitting."
            ),
        ),
    ),
    Story(
        slug="cheap-flood-sensor",
        section="science",
        title="University team builds a £40 sensor to warn villages of flash floods",
        standfirst=(
            "The official gauges watch the big rivers. Students have built cheap sensors "
            "for the small streams that flood kitchens in an hour."
        ),
        age=ago(days=5, hours=3),
        authors=("priya-castellane", "maren-ekdahl"),
        tags=("Climate", "Lowmere valley", "Education"),
        lead_image=art(
            "Ripples spreading from a sensor (illustration)",
            "Illustration: teal ripples spreading across dark green water from a small "
            "yellow dot, with the words 38 min.",
            "A pilot on Fallowby Beck has run since the autumn.",
            "rings",
            label="38 min",
        ),
        body=(
            p(
                "Engineers at Ashwick University have built a river-level sensor from parts "
                "costing about £40 that texts residents when water rises quickly, and want to "
                "install a hundred of them along the Lowmere's smaller tributaries."
            ),
            p(
                "Official gauges cost thousands of pounds each. There are six on the whole "
                "river system, and none on the streams that flooded Fallowby twice in the "
                "past three winters."
            ),
            quote(
                "The big rivers are well watched. It is the little becks that come up in an "
                "hour and go into people's kitchens, and nobody is measuring them.",
                "Professor Hamid Qureshi, who leads the project",
            ),
            heading("How it works"),
            numbered(
                "An ultrasonic sensor under a bridge measures the distance to the water "
                "every five minutes.",
                "A small solar panel keeps the battery charged.",
                "Readings travel over a low-power radio network to a receiver in the village hall.",
                "If the level rises faster than a set rate, subscribers get a text message.",
            ),
            quote(
                "The sensor texted me forty minutes before the water reached the road. I had "
                "the sandbags down and the car moved before the official warning came.",
                "Jo Hartley, who runs the post office in Fallowby",
            ),
            fact_box(
                "The Fallowby pilot in numbers",
                "12 sensors on 4 km of beck",
                "2 floods detected since October",
                "Average warning: 38 minutes before water reached a road",
                "Cost per sensor: about £40",
            ),
            p(
                "Readings from the pilot are published openly, and the team has asked parish "
                "councils along the valley to suggest where the next sensors should go."
            ),
        ),
    ),
    Story(
        slug="lowmere-seagrass-recovery",
        section="science",
        title="Seagrass in the Lowmere estuary is recovering faster than expected",
        standfirst=(
            "Meadows have grown by more than half in five years after an anchoring ban, "
            "cleaner water and 90,000 seeds planted by hand."
        ),
        age=ago(hours=9),
        authors=("priya-castellane",),
        tags=("Oceans", "Climate", "Lowmere valley"),
        lead_image=art(
            "Seagrass rising from the estuary bed (illustration)",
            "Illustration: wavy green and teal blades of seagrass rising through layers of "
            "dark water.",
            "The survey mapped 212 hectares of seagrass last summer.",
            "seagrass",
        ),
        body=(
            p(
                "Seagrass meadows in the Lowmere estuary have grown by more than half in five "
                "years, according to a survey published on Monday, one of the fastest "
                "recoveries recorded for the plant in northern waters."
            ),
            p(
                "Divers and drone pilots from Ashwick University's marine station mapped 212 "
                "hectares of seagrass last summer, compared with 138 hectares in the first "
                "full survey."
            ),
            quote(
                "When I started here, we used to joke that we were mapping a memory. Now we "
                "are mapping a meadow.",
                "Dr Eilidh Rourke, who leads the marine station's seagrass programme",
            ),
            heading("Why it is coming back"),
            p(
                "The researchers credit three changes: a ban on anchoring in the inner "
                "estuary, upgrades to two sewage works upstream that cut the nutrients "
                "feeding algae, and volunteers who have replanted more than 90,000 seeds by "
                "hand."
            ),
            table(
                "Seagrass in the Lowmere estuary (hectares)",
                ("Survey", "Inner estuary", "Outer estuary", "Total"),
                ("Five years ago", "51", "87", "138"),
                ("Three years ago", "68", "99", "167"),
                ("Last summer", "92", "120", "212"),
            ),
            figure(
                art(
                    "Seed bags on the mud at low tide (illustration)",
                    "Illustration: a grid of small yellow squares on a dark green and teal "
                    "background, like seed bags laid out on mud.",
                    "Volunteers plant seeds in hessian bags at low tide near Gull Point.",
                    "grid",
                ),
                alignment="right",
            ),
            quote(
                "Seagrass stores carbon, shelters young fish and calms the water at the "
                "shore. Every hectare we get back is doing three jobs at once.",
                "Tom Achebe, volunteer co-ordinator at the marine station",
            ),
            p(
                "The team warned that the recovery is fragile: one hot summer in the "
                "estuary's shallow water could undo years of growth."
            ),
            related(
                "meridian-coral-bleaching-later",
                "Also on the science desk: why the Meridian Islands' coral bleaches later",
            ),
        ),
    ),
)
