"""Time and peak memory of merging a source that many claims name (untimed set-up).

    python bench/merge.py --claims 70000 [--keep DIR]

It writes CLAIMS claims from one source (a third of them through a relay), imports them
into a fresh SQLite database, then times ``source merge`` of that source into another,
and ``entity merge`` of the subject most claims name, each in a fresh process (wall time
and peak resident memory, as ``bench/run.py`` measures). Nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROVENANCE = [sys.executable, "-m", "provenance"]


def write_claims(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for key in ("alpha", "beta", "gamma"):
            out.write(json.dumps({"type": "source", "key": key, "name": key.title()}) + "\n")
        for i in range(count):
            claim = {
                "type": "claim",
                "key": f"c-{i:07d}",
                "text": f"Claim {i}: shelling reported in village {i % 500}",
                "subject": "region" if i % 2 else f"village-{i % 500}",
                "property": "killed",
                "value": i % 97,
                "attributions": [
                    {
                        "source": "alpha",
                        "via": ["gamma"] if i % 3 == 0 else [],
                        "confidence": 70,
                        "quote": f"Claim {i}",
                    }
                ],
            }
            out.write(json.dumps(claim) + "\n")


#: Runs a command and prints its peak memory (KB): the child's own, not the set-up's.
_PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory in MB of one command in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=70_000)
    parser.add_argument("--keep", type=Path)
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="provenance-merge-"))
    folder.mkdir(parents=True, exist_ok=True)
    data, db = folder / "claims.jsonl", folder / "merge.db"
    db.unlink(missing_ok=True)
    write_claims(data, options.claims)
    base = [*PROVENANCE, "--db", str(db)]
    for setup in (["init"], ["import", str(data)]):
        subprocess.run([*base, *setup], check=True, capture_output=True)
    print(f"{options.claims:,} claims from one source in {db}")
    runs = {
        "source merge beta alpha": ["source", "merge", "beta", "alpha", "--note", "bench"],
        "entity merge village-0 region": [
            "entity",
            "merge",
            "village-0",
            "region",
            "--note",
            "bench",
        ],
    }
    for name, command in runs.items():
        seconds, megabytes = timed([*base, *command])
        print(f"{name:<34} {seconds:8.2f} s {megabytes:8.0f} MB")


if __name__ == "__main__":
    main()
