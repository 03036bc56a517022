"""A deterministic generator of realistic synthetic data in the interchange format (JSONL).

N claims about ~5,000 subjects from ~2,000 sources in ~400 affiliations; claims come in
claim keys of 1–6 competing values (some of which disagree), with relay chains of 0–2
outlets, 10 % numeric ranges, and texts drawn from a small vocabulary so that search has
something to find. The same N and seed always give the same file.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

WORDS = [
    "airstrike",
    "shelling",
    "ceasefire",
    "displaced",
    "killed",
    "wounded",
    "village",
    "township",
    "convoy",
    "checkpoint",
    "drone",
    "artillery",
    "protest",
    "arrest",
    "hospital",
    "school",
    "market",
    "bridge",
    "border",
    "refugees",
    "militia",
    "army",
    "police",
    "monitor",
    "report",
    "witness",
    "casualties",
]
PROPERTIES = (
    "civilians_killed",
    "air_attacks",
    "displaced",
    "arrests",
    "wounded",
    "buildings_destroyed",
    "controlled_by",
)


def generate(claims: int, path: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    sources = [f"src-{i:04d}" for i in range(2000)]
    affiliations = [f"aff-{i:03d}" for i in range(400)]
    subjects = [f"subject-{i:04d}" for i in range(5000)]
    with path.open("w", encoding="utf-8") as out:
        for index, key in enumerate(sources):
            record = {
                "type": "source",
                "key": key,
                "name": f"Source {index}",
                "reliability": rng.choice("ABCDEF"),
            }
            if rng.random() < 0.6:
                record["affiliation"] = rng.choice(affiliations)
            out.write(json.dumps(record) + "\n")
        for key in subjects:
            out.write(json.dumps({"type": "entity", "key": key, "name": key.title()}) + "\n")
        written = 0
        while written < claims:
            subject, prop = rng.choice(subjects), rng.choice(PROPERTIES)
            month = rng.randint(1, 12)
            period = {"start": f"2025-{month:02d}-01", "end": f"2025-{month:02d}-28"}
            truth = rng.randint(5, 5000)
            for _ in range(min(rng.randint(1, 6), claims - written)):
                if prop == "controlled_by":
                    value: object = rng.choice(["army", "resistance", "contested"])
                elif rng.random() < 0.1:
                    low = int(truth * rng.uniform(0.8, 1.0))
                    value = {"min": low, "max": low + rng.randint(1, 200)}
                else:
                    value = truth if rng.random() < 0.7 else int(truth * rng.uniform(0.5, 1.5))
                via = rng.sample(sources, rng.choice((0, 0, 1, 1, 2)))
                origin = rng.choice([s for s in sources[:200] if s not in via])
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
                out.write(
                    json.dumps(
                        {
                            "type": "claim",
                            "key": f"claim-{written:07d}",
                            "text": f"{subject} {prop.replace('_', ' ')}: {text}.",
                            "subject": subject,
                            "property": prop,
                            "value": value,
                            "period": period,
                            "tags": [rng.choice(WORDS)],
                            "attributions": [
                                {
                                    "source": origin,
                                    "via": via,
                                    "stance": "asserts",
                                    "confidence": rng.randint(20, 95),
                                    "quote": " ".join(text.split()[:5]),
                                }
                            ],
                        }
                    )
                    + "\n"
                )
                written += 1
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("claims.jsonl"))
    args = parser.parse_args()
    print(generate(args.claims, args.out))
