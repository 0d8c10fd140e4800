"""Admin actions beyond add/edit/delete: rotating an endpoint's secret, redelivering a message.

Each is a confirmation page (GET) and the action itself (POST), like
Wagtail's own delete views, so a link followed by accident changes nothing.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from . import conf
from .delivery import redeliver
from .models import Delivery, Endpoint

ROTATE_LOG_ACTION = "byline_webhooks.rotate_secret"


class ConfirmActionView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Shows what the action will do and a button that POSTs it."""

    template_name = "byline_webhooks/admin/confirm_action.html"
    permission_required = "change"
    index_url_name = None
    action_url_name = None
    button_label = ""

    def get_action_url(self):
        return reverse(self.action_url_name, args=[self.object.pk])

    def get_cancel_url(self):
        return reverse(self.index_url_name)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse(self.index_url_name), "label": self.index_label},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            action_url=self.get_action_url(),
            cancel_url=self.get_cancel_url(),
            button_label=self.button_label,
            confirmation_message=self.get_confirmation_message(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        return self.perform()


class RotateSecretView(ConfirmActionView):
    model = Endpoint
    page_title = "Rotate secret"
    index_label = "Webhook endpoints"
    header_icon = "key"
    button_label = "Yes, rotate the secret"
    edit_url_name = None

    def get_page_subtitle(self):
        return str(self.object)

    def get_cancel_url(self):
        return reverse(self.edit_url_name, args=[self.object.pk])

    def get_confirmation_message(self):
        overlap = conf.get("BYLINE_WEBHOOKS_ROTATION_OVERLAP")
        hours = overlap / 3600
        if overlap > 0:
            keeps = (
                f"For the next {hours:g} hour{'s' if hours != 1 else ''}, deliveries carry a "
                "signature with the old secret too, so the receiver can switch over without "
                "losing a delivery."
            )
        else:
            keeps = "The old secret stops working at once."
        return f"A new signing secret replaces the current one of “{self.object}”. {keeps}"

    def perform(self):
        self.object.rotate_secret(conf.get("BYLINE_WEBHOOKS_ROTATION_OVERLAP"))
        log(instance=self.object, action=ROTATE_LOG_ACTION, user=self.request.user)
        messages.success(
            self.request,
            f"The signing secret of “{self.object}” was rotated: give the receiver the new one.",
        )
        return redirect(self.get_cancel_url())


class RedeliverView(ConfirmActionView):
    model = Delivery
    page_title = "Redeliver"
    index_label = "Webhook deliveries"
    header_icon = "resubmit"
    button_label = "Yes, send it again"
    inspect_url_name = None

    @cached_property
    def permission_policy(self):
        # Sending to an endpoint is managing the endpoint: its change permission decides.
        return ModelPermissionPolicy(Endpoint)

    def get_base_object_queryset(self):
        return Delivery.objects.select_related("endpoint")

    def get_page_subtitle(self):
        return str(self.object)

    def get_cancel_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_confirmation_message(self):
        return (
            f"The same {self.object.event_type} message goes to {self.object.endpoint.url} "
            "once more, as a new delivery with a new webhook-id and a fresh signature."
        )

    def perform(self):
        if not self.object.endpoint.active:
            messages.error(
                self.request,
                f"“{self.object.endpoint}” is inactive: make it active to send it anything.",
            )
            return redirect(self.get_cancel_url())
        again = redeliver(self.object)
        messages.success(self.request, f"Queued again as delivery {again.pk}.")
        return redirect(reverse(self.inspect_url_name, args=[again.pk]))
