"""Browser sessions over HTTP (issue 21, point 1): signing in with a key once, the cookie it
gives, CSRF on every change made through it, session fixation, expiry and sign-out.

The rules come from ``app/api/sessions.py`` and ``app/api/routers/sessions.py``, which follow
the OWASP Session Management and CSRF Prevention cheat sheets: an HttpOnly, SameSite=Strict
cookie holding a fresh random token at every sign-in, Secure over TLS, expiring with the
session; a CSRF token for every change; sign-out ends the session on the server.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from app.api.sessions import CSRF_HEADER, SESSION_COOKIE
from app.domain.sessions import new_session, token_hash
from app.store.protocol import GraphStore
from tests.api.conftest import Keys, graph_state
from tests.api.test_auth_api import NEW_ORG

FORM_TOKEN = re.compile(r'name="form" value="([^"]+)"')


def sign_in(client: TestClient, key: str, next_: str = "/") -> str:
    """Sign ``client`` in through the form, as a browser would; the session token."""
    page = client.get("/sign-in")
    assert page.status_code == 200, page.text
    form = FORM_TOKEN.search(page.text)
    assert form is not None, page.text
    answer = client.post(
        "/sign-in", data={"key": key, "form": form[1], "next": next_}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    token = client.cookies.get(SESSION_COOKIE)
    assert isinstance(token, str) and token
    return token


def set_cookie_headers(answer: object) -> list[str]:
    return answer.headers.get_list("set-cookie")  # type: ignore[attr-defined, no-any-return]


def session_cookie(answer: object) -> str:
    """The ``Set-Cookie`` header that sets the session cookie."""
    (header,) = [h for h in set_cookie_headers(answer) if h.startswith(f"{SESSION_COOKIE}=")]
    return header


def csrf(client: TestClient) -> str:
    view = client.get("/api/session").json()
    assert view["signed_in"], view
    token: str = view["csrf_token"]
    return token


def test_signing_in_gives_an_httponly_strict_cookie_and_never_the_key(
    client: TestClient, keys: Keys
) -> None:
    page = client.get("/sign-in")
    form = FORM_TOKEN.search(page.text)
    assert form is not None
    answer = client.post(
        "/sign-in",
        data={"key": keys.tokens["editor"], "form": form[1], "next": "/organizations/utrasd"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/organizations/utrasd"
    cookie = session_cookie(answer)
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes
    assert "samesite=strict" in cookie.lower()
    assert "max-age=28800" in cookie.lower()  # SOLGRAPH_SESSION_HOURS' default, 8 hours
    assert "secure" not in attributes  # plain HTTP: a Secure cookie would never come back
    # sgk_<key id>_<secret>: the secret is all after the second underscore, and may hold more.
    secret = keys.tokens["editor"].split("_", 2)[2]
    assert len(secret) == 43  # 32 random bytes, URL-safe base64
    assert secret not in str(answer.headers) and secret not in answer.text
    assert keys.tokens["editor"] not in client.cookies.get(SESSION_COOKIE, "")


def test_over_tls_the_cookie_is_secure(client: TestClient, keys: Keys) -> None:
    secure = TestClient(client.app, base_url="https://testserver")
    page = secure.get("/sign-in")
    form = FORM_TOKEN.search(page.text)
    assert form is not None
    answer = secure.post(
        "/sign-in",
        data={"key": keys.tokens["reader"], "form": form[1]},
        headers={"Origin": "https://testserver"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert "secure" in {p.strip().lower() for p in session_cookie(answer).split(";")}


def test_a_session_stands_for_its_key(client: TestClient, keys: Keys) -> None:
    assert client.get("/api/session").json() == {
        "signed_in": False,
        "name": None,
        "role": None,
        "expires": None,
        "csrf_token": None,
    }
    sign_in(client, keys.tokens["editor"])
    view = client.get("/api/session")
    assert view.headers["cache-control"] == "no-store"
    body = view.json()
    assert (body["signed_in"], body["name"], body["role"]) == (True, "Eddie Editor", "editor")
    expires = datetime.fromisoformat(body["expires"])
    assert timedelta(hours=7, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=8)


def test_a_change_through_a_session_needs_its_csrf_token(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys.tokens["editor"])
    before = graph_state(client)
    for headers in ({}, {CSRF_HEADER: "0" * 64}, {CSRF_HEADER: ""}):
        refused = client.post("/api/organizations", json=NEW_ORG, headers=headers)
        assert refused.status_code == 403, refused.text
        assert CSRF_HEADER in refused.json()["detail"]
    assert graph_state(client) == before
    created = client.post("/api/organizations", json=NEW_ORG, headers={CSRF_HEADER: csrf(client)})
    assert created.status_code == 201, created.text
    history = client.get("/api/changes", params={"id": NEW_ORG["id"]}).json()
    assert [e["actor"] for e in history["items"]] == ["Eddie Editor"]


def test_another_sessions_csrf_token_is_refused(client: TestClient, keys: Keys) -> None:
    other = TestClient(client.app)
    sign_in(other, keys.tokens["editor"])
    stolen = csrf(other)
    sign_in(client, keys.tokens["editor"])
    refused = client.post("/api/organizations", json=NEW_ORG, headers={CSRF_HEADER: stolen})
    assert refused.status_code == 403, refused.text


def test_a_reader_session_may_not_write(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys.tokens["reader"])
    refused = client.post("/api/organizations", json=NEW_ORG, headers={CSRF_HEADER: csrf(client)})
    assert refused.status_code == 403
    assert "role reader" in refused.json()["detail"]


def test_a_planted_cookie_never_becomes_a_session(
    client: TestClient, keys: Keys, store: GraphStore
) -> None:
    """Session fixation: whatever token the browser held, sign-in makes a new one."""
    planted = "attacker-chosen-token-" + "x" * 20
    plant = {"domain": "testserver.local", "path": "/"}  # where the server's cookie goes
    client.cookies.set(SESSION_COOKIE, planted, **plant)
    token = sign_in(client, keys.tokens["editor"])
    assert token != planted
    assert store.find_session(token_hash(planted)) is None
    client.cookies.set(SESSION_COOKIE, planted, **plant)
    assert client.get("/api/session").json()["signed_in"] is False


def test_signing_in_again_ends_the_session_held_before(
    client: TestClient, keys: Keys, store: GraphStore
) -> None:
    first = sign_in(client, keys.tokens["reader"])
    second = sign_in(client, keys.tokens["editor"])
    assert first != second
    assert store.find_session(token_hash(first)) is None
    assert store.find_session(token_hash(second)) is not None


def test_an_expired_session_is_no_session(
    client: TestClient, keys: Keys, store: GraphStore
) -> None:
    editor = store.find_key(keys.tokens["editor"].split("_")[1])
    assert editor is not None
    now = datetime.now(UTC)
    session, token = new_session(editor, now - timedelta(hours=9), timedelta(hours=8))
    store.add_session(session)
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/api/session").json()["signed_in"] is False
    page = client.get("/sign-in")
    assert 'name="key"' in page.text  # the form again, not "signed in"
    before = graph_state(client)
    refused = client.post("/api/organizations", json=NEW_ORG, headers={CSRF_HEADER: "x"})
    assert refused.status_code == 401, refused.text
    assert "ended" in refused.json()["detail"]
    assert graph_state(client) == before
    # A read with the stale cookie is answered, as to anyone.
    assert client.get("/api/organizations/utrasd").status_code == 200


def test_signing_out_ends_the_session_on_the_server(
    client: TestClient, keys: Keys, store: GraphStore
) -> None:
    token = sign_in(client, keys.tokens["editor"])
    token_csrf = csrf(client)
    out = client.post("/sign-out", data={"csrf": token_csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["location"] == "/sign-in?signed_out=true"
    cleared = session_cookie(out).lower()
    assert "max-age=0" in cleared or "expires=thu, 01 jan 1970" in cleared
    assert store.find_session(token_hash(token)) is None
    # Replaying the old cookie (as a copy of it would) opens nothing.
    client.cookies.set(SESSION_COOKIE, token)
    refused = client.post("/api/organizations", json=NEW_ORG, headers={CSRF_HEADER: token_csrf})
    assert refused.status_code == 401


def test_sign_out_without_the_csrf_token_is_refused(
    client: TestClient, keys: Keys, store: GraphStore
) -> None:
    token = sign_in(client, keys.tokens["editor"])
    for data in ({}, {"csrf": "0" * 64}):
        refused = client.post("/sign-out", data=data, follow_redirects=False)
        assert refused.status_code == 403
        assert store.find_session(token_hash(token)) is not None


def test_a_revoked_key_ends_its_sessions(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys.tokens["editor"])
    revoked = client.delete("/api/keys/Eddie%20Editor", headers=keys.auth("admin"))
    assert revoked.status_code == 200, revoked.text
    assert client.get("/api/session").json()["signed_in"] is False


@pytest.mark.parametrize(
    ("pasted", "said"),
    [
        ("", "Paste your whole API key"),
        ("sgk_000000000000_" + "A" * 43, "not a valid API key"),
        ("not a key at all", "not a valid API key"),
    ],
)
def test_a_wrong_key_gets_the_form_again_saying_why(
    client: TestClient, keys: Keys, pasted: str, said: str
) -> None:
    page = client.get("/sign-in")
    form = FORM_TOKEN.search(page.text)
    assert form is not None
    answer = client.post("/sign-in", data={"key": pasted, "form": form[1]})
    assert answer.status_code == 401
    assert said in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    if pasted:
        assert pasted not in answer.text


def test_a_sign_in_without_the_forms_token_is_refused(client: TestClient, keys: Keys) -> None:
    """Login CSRF: another site's form cannot sign a browser in, even with a valid key."""
    client.get("/sign-in")
    for data in ({"key": keys.tokens["editor"]}, {"key": keys.tokens["editor"], "form": "x"}):
        answer = client.post("/sign-in", data=data, follow_redirects=False)
        assert answer.status_code == 403
        assert SESSION_COOKIE not in client.cookies


def test_a_form_posted_from_another_origin_is_refused(client: TestClient, keys: Keys) -> None:
    page = client.get("/sign-in")
    form = FORM_TOKEN.search(page.text)
    assert form is not None
    answer = client.post(
        "/sign-in",
        data={"key": keys.tokens["editor"], "form": form[1]},
        headers={"Origin": "https://elsewhere.example"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "another site" in answer.text
    token = sign_in(client, keys.tokens["editor"])
    out = client.post(
        "/sign-out",
        data={"csrf": csrf(client)},
        headers={"Origin": "https://elsewhere.example"},
        follow_redirects=False,
    )
    assert out.status_code == 403
    assert client.cookies.get(SESSION_COOKIE) == token


@pytest.mark.parametrize(
    ("asked", "went"),
    [
        ("/organizations/utrasd?basis=stated", "/organizations/utrasd?basis=stated"),
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example/x", "/"),
        ("/\\elsewhere.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_sign_in_only_leads_to_this_site(
    client: TestClient, keys: Keys, asked: str, went: str
) -> None:
    page = client.get("/sign-in")
    form = FORM_TOKEN.search(page.text)
    assert form is not None
    answer = client.post(
        "/sign-in",
        data={"key": keys.tokens["reader"], "form": form[1], "next": asked},
        follow_redirects=False,
    )
    assert answer.headers["location"] == went


def test_a_signed_in_reader_sees_names_in_the_trail(client: TestClient, keys: Keys) -> None:
    """Anonymous readers see roles (app/api/actors.py); a session, like a key, sees names,
    and a kept anonymous answer is never sent to it."""
    assert client.post("/api/organizations", json=NEW_ORG, headers=keys.auth("editor")).is_success
    url = f"/api/changes?id={NEW_ORG['id']}"
    assert [e["actor"] for e in client.get(url).json()["items"]] == ["editor"]
    assert [e["actor"] for e in client.get(url).json()["items"]] == ["editor"]
    sign_in(client, keys.tokens["reader"])
    assert [e["actor"] for e in client.get(url).json()["items"]] == ["Eddie Editor"]


def test_a_session_reads_where_reads_need_a_key(private_client: TestClient, keys: Keys) -> None:
    assert private_client.get("/api/organizations/utrasd").status_code == 401
    sign_in(private_client, keys.tokens["reader"])
    assert private_client.get("/api/organizations/utrasd").status_code == 200


def test_the_signed_in_page_names_the_key_and_offers_sign_out(
    client: TestClient, keys: Keys
) -> None:
    sign_in(client, keys.tokens["admin"])
    page = client.get("/sign-in")
    assert page.status_code == 200
    assert "Ada Admin" in page.text
    assert f'name="csrf" value="{csrf(client)}"' in page.text
    assert 'action="/sign-out"' in page.text
