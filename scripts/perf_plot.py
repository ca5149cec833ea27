#!/usr/bin/env python3
"""Plot how query latency grows with the corpus: an SVG for docs/performance.md.

usage: scripts/perf_plot.py OUT.svg RESULT.txt...

Each RESULT.txt is the output of `cargo bench --bench scale -- --index DIR --json`: the JSON
lines (one per query class, with "docs", "p50_ms" and "p99_ms") are read, the rest ignored.
One line per class, p50 on a log scale against the number of documents on a log scale, plus
the 5 ms target. Standard library only.
"""

import json
import math
import sys

WIDTH, HEIGHT = 760, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 200, 30, 50
COLOURS = [
    "#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182",
    "#8d6a9f", "#2e4057", "#c97c5d", "#5c946e", "#b5838d",
]


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    series = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    row = json.loads(line)
                    series.setdefault(row["class"], []).append((row["docs"], row["p50_ms"]))
    docs = sorted({d for points in series.values() for d, _ in points})
    values = [v for points in series.values() for _, v in points] + [5.0]
    x0, x1 = math.log10(min(docs)), math.log10(max(docs))
    y0, y1 = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    if x1 == x0:
        x1 = x0 + 1

    def x(d):
        return LEFT + (math.log10(d) - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT)

    def y(v):
        return HEIGHT - BOTTOM - (math.log10(v) - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM)

    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="14">Query latency p50 (ms, log) by documents in the index (log)</text>',
    ]
    for exponent in range(y0, y1 + 1):
        v = 10 ** exponent
        svg.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
    for d in docs:
        label = f"{d / 1e6:g}M" if d >= 1e6 else f"{d / 1e3:g}k"
        svg.append(f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#eee"/>')
        svg.append(f'<text x="{x(d):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{label}</text>')
    svg.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(5):.1f}" y2="{y(5):.1f}" stroke="#900" stroke-dasharray="6 4"/>'
    )
    svg.append(f'<text x="{WIDTH - RIGHT - 4}" y="{y(5) - 5:.1f}" text-anchor="end" fill="#900">5 ms target</text>')
    for index, (name, points) in enumerate(sorted(series.items())):
        colour = COLOURS[index % len(COLOURS)]
        points.sort()
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for d, v in points:
            svg.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>')
        ly = TOP + 14 + index * 18
        svg.append(f'<line x1="{WIDTH - RIGHT + 14}" x2="{WIDTH - RIGHT + 34}" y1="{ly - 4}" y2="{ly - 4}" '
                   f'stroke="{colour}" stroke-width="2"/>')
        svg.append(f'<text x="{WIDTH - RIGHT + 40}" y="{ly}">{name}</text>')
    svg.append("</svg>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
