from django.urls import path

from . import views, webhooks

app_name = "billing"

urlpatterns = [
    path("pricing/", views.pricing, name="pricing"),
    path("checkout/", views.checkout, name="checkout"),
    path("success/", views.success, name="success"),
    path("cancel/", views.cancel, name="cancel"),
    path("account/", views.account, name="account"),
    path("portal/", views.portal, name="portal"),
    # The endpoint to register in Stripe: https://<your host>/billing/webhook/
    path("webhook/", webhooks.stripe_webhook, name="webhook"),
]
