"""The Courier's journalists. Every address is on a reserved .example domain."""

from ..spec import ProfileLink, Writer

WRITERS = (
    Writer(
        slug="ines-varga",
        name="Ines Varga",
        role="Editor of the world desk",
        short_bio=(
            "Ines has reported from eleven countries around the Northern Waters and "
            "now runs the Courier's world desk from the harbour office."
        ),
        long_bio=(
            "<p>Ines Varga joined the Courier as a shipping reporter and spent six years "
            "as its correspondent in Estmark, covering two elections, the long fishing "
            "dispute and the ferry strike that shut the crossing for a summer.</p>"
            "<p>She studied languages in Port Lowen and speaks four of them badly enough "
            "to be trusted by harbour masters. She edits the world desk and writes about "
            "trade, migration and the sea.</p>"
        ),
        email="ines.varga@courier.example",
        colour="#1f7a8c",
        links=(
            ProfileLink("mastodon", "https://social.courier.example/@ines"),
            ProfileLink("website", "https://inesvarga.example"),
        ),
    ),
    Writer(
        slug="tomas-hale",
        name="Tomas Hale",
        role="Political correspondent",
        short_bio=(
            "Tomas has covered the Valley Assembly since it first sat, and reads "
            "budget documents so that you don't have to."
        ),
        long_bio=(
            "<p>Tomas Hale began on the council beat in Eddon Cross, where he learned "
            "that the most important item on any agenda is the one listed last. He has "
            "followed the Valley Assembly from its first session and has interviewed "
            "every one of its presiding officers.</p>"
            "<p>He writes a weekly column, <i>The Gallery</i>, and keeps a spreadsheet of "
            "every promise made at the last election.</p>"
        ),
        email="tomas.hale@courier.example",
        colour="#8c2f39",
        links=(
            ProfileLink("bluesky", "https://bsky.app/profile/tomashale.courier.example"),
            ProfileLink("website", "https://thegallery.example"),
        ),
    ),
    Writer(
        slug="priya-castellane",
        name="Priya Castellane",
        role="Editor of the science desk",
        short_bio=(
            "Priya trained as a marine biologist before turning to journalism. She "
            "edits the science desk and writes about health, climate and the sea."
        ),
        long_bio=(
            "<p>Priya Castellane spent five years counting seagrass shoots in the "
            "Lowmere estuary for her doctorate before deciding she preferred explaining "
            "research to doing it. She joined the Courier in its first digital year.</p>"
            "<p>She has won the regional press award for science writing twice, and runs "
            "the desk's policy of linking to every study it reports on.</p>"
        ),
        email="priya.castellane@courier.example",
        colour="#2a9d8f",
        links=(
            ProfileLink("mastodon", "https://scholar.social.example/@pcastellane"),
            ProfileLink("bluesky", "https://bsky.app/profile/priya.courier.example"),
        ),
    ),
    Writer(
        slug="femi-adeyemi",
        name="Femi Adeyemi",
        role="Arts and culture critic",
        short_bio=(
            "Femi reviews films, books and concerts for the Courier and hosts its "
            "monthly book club at the Ashwick central library."
        ),
        long_bio=(
            "<p>Femi Adeyemi grew up above a record shop in Saltmere and has been "
            "writing about music since his school newspaper let him. He joined the "
            "Courier's culture desk after a decade as a freelance critic.</p>"
            "<p>He judges the Valley Short Story Prize and is writing a history of the "
            "harbour's dance halls.</p>"
        ),
        email="femi.adeyemi@courier.example",
        colour="#c8553d",
        links=(
            ProfileLink("bluesky", "https://bsky.app/profile/femi.courier.example"),
            ProfileLink("website", "https://femiadeyemi.example"),
        ),
    ),
    Writer(
        slug="maren-ekdahl",
        name="Maren Ekdahl",
        role="Data and graphics editor",
        short_bio=(
            "Maren turns spreadsheets into stories and draws most of the charts and "
            "maps you see in the Courier."
        ),
        long_bio=(
            "<p>Maren Ekdahl worked as a statistician for the regional health board "
            "before joining the Courier to build its data desk. She makes the graphics, "
            "checks the numbers in other people's stories and publishes the data behind "
            "her own.</p>"
            "<p>She teaches an evening class in data journalism at Ashwick College.</p>"
        ),
        email="maren.ekdahl@courier.example",
        colour="#6a4c93",
        links=(
            ProfileLink("mastodon", "https://social.courier.example/@maren"),
            ProfileLink("website", "https://data.courier.example"),
        ),
    ),
    Writer(
        slug="callum-reyes",
        name="Callum Reyes",
        role="Reporter, Ashwick and the valley",
        short_bio=(
            "Callum covers Ashwick and the towns of the Lowmere valley: transport, "
            "housing, schools and anything that floods."
        ),
        long_bio=(
            "<p>Callum Reyes grew up in Fallowby and still takes the 42 bus to work. "
            "He joined the Courier as a trainee and now reports on the valley's towns, "
            "from parish councils to the harbour board.</p>"
            "<p>Send him your bus timetables, your planning notices and your flood "
            "photographs.</p>"
        ),
        email="callum.reyes@courier.example",
        colour="#e07a5f",
        links=(ProfileLink("bluesky", "https://bsky.app/profile/callum.courier.example"),),
    ),
)
