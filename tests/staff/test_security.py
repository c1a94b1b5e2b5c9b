"""CSRF, cookies, security headers, session expiry and sign-out, escaping of visitor text, and no
personal data in logs."""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.inquiries.timeutil import utcnow
from bot.staff.accounts import set_active
from bot.staff.models import StaffSession
from tests.staff.client import make_client
from tests.staff.conftest import PASSWORD, csrf_of, sign_in

XSS_ORGANISATION = "<script>window.__pwned=1</script> City"
XSS_CONTACT = '<img src=x onerror="window.__pwned=1">'


def test_a_post_needs_the_sessions_own_csrf_token(client, app, ben, submit):
    reference = submit()
    note = f"/inquiries/{reference}/notes"
    assert client.post(note, data={"body": "no token"}, follow_redirects=False).status_code == 403
    assert client.post(note, data={"body": "wrong", "csrf_token": "x" * 43}, follow_redirects=False).status_code == 403
    with make_client(app, client=("127.0.0.2", 50001)) as other:  # Ben's token is not Aiko's
        sign_in(other, "ben@clair.example", "another long passphrase")
        bens_token = csrf_of(other.get("/", follow_redirects=False).text)
    assert client.post(note, data={"body": "ben's token", "csrf_token": bens_token},
                       follow_redirects=False).status_code == 403
    assert client.post(note, data={"body": "right", "csrf_token": client.csrf}, follow_redirects=False).status_code == 303
    page = client.get(f"/inquiries/{reference}", follow_redirects=False).text
    assert "right" in page and "no token" not in page and "ben&#39;s token" not in page


def test_a_token_in_the_query_string_or_a_json_body_does_not_count(client, submit):
    reference = submit()
    answer = client.post(f"/inquiries/{reference}/notes?csrf_token={client.csrf}", data={"body": "x"},
                         follow_redirects=False)
    assert answer.status_code == 403
    answer = client.request("POST", f"/inquiries/{reference}/notes", data=f'{{"csrf_token": "{client.csrf}"}}',
                            headers={"content-type": "application/json"}, follow_redirects=False)
    assert answer.status_code == 403


def test_a_cross_site_post_is_refused_even_with_the_token(client, submit):
    reference = submit()
    data = {"body": "x", "csrf_token": client.csrf}
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"},
                    {"origin": "null"}):
        answer = client.post(f"/inquiries/{reference}/notes", data=data, headers=headers, follow_redirects=False)
        assert answer.status_code == 403, headers
    same = client.post(f"/inquiries/{reference}/notes", data=data, follow_redirects=False,
                       headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"})
    assert same.status_code == 303


def test_the_sign_in_form_has_its_own_csrf_token(anonymous, aiko):
    page = anonymous.get("/login", follow_redirects=False)
    token = csrf_of(page.text)
    data = {"email": "aiko@clair.example", "password": PASSWORD}
    assert anonymous.post("/login", data=data, follow_redirects=False).status_code == 403
    assert anonymous.post("/login", data={**data, "csrf_token": "forged"}, follow_redirects=False).status_code == 403
    saved = dict(anonymous.cookies)
    anonymous.cookies.clear()  # a forged form from elsewhere has no sign-in cookie
    assert anonymous.post("/login", data={**data, "csrf_token": token}, follow_redirects=False).status_code == 403
    anonymous.cookies.update(saved)
    assert anonymous.post("/login", data={**data, "csrf_token": token}, follow_redirects=False).status_code == 303


def _cookie_lines(answer, name):
    return [line for line in answer.headers.get_list("set-cookie") if line.startswith(name + "=")]


def test_cookies_are_httponly_samesite_and_secure_over_https(app, aiko, settings, engine):
    with make_client(app) as plain:
        answer = sign_in(plain)
        line = _cookie_lines(answer, "clair_staff")[0]
        assert "HttpOnly" in line and "SameSite=Lax" in line and "Path=/" in line and "Secure" not in line
        assert "Max-Age" not in line and "Expires" not in line  # a browser-session cookie; the server expires it
    with make_client(app, base_url="https://testserver") as tls:
        line = _cookie_lines(sign_in(tls), "clair_staff")[0]
        assert "Secure" in line and "HttpOnly" in line
    from dataclasses import replace

    from bot.web.staff import create_staff_app

    behind_proxy = create_staff_app(replace(settings, staff_secure_cookies=True), engine)
    with make_client(behind_proxy) as c:
        page = c.get("/login", follow_redirects=False)
        assert "Secure" in _cookie_lines(page, "clair_staff_login")[0]
        assert "SameSite=Strict" in _cookie_lines(page, "clair_staff_login")[0]


def test_every_answer_has_the_security_headers(client, anonymous, submit):
    reference = submit()
    answers = [client.get("/", follow_redirects=False), client.get(f"/inquiries/{reference}", follow_redirects=False),
               client.get("/no/such/page", follow_redirects=False), anonymous.get("/", follow_redirects=False),
               anonymous.get("/login", follow_redirects=False), anonymous.get("/static/staff.css", follow_redirects=False),
               client.get("/queue.csv", follow_redirects=False)]
    for answer in answers:
        csp = answer.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src" not in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "same-origin"
    assert answers[0].headers["cache-control"] == "no-store"
    assert answers[1].headers["cache-control"] == "no-store"


def test_pages_have_no_inline_scripts_styles_or_outside_resources(client, submit):
    reference = submit()
    for path in ("/", f"/inquiries/{reference}", "/kb/", "/kb/editions/new", "/audit"):
        html = client.get(path, follow_redirects=False).text
        assert "<script" not in html and " style=" not in html and "onclick" not in html
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_visitor_text_is_escaped_everywhere_it_is_shown(client, submit, tracker):
    reference = submit(organisation=XSS_ORGANISATION, contact_name=XSS_CONTACT, message="</textarea><b>hi</b>",
                       conversation_id="xss-visitor")
    tracker("xss-visitor", [("user", XSS_CONTACT), ("bot", "Thanks!")])
    for path in ("/", f"/inquiries/{reference}", "/?q=City"):
        html = client.get(path, follow_redirects=False).text
        assert "<script>window" not in html and "<img src=x" not in html and "<b>hi</b>" not in html, path
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; City" in html, path
    html = client.get(f"/inquiries/{reference}", follow_redirects=False).text
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html


def test_an_idle_session_and_an_old_session_expire(client, engine, settings):
    assert client.get("/", follow_redirects=False).status_code == 200
    with Session(engine) as session, session.begin():
        session.execute(update(StaffSession).values(
            last_seen_at=utcnow() - timedelta(minutes=settings.staff_session_idle_minutes + 1)))
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and "msg=expired" in answer.headers["location"]
    with Session(engine) as session:
        assert session.scalars(select(StaffSession)).all() == []  # the expired session is gone

    sign_in(client)
    assert client.get("/", follow_redirects=False).status_code == 200
    with Session(engine) as session, session.begin():
        session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session_for_good(client, engine):
    stolen = dict(client.cookies)
    answer = client.post("/logout", data={"csrf_token": client.csrf}, follow_redirects=False)
    assert answer.status_code == 303 and "msg=signed-out" in answer.headers["location"]
    assert any("Max-Age=0" in line for line in _cookie_lines(answer, "clair_staff"))
    with Session(engine) as session:
        assert session.scalars(select(StaffSession)).all() == []
    client.cookies.clear()
    client.cookies.update(stolen)  # a copy of the old cookie is worth nothing now
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_sign_in_always_gets_a_fresh_session_token(app, aiko):
    with make_client(app) as c:
        c.cookies["clair_staff"] = "chosen-by-an-attacker"  # session fixation
        response = sign_in(c)
        assert response.status_code == 303
        first = response.cookies.get("clair_staff")  # what the server set, not what the client sent
        assert first and first != "chosen-by-an-attacker" and len(first) >= 40
    with make_client(app) as other:
        assert sign_in(other).cookies.get("clair_staff") != first


def test_disabling_an_account_ends_its_sessions(client, engine):
    set_active(engine, "aiko@clair.example", False)
    assert client.get("/", follow_redirects=False).status_code == 303
    client.cookies.clear()
    assert sign_in(client).status_code == 401  # and it cannot sign in again


def test_search_terms_never_reach_the_servers_access_log(app, client):
    """uvicorn logs scope['path'] and scope['query_string'] of the scope it passed in."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/", "raw_path": b"/", "query_string": b"q=Hanako+Tanaka", "root_path": "",
             "headers": [(b"host", b"testserver"), (b"cookie", f"clair_staff={client.cookies.get('clair_staff')}".encode())],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 200 and b"Hanako Tanaka" in b"".join(m.get("body", b"") for m in sent[1:])
    assert scope["query_string"] == b""


def test_no_personal_data_in_logs(client, submit, caplog, anonymous):
    caplog.set_level(logging.DEBUG)
    reference = submit(contact_name="Hanako Tanaka", email="tanaka@city.example.jp")
    client.get("/?q=Tanaka", follow_redirects=False)
    client.post(f"/inquiries/{reference}/notes", data={"body": "Called Ms Tanaka on +81 3 1234", "csrf_token": client.csrf},
                follow_redirects=False)
    client.post(f"/inquiries/{reference}/status", data={"from": "new", "to": "in_review", "csrf_token": client.csrf},
                follow_redirects=False)
    sign_in(anonymous, "aiko@clair.example", "wrong password!")
    sign_in(anonymous, "someone.else@example.org", "wrong password!")
    # Starlette's TestClient (httpx) logs the requests it sends; only the console's logs count.
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert reference in text  # the reference is how logs point at an inquiry
    for personal in ("Tanaka", "tanaka@", "+81", "aiko@clair.example", "someone.else", "wrong password", "127.0.0.1"):
        assert personal not in text, personal


def test_an_error_shows_nothing_and_logs_only_its_class(client, submit, monkeypatch, caplog):
    from bot.web.staff import inquiry_views

    reference = submit()

    def broken(*args, **kwargs):
        raise ValueError("tanaka@city.example.jp is in this message")

    monkeypatch.setattr(inquiry_views, "get_inquiry", broken)
    caplog.set_level(logging.DEBUG)
    answer = client.get(f"/inquiries/{reference}", follow_redirects=False)
    assert answer.status_code == 500 and "tanaka" not in answer.text
    assert "content-security-policy" in answer.headers
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in logged and "tanaka" not in logged
    assert all(r.exc_info is None for r in caplog.records)
