"""Event exports (ACLED/GDELT-like CSV, JSON Lines, GeoJSON) from articles read by the real pipeline."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app
from marsad.kb.loader import load_kb
from marsad.store.export import COLUMNS

PAGE = "\n\n".join(
    [
        "غارات جوية على إدلب",
        "12 مارس 2024، 10:15 ص",
        "قتل 12 شخصا على الأقل في غارة جوية استهدفت سوقا شعبية في مدينة إدلب شمال غربي سوريا،"
        " بحسب ما أفاد المرصد السوري لحقوق الإنسان.",
        "وقال المرصد إن الطائرات الروسية شنت الغارة صباح اليوم، فيما أصيب أكثر من 30 آخرين بجروح.",
    ]
)


def _exported(tmp_path: Path, fmt: str) -> str:
    page = tmp_path / "idlib.txt"
    page.write_text(PAGE, encoding="utf-8")
    db = str(tmp_path / "export.db")
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", str(page), "--db", db])
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(app, ["export", "--format", fmt, "--db", db])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_rows_carry_date_type_actor_place_with_coordinates_and_source(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_exported(tmp_path, "csv"))))
    assert tuple(rows[0]) == COLUMNS
    idlib = next(e for e in load_kb().entities.values() if e.name_en == "Idlib")
    strike = rows[0]
    assert (strike["date"], strike["type"], strike["plover"]) == ("2024-03-12", "attack", "ASSAULT")
    # The city, not the wider region named after it, and the KB's coordinates for it.
    assert (strike["place"], float(strike["lat"]), float(strike["lon"])) == ("Idlib", idlib.lat, idlib.lon)
    assert strike["place_inferred"] == "False"
    assert (float(strike["figure"]), strike["unit"]) == (12.0, "person")
    assert strike["source"] == "المرصد السوري لحقوق الإنسان"
    assert strike["sentence"].startswith("قتل 12 شخصا")
    # The follow-up sentence names no place: it continues where the story is, and says so.
    follow_up = rows[1]
    assert (follow_up["actor1"], follow_up["place"], follow_up["place_inferred"]) == (
        "Russia",
        "Idlib",
        "True",
    )
    assert follow_up["date"] == "2024-03-12" and follow_up["time_value"].startswith("2024-03-12T")


def test_geojson_points_are_lon_lat_and_jsonl_has_every_event(tmp_path: Path) -> None:
    collection = json.loads(_exported(tmp_path, "geojson"))
    assert collection["type"] == "FeatureCollection"
    points = [f["geometry"]["coordinates"] for f in collection["features"]]
    idlib = next(e for e in load_kb().entities.values() if e.name_en == "Idlib")
    assert points and all(p == [idlib.lon, idlib.lat] for p in points)
    lines = [json.loads(line) for line in _exported(tmp_path, "jsonl").splitlines() if line]
    assert [row["type"] for row in lines] == ["attack", "attack"]
