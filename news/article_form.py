"""The article editor's form: what an article needs before readers see it.

Publishing (and submitting for review, or approving, which lead there) asks
for a complete article; "Save draft" keeps whatever the editor has so far
(Wagtail defers required-field checks for it, `is_deferred_validation`).
Every message names the field and says what to do about it.

The rules live in the admin form rather than `ArticlePage.clean()`: imports,
API drafts and the tests' factories build articles outside the editor, and
`clean()` cannot tell a draft from a publication.
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

# Long enough for two sentences; a standfirst is cut after about this many
# characters on listing cards and by search engines (news.seo.DESCRIPTION_LENGTH
# is 200), so more is lost on readers. Drafts may run longer (the model's own
# limit, 400) while the editor trims.
STANDFIRST_MAX_LENGTH = 300

NO_AUTHOR = (
    "Add at least one author before publishing: choose “Add author” and pick who wrote "
    "the story. Save a draft if you do not know yet."
)
NO_ALT_TEXT = (
    "Describe the lead image for readers who cannot see it: write the alt text here, or "
    "add it to the image in the Images library, before publishing."
)
STANDFIRST_TOO_LONG = (
    "The standfirst is {length} characters long; cut it to {limit} or fewer before "
    "publishing, so that listings and search results show it whole."
)


class ArticleAdminForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        if not self.is_deferred_validation:
            self._check_standfirst(cleaned_data)
            self._check_lead_image_alt(cleaned_data)
            self._check_authors()
        return cleaned_data

    def _check_standfirst(self, cleaned_data):
        standfirst = (cleaned_data.get("standfirst") or "").strip()
        if len(standfirst) > STANDFIRST_MAX_LENGTH:
            self.add_error(
                "standfirst",
                STANDFIRST_TOO_LONG.format(length=len(standfirst), limit=STANDFIRST_MAX_LENGTH),
            )

    def _check_lead_image_alt(self, cleaned_data):
        image = cleaned_data.get("lead_image")
        if image is None or "lead_image_alt" not in self.fields:
            return
        own_alt = (cleaned_data.get("lead_image_alt") or "").strip()
        library_alt = (getattr(image, "description", "") or "").strip()
        if not own_alt and not library_alt:
            self.add_error("lead_image_alt", NO_ALT_TEXT)

    def _check_authors(self):
        bylines = self.formsets.get("article_authors")
        if bylines is None or not bylines.is_valid():
            return  # the rows report their own errors
        named = [
            form
            for form in bylines.forms
            if not bylines._should_delete_form(form) and form.cleaned_data.get("author")
        ]
        if not named:
            bylines.non_form_errors().append(forms.ValidationError(NO_AUTHOR))


def publication_problems(article):
    """What stops `article` (a page object, e.g. a draft from its latest revision)
    from being published, in the editor's messages; empty if nothing does."""
    problems = []
    if len((article.standfirst or "").strip()) > STANDFIRST_MAX_LENGTH:
        problems.append(
            STANDFIRST_TOO_LONG.format(
                length=len(article.standfirst.strip()), limit=STANDFIRST_MAX_LENGTH
            )
        )
    image = article.lead_image
    if image is not None and not article.lead_image_alt.strip() and not image.description:
        problems.append(NO_ALT_TEXT)
    if not any(byline.author_id for byline in article.article_authors.all()):
        problems.append(NO_AUTHOR)
    return problems
