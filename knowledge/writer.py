"""Write validated KnowledgeData into the kb_ tables (one transaction, all or nothing)."""
from sqlalchemy import delete
from sqlalchemy.orm import Session

from .models import (
    CONTENT_MODELS,
    Affiliation,
    Alias,
    Country,
    Edition,
    EditionCity,
    EditionCountry,
    EditionDetail,
    EditionPart,
    JetParticipation,
    JetPosition,
    Meta,
    Place,
    Prefecture,
    SourceText,
    SupportingBody,
)
from .normalize import compact
from .records import KnowledgeData


def _aliases(kind, target, aliases):
    """Alias rows of one target; a repeated alias is stored once."""
    unique = dict.fromkeys(aliases)
    return [Alias(kind=kind, target=target, alias=a, norm=compact(a)) for a in unique]


def bump_version(session: Session) -> int:
    """Increase the KB version so caches built on names know they are stale."""
    meta = session.get(Meta, "version")
    version = int(meta.value) + 1 if meta else 1
    session.merge(Meta(key="version", value=str(version)))
    return version


def replace_contents(engine, data: KnowledgeData) -> None:
    with Session(engine, future=True) as session, session.begin():
        for model in CONTENT_MODELS:
            session.execute(delete(model))
        _insert(session, data)
        bump_version(session)


def _insert(session: Session, data: KnowledgeData) -> None:
    session.add_all(SourceText(subject=t.subject, key=t.key, seq=t.seq, value=t.value) for t in data.texts)

    countries, prefectures, places = {}, {}, {}
    for i, c in enumerate(data.countries):
        countries[c.name] = Country(name=c.name, asean=c.asean, home=c.home, seq=i)
    for i, p in enumerate(data.prefectures):
        prefectures[p.name] = Prefecture(name=p.name, seq=i)
    for p in data.places:
        places[p.name] = Place(name=p.name, kind=p.kind, region=p.region,
                               country=countries[p.country], source_spelling=p.source_spelling)
    session.add_all([*countries.values(), *prefectures.values(), *places.values()])
    for c in data.countries:
        session.add_all(_aliases("country", c.name, c.aliases))
    for p in data.prefectures:
        session.add_all(_aliases("prefecture", p.name, p.aliases))
    for p in data.places:
        session.add_all(_aliases("place", p.name, p.aliases))
    session.flush()  # ids for the link rows below

    for i, a in enumerate(data.affiliations):
        session.add(Affiliation(
            seq=i, prefecture_id=prefectures[a.prefecture].id, municipality=a.municipality,
            place_id=places[a.counterpart].id,
            counterpart_as_written=a.counterpart_as_written or a.counterpart, retired=a.retired,
        ))

    for e in data.editions:
        edition = Edition(fiscal_year=e.fiscal_year, title=e.title, host_text=e.host_text,
                          status=e.status, reason=e.reason, source_note=e.source_note)
        session.add(edition)
        session.flush()
        session.add_all(EditionCountry(edition_id=edition.id, country_id=countries[c].id, seq=i)
                        for i, c in enumerate(e.countries))
        session.add_all(EditionCity(edition_id=edition.id, place_id=places[c].id, seq=i)
                        for i, c in enumerate(e.cities))
        d = e.details
        if d is not None:
            session.add(EditionDetail(
                edition_id=edition.id, context=d.context, summary=d.summary, aims=d.aims,
                schedule_text=d.schedule_text, days=d.days, period=d.period,
                participants=d.participants, participants_description=d.participants_description,
            ))
            session.add_all(EditionPart(edition_id=edition.id, seq=i, name=p.name, location=p.location)
                            for i, p in enumerate(d.parts))

    session.add_all(SupportingBody(seq=i, name=b.name, abbreviation=b.abbreviation)
                    for i, b in enumerate(data.supporting_bodies))
    for i, p in enumerate(data.positions):
        session.add(JetPosition(seq=i, code=p.code, name=p.name, description=p.description,
                                workplace=p.workplace))
        session.add_all(_aliases("position", p.code, p.aliases))
    session.add_all(JetParticipation(fiscal_year=p.fiscal_year, participants=p.participants,
                                     origin=p.origin, text=p.text) for p in data.participation)


__all__ = ["replace_contents", "bump_version"]
