"""Scale: run the pipeline over many documents in parallel with Dask, streaming, with a batch report."""

from marsad.scale.report import BatchReport
from marsad.scale.runner import SchedulerError, run

__all__ = ["BatchReport", "SchedulerError", "run"]
