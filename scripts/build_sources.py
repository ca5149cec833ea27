#!/usr/bin/env python3
"""Generates index-config/sources.toml, the source catalogue, from the platform scan.

Inputs:
  data/anslagstavla-platforms.csv  (kommun, adapter, adapter_endpoint, ...: a public
      scan of kommun web sites, March 2026; see data/README.md)
  crates/model/data/kommuner.csv                 (kommunkod per kommun name, SCB)

One [[source]] per kommun whose adapter and endpoint are known:
  netpublicator  url = the public bulletin board base, board = the board id from the endpoint
  meetingsplus   url = the endpoint's origin (the API lives at {url}/api/dbb/v1.0/...)
  ciceron        url = the endpoint's origin (JSON-RPC at {url}/json), anslagstavla defaults
  sitevision     url = the page's origin, path = the page's path (portlet left to the adapter)
  wordpress      only where the post type is known (SOURCES.md: Eslöv `anslag`, Trelleborg
                 `bygglov`); the other WordPress kommuner are listed in the header, not generated
Adapters without a parser (limepark, pollux) and rows without an adapter are skipped and counted.

Usage: python3 scripts/build_sources.py [--platforms CSV] [--kommuner CSV] [--out FILE]
Standard library only. Deterministic: sources are sorted by kommun name, then platform.
"""

import argparse
import csv
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLATFORMS = Path(__file__).resolve().parent.parent / "data" / "anslagstavla-platforms.csv"
DEFAULT_KOMMUNER = ROOT / "crates/model/data/kommuner.csv"
DEFAULT_OUT = ROOT / "index-config/sources.toml"

NETPUBLICATOR_BASE = "https://www.netpublicator.com/bulletinboard/public"
# Post types documented in the shared SOURCES.md; others are unknown.
WORDPRESS_POST_TYPES = {"Eslöv": "anslag", "Trelleborg": "bygglov"}
ADAPTERS = {
    "netpublicator": "netpublicator",
    "meetingsplus": "meetingsplus",
    "ciceron": "ciceron",
    "sitevision/html-config": "sitevision",
    "wordpress": "wordpress",
}


def slug(name):
    """`Upplands Väsby` → `upplands-vasby` (ASCII, for source ids)."""
    folded = unicodedata.normalize("NFKD", name.lower())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    out = []
    for c in ascii_only:
        if c.isalnum():
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def toml_string(value):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def source_for(row, kommunkod):
    """The [[source]] fields for one scan row, or (None, reason)."""
    adapter = row["adapter"].strip()
    endpoint = row["adapter_endpoint"].strip()
    platform = ADAPTERS.get(adapter)
    if platform is None:
        return None, f"adapter {adapter or '(none)'}"
    if not endpoint.startswith(("http://", "https://")):
        return None, "no endpoint"
    kommun = row["kommun"].strip()
    fields = [
        ("id", f"{slug(kommun)}-{platform}"),
        ("kommun", kommunkod),
        ("platform", platform),
    ]
    if platform == "netpublicator":
        prefix = NETPUBLICATOR_BASE + "/"
        if not endpoint.startswith(prefix):
            return None, "netpublicator endpoint without a board id"
        fields += [("url", NETPUBLICATOR_BASE), ("board", endpoint[len(prefix):].strip("/"))]
    elif platform in ("meetingsplus", "ciceron"):
        fields.append(("url", origin(endpoint)))
    elif platform == "sitevision":
        parts = urlsplit(endpoint)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        fields += [("url", origin(endpoint)), ("path", path)]
    elif platform == "wordpress":
        post_type = WORDPRESS_POST_TYPES.get(kommun)
        if post_type is None:
            return None, "wordpress post type unknown"
        fields += [("url", endpoint.rstrip("/")), ("post_type", post_type)]
    return fields, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platforms", type=Path, default=DEFAULT_PLATFORMS)
    parser.add_argument("--kommuner", type=Path, default=DEFAULT_KOMMUNER)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    with args.kommuner.open(encoding="utf-8") as f:
        codes = {row["kommun"].strip(): row["kommunkod"].strip() for row in csv.DictReader(f)}
    with args.platforms.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    sources, skipped, unknown_wordpress = [], Counter(), []
    for row in sorted(rows, key=lambda r: r["kommun"]):
        kommun = row["kommun"].strip()
        code = codes.get(kommun)
        if code is None:
            sys.exit(f"kommun {kommun!r} of the scan is not in {args.kommuner}")
        fields, reason = source_for(row, code)
        if fields is None:
            skipped[reason] += 1
            if reason == "wordpress post type unknown":
                unknown_wordpress.append(f"{kommun} ({row['adapter_endpoint'].strip()})")
            continue
        sources.append((kommun, fields))

    ids = Counter(dict(fields)["id"] for _, fields in sources)
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        sys.exit(f"duplicate source ids: {duplicates}")

    per_platform = Counter(dict(fields)["platform"] for _, fields in sources)
    lines = [
        "# Nämndsök source catalogue: which kommun publishes on which platform, and where.",
        "#",
        "# GENERATED by scripts/build_sources.py from data/anslagstavla-platforms.csv",
        "# (a public scan of kommun web sites, March 2026) joined on kommun name with",
        "# crates/model/data/kommuner.csv (SCB kommunkoder). Edit the script or its inputs and",
        "# re-run it rather than editing this file by hand.",
        "#",
        "# Every `url` is a base URL and always configurable: point it at a local server to test,",
        "# or correct it when a kommun moves. The common fields are described in",
        "# crates/sources/src/catalogue.rs, each platform's own in its params struct",
        "# (`NetpublicatorParams` in crates/sources/src/netpublicator.rs, ...).",
        "#",
        f"# {len(sources)} sources: "
        + ", ".join(f"{platform} {count}" for platform, count in sorted(per_platform.items())),
        "# Skipped scan rows: " + ", ".join(f"{reason}: {count}" for reason, count in sorted(skipped.items())),
    ]
    if unknown_wordpress:
        lines.append("# WordPress kommuner whose post type is not known yet (not generated):")
        for i in range(0, len(unknown_wordpress), 3):
            lines.append("#   " + ", ".join(unknown_wordpress[i:i + 3]))
    # A joint authority's page serves several kommuner (Arboga and Kungsör: Västra Mälardalens
    # myndighetsförbund): each gets its own source, and the header says so.
    by_endpoint = {}
    for kommun, fields in sources:
        values = dict(fields)
        by_endpoint.setdefault((values["url"], values.get("path"), values.get("board")), []).append(kommun)
    for kommun, fields in sources:
        values = dict(fields)
        sharing = [k for k in by_endpoint[(values["url"], values.get("path"), values.get("board"))] if k != kommun]
        note = f" (same endpoint as {', '.join(sharing)})" if sharing else ""
        lines += ["", f"# {kommun}{note}", "[[source]]"]
        lines += [f"{key} = {toml_string(value)}" for key, value in fields]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(sources)} sources ({dict(sorted(per_platform.items()))}); skipped {dict(skipped)}")


if __name__ == "__main__":
    main()
