"""Middleware of the project, named in MIDDLEWARE (settings/base.py)."""

from functools import cache
from http import HTTPStatus

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What django-csp's decorators (@csp_exempt, @csp_update, @csp_replace, @csp_override)
# leave on a response to change its policy.
PER_RESPONSE_POLICY = tuple(
    f"_csp_{part}{suffix}"
    for part in ("exempt", "config", "update", "replace")
    for suffix in ("", "_ro")
)
# While DEBUG is on, django-csp leaves Django's debug pages (404, 500) without a policy.
DEBUG_PAGES_WITHOUT_POLICY = (HTTPStatus.NOT_FOUND, HTTPStatus.INTERNAL_SERVER_ERROR)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of the settings built once.

    django-csp builds the Content-Security-Policy header anew for every response, twice
    (the enforced policy and the report-only one) from CONTENT_SECURITY_POLICY: a tenth
    of the time Django takes to serve the home page. Most responses carry the policy of
    the settings as it is, so its header is built once and reused; a response with a
    policy of its own (a view's decorator, a nonce, a header set by the view, a debug
    error page) goes through django-csp's middleware unchanged.
    https://django-csp.readthedocs.io/en/latest/decorators.html
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE_POLICY)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or (settings.DEBUG and response.status_code in DEBUG_PAGES_WITHOUT_POLICY)
        ):
            return super().process_response(request, response)
        for header, (policy, excluded_prefixes) in settings_policies().items():
            if policy and not request.path_info.startswith(excluded_prefixes):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header went out would be
        # missing from it, so asking fails loudly.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@cache
def settings_policies() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each header's policy in the settings, built as django-csp builds it, with the
    URL prefixes it excludes."""
    return {
        header: (
            build_policy(report_only=report_only),
            tuple(
                (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
                or ()
            ),
        )
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        )
    }


@receiver(setting_changed)
def rebuild_policies(*, setting: str, **kwargs: object) -> None:
    """A test that overrides the policy gets its header."""
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policies.cache_clear()
