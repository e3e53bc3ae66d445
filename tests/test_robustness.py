"""Limits and corrupted input: every file is processed or listed as rejected with a reason, and the
counts add up; one bad page never stops a batch."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bench.corpus import SENTENCES, generated_article
from marsad.cli import app
from marsad.models import Article, RawDocument, Rejection
from marsad.pipeline import Limits, process
from marsad.scale import run
from marsad.text.language import arabic_ratio, is_arabic
from tests.invariants import assert_valid_result

_SKIPPED = re.compile(r"skipped (?P<source>.+?): (?P<reason>[a-z_]+) \(.+\)$")
ARABIC = " ".join(SENTENCES[:6])  # ~80 words, about twice as many UTF-8 bytes as characters


# --------------------------------------------------------------------------- language


@given(st.text(alphabet=st.sampled_from(list("سوريا abcİ_٣3 .ـًٱ²\u06fd")), max_size=60), st.floats(0, 1))
def test_the_arabic_test_answers_as_the_whole_ratio(text: str, ratio: float) -> None:
    assert is_arabic(text, ratio) == (arabic_ratio(text) >= ratio)


# --------------------------------------------------------------------------- limits


def test_size_limit_counts_utf8_bytes_not_characters() -> None:
    limit = Limits(max_bytes=len(ARABIC) + 10)  # enough characters, too few bytes
    rejection = process(RawDocument(source="big", text=ARABIC), limits=limit)
    assert isinstance(rejection, Rejection) and rejection.reason == "too_large"
    assert str(len(ARABIC.encode())) in rejection.detail and "MARSAD_MAX_BYTES" in rejection.detail
    fits = Limits(max_bytes=len(ARABIC.encode()))
    assert isinstance(process(RawDocument(source="fits", text=ARABIC), limits=fits), Article)


def test_time_limit_is_checked_between_stages() -> None:
    rejection = process(RawDocument(source="slow", text=ARABIC), limits=Limits(max_seconds=1e-9))
    assert isinstance(rejection, Rejection) and rejection.reason == "too_slow"
    assert "MARSAD_MAX_SECONDS" in rejection.detail


def test_time_limit_stops_a_stage_that_never_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    def spin(*args: object) -> list:
        while True:
            pass

    monkeypatch.setattr("marsad.pipeline.extract_events", spin)
    started = time.monotonic()
    rejection = process(RawDocument(source="stuck", text=ARABIC), limits=Limits(max_seconds=0.3))
    assert isinstance(rejection, Rejection) and rejection.reason == "too_slow"
    assert time.monotonic() - started < 5
    monkeypatch.undo()
    assert isinstance(
        process(RawDocument(source="next", text=ARABIC), limits=Limits(max_seconds=0.3)), Article
    )


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_MAX_BYTES", "2048")
    monkeypatch.setenv("MARSAD_MAX_SECONDS", "2.5")
    assert Limits.from_env() == Limits(max_bytes=2048, max_seconds=2.5)
    monkeypatch.setenv("MARSAD_MAX_SECONDS", "soon")
    with pytest.raises(ValueError, match="MARSAD_MAX_SECONDS"):
        Limits.from_env()
    monkeypatch.setenv("MARSAD_MAX_SECONDS", "0")
    with pytest.raises(ValueError, match="greater than 0"):
        Limits.from_env()


def test_a_bad_limit_setting_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(ARABIC, encoding="utf-8")
    monkeypatch.setenv("MARSAD_MAX_BYTES", "lots")
    result = CliRunner().invoke(app, ["extract", str(page)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: MARSAD_MAX_BYTES='lots' is not a number"


def test_an_article_over_the_limit_is_rejected_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rng = random.Random(6)
    paths = []
    for i, words in enumerate((100, 3000, 100)):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(generated_article(rng, words), encoding="utf-8")
    monkeypatch.setenv("MARSAD_MAX_BYTES", "8000")
    results = list(run([str(p) for p in paths]))
    assert [type(r).__name__ for r in results] == ["Article", "Rejection", "Article"]
    assert results[1].reason == "too_large"


# --------------------------------------------------------------------------- a corrupted corpus


def _corrupted_corpus(folder: Path, rng: random.Random) -> list[Path]:
    """≥ 500 damaged files of the kinds a crawl produces, each kind made from real Arabic news text."""

    def page(words: int = 120) -> str:
        body = "".join(f"<p>{s}</p>\n" for s in generated_article(rng, words).split("\n") if s)
        return f"<html><head><title>{rng.choice(SENTENCES)[:40]}</title></head><body>{body}</body></html>"

    def comments(n: int) -> str:
        items = "".join(
            f"<div class='comment'><b>زائر {i}</b> {rng.choice(SENTENCES)}</div>\n" for i in range(n)
        )
        return page() + f"<!-- comments -->{items}"

    makers = {
        "truncated.html": lambda: page().encode()[: rng.randint(1, 2000)],
        "mojibake.txt": lambda: (
            generated_article(rng, 80).encode("utf-8").decode("cp1252", "replace").encode()
        ),
        "junk.html": lambda: rng.randbytes(rng.randint(1, 3000)),
        "empty.txt": lambda: rng.choice([b"", b"   \n\t\n", b"\xef\xbb\xbf", b"\n" * 50]),
        "cp1256.txt": lambda: generated_article(rng, 80).encode("cp1256", "replace"),
        "iso8859-6.html": lambda: page().encode("iso8859_6", "replace"),
        "utf16.txt": lambda: generated_article(rng, 60).encode(
            rng.choice(["utf-16", "utf-16-le", "utf-16-be"])
        ),
        "mixed.html": lambda: (
            page(60) + "<p>Breaking news: talks resume in Geneva on Monday.</p>" * 3
        ).encode(),
        "control.txt": lambda: "\x00\x1b\u202e".join(generated_article(rng, 60).split("،")).encode(),
        "marks.txt": lambda: "\u200f".join(rng.choice(SENTENCES) + "\u0651\u064b" for _ in range(8)).encode(),
    }
    paths: list[Path] = []
    for i in range(500):
        kind = list(makers)[i % len(makers)]
        paths.append(folder / f"{i:03d}-{kind}")
        paths[-1].write_bytes(makers[kind]())
    for i in range(4):  # huge comment pages, one of them over the size limit set by the test
        paths.append(folder / f"huge-{i}-comments.html")
        paths[-1].write_bytes(comments(250 if i else 4000).encode())
    return paths


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("corrupted")
    return folder, _corrupted_corpus(folder, random.Random(500))


def test_every_corrupted_file_is_processed_or_rejected_with_a_reason(
    corrupted: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, paths = corrupted
    monkeypatch.setenv("MARSAD_MAX_BYTES", "500000")
    result = CliRunner().invoke(app, ["extract", str(folder), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    articles = [Article.model_validate_json(line) for line in result.stdout.splitlines()]
    rejected = [_SKIPPED.match(line) for line in result.stderr.splitlines() if line.startswith("skipped ")]
    for article in articles:
        assert_valid_result(article)
    assert all(m is not None and m["reason"] != "internal_error" for m in rejected), rejected
    sources = [a.source for a in articles] + [m["source"] for m in rejected]
    assert sorted(sources) == sorted(str(p) for p in paths) and len(paths) >= 500
    summary = f"{len(paths)} documents: {len(articles)} processed, {len(rejected)} rejected"
    assert summary in result.stderr.splitlines()
    reasons = Counter(m["reason"] for m in rejected)
    assert reasons["too_large"] == 1 and reasons["empty"] >= 50
    assert reasons["binary"] >= 40  # random bytes renamed .html, UTF-16 without a BOM
    assert len(articles) >= 300


def test_extract_fails_only_when_nothing_could_be_processed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.html").write_bytes(bytes(range(256)) * 4)
    result = CliRunner().invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: nothing could be processed (2 rejected)"
