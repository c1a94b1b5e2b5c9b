"""The names the knowledge editor's forms offer (and the only ones a reference may take)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import models as m

from .form import FormField


@dataclass(frozen=True)
class Choices:
    prefectures: List[str]
    countries: List[str]  # outside Japan: host countries, places' countries
    places_by_country: List[Tuple[str, List[str]]]
    alias_targets: Dict[str, List[str]]

    def of(self, f: FormField):
        """What a reference field offers: names, or (country, names) groups for places."""
        if f.ref == "place":
            return self.places_by_country
        if f.ref == "prefecture":
            return self.prefectures
        if f.ref == "country":
            return self.countries
        return list(f.choices)


def choices(engine) -> Choices:
    with Session(engine, future=True) as session:
        prefectures = list(session.scalars(select(m.Prefecture.name).order_by(m.Prefecture.seq, m.Prefecture.name)))
        countries = list(session.scalars(select(m.Country.name).order_by(m.Country.seq, m.Country.name)))
        # Japan is the home side of every affiliation: never a counterpart's or a host country.
        abroad = list(session.scalars(select(m.Country.name).where(m.Country.home.is_(False))
                                      .order_by(m.Country.seq, m.Country.name)))
        grouped: Dict[str, List[str]] = {}
        for place, country in session.execute(select(m.Place.name, m.Country.name)
                                              .join(m.Country, m.Place.country_id == m.Country.id)
                                              .order_by(m.Country.seq, m.Place.name)):
            grouped.setdefault(country, []).append(place)
        positions = list(session.scalars(select(m.JetPosition.code).order_by(m.JetPosition.seq)))
    return Choices(prefectures, abroad, list(grouped.items()),
                   {"country": countries, "prefecture": prefectures,
                    "place": sorted(p for _, ps in grouped.items() for p in ps), "position": positions})
