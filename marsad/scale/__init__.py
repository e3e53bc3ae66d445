"""Scale: run the pipeline over many documents in parallel with Dask, streaming, with a batch report."""

from marsad.scale.json_lines import ArticleJson, article_json
from marsad.scale.report import BatchReport
from marsad.scale.runner import SchedulerError, run

__all__ = ["ArticleJson", "BatchReport", "SchedulerError", "article_json", "run"]
