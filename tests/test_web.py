"""The dashboard's server side: its page and files, and its aggregate endpoints over a small store."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.models import (
    Article,
    Attribution,
    AttributionKind,
    Entity,
    EntityType,
    Event,
    Mention,
    Quantity,
    Role,
    Sentence,
    Span,
    TimeExpression,
    TimeType,
)
from marsad.store import Store
from marsad.web import STATIC

USA = Entity(
    id="gpe:usa",
    name_ar="الولايات المتحدة",
    name_en="United States",
    type=EntityType.GPE,
    lat=38.9,
    lon=-77.0,
)
SYRIA = Entity(id="gpe:syria", name_ar="سوريا", name_en="Syria", type=EntityType.GPE, lat=33.5, lon=36.3)
TURKEY = Entity(id="gpe:turkey", name_ar="تركيا", name_en="Turkey", type=EntityType.GPE, lat=39.9, lon=32.9)
ISIS = Entity(id="org:isis", name_ar="داعش", name_en="ISIS", type=EntityType.ORG)
ENTITIES = {e.name_ar: e for e in (USA, SYRIA, TURKEY, ISIS)}
NETWORK_LOAD = re.compile(r"""(?:src=|href=|url\(|fetch\(|from |import\()\s*["']?(?:https?:)?//""")


def _span(text: str, surface: str, after: int = 0) -> Span:
    start = text.index(surface, after)
    return Span(start=start, end=start + len(surface), text=surface)


def _article(
    sentence: str,
    outlet: str,
    published: str,
    figure: tuple[str, float] | None = None,
    time: tuple[str, str] | None = None,
    event: tuple[str, str] | None = None,
    source: str | None = None,
) -> Article:
    """A one-sentence article with its items marked by offsets, as the pipeline would store it."""
    title = f"خبر {outlet}"
    text = f"{title}\n\n{sentence}"
    body = _span(text, sentence)
    mentions = [
        Mention(**_span(text, name, body.start).model_dump(), entity_id=entity.id, type=entity.type)
        for name, entity in ENTITIES.items()
        if name in sentence
    ]
    times = (
        [TimeExpression(**_span(text, time[0]).model_dump(), type=TimeType.DATE, value=time[1])]
        if time
        else []
    )
    quantities = (
        [Quantity(**_span(text, figure[0]).model_dump(), value=figure[1], unit="soldier")] if figure else []
    )
    attributions = (
        [Attribution(**_span(text, source).model_dump(), kind=AttributionKind.ANONYMOUS, sentence=0)]
        if source
        else []
    )
    events = []
    if event:
        places = [
            Role(**m.model_dump(include={"start", "end", "text"}), role="place", entity_id=m.entity_id)
            for m in mentions
            if m.entity_id == "gpe:syria"
        ]
        events.append(
            Event(
                **body.model_dump(),
                type=event[0],
                trigger=_span(text, event[1]),
                sentence=0,
                roles=places,
                time=0 if times else None,
                quantities=[0] if quantities else [],
            )
        )
    return Article(
        id=hashlib.sha256(text.encode()).hexdigest(),
        source=f"test:{outlet}",
        outlet=outlet,
        language="ar",
        text=text,
        title=_span(text, title),
        published=published,
        paragraphs=[body],
        sentences=[Sentence(**body.model_dump(), paragraph=0)],
        entities=[e for e in ENTITIES.values() if any(m.entity_id == e.id for m in mentions)],
        mentions=mentions,
        times=times,
        quantities=quantities,
        attributions=attributions,
        events=events,
    )


ARTICLES = [
    _article(
        "سحبت الولايات المتحدة 600 جندي من سوريا في أبريل 2025.",
        "إرم نيوز",
        "2025-05-28T16:48",
        figure=("600 جندي", 600),
        time=("أبريل 2025", "2025-04"),
        event=("withdraw", "سحبت"),
    ),
    _article(
        "قالت مصادر إن الولايات المتحدة أخرجت 500 جندي من سوريا خلال أبريل 2025.",
        "رويترز",
        "2025-05-30T09:00",
        figure=("500 جندي", 500),
        time=("أبريل 2025", "2025-04"),
        source="مصادر",
    ),
    _article(
        "أعلنت تركيا نشر 1000 جندي قرب الحدود لمواجهة داعش.",
        "بي بي سي",
        "2025-06-01T12:00",
        figure=("1000 جندي", 1000),
        event=("deploy", "نشر"),
    ),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The REST API's app (which mounts the dashboard) over a store holding ARTICLES."""
    db = str(tmp_path_factory.mktemp("web") / "web.db")
    with Store(db) as store:
        for article in ARTICLES:
            store.add(article)
    with TestClient(create_app(db)) as test_client:
        yield test_client


# ---------------------------------------------------------------------- page and static files


def test_index_is_arabic_right_to_left_and_its_files_exist(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<html dir="rtl" lang="ar">' in page.text
    for path in re.findall(r'(?:href|src)="(static/[^"]+)"', page.text):
        assert client.get(f"/{path}").status_code == 200, path


def test_every_module_import_resolves() -> None:
    modules = list((STATIC / "js").rglob("*.js"))
    assert modules
    for module in modules:
        for target in re.findall(r'from "(\.{1,2}/[^"]+)"', module.read_text(encoding="utf-8")):
            assert (module.parent / target).resolve().is_file(), f"{module.name} imports {target}"


def test_labels_cover_both_languages_and_every_key_the_ui_uses() -> None:
    labels = json.loads((STATIC / "labels.json").read_text(encoding="utf-8"))
    assert set(labels) == {"ar", "en"}
    assert set(labels["ar"]) == set(labels["en"])
    sources = [p.read_text(encoding="utf-8") for p in (STATIC / "js").rglob("*.js")]
    sources.append((STATIC / "index.html").read_text(encoding="utf-8"))
    used = {
        key
        for text in sources
        for key in re.findall(r'(?:\bt\(|data-label(?:-placeholder)?=)"([a-z]+\.[a-z.]+|[a-z]+)"', text)
    }
    used |= {f"legend.{kind}" for kind in ("mention", "time", "quantity", "trigger", "attribution")}
    assert used - set(labels["ar"]) == set()
    assert len(used) > 40


def test_vendored_map_assets_are_offline_and_licensed() -> None:
    vendor = STATIC / "vendor"
    assert (vendor / "leaflet" / "LICENSE").is_file()
    assert (vendor / "world-atlas" / "LICENSE").is_file()
    countries = json.loads((vendor / "world-atlas" / "countries-110m.geojson").read_text(encoding="utf-8"))
    assert countries["type"] == "FeatureCollection" and len(countries["features"]) > 150
    readme = (STATIC / "README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme and "ISC" in readme
    for path in STATIC.rglob("*"):
        if path.suffix in {".html", ".js", ".css"} and path.parent.name != "leaflet":
            assert not NETWORK_LOAD.search(path.read_text(encoding="utf-8")), f"{path} loads from the network"


# ---------------------------------------------------------------------- aggregates


def test_overview_counts_and_ranks(client: TestClient) -> None:
    data = client.get("/api/dashboard/overview").json()
    assert data["articles"] == 3
    assert (data["first"], data["last"]) == ("2025-05-28T16:48", "2025-06-01T12:00")
    assert {o["outlet"] for o in data["outlets"]} == {"إرم نيوز", "رويترز", "بي بي سي"}
    ranked = [(e["id"], e["count"]) for e in data["entities"]]
    assert ranked[:2] == [("gpe:syria", 2), ("gpe:usa", 2)]
    assert {t["type"]: t["count"] for t in data["event_types"]} == {"withdraw": 1, "deploy": 1}


def test_timeline_orders_by_referred_time_and_falls_back_to_publication(client: TestClient) -> None:
    page = client.get("/api/dashboard/timeline").json()
    assert page["total"] == 5  # two events, three figures
    whens = [(item["kind"], item["when"], item["when_from"]) for item in page["items"]]
    assert whens[0] == ("event", "2025-06-01", "published")  # the deployment names no time
    assert whens[1] == ("figure", "2025-06-01", "published")
    assert {w for w in whens[2:]} == {("event", "2025-04", "text"), ("figure", "2025-04", "text")}
    event = next(item for item in page["items"] if item["type"] == "withdraw")
    article = next(a for a in ARTICLES if a.id == event["article_id"])
    assert article.text[event["sentence"]["start"] : event["sentence"]["end"]] == event["text"]


def test_timeline_filters_and_pages(client: TestClient) -> None:
    def items(**params: str | int) -> dict:
        return client.get("/api/dashboard/timeline", params=params).json()

    assert {i["outlet"] for i in items(outlet="رويترز")["items"]} == {"رويترز"}
    assert [i["type"] for i in items(type="deploy")["items"]] == ["deploy"]
    by_name = items(entity="سوريا")
    assert by_name["total"] == 3 and all("سوريا" in i["text"] for i in by_name["items"])
    assert items(entity="no such entity")["total"] == 0
    first, second = items(limit=1, offset=0), items(limit=1, offset=1)
    assert first["total"] == second["total"] == 5
    assert first["items"] != second["items"] and len(first["items"]) == 1
    assert client.get("/api/dashboard/timeline", params={"limit": 0}).status_code == 422
    assert client.get("/api/dashboard/timeline", params={"limit": 10_000}).status_code == 422


def test_places_are_mentioned_entities_with_coordinates(client: TestClient) -> None:
    places = {p["id"]: p for p in client.get("/api/dashboard/places").json()["items"]}
    assert set(places) == {"gpe:usa", "gpe:syria", "gpe:turkey"}  # ISIS has no coordinates
    assert (places["gpe:syria"]["lat"], places["gpe:syria"]["lon"]) == (33.5, 36.3)
    assert places["gpe:syria"]["mentions"] == 2 and places["gpe:syria"]["events"] == 1
    assert places["gpe:turkey"]["events"] == 0


def test_entity_profile(client: TestClient) -> None:
    data = client.get("/api/dashboard/entities/gpe:usa").json()
    assert data["entity"]["name_ar"] == "الولايات المتحدة"
    assert data["mentions_by_month"] == [{"period": "2025-05", "count": 2}]
    assert [e["id"] for e in data["cooccurring"]] == ["gpe:syria"]
    figures = sorted((f["value"], f["outlet"], f["attribution"]) for f in data["figures"])
    assert figures == [(500.0, "رويترز", "مصادر"), (600.0, "إرم نيوز", None)]
    missing = client.get("/api/dashboard/entities/gpe:atlantis")
    assert missing.status_code == 404 and "gpe:atlantis" in missing.json()["error"]


def test_claims_side_by_side_mark_conflicts(client: TestClient) -> None:
    page = client.get("/api/dashboard/claims").json()
    measures = {(m["entity"]["id"], m["unit"], m["period"]): m for m in page["items"]}
    # Turkey's 1000 soldiers come from one outlet only: nothing to compare.
    assert set(measures) == {("gpe:usa", "soldier", "2025-04"), ("gpe:syria", "soldier", "2025-04")}
    usa = measures[("gpe:usa", "soldier", "2025-04")]
    assert usa["conflict"] is True
    assert sorted((c["outlet"], c["value"]) for c in usa["claims"]) == [
        ("إرم نيوز", 600.0),
        ("رويترز", 500.0),
    ]
    only_usa = client.get("/api/dashboard/claims", params={"entity": "United States"}).json()
    assert [m["entity"]["id"] for m in only_usa["items"]] == ["gpe:usa"]
