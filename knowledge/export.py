"""Write the knowledge base in the database back to the data files, in the formats the loader reads.

The staff console edits the kb_ tables directly (the running assistant answers from them at once);
``export`` turns the database back into ``knowledge/data/`` files so the edits can be reviewed and
committed, and so a later load from the files gives the same database.

Public API (the database is read by snapshot.py, the files' content made by documents.py and the
YAML edited in place by yaml_sync.py):
    render(data, base_dir=None) -> {file: text}
                                           the data files' text; with ``base_dir`` the existing YAML
                                           files are edited in place, so their comments, quoting and
                                           layout survive and a review diff shows only what changed
    validate(data) -> KnowledgeData        render the files into a scratch directory and run the
                                           loader's checks on them (raises KnowledgeError)
    export(engine, data_dir) -> Exported   validate, check the round trip, then (atomically)
                                           rewrite the files whose text changed
    comparable(data)                       a form of KnowledgeData that ignores what the files do
                                           not encode (row numbers, order of aliases and places)
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from .documents import affiliations_csv, documents
from .entities import AFFILIATION, ENTITIES, Entity
from .errors import KnowledgeError
from .loader import load_files
from .records import KnowledgeData, attribute
from .snapshot import snapshot
from .writer import key_of
from .yaml_sync import dump, fresh_document, sync, yaml_writer

PathLike = Union[str, Path]


class ExportError(Exception):
    """The rendered files would not load back into the same database; nothing was written."""


def render(data: KnowledgeData, base_dir: Optional[PathLike] = None) -> Dict[str, str]:
    """File name -> text for every data file. With ``base_dir``, each existing YAML file there is
    edited in place (comments, quoting, folding and layout kept); otherwise it is written afresh."""
    yaml = yaml_writer()
    out: Dict[str, str] = {}
    for name, wanted in documents(data).items():
        document = None
        existing = Path(base_dir) / name if base_dir is not None else None
        if existing is not None and existing.is_file():
            try:
                document = yaml.load(existing.read_text(encoding="utf-8-sig"))
            except Exception:  # noqa: BLE001 -- an unreadable file is simply written afresh
                document = None
        if isinstance(document, dict) and hasattr(document, "insert"):
            sync(document, wanted)
        else:
            document = fresh_document(wanted)
        out[name] = dump(yaml, document)
    out[str(AFFILIATION.file)] = affiliations_csv(data)
    return out


# -- checking -------------------------------------------------------------------------------------------
def comparable(data: KnowledgeData) -> KnowledgeData:
    """What the files encode. Row numbers, the order of aliases and of text rows, and the order of
    records without a seq column (places, editions, participation: their files' order is a layout)
    mean nothing to the assistant."""
    sections: Dict[str, Tuple[Any, ...]] = {}
    for entity in ENTITIES:
        if entity.file and entity.parent is None:
            records = [_comparable_record(entity, r) for r in data.records(entity)]
            if "seq" not in entity.model.__table__.c:
                records.sort(key=lambda r: key_of(entity, r))
            sections[attribute(entity)] = tuple(records)
    return KnowledgeData(tuple(sorted(data.texts, key=lambda t: (t.subject, t.key, t.seq))), **sections)


def _comparable_record(entity: Entity, record: Any) -> Any:
    changes: Dict[str, Any] = {name: 0 for name, _, _ in entity.extra}
    if any(f.kind == "aliases" for f in entity.fields):
        changes["aliases"] = tuple(sorted(record.aliases))
    return replace(record, **changes)


def _load_texts(texts: Dict[str, str]) -> KnowledgeData:
    with tempfile.TemporaryDirectory(prefix="kb-export-") as scratch:
        for name, text in texts.items():
            (Path(scratch) / name).write_text(text, encoding="utf-8")
        return load_files(scratch)


def validate(data: KnowledgeData) -> KnowledgeData:
    """Run the loader's checks on ``data`` as the files would hold it; raises KnowledgeError.
    This is how a console edit is checked before it is committed: the database never holds
    what the data files could not. (Plain PyYAML here: fast, and layout does not matter.)"""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    texts = {name: yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=4096)
             for name, document in documents(data).items()}
    texts[str(AFFILIATION.file)] = affiliations_csv(data)
    return _load_texts(texts)


def _differences(a: KnowledgeData, b: KnowledgeData) -> List[str]:
    a, b = comparable(a), comparable(b)
    return [f.name for f in fields(a) if getattr(a, f.name) != getattr(b, f.name)]


# -- export -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Exported:
    data_dir: Path
    written: Tuple[str, ...]     # files whose text changed
    unchanged: Tuple[str, ...]


def _write_atomically(path: Path, text: str) -> None:
    fd, scratch = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(scratch, path.stat().st_mode & 0o777)
        os.replace(scratch, path)
    except BaseException:
        if os.path.exists(scratch):
            os.unlink(scratch)
        raise


def export(engine, data_dir: PathLike) -> Exported:
    """Write the database's knowledge base to ``data_dir``. The files are rendered, loaded back
    and compared with the database first; on any difference or validation error nothing is
    written (ExportError / KnowledgeError)."""
    data_dir = Path(data_dir)
    with Session(engine, future=True) as session:
        data = snapshot(session)
    texts = render(data, data_dir)
    try:
        loaded = _load_texts(texts)
    except KnowledgeError as error:
        raise KnowledgeError([f"the database does not pass the loader's checks: {e}" for e in error.errors]) from None
    differences = _differences(data, loaded)
    if differences:
        raise ExportError(f"the written files would not load back the same ({', '.join(differences)} differ); "
                          f"nothing was written")
    data_dir.mkdir(parents=True, exist_ok=True)
    written, unchanged = [], []
    for name in sorted(texts):
        path = data_dir / name
        current = path.read_text(encoding="utf-8-sig") if path.is_file() else None
        if current == texts[name]:
            unchanged.append(name)
        else:
            _write_atomically(path, texts[name])
            written.append(name)
    return Exported(data_dir, tuple(written), tuple(unchanged))


def export_url(database_url: str, data_dir: PathLike) -> Exported:
    engine = create_engine(database_url, future=True)
    try:
        return export(engine, data_dir)
    finally:
        engine.dispose()


__all__ = ["Exported", "ExportError", "comparable", "export", "export_url", "render", "validate"]
