"""The Content-Security-Policy header, sent by django-csp's middleware.

The policy is CONTENT_SECURITY_POLICY in the base settings.
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    """The sources of each directive of the policy a response carries, by name."""
    policy = response.headers["Content-Security-Policy"]
    return {
        name: sources for name, *sources in (part.split() for part in policy.split(";"))
    }


@pytest.mark.parametrize("path", ["/", "/no-such-page/", "admin:login"])
def test_every_response_carries_a_strict_policy(client, path):
    response = client.get(path if path.startswith("/") else reverse(path))

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["img-src"][0] == "'self'"
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # Scripts and styles fall back to default-src: files of this site, nothing inline.
    assert "script-src" not in policy
    assert "style-src" not in policy
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    # Enforced, not only reported.
    assert "Content-Security-Policy-Report-Only" not in response.headers
