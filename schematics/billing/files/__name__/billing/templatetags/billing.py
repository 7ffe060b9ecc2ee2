from django import template

from ..access import active_subscription, has_active_subscription

register = template.Library()


@register.simple_tag(takes_context=True, name="has_active_subscription")
def has_active_subscription_tag(context: template.Context) -> bool:
    """``{% has_active_subscription as subscribed %}``: may they use paid features."""
    return has_active_subscription(context["request"])


@register.simple_tag(takes_context=True, name="active_subscription")
def active_subscription_tag(context: template.Context):
    """``{% active_subscription as subscription %}``: the one in force, or None."""
    return active_subscription(context["request"])
