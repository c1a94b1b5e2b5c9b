"""The knowledge editor's forms come from the entity declarations (knowledge/entities.py): labels,
whether a field may be empty, allowed values and lengths are the declaration's and the models', and
every simple field's problem is said at once. Routes are the same for every entity."""
from __future__ import annotations

import pytest

from bot.staff.kb import registry
from bot.staff.kb.edits import EditRejected
from bot.staff.kb.form import MAX_TEXT, clean, field
from bot.web.staff.kb_pages import PAGES
from bot.web.staff.kb_views import routes
from knowledge import models as m
from knowledge.entities import EDITION, PLACE


def test_a_form_field_is_its_declared_field():
    name = field(PLACE, "name")
    assert (name.label, name.required, name.max_length) == (PLACE.field("name").label, True,
                                                             m.Place.__table__.c.name.type.length)
    kind = field(PLACE, "kind")
    assert kind.choices == PLACE.field("kind").choices and kind.widget == "select"
    assert field(PLACE, "region").required is False
    assert field(EDITION, "title").max_length == MAX_TEXT  # a Text column: the console's own cap
    assert field(PLACE, "country").widget == "select" and field(PLACE, "country").ref == "country"


def test_every_editor_field_is_declared_for_its_entity():
    for editor in registry.EDITORS.values():
        for f in editor.fields:
            declared = editor.entity.field(f.name)  # KeyError: the form names a field the entity lacks
            assert f.label == declared.label and f.kind == declared.kind


def test_clean_types_values_and_says_every_problem_at_once():
    fields = registry.places.fields
    assert clean(fields, {"name": "  Bogor  City ", "kind": "city", "region": "", "country": "Indonesia"}) == \
        {"name": "Bogor City", "kind": "city", "region": None, "country": "Indonesia", "source_spelling": None}
    with pytest.raises(EditRejected) as refused:
        clean(fields, {"name": "", "kind": "town", "region": "x" * 129, "country": "Indonesia"})
    assert refused.value.errors == ["Name is required.", "Kind must be one of city, province, village, region, "
                                    "unspecified.", f"{PLACE.field('region').label} may have at most 128 characters."]


def test_numbers_and_lists():
    fields = registry.editions.fields
    values = {"fiscal_year": "2016", "countries": ["Vietnam", "Vietnam", " "], "cities": [], "status": "held"}
    cleaned = clean(fields, values)
    assert cleaned["fiscal_year"] == 2016 and cleaned["countries"] == ("Vietnam",) and cleaned["cities"] == ()
    for year in ("twenty", "1899", "2201"):
        with pytest.raises(EditRejected) as refused:
            clean(fields, {**values, "fiscal_year": year})
        assert refused.value.errors == ["Fiscal year must be a year, e.g. 2016."]


def test_an_unchanged_save_records_nothing(engine):
    from bot.staff.audit import recent

    row = registry.positions.get(engine, "ALT")
    assert registry.positions.save(engine, None, "ALT", row.form_values()) == "ALT"
    assert recent(engine, "kb.")[1] == 0


def test_every_entity_page_has_the_same_routes():
    names = {r.name for r in routes()}
    for page in PAGES:
        expected = {page.list_route, f"kb_{page.noun}", f"kb_{page.noun}_save", f"kb_{page.noun}_create"}
        expected |= {f"kb_{page.noun}_new"} if page.has_new_page else set()
        expected |= {f"kb_{page.noun}_remove"} if page.editor.removable else set()
        assert expected <= names, page.noun
