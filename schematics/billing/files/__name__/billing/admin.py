from django.contrib import admin

from .models import Customer, Subscription, WebhookEvent


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["stripe_id", "plan", "status", "interval", "current_period_end"]
    readonly_fields = fields
    can_delete = False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "user", "stripe_id", "created_at"]
    search_fields = ["email", "stripe_id", "user__email"]
    raw_id_fields = ["user"]
    inlines = [SubscriptionInline]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only: Stripe is the source of truth; change subscriptions there."""

    list_display = ["stripe_id", "customer", "plan", "status", "current_period_end"]
    list_filter = ["status", "plan", "interval"]
    search_fields = ["stripe_id", "customer__email", "customer__stripe_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["stripe_id", "type", "livemode", "received_at", "processed_at"]
    list_filter = ["type", "livemode"]
    search_fields = ["stripe_id", "type"]
    readonly_fields = ["stripe_id", "type", "livemode", "payload", "received_at"]

    def has_add_permission(self, request) -> bool:
        return False
