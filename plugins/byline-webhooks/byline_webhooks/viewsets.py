"""The admin's "Webhooks" menu: endpoints (add, edit, rotate the secret) and the delivery log.

The log belongs to the endpoints: whoever may see endpoints may read it,
nobody edits it, and redelivering needs the endpoint "change" permission,
so one set of permissions ("webhook endpoint") governs everything here.
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy

from . import views
from .forms import EndpointForm
from .models import Delivery, Endpoint

ENDPOINT_ACTIONS = ["add", "change", "delete", "view"]


class DeliveryLogPermissionPolicy(ModelPermissionPolicy):
    """Deliveries are written by the plugin only; the endpoint permissions decide who reads them."""

    def __init__(self):
        super().__init__(Delivery)
        self.endpoints = ModelPermissionPolicy(Endpoint)

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return self.endpoints.user_has_any_permission(user, ENDPOINT_ACTIONS)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class LinkColumn(Column):
    """A column whose value links somewhere of its own (not to the row's edit view)."""

    cell_template_name = "byline_webhooks/admin/link_cell.html"

    def __init__(self, name, *, get_url, **kwargs):
        super().__init__(name, **kwargs)
        self.get_url = get_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["link_url"] = self.get_url(instance)
        return context


def deliveries_url(endpoint):
    return reverse("webhook_deliveries:index") + f"?endpoint={endpoint.pk}"


def event_list(endpoint):
    return ", ".join(endpoint.events) or "none"


# Endpoints ------------------------------------------------------------------------------


class EndpointIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(delivery_count=Count("deliveries"))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem("Deliveries", url=deliveries_url(instance), icon_name="list-ul", priority=15)
        )
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            url = reverse("webhook_endpoints:rotate_secret", args=[instance.pk])
            buttons.append(MenuItem("Rotate secret", url=url, icon_name="key", priority=16))
        return buttons


class EndpointCreateView(generic.CreateView):
    def get_success_url(self):
        # The edit view shows the secret the endpoint was just given, for copying.
        return reverse(self.edit_url_name, args=[self.object.pk])

    def get_success_message(self, instance):
        return f"Webhook endpoint “{instance}” added. Copy its signing secret for the receiver."


class EndpointEditView(generic.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(
            Button("Deliveries", url=deliveries_url(self.object), icon_name="list-ul", priority=5)
        )
        url = reverse("webhook_endpoints:rotate_secret", args=[self.object.pk])
        buttons.append(Button("Rotate secret", url=url, icon_name="key", priority=6))
        return buttons


class EndpointViewSet(ModelViewSet):
    model = Endpoint
    icon = "link-external"
    menu_label = "Endpoints"
    add_to_reference_index = False
    copy_view_enabled = False  # a copy would need a secret of its own anyway
    index_view_class = EndpointIndexView
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    list_display = [
        "__str__",
        "url",
        Column("active", label="Active", accessor=lambda e: "yes" if e.active else "no"),
        Column("events", label="Events", accessor=event_list),
        LinkColumn("delivery_count", label="Deliveries", get_url=deliveries_url),
        "created_at",
    ]
    list_filter = ["active"]
    search_fields = ["url", "description"]

    def get_form_class(self, for_update=False):
        return EndpointForm

    @property
    def rotate_secret_view(self):
        return views.RotateSecretView.as_view(
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
            action_url_name=self.get_url_name("rotate_secret"),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("rotate-secret/<int:pk>/", self.rotate_secret_view, name="rotate_secret"),
        ]


# Deliveries --------------------------------------------------------------------------------


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if ModelPermissionPolicy(Endpoint).user_has_permission(self.request.user, "change"):
            url = reverse("webhook_deliveries:redeliver", args=[instance.pk])
            buttons.append(MenuItem("Redeliver", url=url, icon_name="resubmit", priority=25))
        return buttons


class DeliveryInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(Delivery.objects.select_related("endpoint"), pk=self.pk)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if ModelPermissionPolicy(Endpoint).user_has_permission(self.request.user, "change"):
            url = reverse("webhook_deliveries:redeliver", args=[self.object.pk])
            buttons.append(Button("Redeliver", url=url, icon_name="resubmit", priority=5))
        return buttons


def short_excerpt(delivery):
    text = delivery.response_excerpt
    return text if len(text) <= 60 else text[:59] + "…"


class DeliveryViewSet(ModelViewSet):
    """The delivery log: a listing filtered by endpoint, event or status, and an inspect page."""

    model = Delivery
    icon = "list-ul"
    menu_label = "Deliveries"
    add_to_reference_index = False  # log rows are not content other objects refer to
    inspect_view_enabled = True
    copy_view_enabled = False
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    list_display = [
        "__str__",
        # The type itself (article.updated), as receivers see it, rather than its label.
        Column("event_type", label="Event", accessor="event_type", sort_key="event_type"),
        "endpoint",
        "status",
        "attempts",
        "response_status",
        Column("response_excerpt", label="Response", accessor=short_excerpt),
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["endpoint", "event_type", "status"]
    search_fields = ["subject", "message_id"]
    inspect_view_fields = [
        "endpoint",
        "event_type",
        "subject",
        "status",
        "detail",
        "attempts",
        "response_status",
        "response_excerpt",
        "message_id",
        "payload",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "redelivery_of",
    ]

    @property
    def redeliver_view(self):
        return views.RedeliverView.as_view(
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
            action_url_name=self.get_url_name("redeliver"),
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("redeliver/<int:pk>/", self.redeliver_view, name="redeliver"),
        ]


class WebhooksViewSetGroup(ModelViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 256
    items = (EndpointViewSet("webhook_endpoints"), DeliveryViewSet("webhook_deliveries"))
