"""Reader-facing forms."""

from urllib.parse import urlencode

from django import forms
from taggit.models import Tag

from authors.models import Author
from cms.visibility import visible_snippets

from .search import MAX_QUERY_LENGTH, ORDER_DATE, ORDER_RELEVANCE


class SearchForm(forms.Form):
    """The search page's parameters. Anything a reader can type is checked here,
    so a bad value gives a message, never a server error."""

    q = forms.CharField(label="Search for", required=False, max_length=MAX_QUERY_LENGTH)
    section = forms.ChoiceField(label="Section", required=False)
    author = forms.SlugField(required=False, allow_unicode=True, max_length=120)
    tag = forms.SlugField(required=False, allow_unicode=True, max_length=100)
    order = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(ORDER_RELEVANCE, "Best match"), (ORDER_DATE, "Newest first")],
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {section.slug: section for section in sections}
        self.fields["section"].choices = [("", "All sections")] + [
            (section.slug, section.title) for section in sections
        ]

    def clean_section(self):
        slug = self.cleaned_data["section"]
        return self.sections[slug] if slug else None

    def clean_author(self):
        slug = self.cleaned_data["author"]
        if not slug:
            return None
        author = visible_snippets(Author.objects.filter(slug=slug)).first()
        if author is None:
            raise forms.ValidationError("There is no author at this address.")
        return author

    def clean_tag(self):
        slug = self.cleaned_data["tag"]
        if not slug:
            return None
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise forms.ValidationError("There is no tag at this address.")
        return tag

    def clean_order(self):
        return self.cleaned_data["order"] or ORDER_RELEVANCE

    def query_string(self):
        """The valid parameters as a query string, for pagination links."""
        data = self.cleaned_data
        params = {
            "q": data.get("q"),
            "section": data["section"].slug if data.get("section") else "",
            "author": data["author"].slug if data.get("author") else "",
            "tag": data["tag"].slug if data.get("tag") else "",
            "order": data.get("order") if data.get("order") != ORDER_RELEVANCE else "",
        }
        return urlencode({key: value for key, value in params.items() if value})
