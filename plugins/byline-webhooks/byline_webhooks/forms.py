"""The endpoint form: an address we may send to, the events, and the secret shown for copying."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from cms.outbound import AddressRefused, FetchError, check_destination

from . import conf
from .models import Endpoint, EventType


def url_problem(url):
    """Why `url` cannot be a webhook endpoint, or "" if it can (DNS checked too)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "Enter a valid URL."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Enter an http:// or https:// address."
    if parts.username is not None or parts.password is not None:
        return (
            "Leave the user name and password out of the address: receivers check each "
            "request's signature instead."
        )
    try:
        check_destination(url, conf.fetch_limits())
    except AddressRefused as exc:
        return f"Webhooks cannot be sent to this address: {exc}."
    except FetchError as exc:
        if exc.reason == "timeout":
            return f"{parts.hostname} could not be looked up in time; please try again."
        return f"This address cannot be reached: {exc}."
    return ""


class ShownSecretField(forms.CharField):
    """Shows the endpoint's signing secret for copying; whatever the browser sends is ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"readonly": True, "autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        return initial

    def has_changed(self, initial, data):
        return False


class EndpointForm(WagtailAdminModelForm):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text=Endpoint._meta.get_field("url").help_text,
    )
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(EventType.values),
        error_messages={"required": "Choose at least one event to send."},
        help_text="Each event is sent as a signed JSON POST.",
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "active", "events"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["signing_secret"] = ShownSecretField(
                label="Signing secret",
                initial=self.instance.secret,
                help_text="Give this to the receiver: it verifies each request's "
                "webhook-signature with it (Standard Webhooks). “Rotate secret” in the "
                "actions menu replaces it.",
            )

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem:
            raise ValidationError(problem)
        return url

    def clean_events(self):
        # Stored in the order of EventType, whatever order the browser sent.
        chosen = set(self.cleaned_data["events"])
        return [value for value in EventType.values if value in chosen]
