"""Knowledge-base editing through the console: the query facade (what the running assistant reads on
every message) sees each change at once; changes the data files could not hold are refused with the
loader's reasons and change nothing; every change is audited with before and after."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.staff.kb import registry as kb
from bot.staff.audit import recent
from knowledge import models as m


def post(client, path, **data):
    return client.post(path, data={**data, "csrf_token": client.csrf}, follow_redirects=False)


def affiliation_id(engine, prefecture, counterpart):
    with Session(engine) as session:
        return session.scalar(select(m.Affiliation.id).join(m.Prefecture, m.Affiliation.prefecture_id == m.Prefecture.id)
                              .join(m.Place, m.Affiliation.place_id == m.Place.id)
                              .where(m.Prefecture.name == prefecture, m.Place.name == counterpart))


def test_a_new_place_and_affiliation_are_answered_at_once(client, facade, engine):
    version = facade.version()
    assert facade.affiliations_of_prefecture("Nara") == []
    assert post(client, "/kb/places/new", name="Bogor", kind="city", region="West Java", country="Indonesia",
                source_spelling="").status_code == 303
    assert facade.place("Bogor").region == "West Java"
    answer = post(client, "/kb/affiliations/new", prefecture="Nara", municipality="", counterpart="Bogor",
                  counterpart_as_written="Bogor, West Java")
    assert answer.status_code == 303 and answer.headers["location"] == "/kb/affiliations?msg=saved"
    found = facade.affiliations_of_prefecture("Nara")
    assert [(a.counterpart, a.country, a.source_spelling) for a in found] == [("Bogor", "Indonesia", "Bogor, West Java")]
    assert facade.version() == version + 2  # bumped by each edit, so name caches know
    # Listed with the other Indonesian affiliations (the source list is by country).
    countries = [a.country for a in facade.affiliations()]
    assert countries.index("Thailand") == countries.index("Indonesia") + countries.count("Indonesia")


def test_retiring_and_restoring_an_affiliation(client, facade, engine):
    target = affiliation_id(engine, "Fukuoka", "Hanoi")
    assert "Hanoi" in [a.counterpart for a in facade.affiliations_of_prefecture("Fukuoka")]
    assert post(client, f"/kb/affiliations/{target}/retire").headers["location"] == "/kb/affiliations?msg=retired"
    assert "Hanoi" not in [a.counterpart for a in facade.affiliations_of_prefecture("Fukuoka")]
    html = client.get("/kb/affiliations", follow_redirects=False).text
    assert re.search(r"<td data-label=\"State\">Retired</td>", html)
    post(client, f"/kb/affiliations/{target}/restore")
    assert "Hanoi" in [a.counterpart for a in facade.affiliations_of_prefecture("Fukuoka")]


def test_editing_an_affiliation(client, facade, engine):
    target = affiliation_id(engine, "Kochi", "Surabaya")
    assert post(client, f"/kb/affiliations/{target}", prefecture="Kochi", municipality="Kochi City",
                counterpart="Surabaya", counterpart_as_written="Surabaya, East Java").status_code == 303
    assert {a.counterpart: a.municipality for a in facade.affiliations_of_prefecture("Kochi")}["Surabaya"] == "Kochi City"


def test_editions_added_edited_and_removed(client, facade):
    assert post(client, "/kb/editions/new", fiscal_year="2016", countries=["Indonesia"], cities=["Jakarta"],
                host_text="Indonesia (Jakarta)", title="2016 Japan – Indonesia Regional Exchange Promotion Program",
                status="held", reason="", source_note="").status_code == 303
    edition = facade.edition("FY2016")
    assert edition.countries == ("Indonesia",) and edition.cities == ("Jakarta",) and edition.status == "held"
    assert [e.fiscal_year for e in facade.editions_in_country("Indonesia")] == [2012, 2016]
    assert post(client, "/kb/editions/2016", fiscal_year="2016", countries=["Indonesia"], cities=[],
                host_text="Indonesia", title="", status="cancelled", reason="a volcanic eruption",
                source_note="").status_code == 303
    edition = facade.edition(2016)
    assert edition.status == "cancelled" and edition.reason == "a volcanic eruption" and edition.title is None
    assert "2016" in [str(e.fiscal_year) for e in facade.cancelled_editions()]
    page = client.get("/kb/editions/2016/remove", follow_redirects=False)
    assert page.status_code == 200 and "fiscal year 2016" in page.text
    assert facade.edition(2016) is not None  # the confirmation page changes nothing
    assert post(client, "/kb/editions/2016/remove").headers["location"] == "/kb/editions?msg=removed"
    assert facade.edition(2016) is None


def test_positions_and_aliases(client, facade, engine):
    assert post(client, "/kb/positions/new", code="SPA", name="Sports Programme Assistant",
                description="help run local sports exchanges", workplace="").status_code == 303
    position = facade.position("SPA")
    assert position.name == "Sports Programme Assistant" and position.workplace is None
    assert post(client, "/kb/aliases", target="position:SPA", alias="sports assistant").status_code == 303
    assert facade.position("sports assistant").code == "SPA"
    assert facade.resolve("sports assistants", "position").name == "SPA"  # typo tolerance on the new alias
    # Renaming the code keeps its aliases.
    assert post(client, "/kb/positions/SPA", code="SPX", name="Sports Programme Assistant",
                description="help run local sports exchanges", workplace="local boards of education").status_code == 303
    assert facade.position("sports assistant").code == "SPX" and facade.position("SPA") is None
    assert post(client, "/kb/positions/SPX/remove").status_code == 303
    assert facade.position("SPX") is None and facade.position("sports assistant") is None
    # An alias of a place, edited and removed.
    assert post(client, "/kb/aliases", target="place:Surabaya", alias="Kota Surabaya").status_code == 303
    assert facade.place("kota surabaya").name == "Surabaya"
    alias = [a for a in kb.aliases.list(engine, kind="place") if a.alias == "Kota Surabaya"][0]
    assert post(client, f"/kb/aliases/{alias.id}", target="place:Surabaya", alias="Surabaya City").status_code == 303
    assert facade.place("Surabaya City").name == "Surabaya" and facade.resolve("Kota Surabaya", "place").status != "exact"
    assert post(client, f"/kb/aliases/{alias.id}/remove").status_code == 303
    assert facade.resolve("Surabaya City", "place").status != "exact"


def test_changes_the_data_files_could_not_hold_are_refused(client, facade, engine):
    def refused(answer, *reasons):
        assert answer.status_code == 422, answer.text[:500]
        text = answer.text
        assert "Nothing was changed." in text
        for reason in reasons:
            assert reason in text, (reason, re.findall(r"<li>(.*?)</li>", text))

    version = facade.version()
    # An alias already used by another place (the loader's duplicate check).
    refused(post(client, "/kb/aliases", target="place:Surabaya", alias="Bombay"), "duplicate alias &#39;Bombay&#39;")
    # A cancelled edition needs a reason; a city must be in a host country.
    refused(post(client, "/kb/editions/new", fiscal_year="2017", countries=["Vietnam"], cities=[], host_text="",
                 title="", status="cancelled", reason="", source_note=""), "required when status is cancelled")
    refused(post(client, "/kb/editions/new", fiscal_year="2017", countries=["Vietnam"], cities=["Bangkok"],
                 host_text="", title="", status="held", reason="", source_note=""), "which is not a host country")
    refused(post(client, "/kb/editions/new", fiscal_year="2015", countries=["Vietnam"], cities=[], host_text="",
                 title="", status="held", reason="", source_note=""), "fiscal year 2015 already")
    # The same affiliation twice.
    refused(post(client, "/kb/affiliations/new", prefecture="Fukuoka", municipality="", counterpart="Hanoi",
                 counterpart_as_written=""), "duplicate of row")
    refused(post(client, "/kb/affiliations/new", prefecture="Atlantis", municipality="", counterpart="Hanoi",
                 counterpart_as_written=""), "Choose a prefecture from the list.")
    refused(post(client, "/kb/positions/new", code="ALT", name="x", description="y", workplace=""),
            "code ALT already")
    refused(post(client, "/kb/places/new", name="Jakarta", kind="city", region="", country="Indonesia",
                 source_spelling=""), "called Jakarta already")
    # A place that is in use cannot be removed.
    with Session(engine) as session:
        hanoi = session.scalar(select(m.Place.id).where(m.Place.name == "Hanoi"))
    refused(post(client, f"/kb/places/{hanoi}/remove"), "named by")
    assert facade.version() == version and facade.place("Hanoi") is not None
    assert recent(engine, "kb.")[1] == 0


def test_the_form_keeps_what_was_typed_when_refused(client):
    answer = post(client, "/kb/editions/new", fiscal_year="2017", countries=["Vietnam", "Cambodia"], cities=[],
                  host_text="Vietnam <b>and</b> Cambodia", title="", status="cancelled", reason="", source_note="")
    assert answer.status_code == 422
    assert 'value="Vietnam &lt;b&gt;and&lt;/b&gt; Cambodia"' in answer.text
    assert 'value="Cambodia" checked' in answer.text and 'value="cancelled" checked' in answer.text


def test_every_kb_change_is_audited_with_before_and_after(client, engine):
    target = affiliation_id(engine, "Kochi", "Surabaya")
    post(client, f"/kb/affiliations/{target}", prefecture="Kochi", municipality="Kochi City", counterpart="Surabaya",
         counterpart_as_written="Surabaya, East Java")
    post(client, f"/kb/affiliations/{target}/retire")
    entries, total = recent(engine, "kb.")
    assert total == 2
    retire, edit = entries
    assert (edit.actor, edit.action, edit.entity, edit.key) == ("Aiko Sato", "updated", "kb.affiliation",
                                                                "Kochi → Surabaya")
    assert [(c.field, c.before, c.after) for c in edit.changes] == [("municipality", None, "Kochi City")]
    assert [(c.field, c.before, c.after) for c in retire.changes] == [("retired", False, True)]
    assert edit.at <= retire.at
    html = client.get("/audit?entity=kb.", follow_redirects=False).text
    assert "Kochi → Surabaya" in html and "<ins>Kochi City</ins>" in html


def test_the_overview_says_when_changes_are_not_in_the_files_yet(client, engine):
    assert "are not in the data files yet" not in client.get("/kb/", follow_redirects=False).text
    post(client, "/kb/aliases", target="country:Vietnam", alias="Socialist Republic of Vietnam")
    post(client, "/kb/aliases", target="country:India", alias="Bharat")
    html = client.get("/kb/", follow_redirects=False).text
    assert "2 change(s) are not in the data files yet" in html and "python -m bot kb export" in html
