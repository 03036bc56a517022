"""Commands on claims that all share one claim key (subject and property), each with its
own value: every claim conflicts with every other, so each record lists N - 1 partners
and the output itself grows as N². An attack measured 32 s at 1,000 claims and 205 s at
2,000 (the partners were deduplicated by scanning a list: N³).

    python bench/shared_key.py 500 1000 2000

Prints, for each N, each command's wall time and peak memory (the child's ``ru_maxrss``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROVENANCE = [sys.executable, "-m", "provenance"]
COMMANDS = [
    ["export", "-f", "jsonl"],
    ["claim", "list", "--limit", "0", "-f", "jsonl"],
    ["compare", "--subject", "town", "-f", "json"],
    ["timeline", "--subject", "town", "--property", "dead", "-f", "json"],
    ["flag", "-f", "json"],
]


def measure(db: str, command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run (this child's own ``ru_maxrss``)."""
    start = time.perf_counter()
    child = subprocess.Popen([*PROVENANCE, "--db", db, *command], stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit {child.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [500, 1000, 2000]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            db = str(Path(folder) / f"shared-{size}.db")
            records = {
                "claims": [
                    {
                        "key": f"c{n}",
                        "text": f"Claim {n}.",
                        "subject": "town",
                        "property": "dead",
                        "value": n,
                        "attributions": [{"source": f"s{n % 7}"}],
                    }
                    for n in range(size)
                ]
            }
            data = Path(folder) / f"shared-{size}.json"
            data.write_text(json.dumps(records))
            subprocess.run([*PROVENANCE, "--db", db, "init"], check=True, capture_output=True)
            subprocess.run(
                [*PROVENANCE, "--db", db, "import", str(data)], check=True, capture_output=True
            )
            for command in COMMANDS:
                seconds, megabytes = measure(db, command)
                print(f"{size:>6} {' '.join(command):<50} {seconds:7.2f} s  {megabytes:6.0f} MB")


if __name__ == "__main__":
    main()
