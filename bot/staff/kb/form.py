"""An entity's console form: which of its declared fields staff edit, and how the console asks.

What a field is (kind, whether it may be empty, allowed values, label, length) comes from its
declaration in knowledge/entities.py; only how the form asks for it (the prompt, a hint, the
widget) is said here. ``clean`` checks the simple fields the same way for every entity; the rules
that need the database (references, clashes) are the entity editor's.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from knowledge.entities import BY_NAME, Entity

from .edits import EditRejected

MAX_TEXT = 2000  # a text column without a length of its own ("text" fields)
LIST_KINDS = ("refs", "list")  # several values under one name (checkboxes, or lines of a text box)


@dataclass(frozen=True)
class FormField:
    name: str
    label: str  # the declaration's label: messages say "<label> is required."
    kind: str  # the declaration's kind: str, text, int, ref, refs
    required: bool
    choices: Tuple[str, ...] = ()
    max_length: Optional[int] = None
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    ref: Optional[str] = None  # the entity a ref/refs field names
    prompt: str = ""  # the form's label for it
    note: str = ""  # after the prompt, e.g. "(optional)"
    hint: str = ""
    hint_link: Optional[Tuple[str, str]] = None  # (route name, text): a link after the hint
    hint_after: str = ""  # the hint's words after that link
    widget: str = "input"  # input, textarea, lines (one value a line), number, select, radio, checks, grouped
    invalid: str = ""  # the message for a value of the wrong kind (int fields)

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS


def field(entity: Entity, name: str, prompt: str = "", **presentation) -> FormField:
    """The form field of ``entity``'s declared field ``name``."""
    declared = entity.field(name)
    limit = entity.max_length(name) if declared.kind in ("str", "text") else None
    if declared.kind == "text" and limit is None:
        limit = MAX_TEXT
    if declared.kind == "ref" and declared.ref:
        target = BY_NAME[declared.ref]  # a reference is one of the target's names: as long as those
        limit = target.max_length(target.key[0])
    widget = presentation.pop("widget", None) or ("select" if declared.choices or declared.kind == "ref" else "input")
    return FormField(name=name, label=declared.label, kind=declared.kind, required=not declared.optional,
                     choices=tuple(declared.choices), max_length=limit, minimum=declared.minimum, ref=declared.ref,
                     prompt=prompt or declared.label, widget=widget, **presentation)


def _text(f: FormField, raw: Any) -> Optional[str]:
    text = " ".join(str(raw or "").split())
    if not text:
        if f.required:
            raise EditRejected(f"{f.label} is required.")
        return None
    if f.max_length is not None and len(text) > f.max_length:
        raise EditRejected(f"{f.label} may have at most {f.max_length} characters.")
    if f.choices and text not in f.choices:
        raise EditRejected(f"{f.label} must be one of {', '.join(f.choices)}.")
    return text


def _number(f: FormField, raw: Any) -> Optional[int]:
    text = _text(f, raw)
    if text is None:
        return None
    message = f.invalid or f"{f.label} must be a whole number."
    try:
        value = int(text)
    except ValueError:
        raise EditRejected(message) from None
    if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
        raise EditRejected(message)
    return value


def _values(f: FormField, raw: Any) -> Tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else list(raw or ())
    if f.widget == "lines":  # one text box, a value per line
        items = [line for item in items for line in str(item).splitlines()]
    values = tuple(dict.fromkeys(" ".join(str(v).split()) for v in items if v and str(v).strip()))
    if f.max_length is not None and any(len(v) > f.max_length for v in values):
        raise EditRejected(f"{f.label}: a name may have at most {f.max_length} characters.")
    return values  # whether one is needed, and which exist, is the entity's rule (a database question)


def clean(fields: Sequence[FormField], values: Mapping[str, Any]) -> Dict[str, Any]:
    """The typed values of ``fields`` from a form (or a caller's dict), or EditRejected with every
    simple field's problem at once."""
    out: Dict[str, Any] = {}
    errors = []
    for f in fields:
        raw = values.get(f.name)
        try:
            if f.is_list:
                out[f.name] = _values(f, raw)
            elif f.kind == "int":
                out[f.name] = _number(f, raw)
            else:
                out[f.name] = _text(f, raw)
        except EditRejected as rejected:
            errors.extend(rejected.errors)
    if errors:
        raise EditRejected(errors)
    return out


def blank(fields: Sequence[FormField], **defaults) -> Dict[str, Any]:
    """The values of an empty form."""
    return {**{f.name: [] if f.is_list else "" for f in fields}, **defaults}
