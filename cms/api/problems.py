"""The shape of every API v3 error, for the OpenAPI document and for plugins.

Kept out of ``cms.api.v3`` (whose package import builds the whole API) so a
plugin can import it from its ``wagtail_hooks.py`` at start-up, through
``cms.plugins.Problem``.
"""

from ninja import Field, Schema


class ProblemError(Schema):
    """One thing wrong with a request: ``loc`` ends with the parameter or field's name."""

    model_config = {"extra": "allow"}

    loc: list[str | int] | None = Field(
        None,
        description='Where: `["query", "limit"]`, `["path", "page_id"]`, `["body", …]` '
        'or a comment field such as `["author_email"]`.',
    )
    msg: str = Field(..., description="What is wrong, for people.")
    type: str | None = Field(None, description="A machine-readable kind, e.g. `int_parsing`.")


class Problem(Schema):
    """Every v3 error: RFC 9457 problem details, as ``application/problem+json``.

    A 400 names the parameter both in ``detail`` and in each ``errors`` item's
    ``loc``. Plugins declare extra error statuses with it, e.g.
    ``response={201: Out, 403: Problem}``.
    """

    type: str = Field("about:blank", description="A URI for the kind of problem.")
    title: str = Field(..., description="The HTTP status's phrase, e.g. `Bad Request`.")
    status: int = Field(..., ge=400, le=599)
    detail: str = Field("", description="What went wrong, naming the parameter on a 400.")
    instance: str | None = Field(None, description="A URI for this occurrence, when known.")
    errors: list[ProblemError] | None = Field(None, description="One item per problem found.")
