"""The staff e-mail about one inquiry: written once, when the inquiry is recorded.

Personal data may appear in the body (it goes to CLAIR staff only), never in the subject
line, which mail servers and clients log and show in previews.
"""
from __future__ import annotations

from typing import Tuple

STAFF_CONSOLE_PATH = "/staff/inquiries/{reference}"

_SUBJECTS = {
    "affiliation": "New sister-city inquiry {reference}",
    "escalation": "A visitor asked to talk to a person ({reference})",
}
_INTROS = {
    "affiliation": "A new sister-city affiliation inquiry arrived through the CLAIR Singapore assistant.",
    "escalation": "A visitor of the CLAIR Singapore assistant asked to talk to a person.",
}
# (label, attribute) in the order staff read them; empty values are shown as "-".
_FIELDS = (
    ("Organisation", "organisation"),
    ("Country", "organisation_country"),
    ("Contact name", "contact_name"),
    ("E-mail", "email"),
    ("Phone", "phone"),
    ("Partner preference", "partner_preference"),
    ("Partner country", "partner_country"),
    ("Fields of exchange", "purpose"),
    ("Message", "message"),
    ("Conversation", "conversation_id"),
    ("Channel", "channel"),
)


def console_path(reference: str) -> str:
    return STAFF_CONSOLE_PATH.format(reference=reference)


def compose(inquiry) -> Tuple[str, str]:
    """(subject, body) for an Inquiry (any object with its attributes)."""
    subject = _SUBJECTS[inquiry.kind].format(reference=inquiry.reference)
    lines = [
        _INTROS[inquiry.kind],
        "",
        f"Reference:     {inquiry.reference}",
        f"Kind:          {inquiry.kind}",
        f"Received:      {inquiry.created_at:%Y-%m-%d %H:%M} UTC",
        f"Staff console: {console_path(inquiry.reference)}",
        "",
    ]
    for label, attribute in _FIELDS:
        value = getattr(inquiry, attribute) or "-"
        lines.append(f"{label}: {value}")
    lines += ["", "Please reply to the contact within the service standard and update the "
              "inquiry's status in the staff console."]
    return subject, "\n".join(lines) + "\n"
