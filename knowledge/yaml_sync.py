"""Edit a YAML data file in place so that its comments, quoting, folding and layout survive.

``sync(document, wanted)`` makes a ruamel round-trip document hold ``wanted`` (plain dicts and
lists) while keeping every line that did not change as it was: a review diff then shows only
what changed. Lists of records are matched by their key (RECORD_KEYS), so a record keeps its
comments when others are added, removed or reordered.
"""
from __future__ import annotations

import io
from typing import Any, Dict, List

from .entities import SECTIONS


def yaml_writer():
    from ruamel.yaml import YAML  # ships with Rasa; round-trips comments and layout

    yaml: Any = YAML()  # its attributes are declared None in the library
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line
    yaml.indent(mapping=2, sequence=4, offset=2)  # "key:\n  - item", as the data files are written
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def dump(yaml, document) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


# Records in these lists are matched by this field when an existing file is edited in place:
# each section's key (entities.py).
RECORD_KEYS = {str(e.section): e.key[0] for e in SECTIONS}


def _norm(value: Any) -> Any:
    """Compare values as the loader reads them: texts with their whitespace folded."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_norm(v) for v in value]
    return value


def _styled(value: Any, like: Any = None) -> Any:
    """``value`` as ruamel nodes, copying the flow/block style of ``like`` (a sibling's same field)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _styled(item, like.get(key) if isinstance(like, dict) else None)
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_styled(item, like[0] if isinstance(like, list) and like else None) for item in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style():
            seq.fa.set_flow_style()
        elif like is None and all(not isinstance(item, (dict, list)) for item in value):
            seq.fa.set_flow_style()  # short lists of names: [Hanoi, Ho Chi Minh City]
        return seq
    return value


def _sync_map(node, wanted: Dict[str, Any]) -> None:
    for key in [k for k in node if k not in wanted]:
        del node[key]
    for index, (key, value) in enumerate(wanted.items()):
        if key in node:
            node[key] = _sync_value(node[key], value, key)
        else:
            before = [k for k in list(wanted)[:index] if k in node]
            position = list(node).index(before[-1]) + 1 if before else 0
            node.insert(position, key, _styled(value))


def _sync_value(old: Any, new: Any, key: str) -> Any:
    if isinstance(new, dict):
        if isinstance(old, dict) and hasattr(old, "insert"):
            _sync_map(old, new)
            return old
        return _styled(new)
    if isinstance(new, list):
        records = all(isinstance(item, dict) and RECORD_KEYS.get(key) in item for item in new)
        if key in RECORD_KEYS and records and isinstance(old, list) and hasattr(old, "ca"):
            _sync_records(old, new, RECORD_KEYS[key])
            return old
        if isinstance(old, list) and _norm(list(old)) == _norm(new):
            return old
        if isinstance(old, list) and hasattr(old, "ca") and all(not isinstance(v, (dict, list)) for v in new):
            # Same node, new items: keeps its style and the comment (or blank line) after it.
            trailing = old.ca.items.pop(len(old) - 1, None) if len(old) else None
            old.ca.items.clear()
            del old[:]
            old.extend(new)
            if trailing is not None and len(old):
                old.ca.items[len(old) - 1] = trailing
            return old
        return _styled(new, old)
    if _norm(old) == _norm(new) and type(old) is not bool and type(new) is not bool:
        return old  # keeps the file's folding and quoting
    if isinstance(old, bool) and isinstance(new, bool) and old == new:
        return old
    return new


def _sync_records(seq, wanted: List[Dict[str, Any]], key: str) -> None:
    """Edit a list of records in place: update matching records, drop the others, insert new ones
    where they belong. Records keep their comments; a changed order rebuilds the list."""
    wanted_keys = [_norm(w[key]) for w in wanted]
    keep = set(wanted_keys)
    for index in reversed(range(len(seq))):
        item = seq[index]
        if not isinstance(item, dict) or _norm(item.get(key)) not in keep:
            del seq[index]
    existing = {_norm(item[key]): item for item in seq}
    for w in wanted:
        found = existing.get(_norm(w[key]))
        if found is not None:
            _sync_map(found, w)
    if [_norm(item[key]) for item in seq] != [k for k in wanted_keys if k in existing]:
        # Reordered in the database: rebuild in the wanted order (records keep their own comments).
        items = [existing[k] if k in existing else None for k in wanted_keys]
        del seq[:]
        seq.extend(items)
    for index, (k, w) in enumerate(zip(wanted_keys, wanted)):
        if k not in existing:
            like = seq[index - 1] if index > 0 and seq[index - 1] is not None else (seq[index + 1] if
                                                                                    index + 1 < len(seq) else None)
            item = _styled(w, like)
            if index < len(seq) and seq[index] is None:
                seq[index] = item
            else:
                seq.insert(index, item)
            if index > 0 and seq[index - 1] is not None:
                _move_trailing_comment(seq[index - 1], item)


def _comment_holder(node):
    """(container, key) whose comment slot holds what follows ``node``'s last line (a blank line,
    or the heading comment of the next group of records), or None."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node) and not node.fa.flow_style():
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        child = node[key]
        if isinstance(child, (CommentedMap, CommentedSeq)) and len(child) and not child.fa.flow_style():
            node = child
            continue
        return node, key
    return None


def _move_trailing_comment(previous, item) -> None:
    """A record inserted after ``previous`` takes over the comment that followed it, so a blank
    line or a group heading stays after the new record instead of being split from its group."""
    from ruamel.yaml.comments import CommentedMap

    source, target = _comment_holder(previous), _comment_holder(item)
    if source is None or target is None:
        return
    container, key = source
    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.get(key)
    if not entry or len(entry) <= slot or entry[slot] is None:
        return
    token, entry[slot] = entry[slot], None
    holder, holder_key = target
    if isinstance(holder, CommentedMap):
        holder.ca.items[holder_key] = [None, None, token, None]
    else:
        holder.ca.items[holder_key] = [token, None]


def sync(document: Any, wanted: Dict[str, Any]) -> None:
    """Make ``document`` (a ruamel mapping) hold ``wanted``."""
    _sync_map(document, wanted)


def fresh_document(wanted: Dict[str, Any]):
    """A fresh document: block style, with short name lists and gazetteer entries in flow style."""
    from ruamel.yaml.comments import CommentedMap

    document = _styled(wanted)
    for section in ("countries", "prefectures", "places"):
        for item in document.get(section, ()):  # places.yml: one line per entry
            if isinstance(item, CommentedMap):
                item.fa.set_flow_style()
    for key in ("aims", "partners", "gains", "activities", "overseas_participants", "forms"):
        if key in document and hasattr(document[key], "fa"):
            document[key].fa.set_block_style()
    for position in document.get("positions", ()):
        if "aliases" in position:
            position["aliases"].fa.set_block_style()
    return document


__all__ = ["RECORD_KEYS", "dump", "fresh_document", "sync", "yaml_writer"]
