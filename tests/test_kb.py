"""The shipped knowledge base loads, is broad, and its data is usable (coordinates, demonyms, domains)."""

from pathlib import Path

import pytest

from marsad.kb.loader import KnowledgeBaseError, load_kb, load_kb_from
from marsad.models import EntityType
from marsad.text.normalize import normalize


def test_kb_covers_the_region_broadly() -> None:
    kb = load_kb()
    by_type = {t: [e for e in kb.entities.values() if e.type == t] for t in EntityType}
    assert len(kb.entities) >= 400
    states = [e for e in by_type[EntityType.GPE] if e.subtype == "state"]
    assert len(states) >= 60
    assert len(by_type[EntityType.FACILITY]) >= 40
    assert len(by_type[EntityType.PERSON]) >= 60


def test_every_state_and_facility_with_a_place_has_coordinates_in_range() -> None:
    kb = load_kb()
    for record in kb.entities.values():
        if record.subtype == "state":
            assert record.lat is not None, record.id
        if record.country is not None:
            assert record.country in kb.entities, f"{record.id}: unknown country {record.country}"


def test_demonym_inflections_resolve_to_their_state() -> None:
    kb = load_kb()
    found = kb.lexicon.scan(normalize("القوات الروسية والأمريكيون وانسحابًا أمريكيًا في المناطق السورية").text)
    assert [m.payload for m in found["demonym"]] == ["gpe:russia", "gpe:usa", "gpe:usa", "gpe:syria"]


def test_washington_the_city_is_not_the_state() -> None:
    kb = load_kb()
    assert kb.entity("gpe:washington").type == EntityType.GPE
    assert kb.entity("gpe:washington").subtype == "city"
    assert "واشنطن" not in kb.entity("gpe:usa").aliases


def test_ambiguous_common_words_are_not_bare_aliases() -> None:
    """القاعدة ("the base") and الشباب ("the youth") only name groups in their full forms."""
    kb = load_kb()
    found = kb.lexicon.scan(normalize("أغلقت القاعدة العسكرية أمام الشباب").text)
    assert found["entity"] == []
    found = kb.lexicon.scan(normalize("هاجم تنظيم القاعدة مواقع حركة الشباب").text)
    assert [m.payload for m in found["entity"]] == ["org:al_qaeda", "org:al_shabaab"]


def test_media_outlets_carry_their_domains() -> None:
    kb = load_kb()
    assert "eremnews.com" in kb.entity("media:erem_news").domains


def test_a_bad_data_file_fails_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "entities").mkdir()
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "entities" / "bad.yaml").write_text(
        "entities:\n  - {id: 'gpe:x', name_ar: س, name_en: X, type: GPE, lat: 10}\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match="lat and lon go together"):
        load_kb_from(tmp_path)


def test_context_names_point_at_known_entities() -> None:
    kb = load_kb()
    for entry in kb.lexicons["context_name"].entries:
        assert entry.value["entity"] in kb.entities
        assert all(i in kb.entities for i in entry.value["context"])


def test_a_schema_error_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "entities").mkdir()
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "entities" / "broken.yaml").write_text(
        "entities:\n  - {id: x, name_ar: س, name_en: X, type: NOT_A_TYPE}\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match="broken.yaml"):
        load_kb_from(tmp_path)


def test_capitals_are_seats_of_their_state_and_a_seat_must_exist(tmp_path: Path) -> None:
    kb = load_kb()
    assert kb.entity("gpe:tehran").seat_of == "gpe:iran"
    assert kb.entity("gpe:aleppo").seat_of is None
    (tmp_path / "entities").mkdir()
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "entities" / "seat.yaml").write_text(
        "entities:\n  - {id: 'gpe:x', name_ar: س, name_en: X, type: GPE, seat_of: 'gpe:nowhere'}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="seat_of"):
        load_kb_from(tmp_path)
