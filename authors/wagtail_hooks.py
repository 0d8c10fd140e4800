from wagtail.admin.ui.tables import LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 210
    add_to_admin_menu = True
    # Drafts are private until published: the status column says which is which.
    list_display = ["name", "role", "slug", UpdatedAtColumn(), LiveStatusTagColumn()]
    list_filter = ["live"]
    # No `search_fields` here: the admin search then uses Author's own search
    # index (name, role, bio). Naming fields makes Wagtail's SQLite backend
    # query columns its full-text table does not have (a 500).
    list_per_page = 50


register_snippet(AuthorViewSet)
