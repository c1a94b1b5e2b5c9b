"""Every route of the staff app, walked from the app's own route table: without a session nothing but
the sign-in page and the static files answers, and no page shows data; with one, every page works.
A route added later is walked automatically; a new path parameter needs a sample value below."""
from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from tests.staff.conftest import csrf_of

PUBLIC_ROUTES = {"login_page", "login"}  # plus the static files (a Mount)
PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def samples(reference, engine):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from knowledge import models as m

    with Session(engine) as session, session.begin():  # a staff answer, so that its pages exist too
        session.add(m.StaffAnswer(key="office-hours", question="When is the office open?", paraphrases=[],
                                  answer="Weekdays.", author="Staff", written="2026-12-08"))
    with Session(engine) as session:
        return {"reference": reference, "affiliation_id": session.scalar(select(m.Affiliation.id).limit(1)),
                "year": 2015, "code": "ALT", "place_id": session.scalar(select(m.Place.id).limit(1)),
                "alias_id": session.scalar(select(m.Alias.id).limit(1)), "conversation_id": "visitor-1",
                "answer_key": "office-hours"}


def walk(app, values):
    """(name, method, path) for every route and method of the app."""
    out = []
    for route in app.routes:
        if isinstance(route, Mount):
            out.append((route.name, "GET", route.path + "/staff.css"))
            continue
        assert isinstance(route, Route), route
        names = PARAM.findall(route.path)
        missing = [n for n in names if n not in values]
        assert not missing, f"add a sample value for {missing} (route {route.name})"
        path = PARAM.sub(lambda mt: str(values[mt.group(1)]), route.path)
        for method in sorted(route.methods - {"HEAD"}):
            out.append((route.name, method, path))
    return out


@pytest.fixture
def routes(app, engine, submit, tracker):
    tracker("visitor-1", [("user", "Secret question"), ("bot", "An answer")])  # the conversation page's sample
    return walk(app, samples(submit(organisation="Secret Org"), engine))


def test_the_walk_covers_every_route(app, routes):
    assert len({(name, method) for name, method, _ in routes}) >= len(app.routes)
    assert {"queue", "queue_csv", "inquiry", "inquiry_status", "kb_affiliation_create", "audit", "unanswered",
            "unanswered_point", "unanswered_dismiss", "conversation"} <= \
        {name for name, _, _ in routes}


def test_without_a_session_no_route_answers_with_data(anonymous, routes):
    for name, method, path in routes:
        if method == "GET":
            answer = anonymous.get(path, follow_redirects=False)
        else:
            answer = anonymous.post(path, data={"body": "x", "to": "closed"}, follow_redirects=False)
        where = f"{method} {path} ({name})"
        if name == "static":
            assert answer.status_code == 200, where
        elif name in PUBLIC_ROUTES:
            assert answer.status_code in (200, 403), where  # the sign-in form; a POST without its token: 403
            assert "Secret Org" not in answer.text and "SC-" not in answer.text, where
        elif method == "GET":
            assert "Secret question" not in answer.text, where
            assert answer.status_code == 303, where
            assert answer.headers["location"].startswith("/login?next="), where
            assert answer.text == "", where
        else:
            assert answer.status_code == 403, where
            assert "Secret Org" not in answer.text and "SC-" not in answer.text, where


def test_unknown_paths_and_head_requests_also_need_a_session(anonymous):
    assert anonymous.get("/no/such/page", follow_redirects=False).status_code == 303
    assert anonymous.request("HEAD", "/", follow_redirects=False).status_code == 303
    assert anonymous.request("PUT", "/kb/positions/ALT", follow_redirects=False).status_code == 403


def test_with_a_session_every_page_answers(client, routes):
    for name, method, path in routes:
        if method == "GET":
            answer = client.get(path, follow_redirects=False)
            expected = 303 if name == "login_page" else 200  # signed in: the sign-in page sends you on
            assert answer.status_code == expected, f"GET {path} ({name}): {answer.status_code} {answer.text[:300]}"


def test_a_signed_in_post_without_its_csrf_token_is_refused_on_every_route(client, routes):
    for name, method, path in routes:
        if method != "POST" or name in PUBLIC_ROUTES:
            continue
        for data in ({"to": "closed", "body": "x"}, {"csrf_token": "wrong", "to": "closed", "body": "x"}):
            answer = client.post(path, data=data, follow_redirects=False)
            assert answer.status_code == 403, f"POST {path} ({name}) with {data}"


def test_after_sign_in_the_console_goes_back_to_the_page_asked_for(app, aiko, submit):
    from tests.staff.client import make_client
    from tests.staff.conftest import sign_in

    reference = submit()
    with make_client(app) as c:
        asked = c.get(f"/inquiries/{reference}", follow_redirects=False)
        target = asked.headers["location"]
        login = c.get(target, follow_redirects=False)
        assert f'value="/inquiries/{reference}"' in login.text
        answer = c.post("/login", data={"csrf_token": csrf_of(login.text), "email": "aiko@clair.example",
                                        "password": "correct horse battery staple",
                                        "next": f"/inquiries/{reference}"}, follow_redirects=False)
        assert answer.headers["location"] == f"/inquiries/{reference}"
        # Never off-site (open redirect):
        for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
            c.cookies.clear()
            assert sign_in(c, next_path=evil).headers["location"] == "/"


def test_links_and_styles_work_when_mounted_beside_other_apps(settings, engine, aiko, tmp_path):
    """As bot/web/app.py serves it: under /staff, next to a public part with its own "static" route."""
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from bot.web.staff import create_staff_app
    from tests.staff.client import make_client
    from tests.staff.conftest import PASSWORD

    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "chat.css").write_text("body {}")
    site = Starlette(routes=[Mount("/static", app=StaticFiles(directory=str(tmp_path / "public")), name="static"),
                             Mount("/staff", app=create_staff_app(settings, engine))])
    with make_client(site) as c:
        answer = c.get("/staff/", follow_redirects=False)
        assert answer.headers["location"] == "/staff/login?next=%2Fstaff%2F"
        login = c.get("/staff/login?next=%2Fstaff%2F", follow_redirects=False)
        assert 'href="/staff/static/staff.css"' in login.text and 'action="/staff/login"' in login.text
        assert c.get("/staff/static/staff.css", follow_redirects=False).status_code == 200
        signed = c.post("/staff/login", data={"csrf_token": csrf_of(login.text), "email": "aiko@clair.example",
                                              "password": PASSWORD, "next": "/staff/"}, follow_redirects=False)
        assert signed.status_code == 303 and signed.headers["location"] == "/staff/"
        assert "Path=/staff" in " ".join(signed.headers.get_list("set-cookie"))
        page = c.get("/staff/", follow_redirects=False).text
        assert 'href="/staff/kb/"' in page and 'action="/staff/logout"' in page and 'href="/staff/queue.csv"' in page
        assert c.get("/staff/kb/affiliations", follow_redirects=False).status_code == 200
