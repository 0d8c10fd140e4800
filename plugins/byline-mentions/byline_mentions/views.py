"""The public endpoints: XML-RPC (Pingback), Webmention, and a webmention's status."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from wagtail.models import Site

from cms.public_address import public_url

from . import rpc
from .models import Protocol, ReceivedMention
from .receiving import Refused, accept_webmention, pingback_ping

MAX_FORM_BYTES = 16 * 1024


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _dispatcher():
    dispatcher = rpc.PingbackDispatcher()
    dispatcher.register_function(pingback_ping, "pingback.ping")
    return dispatcher


@csrf_exempt
def xmlrpc(request):
    """Pingback 1.0 over XML-RPC: `pingback.ping(sourceURI, targetURI)`."""
    if request.method != "POST":
        response = HttpResponse(
            "XML-RPC server accepts POST requests only.\n",
            status=405,
            content_type="text/plain; charset=utf-8",
        )
        response["Allow"] = "POST"
        return response
    if _declared_length(request) > rpc.MAX_REQUEST_BYTES:
        answer = rpc.dumps_fault(
            rpc.PARSE_ERROR, f"parse error: request larger than {rpc.MAX_REQUEST_BYTES} bytes"
        )
    else:
        # read() rather than .body: the size is capped here, whatever the header said.
        data = request.read(rpc.MAX_REQUEST_BYTES + 1)
        encoding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower()
        answer = _dispatcher().dispatch(request, data, encoding)
    return HttpResponse(answer, content_type="text/xml; charset=utf-8")


def status_payload(received, request):
    return {
        "status": received.status,
        "protocol": received.protocol,
        "source": received.source_url,
        "target": received.target_url,
        "detail": received.detail,
        "received_at": received.received_at.isoformat(),
        "processed_at": received.processed_at.isoformat() if received.processed_at else None,
        "status_url": public_url(
            reverse("byline_mentions_webmention_status", args=[received.token]),
            Site.find_for_request(request),
        ),
    }


@csrf_exempt
def webmention(request):
    """W3C Webmention: a form-encoded POST of `source` and `target`; 202 and a status URL.

    Nothing is fetched while answering: verification runs in a task worker
    (see receiving.hand_over), so a slow or hostile source never holds a request.
    """
    if request.method != "POST":
        response = JsonResponse(
            {
                "error": "method_not_allowed",
                "message": "Send webmentions as a form-encoded POST of source and target.",
            },
            status=405,
        )
        response["Allow"] = "POST"
        return response
    if _declared_length(request) > MAX_FORM_BYTES:
        return JsonResponse(
            {"error": "too_large", "message": f"the request is over {MAX_FORM_BYTES} bytes"},
            status=413,
        )
    try:
        received, _queued = accept_webmention(
            request, request.POST.get("source"), request.POST.get("target")
        )
    except Refused as refused:
        response = JsonResponse(
            {
                "error": refused.error,
                "message": str(refused),
            },
            status=refused.status,
        )
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    payload = status_payload(received, request)
    response = JsonResponse(payload, status=202)
    response["Location"] = payload["status_url"]
    return response


@require_GET
def webmention_status(request, token):
    """Where a webmention stands: queued, accepted, updated, removed or rejected (and why)."""
    received = get_object_or_404(ReceivedMention, token=token, protocol=Protocol.WEBMENTION)
    return JsonResponse(status_payload(received, request))
