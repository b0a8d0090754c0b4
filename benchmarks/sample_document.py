"""Generates a realistic guideline document of a given size for benchmarks:
headings at several levels, paragraphs, nested lists, tables and links."""

from __future__ import annotations

import random

_WORDS = (
    "policy team member official account post review approval channel response time crisis "
    "launch audience customer community brand legal privacy disclosure confidential comment "
    "moderation escalation owner training guideline personal employee manager content schedule "
    "listening complaint campaign partner agency influencer accessibility caption security "
    "password access revoke inventory platform monitor measure objective strategy governance"
).split()

_TOPICS = ["Who takes part", "How we post", "When we post", "Where we post", "Review and approval",
           "Crisis response", "Channels", "Training", "Privacy", "Measurement"]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    parts = []
    for _ in range(sentences):
        s = _sentence(rng, rng.randint(8, 18))
        if rng.random() < 0.15:
            s = s.replace(" post ", " [post](https://example.org/posts) ", 1)
        if rng.random() < 0.1:
            s = s.replace(" review ", " **review** ", 1)
        parts.append(s)
    return " ".join(parts)


def generate(words: int = 40_000, seed: int = 7, title: str = "Social media guidelines") -> str:
    rng = random.Random(seed)
    out = ["---", f"title: {title}", "organization: Example Org", "status: draft", "version: '1.0'",
           "owners:", "- Communications", "---", f"# {title}", ""]
    count = 0
    chapter = 0
    while count < words:
        chapter += 1
        out += [f"## {chapter}. {rng.choice(_TOPICS)}", ""]
        for sub in range(1, 4):
            out += [f"### {chapter}.{sub} {rng.choice(_TOPICS)}", ""]
            for _ in range(3):
                para = _paragraph(rng, rng.randint(3, 6))
                out += [para, ""]
                count += len(para.split())
            kind = rng.random()
            if kind < 0.4:
                for _ in range(3):
                    item = _sentence(rng, 8)
                    out.append(f"- {item}")
                    out.append(f"  - {_sentence(rng, 6)}")
                    out.append(f"    - {_sentence(rng, 5)}")
                    count += 19
                out.append("")
            elif kind < 0.6:
                out += ["| Post type | Approver | Turnaround |", "| --- | --- | --- |"]
                for _ in range(4):
                    out.append(f"| {rng.choice(_WORDS)} | {rng.choice(_WORDS)} | {rng.randint(1, 48)} hours |")
                    count += 4
                out.append("")
            else:
                for n in range(1, 4):
                    out.append(f"{n}. {_sentence(rng, 9)}")
                    count += 9
                out.append("")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 40_000))
