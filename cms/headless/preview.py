"""Preview modes that show a saved draft in a headless frontend.

Wagtail's preview panel loads ``<edit url>/preview/?mode=<mode>`` in an
iframe, which calls the page's ``serve_preview(request, mode)``. Besides the
server-rendered mode (``""``, Wagtail's default, kept as the default), each
frontend of the page's site (Settings → Headless frontends) is a mode:
``serve_preview`` answers a redirect to the frontend's address with a
preview token, and the iframe follows it. Wagtail 8's panel expects
cross-origin frontends there: it restores the scroll position after each
refresh through ``postMessage`` (``w-preview:*`` messages) when the frontend
answers them, as ``docs/example-frontend`` does.

The token opens one saved revision (``cms.headless.tokens``): in the editor,
the latest one, so the frontend shows the draft as last saved, and the panel
shows each new save when the edit page reloads after it. Unsaved edits show
in the server-rendered mode only: a frontend reads drafts through the API,
which serves revisions, never form data.
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property

from .models import FRONTEND_MODE
from .tokens import issue_preview_token

SERVER_RENDERED_MODE = ("", "Website (server-rendered)")


class HeadlessPreviewMixin:
    """A page type whose drafts can be previewed in the site's headless frontends."""

    @cached_property
    def preview_modes(self):
        modes = [SERVER_RENDERED_MODE]
        modes += [(mode, f"Frontend: {frontend.name}") for mode, frontend in self.frontend_modes]
        return modes

    @cached_property
    def frontend_modes(self):
        """``[(mode, frontend)]`` of the page's site (of the default site for a new page)."""
        from wagtail.models import Site

        from .frontends import frontend_modes

        # The site's id from the page's URL parts (Wagtail caches the sites' root
        # paths), not get_site(), which would load the Site with a query.
        parts = self.get_url_parts() if self.path else None
        if parts is not None:
            return frontend_modes(parts[0])
        site_id = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
        return frontend_modes(site_id) if site_id is not None else []

    def make_preview_request(
        self, original_request=None, preview_mode=None, extra_request_attrs=None
    ):
        # Wagtail's revision views ("Preview" in a page's history) preview an
        # older revision; only their URL says which one. Pass it on, so a
        # frontend preview opens that revision and not the latest.
        match = getattr(original_request, "resolver_match", None)
        revision_id = match.kwargs.get("revision_id") if match else None
        if revision_id is not None:
            extra_request_attrs = {
                **(extra_request_attrs or {}),
                "previewed_revision_id": revision_id,
            }
        return super().make_preview_request(original_request, preview_mode, extra_request_attrs)

    def serve_preview(self, request, mode_name):
        if not (mode_name == FRONTEND_MODE or mode_name.startswith(f"{FRONTEND_MODE}-")):
            return super().serve_preview(request, mode_name)
        frontend = dict(self.frontend_modes).get(mode_name)
        if frontend is None:
            return self._preview_notice(
                request,
                "This frontend is no longer set up for the site. Choose another preview mode, "
                "or add it again under Settings → Headless frontends.",
            )
        revision_id = self._previewed_revision_id(request)
        if revision_id is None:
            return self._preview_notice(
                request,
                f"{frontend.name} shows saved drafts. Save a draft, and the preview appears here.",
            )
        return redirect(frontend.preview_url(issue_preview_token(self, revision_id)))

    def _previewed_revision_id(self, request):
        revision_id = getattr(request, "previewed_revision_id", None)
        if revision_id is not None:
            return revision_id if self.revisions.filter(pk=revision_id).exists() else None
        # The editor's preview (and a reviewer's): the latest saved revision.
        # Wagtail builds the previewed object from it and keeps latest_revision.
        return self.latest_revision_id if self.pk else None

    def _preview_notice(self, request, message):
        return TemplateResponse(request, "headless/preview_notice.html", {"message": message})
