"""The paper's sections, in masthead order."""

from ..spec import Section

WORLD = ("#12355b", "#1f7a8c", "#e0c48a", "#f4f1ea")
POLITICS = ("#3d1f3b", "#8c2f39", "#f2c14e", "#f7f3e9")
SCIENCE = ("#0b3d2e", "#2a9d8f", "#e9c46a", "#edf6f9")
CULTURE = ("#2d1e40", "#c8553d", "#f28f3b", "#fdf0d5")

SECTIONS = (
    Section(
        slug="world",
        title="World",
        introduction=(
            "News from beyond the valley: our neighbours across the Northern Waters, "
            "the island states, and the decisions abroad that reach our harbour."
        ),
        palette=WORLD,
    ),
    Section(
        slug="politics",
        title="Politics",
        introduction=(
            "The Valley Assembly, Ashwick's council chamber and the ballot box: who "
            "decides, what they decided, and what it will cost you."
        ),
        palette=POLITICS,
    ),
    Section(
        slug="science",
        title="Science",
        introduction=(
            "Research from the estuary to the night sky, explained by reporters who "
            "read the papers and ask the awkward questions."
        ),
        palette=SCIENCE,
    ),
    Section(
        slug="culture",
        title="Culture",
        introduction=(
            "Films, books, music and the places that hold them: reviews, interviews "
            "and the valley's long memory."
        ),
        palette=CULTURE,
    ),
)
