"""The one composition of Marsad's stages: raw page → Article.  CLI, API and Dask jobs all call this."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from marsad.clean import clean
from marsad.extract.attribution import extract_attributions
from marsad.extract.entities import extract_entities
from marsad.extract.events import extract_events
from marsad.extract.quantities import extract_quantities
from marsad.extract.time import extract_times
from marsad.kb.loader import KnowledgeBase, load_kb
from marsad.limits import Limits
from marsad.models import Article, RawDocument, Rejection
from marsad.text.analysis import analyse
from marsad.text.language import is_arabic

log = logging.getLogger(__name__)
MIN_ARABIC_RATIO = 0.3
NON_ARABIC_WARNING = "not Arabic text: Arabic analysis skipped"


class TimeLimitExceeded(Exception):
    """Raised inside the pipeline when an article has used up ``Limits.max_seconds``."""


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.armed = True

    def check(self) -> None:
        """Checked between stages: works in any thread (Dask workers run tasks in threads)."""
        if time.monotonic() > self.at:
            raise TimeLimitExceeded

    def interrupt(self, signum: int, frame: object) -> None:
        if self.armed:
            raise TimeLimitExceeded


@contextmanager
def _deadline(seconds: float) -> Iterator[_Deadline]:
    """A deadline; in the main thread, when nobody else uses SIGALRM, also a hard stop inside a stage."""
    deadline = _Deadline(seconds)
    hard = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    )
    if not hard:
        yield deadline
        return
    try:  # the alarm is one-shot and may fire anywhere below: the clean-up must still run, once
        signal.signal(signal.SIGALRM, deadline.interrupt)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield deadline
    finally:
        try:
            deadline.armed = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)


def process(
    raw: RawDocument, kb: KnowledgeBase | None = None, limits: Limits | None = None
) -> Article | Rejection:
    """Run every stage on one document.  Never raises: a failure or a broken limit becomes a ``Rejection``.

    ``limits`` defaults to :meth:`Limits.from_env`; batch runners resolve it once and pass it on.
    """
    try:
        limits = limits or Limits.from_env()
        size = limits.oversize(raw.text)
        if size is not None:
            detail = f"{size} bytes, over the limit of {limits.max_bytes} (MARSAD_MAX_BYTES)"
            return Rejection(source=raw.source, reason="too_large", detail=detail)
        with _deadline(limits.max_seconds) as deadline:
            return _process(raw, kb or load_kb(), deadline)
    except TimeLimitExceeded:
        detail = f"processing took over {limits.max_seconds:g} s (MARSAD_MAX_SECONDS)"
        return Rejection(source=raw.source, reason="too_slow", detail=detail)
    except Exception as exc:  # noqa: BLE001 - the pipeline's contract is to never let one page stop a batch
        log.debug("processing %s failed", raw.source, exc_info=True)
        return Rejection(source=raw.source, reason="internal_error", detail=f"{type(exc).__name__}: {exc}")


def _process(raw: RawDocument, kb: KnowledgeBase, deadline: _Deadline) -> Article | Rejection:
    if not raw.text.strip():
        return Rejection(source=raw.source, reason="empty", detail="no text in the document")
    article = clean(raw, kb)
    if not article.paragraphs:
        return Rejection(source=raw.source, reason="no_body", detail="no article body found")
    if not is_arabic(article.body, MIN_ARABIC_RATIO):
        article.language = "other"
        article.warnings.append(NON_ARABIC_WARNING)
        return article
    article.language = "ar"
    deadline.check()
    analysis = analyse(article, kb)
    deadline.check()
    article.mentions, article.entities = extract_entities(analysis, kb)
    deadline.check()
    article.times = extract_times(analysis, kb)
    deadline.check()
    article.quantities = extract_quantities(analysis, kb)
    deadline.check()
    article.attributions = extract_attributions(analysis, kb)
    deadline.check()
    article.events = extract_events(analysis, kb)
    return article
