"""Project-wide views: the home page and the health check."""

import logging

from django.db import Error, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Render the home page."""
    return render(request, "index.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Tell a load balancer or container runtime whether this instance can serve.

    Answers 200 when the database answers a trivial query and 503 otherwise. The
    production settings exempt this URL from the HTTPS redirect, so probes may use
    plain HTTP.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    # Error is the DB-API base class: refused or lost connections, timeouts, ...
    except Error as exc:
        logger.warning("Health check failed, the database is unreachable: %s", exc)
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
