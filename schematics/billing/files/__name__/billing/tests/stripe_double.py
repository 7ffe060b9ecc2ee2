"""A stand-in for Stripe's API at its HTTP boundary, and signed webhook payloads.

The Stripe library sends every request through ``StripeDouble.request``, which
records it and answers what the test queued, as Stripe's API would: no request
leaves the machine.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

WEBHOOK_SECRET = "whsec_test_secret"


@dataclass
class SentRequest:
    method: str
    path: str
    # Form fields as Stripe's library encodes them: line_items[0][price], ...
    form: dict[str, str]
    headers: dict[str, str]


class StripeDouble(stripe.HTTPClient):
    name = "stripe-double"

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[SentRequest] = []
        self.answers: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}

    def answer(self, method: str, path: str, body: dict[str, Any], status=200) -> None:
        """Answer ``method path`` (``POST /v1/customers``) with ``body``."""
        self.answers[(method, path)] = (status, body)

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        form = dict(parse_qsl(post_data or parts.query, keep_blank_values=True))
        self.requests.append(
            SentRequest(method.upper(), parts.path, form, dict(headers))
        )
        status, body = self.answers.get(
            (method.upper(), parts.path),
            (404, {"error": {"type": "invalid_request_error", "message": "No route"}}),
        )
        return json.dumps(body), status, {"request-id": "req_double"}


def signed(
    payload: dict[str, Any], secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, str]:
    """The body and ``Stripe-Signature`` header Stripe would send for ``payload``.

    Stripe signs ``{timestamp}.{body}`` with HMAC-SHA256 under the endpoint's secret.
    https://docs.stripe.com/webhooks#verify-manually
    """
    body = json.dumps(payload).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def event(type_: str, data: dict[str, Any], event_id: str = "evt_1", created=None):
    """A Stripe event of ``type_`` about the object ``data``."""
    return {
        "id": event_id,
        "object": "event",
        "type": type_,
        "livemode": False,
        "created": int(time.time()) if created is None else created,
        "data": {"object": data},
    }


def subscription(
    sub_id: str = "sub_1",
    customer: str = "cus_1",
    status: str = "active",
    price: str = "price_starter_month",
    interval: str = "month",
    **fields: Any,
) -> dict[str, Any]:
    """A subscription as Stripe's API returns it (period on its item, as today)."""
    period_end = int(time.time()) + 30 * 86400
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": False,
        "trial_end": None,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_1",
                    "object": "subscription_item",
                    "current_period_end": period_end,
                    "price": {
                        "id": price,
                        "object": "price",
                        "recurring": {"interval": interval},
                    },
                }
            ],
        },
        **fields,
    }
