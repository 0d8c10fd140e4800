from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "role", "slug"]
    # No `search_fields` here: the admin search then uses Author's own search
    # index (name, role, bio). Naming fields makes Wagtail's SQLite backend
    # query columns its full-text table does not have (a 500).
    list_per_page = 50


register_snippet(AuthorViewSet)
