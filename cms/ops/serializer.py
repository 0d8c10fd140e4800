"""Django's JSON serializer with times to the microsecond, for backups (format "exactjson").

Django's JSON encoder cuts datetimes to milliseconds, so a restored site would show
other times in its API (and other ETags). The standard JSON deserializer reads the
full precision back.
"""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401 (the format's reader)
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer

FORMAT = "exactjson"


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


def register():
    from django.core import serializers

    if FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(FORMAT, "cms.ops.serializer")
