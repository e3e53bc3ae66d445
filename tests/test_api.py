"""The REST API with FastAPI's test client: token-guarded ingest, input validation, pagination
bounds, article detail with spans, and Arabic search across clitics and spelling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.api.app import MAX_INGEST_BYTES
from marsad.store import Store
from tests.arabic_sentences import SENTENCES, make_article

TOKEN = "s3cret-token"
PAGE = (
    "خاص\n\nضغوط إسرائيل تفرمل خطط التحالف الدولي في سوريا\n\n"
    "جندي أمريكي يصافح طفلا في القامشلي بسوريا خلال جولة ميدانية للقوات.\n\n"
    "وقالت مصادر دبلوماسية غربية إن إسرائيل تعارض الانسحاب من شمال شرقي سوريا.\n"
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'api.db'}"


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db, ingest_token=TOKEN)) as test_client:
        yield test_client


def _auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_ingest_needs_a_configured_and_valid_token(db: str) -> None:
    with TestClient(create_app(db)) as closed:
        response = closed.post("/api/ingest", content=PAGE.encode(), headers={"Content-Type": "text/plain"})
        assert response.status_code == 503 and "MARSAD_INGEST_TOKEN" in response.json()["error"]
    with TestClient(create_app(db, ingest_token=TOKEN)) as open_:
        plain = {"Content-Type": "text/plain"}
        assert open_.post("/api/ingest", content=PAGE.encode(), headers=plain).status_code == 403
        wrong = open_.post("/api/ingest", content=PAGE.encode(), headers=plain | _auth("nope"))
        assert wrong.status_code == 403 and "token" in wrong.json()["error"]
        added = open_.post("/api/ingest?outlet=Erem", content=PAGE.encode(), headers=plain | _auth())
        assert added.status_code == 201, added.text
        assert added.json()["outcome"] == "added"
        again = open_.post("/api/ingest", content=PAGE.encode(), headers=plain | {"X-Ingest-Token": TOKEN})
        assert again.json() == added.json() | {"outcome": "unchanged", "url": None}


def test_malformed_and_oversized_requests_get_clear_json_errors(client: TestClient) -> None:
    json_type = {"Content-Type": "application/json"} | _auth()
    cases = [
        (b"{not json", json_type, 422),
        (b'{"url": "https://x.test"}', json_type, 422),  # no text
        (b"", {"Content-Type": "text/plain"} | _auth(), 400),
        (b"\xff\xfe\x00broken", {"Content-Type": "text/plain"} | _auth(), 400),
        (PAGE.encode(), {"Content-Type": "image/png"} | _auth(), 415),
        (b"x" * (MAX_INGEST_BYTES + 1), {"Content-Type": "text/plain"} | _auth(), 413),
    ]
    for body, headers, status in cases:
        response = client.post("/api/ingest", content=body, headers=headers)
        assert response.status_code == status, (status, response.text)
        assert response.json()["error"] and "\n" not in response.json()["error"]
    as_json = client.post("/api/ingest", json={"text": PAGE, "url": "https://x.test/1"}, headers=_auth())
    assert as_json.status_code == 201 and as_json.json()["url"] == "https://x.test/1"


def test_pagination_is_bounded_and_validated(client: TestClient, db: str) -> None:
    with Store(db) as store:
        for index in range(5):
            store.add(make_article(SENTENCES[index * 3 : index * 3 + 3], published=f"2018-03-0{index + 1}"))
    page = client.get("/api/articles?limit=2&offset=1").json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 1, 2)
    assert page["items"][0]["published"] == "2018-03-04"  # newest first, one skipped
    assert client.get("/api/articles?offset=5").json()["items"] == []
    for query in ("limit=0", "limit=201", "offset=-1", "offset=100001", "limit=abc", "since=yesterday"):
        response = client.get(f"/api/articles?{query}")
        assert response.status_code == 422, query
        assert response.json()["error"].startswith("invalid request")
    assert client.get("/api/articles?since=2018-03-04").json()["total"] == 2


def test_arabic_search_across_clitics_and_spelling(client: TestClient, db: str) -> None:
    syria = make_article(["جندي أمريكي يصافح طفلا في القامشلي بسوريا", "وقالت إسرائيل إنها تعارض الانسحاب"])
    with Store(db) as store:
        store.add(syria)
        store.add(make_article(SENTENCES[:3]))
    for query in ("سوريا", "اسرائيل", "لإسرائيل"):
        found = client.get("/api/search", params={"q": query}).json()
        assert [item["id"] for item in found["items"]] == [syria.id], query
    assert client.get("/api/search", params={"q": "كوبنهاغن"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "!!"}).status_code == 400
    assert client.get("/api/search").status_code == 422


def test_article_detail_entities_events_and_docs(client: TestClient) -> None:
    added = client.post(
        "/api/ingest", content=PAGE.encode(), headers={"Content-Type": "text/plain"} | _auth()
    )
    article_id = added.json()["id"]
    article = client.get(f"/api/articles/{article_id}").json()
    spans = article["paragraphs"] + article["sentences"] + article.get("mentions", [])
    assert spans and all(article["text"][s["start"] : s["end"]] == s["text"] for s in spans)
    assert client.get("/api/articles/deadbeef").status_code == 404
    entities = client.get("/api/entities?limit=200").json()
    for entity in entities["items"]:
        assert client.get(f"/api/entities/{entity['id']}").json()["id"] == entity["id"]
    assert client.get("/api/entities/no-such-entity").status_code == 404
    events = client.get("/api/events").json()
    assert events["total"] == len(article.get("events", []))
    assert all(e["article_id"] == article_id for e in events["items"])
    assert client.get("/api/timeline", params={"entity": "no such entity"}).status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "Marsad API"
    assert client.get("/docs").status_code == 200
