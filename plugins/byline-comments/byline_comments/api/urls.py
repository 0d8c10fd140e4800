from django.urls import path

from . import v2

v2_urlpatterns = [
    path("", v2.CommentsApiView.as_view(), name="list"),
    path("form-token/", v2.FormTokenApiView.as_view(), name="form_token"),
]
