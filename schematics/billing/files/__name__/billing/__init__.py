"""Stripe subscriptions: plans, Checkout, the customer portal, webhooks, a gate."""
