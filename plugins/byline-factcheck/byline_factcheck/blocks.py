from typing_extensions import TypedDict
from wagtail import blocks

RATINGS = [
    ("true", "True"),
    ("mostly_true", "Mostly true"),
    ("mixed", "Half true"),
    ("mostly_false", "Mostly false"),
    ("false", "False"),
]


class FactCheckValue(blocks.StructValue):
    @property
    def rating_label(self):
        return dict(RATINGS).get(self.get("rating"), "Unrated")

    @property
    def css_class(self):
        return f"fact-check fact-check--{(self.get('rating') or 'unrated').replace('_', '-')}"


class FactCheckBlock(blocks.StructBlock):
    claim = blocks.TextBlock(help_text="The claim, as made.")
    claimant = blocks.CharBlock(required=False, help_text="Who made it.")
    rating = blocks.ChoiceBlock(choices=RATINGS)
    explanation = blocks.TextBlock(help_text="What the evidence shows.")
    source_url = blocks.URLBlock(required=False)

    class Meta:
        icon = "tick-inverse"
        template = "byline_factcheck/fact_check_block.html"
        value_class = FactCheckValue
        description = "A claim and our rating of it."
        preview_value = {
            "claim": "The bridge carries more lorries than cars.",
            "rating": "false",
            "explanation": "Council counts show cars outnumber lorries nine to one.",
        }

    def get_api_representation(self, value, context=None):
        return {
            "claim": value.get("claim"),
            "claimant": value.get("claimant") or None,
            "rating": value.get("rating"),
            "rating_label": value.rating_label,
            "explanation": value.get("explanation"),
            "source_url": value.get("source_url") or None,
        }


def fact_check_count(article):
    """How many fact-check blocks the body holds, read from its stored form: the blocks'
    images and links are not loaded (a kept body is not parsed at all)."""
    return sum(1 for block in article.body.raw_data if block.get("type") == "fact_check")


def fact_checks_of(article):
    """The fact-check blocks of an article's body, in order (no queries)."""
    return [block.value for block in article.body if block.block_type == "fact_check"]


class FactCheckSummary(TypedDict):
    claim: str
    rating: str
    rating_label: str


def fact_check_summaries(article):
    """API field value: each rated claim of the article, in body order."""
    return [
        {
            "claim": value.get("claim"),
            "rating": value.get("rating"),
            "rating_label": value.rating_label,
        }
        for value in fact_checks_of(article)
    ]
