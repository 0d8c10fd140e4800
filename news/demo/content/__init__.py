"""The curated demo site: every word written for this project.

`STORIES` is ordered oldest first, so a related-article link can always point
at a story that was built before it.
"""

from . import culture, politics, science, world
from .people import WRITERS
from .sections import SECTIONS

SITE_TAGLINE = "Independent news from the Lowmere valley and the world beyond it."
LEAD_STORY_SLUG = "estmark-meridian-fishing-truce"

STORIES = tuple(
    sorted(
        world.STORIES + politics.STORIES + science.STORIES + culture.STORIES,
        key=lambda story: story.age,
        reverse=True,
    )
)

# Every tag the demo uses; synthetic articles draw on the same vocabulary.
TAG_VOCABULARY = tuple(sorted({name for story in STORIES for name in story.tags}))

__all__ = ["LEAD_STORY_SLUG", "SECTIONS", "SITE_TAGLINE", "STORIES", "TAG_VOCABULARY", "WRITERS"]
