"""The reader's comment form: the same validation for the page form and the API."""

from django import forms

from .models import Comment, CommentStatus
from .text import has_visible_text, is_web_url, strip_bidi_controls
from .tokens import InvalidFormToken, read_form_token

MAX_BODY_LENGTH = 5000
MAX_ID = 2**31 - 1  # larger ids are not ours, and overflow SQLite's integers


class CommentForm(forms.Form):
    author_name = forms.CharField(
        label="Name",
        max_length=100,
        error_messages={
            "required": "Please give your name (it is shown with your comment).",
            "max_length": "Please keep your name under 100 characters.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    author_email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Never published or shown to other readers.",
        error_messages={
            "required": "Please give your email address; it is never published.",
            "invalid": "Please give a valid email address, like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    author_url = forms.URLField(
        label="Website",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Please give a full web address, like https://example.com."},
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    body = forms.CharField(
        label="Comment",
        max_length=MAX_BODY_LENGTH,
        error_messages={
            "required": "Please write your comment.",
            "max_length": f"Please keep your comment under {MAX_BODY_LENGTH:,} characters "
            "(it has %(show_value)d).",
        },
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # The honeypot: hidden from people by CSS, filled in by form-filling scripts.
    homepage_url = forms.CharField(
        label="Leave this field empty",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, article, settings, origin="", token_max_age=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.settings = settings
        self.origin = origin
        self.token_max_age = token_max_age
        self.form_issued_at = None
        self.parent_comment = None

    def clean_form_token(self):
        token = self.cleaned_data.get("form_token")
        kwargs = {"max_age": self.token_max_age} if self.token_max_age else {}
        try:
            self.form_issued_at = read_form_token(token, self.article.pk, self.origin, **kwargs)
        except InvalidFormToken as exc:
            raise forms.ValidationError(
                f"{exc} Your comment is kept below: please send it again.", code="form_token"
            ) from exc
        return token

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.filter(
                pk=parent_id, article_id=self.article.pk, status=CommentStatus.APPROVED
            )
            .only("pk", "depth", "author_name", "article_id")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not available any more.", code="parent"
            )
        if parent.depth + 1 >= max(1, self.settings.max_depth):
            raise forms.ValidationError(
                f"Replies nest at most {self.settings.max_depth} levels deep: please reply "
                "to an earlier comment in this thread.",
                code="depth",
            )
        self.parent_comment = parent
        return parent_id

    def clean_author_name(self):
        # Direction overrides are dropped (they could reorder what is shown around
        # the name); a name of nothing visible would be an anonymous comment.
        name = strip_bidi_controls(self.cleaned_data.get("author_name") or "").strip()
        if not has_visible_text(name):
            raise forms.ValidationError(
                "Please give a name with visible letters (it is shown with your comment).",
                code="invisible",
            )
        return name

    def clean_author_url(self):
        url = self.cleaned_data.get("author_url") or ""
        if url and not is_web_url(url):
            raise forms.ValidationError(
                self.fields["author_url"].error_messages["invalid"], code="invalid"
            )
        return url

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body.strip()) < 2:
            raise forms.ValidationError("Please write a little more.", code="min_length")
        return body
