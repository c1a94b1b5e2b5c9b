"""The action server's facade reuses its SQLite connection across queries (opening the file for
every query was a third of an answer's cost) and still sees other processes' writes at once."""
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from actions import knowledge_access
from knowledge import models as m


def test_many_queries_open_one_sqlite_connection(database_url):
    facade = knowledge_access.knowledge_base()
    opened = []
    event.listen(facade._engine, "connect", lambda *_: opened.append(1))
    for _ in range(5):
        assert facade.resolve("Fukuoka").name == "Fukuoka"
        assert facade.find_names("sister cities of Osaka")
        assert facade.organisation_names()
    assert len(opened) <= 1  # the first query may open it; none after


def test_a_write_by_another_connection_is_read_at_once(database_url, engine):
    facade = knowledge_access.knowledge_base()
    assert facade.exchange_program().organiser == "CLAIR Singapore"
    with Session(engine) as session, session.begin():
        session.execute(update(m.SourceText).where(m.SourceText.subject == "regional_exchange",
                                                   m.SourceText.key == "organiser").values(value="CLAIR"))
    assert facade.exchange_program().organiser == "CLAIR"
