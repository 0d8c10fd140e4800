"""What the import remembers: which Byline object each WordPress object became.

Keyed on the export's site and the WordPress id, so running the import again
updates the same article, author, image or comment instead of adding a copy.
Objects are referred to by id (the kind says which model), so this table does
not tie the plugin's migrations to the comments plugin.
"""

from django.db import models


class WordPressKind(models.TextChoices):
    POST = "post", "Post"
    PAGE = "page", "Page"
    USER = "user", "User"
    GUEST_AUTHOR = "guest_author", "Co-Authors Plus guest author"
    ATTACHMENT = "attachment", "Attachment"
    COMMENT = "comment", "Comment"
    CATEGORY = "category", "Category"


class ImportedObject(models.Model):
    source = models.CharField(
        max_length=200, help_text="The exported site's address (wp:base_site_url)."
    )
    kind = models.CharField(max_length=16, choices=WordPressKind.choices)
    wordpress_id = models.CharField("WordPress id", max_length=200)
    object_id = models.PositiveBigIntegerField(help_text="The Byline object's primary key.")
    # A second key to find the object by: a user's login, an attachment's file
    # path under uploads/ (without size suffix), a category's section slug.
    lookup = models.CharField(max_length=300, blank=True, db_index=True)
    # An attachment's post (wp:post_parent): its attachment page redirects there.
    parent_wordpress_id = models.CharField(max_length=40, blank=True, db_index=True)
    # An attachment's page on the old site, which redirects to that post.
    old_url = models.CharField(max_length=500, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported WordPress object"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "wordpress_id"], name="byline_wordpress_once"
            )
        ]

    def __str__(self):
        return f"WordPress {self.kind} {self.wordpress_id} → {self.object_id}"
