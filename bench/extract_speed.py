"""How long `provenance extract` takes on a 2,000-word article, above its start-up.

The article is real reporting: the excerpts of tests/data/reporting/ joined into
paragraphs until they reach 2,000 words. Three timings, each the best of five runs:

* ``reading``: the reading pipeline in-process (``file_document``), what extract adds;
* ``extract``: ``provenance extract ARTICLE`` as a user runs it (new process, database);
* ``start-up``: ``provenance extract`` on a file holding only a headline: the same process,
  imports and database, nothing to read.

    python bench/extract_speed.py [--words 2000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def article(words: int) -> str:
    lines = (ROOT / "tests" / "data" / "reporting" / "excerpts.jsonl").read_text().splitlines()
    paragraphs: list[str] = []
    count = 0
    while count < words:
        for line in lines:
            text = json.loads(line)["text"]
            paragraphs.append(text)
            count += len(text.split())
            if count >= words:
                break
    return "A 2,000-word article of real reporting\n" + "\n".join(paragraphs) + "\n"


def best(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=2000)
    options = parser.parse_args()
    from provenance.io.reading import file_document

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "article.txt"
        path.write_text(article(options.words), encoding="utf-8")
        database = Path(folder) / "bench.db"
        cli = [sys.executable, "-m", "provenance", "--db", str(database)]
        subprocess.run([*cli, "init"], check=True, capture_output=True)
        reading = []
        for _ in range(5):
            start = time.perf_counter()
            proposal = file_document(path, published="2025-05-06")
            reading.append(time.perf_counter() - start)
        extract = best([*cli, "extract", str(path), "--published", "2025-05-06"])
        empty = Path(folder) / "empty.txt"
        empty.write_text("A headline\n", encoding="utf-8")
        startup = best([*cli, "extract", str(empty), "--published", "2025-05-06"])
    print(f"article: {options.words} words, {len(proposal['claims'])} proposed claims")
    print(f"reading (in-process):       {min(reading):.3f} s")
    print(f"provenance extract:         {extract:.3f} s")
    print(f"start-up (a headline only): {startup:.3f} s")
    print(f"extract above start-up:     {extract - startup:.3f} s")


if __name__ == "__main__":
    main()
