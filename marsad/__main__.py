"""``marsad`` and ``python -m marsad``: the command line, imported only when it runs.

The console script names this module rather than ``marsad.cli``: each Dask worker that ``marsad ingest``
or ``marsad extract`` starts imports the script that started its parent again (multiprocessing's
spawn), and from here that costs a worker nothing instead of the whole command line (Typer, Rich, the
commands of the store and the API: ~5 MB in every worker)."""


def main() -> None:
    from marsad.cli import app

    app()


if __name__ == "__main__":
    main()
