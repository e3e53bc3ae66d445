"""``python -m bench.snapshot write|compare FILE``: the pipeline's whole output on a fixed sample, to prove
that a speed change changed no result.

``write`` runs :func:`marsad.pipeline.process` over the sample (the benchmark corpus in its fixed order)
and stores one JSON line per document; ``compare`` runs it again and reports every document whose output
differs, with the first differing field.  Exit code 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.corpus import ant_files, write_generated_corpus
from marsad.ingest import iter_documents
from marsad.kb.loader import load_kb
from marsad.models import Rejection
from marsad.pipeline import Limits, process


def sample(count: int, folder: Path) -> list[Path]:
    """Every ``len/count``-th ANT file (all outlets), or a generated corpus where ANT is absent."""
    files = ant_files()
    if not files:
        return write_generated_corpus(folder, count)
    stride = max(1, len(files) // count)
    return files[::stride][:count]


def outputs(paths: list[Path]) -> list[dict]:
    kb, limits = load_kb(), Limits(max_seconds=300.0)
    results = []
    for document in iter_documents(str(p) for p in paths):
        result = document if isinstance(document, Rejection) else process(document, kb, limits)
        results.append(json.loads(result.model_dump_json()))
    return results


def first_difference(old: object, new: object, path: str = "") -> str | None:
    """Where two JSON values first differ, as a dotted path with both values (None when equal)."""
    if type(old) is not type(new):
        return f"{path}: {old!r:.200} != {new!r:.200}"
    if isinstance(old, dict):
        for key in sorted(set(old) | set(new)):
            diff = first_difference(old.get(key), new.get(key), f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(old, list):
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            diff = first_difference(a, b, f"{path}[{i}]")
            if diff:
                return diff
        if len(old) != len(new):
            return f"{path}: {len(old)} items != {len(new)} items"
        return None
    return None if old == new else f"{path}: {old!r:.200} != {new!r:.200}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["write", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    folder = args.file.with_suffix(".corpus")
    results = outputs(sample(args.count, folder))
    if args.action == "write":
        args.file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), "utf-8")
        print(f"{len(results)} documents written to {args.file}")
        return
    old = [json.loads(line) for line in args.file.read_text("utf-8").splitlines()]
    if len(old) != len(results):
        sys.exit(f"{len(old)} documents in {args.file}, {len(results)} now: `write` with the same --count")
    pairs = zip(old, results, strict=True)
    differing = [(o.get("source"), d) for o, n in pairs if (d := first_difference(o, n))]
    for source, diff in differing[:20]:
        print(f"{source}\n    {diff}")
    print(f"{len(differing)} of {len(results)} documents differ")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
