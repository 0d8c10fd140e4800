"""Standard Webhooks signatures (https://www.standardwebhooks.com/), with the reference library.

Each request carries

- `webhook-id`: the message's id, the same on every retry (receivers use it
  to ignore a message they already handled);
- `webhook-timestamp`: seconds since the epoch when this attempt was signed
  (receivers refuse old ones, so a captured request cannot be replayed later);
- `webhook-signature`: "v1," and base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")),
  where the secret is the base64 after "whsec_", decoded. Right after a
  secret is rotated there are two, space-separated: one per secret.
"""

from datetime import UTC, datetime

from standardwebhooks import Webhook


def signed_headers(message_id, body, secrets, now=None):
    """The three Standard Webhooks headers for `body` (str), signed with each of `secrets`."""
    # Whole seconds, in UTC: the library reads the datetime's fields as UTC whatever its zone.
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    signatures = [Webhook(secret).sign(message_id, moment, body) for secret in secrets]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
