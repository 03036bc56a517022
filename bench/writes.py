"""Writes the bench makes (untimed) before timing the page that follows them.

    python bench/writes.py link N CLAIMS --db DB      # a contradicts link between two claims
    python bench/writes.py import N CLAIMS --db DB    # an import of 50 new claims

``N`` varies from run to run (the harness passes a fresh number), so that no write repeats
an earlier one; ``CLAIMS`` is how many claims the bench database holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROVENANCE = [sys.executable, "-m", "provenance"]


def main() -> None:
    what, n, claims, *db = sys.argv[1:]
    number, count = int(n), int(claims)
    if what == "link":
        first, second = number % count, (number // 7919) % count
        if first == second:
            second = (second + 1) % count
        command = ["claim", "link", f"claim-{first:07d}", f"claim-{second:07d}"]
        subprocess.run([*PROVENANCE, *db, *command, "--relation", "contradicts"], check=True)
        return
    records = [
        {
            "type": "claim",
            "key": f"bench-import-{number}-{i}",
            "text": f"Bench import {number}: convoy shelled near checkpoint {i}",
            "subject": f"subject-{(number + i) % 5000:04d}",
            "property": "air_attacks",
            "value": i,
            "attributions": [{"source": f"src-{(number + i) % 2000:04d}"}],
        }
        for i in range(50)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "small.jsonl"
        path.write_text("".join(json.dumps(record) + "\n" for record in records))
        subprocess.run([*PROVENANCE, *db, "import", str(path)], check=True, capture_output=True)


if __name__ == "__main__":
    main()
