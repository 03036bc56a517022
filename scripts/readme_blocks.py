"""Regenerate (or check) the README's ``console`` blocks from real runs.

Every fenced block marked ```` ```console ```` holds ``$ command`` lines (a trailing ``\\``
continues a command) each followed by what it printed. This script runs the commands of
all blocks in order, in one scratch folder (so ``init`` there makes the database the
later blocks use), through ``bash`` with the installed ``provenance`` first on the PATH,
piped at 100 columns, stdout and stderr together as a terminal shows them, and writes the
output back under each command.

    python scripts/readme_blocks.py           # rewrite README.md in place
    python scripts/readme_blocks.py --check   # exit 1 naming each block that differs

Times, durations and hashes differ between runs; ``--check`` compares with them masked
(see :func:`normalise`), so a block only differs when the output really changed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
WIDTH = 100
BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.S | re.M)
VOLATILE = [
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?( UTC)?"), "<time>"),
    (re.compile(r"\b[0-9a-f]{16,64}\b"), "<hash>"),
    (re.compile(r"\b\d+(\.\d+)? ?(s|ms|seconds)\b"), "<duration>"),
    (re.compile(r"(?m)[ \t]+$"), ""),
]


def commands(block: str) -> list[str]:
    """The ``$`` commands of a block, continuation lines joined."""
    found: list[str] = []
    lines = block.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith("$ "):
            continue
        command = [line[2:]]
        while command[-1].endswith("\\") and index < len(lines):
            command.append(lines[index])
            index += 1
        found.append("\n".join(command))
    return found


def run(command: str, folder: Path) -> str:
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": str(WIDTH),
        "PROVENANCE_ANALYST": "ana",
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
    }
    env.pop("PROVENANCE_DB", None)
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return "\n".join(line.rstrip() for line in done.stdout.rstrip("\n").splitlines())


def regenerate(text: str) -> str:
    with tempfile.TemporaryDirectory(prefix="provenance-readme-") as scratch:
        folder = Path(scratch)

        def block(match: re.Match[str]) -> str:
            parts = []
            for command in commands(match.group(1)):
                parts.append("$ " + command)
                output = run(command, folder)
                if output:
                    parts.append(output)
            return "```console\n" + "\n".join(parts) + "\n```\n"

        return BLOCK.sub(block, text)


def normalise(block: str) -> str:
    for pattern, replacement in VOLATILE:
        block = pattern.sub(replacement, block)
    return block


def differences(current: str, fresh: str) -> list[str]:
    """The blocks of ``current`` whose masked text differs from ``fresh``'s."""
    old = [m.group(1) for m in BLOCK.finditer(current)]
    new = [m.group(1) for m in BLOCK.finditer(fresh)]
    problems = []
    for number, (a, b) in enumerate(zip(old, new, strict=True), start=1):
        if normalise(a) != normalise(b):
            first = commands(a)[0] if commands(a) else "?"
            problems.append(f"console block {number} (`$ {first.splitlines()[0]}`) differs:\n{b}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not rewrite")
    options = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    fresh = regenerate(current)
    if options.check:
        problems = differences(current, fresh)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    README.write_text(fresh, encoding="utf-8")
    print(f"rewrote {len(BLOCK.findall(fresh))} console blocks in {README.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
