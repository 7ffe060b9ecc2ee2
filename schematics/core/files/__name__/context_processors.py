"""Context processors: values the templates of every page use.

https://docs.djangoproject.com/en/5.2/ref/templates/api/#writing-your-own-context-processors
"""

from functools import lru_cache
from types import ModuleType

from django.http import HttpRequest
from django.urls import (
    NoReverseMatch,
    URLResolver,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    reverse,
)
from django.utils.translation import get_language

# The pages the header's account menu (templates/includes/account_menu.html) and
# navigation link to, each the first of its URL names that exists. allauth's pages come
# with `quickscale add auth`, "profile" with the account page, "teams" with
# `quickscale add teams`, "subscription" and "pricing" with `quickscale add billing`;
# until then, staff signed in to the admin sign out of it. "home" and "admin" are the
# links of every page's header and footer and of the home page: looked up here rather
# than with {% url %}, which cost a tenth of the time of serving the home page.
ACCOUNT_PAGES = {
    "home": ("index",),
    "admin": ("admin:index",),
    "login": ("account_login",),
    "signup": ("account_signup",),
    "logout": ("account_logout", "admin:logout"),
    "profile": ("profile",),
    "teams": ("teams:list",),
    "subscription": ("billing:account",),
    "pricing": ("billing:pricing",),
}


def account_urls(request: HttpRequest) -> dict[str, dict[str, str]]:
    """The account pages' URLs, as {{ account_urls.login }}; "" for a missing page."""
    return {
        "account_urls": _reverse_account_pages(
            get_resolver(get_urlconf()), get_script_prefix(), get_language()
        )
    }


# Reversed once, not on every page: {% url %} would reverse each name on every render,
# a missing one by raising NoReverseMatch, and the header is on every page. The key
# holds all a URL depends on, so a new URL configuration (`quickscale add auth` then a
# restart, runserver's reload, a test's urls marker) gets its own entry at once.
@lru_cache(maxsize=16)
def _reverse_account_pages(
    resolver: URLResolver, script_prefix: str, language: str | None
) -> dict[str, str]:
    return {
        page: _first_url(names, resolver.urlconf_name)
        for page, names in ACCOUNT_PAGES.items()
    }


def _first_url(names: tuple[str, ...], urlconf: str | ModuleType) -> str:
    for name in names:
        try:
            return reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            continue
    return ""
