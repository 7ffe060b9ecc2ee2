"""Project-wide views: the home page, the health check, robots.txt and the icon."""

import logging

from django.db import Error, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# How long robots.txt and the /favicon.ico redirect are cached: changes show in a day.
ONE_DAY = 24 * 60 * 60


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Render the home page."""
    return render(request, "index.html")


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Tell crawlers what they may visit: ``templates/robots.txt``."""
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Send browsers and tools that ask for /favicon.ico to the site's icon.

    Pages name ``images/favicon.svg`` in base.html; this answers the requests that come
    without a page (bookmarks, feed readers, Django's own pages). The static file's name
    changes with its content, so the redirect is temporary and cached for a day only.
    """
    return HttpResponseRedirect(static("images/favicon.svg"))


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
