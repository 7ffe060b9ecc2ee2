from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@login_required
@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    """Show signed-in users their account, where signing in leads.

    Visitors who are not signed in are sent to the sign-in page (``LOGIN_URL``).
    """
    return render(request, "users/profile.html")
