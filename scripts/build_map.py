#!/usr/bin/env python3
"""Build the kommun map used by Nämndsök's server-side SVG rendering.

Reads the simplified kommun boundaries (GeoJSON FeatureCollection, WGS84
lon/lat, properties ``id`` = 4-digit kommunkod and ``kom_namn``) and writes
``crates/server/assets/kommuner-map.tsv``:

    # viewBox 0 0 W H
    kommunkod<TAB>name<TAB>d

one line per kommun, sorted by kommunkod, where ``d`` is a ready-to-use SVG
path string (relative ``m``/``l``/``z`` commands, integer coordinates, all
rings of the kommun in one path) in the viewBox ``0 0 W H``.  The server
emits ``<path d="...">`` per kommun and picks the fill colour per request.

Pipeline:
  1. Project with SWEREF 99 TM (EPSG:3006, transverse Mercator on GRS80,
     central meridian 15°E) - north up, Sweden's familiar shape - and fit the
     bounding box into a viewBox of height ``--height`` with ``--margin``.
  2. Topology-preserving Douglas-Peucker: the rings are cut into arcs at
     junction vertices (where the set of rings sharing an edge changes), and
     each arc is simplified once, so neighbouring kommuner keep identical
     shared borders (no slivers or gaps between them).  Arcs whose rounded
     result crosses another arc are re-simplified with a halved tolerance
     (both sides at once) until the crossing disappears.
  3. Round to integers, drop consecutive duplicate points and zero-area
     spikes, drop rings (islands, and the matching holes) whose area is below
     ``--min-area`` px² - but never the largest ring of a kommun, which is
     kept with at least 4 distinct points (falling back to a finer
     simplification of that ring when needed).
  4. Enforce winding: outer rings clockwise on screen, holes counter-
     clockwise, so the default nonzero fill rule renders holes correctly.

Python 3.11 standard library only; output is deterministic.

Usage:
  python3 scripts/build_map.py
  python3 scripts/build_map.py --input X.geojson --out Y.tsv \\
      --check-svg /tmp/map-check.svg   # also write a grey test rendering
  rsvg-convert /tmp/map-check.svg -o /tmp/map-check.png   # (librsvg2-bin)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "data" / "kommuner.geojson"
DEFAULT_OUT = REPO / "crates" / "server" / "assets" / "kommuner-map.tsv"

# Kommuner highlighted in the --check-svg rendering.
CHECK_HIGHLIGHT = ("1480", "1493", "2482", "0180", "2584")


# --------------------------------------------------------------------------
# Projection: SWEREF 99 TM (Gauss-Krüger formulas as published by
# Lantmäteriet).  Returns (easting, northing) in metres.
# --------------------------------------------------------------------------
_A = 6378137.0
_F = 1.0 / 298.257222101
_LON0 = math.radians(15.0)
_K0 = 0.9996
_FE = 500000.0
_E2 = _F * (2.0 - _F)
_N = _F / (2.0 - _F)
_AROOF = _A / (1.0 + _N) * (1.0 + _N**2 / 4.0 + _N**4 / 64.0)
_CA = _E2
_CB = (5.0 * _E2**2 - _E2**3) / 6.0
_CC = (104.0 * _E2**3 - 45.0 * _E2**4) / 120.0
_CD = (1237.0 * _E2**4) / 1260.0
_BETA = (
    _N / 2.0 - 2.0 * _N**2 / 3.0 + 5.0 * _N**3 / 16.0 + 41.0 * _N**4 / 180.0,
    13.0 * _N**2 / 48.0 - 3.0 * _N**3 / 5.0 + 557.0 * _N**4 / 1440.0,
    61.0 * _N**3 / 240.0 - 103.0 * _N**4 / 140.0,
    49561.0 * _N**4 / 161280.0,
)


def sweref99tm(lon: float, lat: float) -> tuple[float, float]:
    phi = math.radians(lat)
    lam = math.radians(lon)
    s = math.sin(phi)
    s2 = s * s
    phi_star = phi - s * math.cos(phi) * (
        _CA + _CB * s2 + _CC * s2 * s2 + _CD * s2 * s2 * s2
    )
    dl = lam - _LON0
    xi = math.atan(math.tan(phi_star) / math.cos(dl))
    eta = math.atanh(math.cos(phi_star) * math.sin(dl))
    north = xi
    east = eta
    for i, b in enumerate(_BETA, start=1):
        north += b * math.sin(2 * i * xi) * math.cosh(2 * i * eta)
        east += b * math.cos(2 * i * xi) * math.sinh(2 * i * eta)
    return _FE + _K0 * _AROOF * east, _K0 * _AROOF * north


# --------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------
def signed_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace area of an (implicitly closed) ring; >0 = clockwise on screen
    (y axis pointing down)."""
    n = len(ring)
    acc = 0.0
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        acc += x1 * y2 - x2 * y1
    return acc / 2.0


def seg_dist2(p, a, b) -> float:
    """Squared distance from point p to segment a-b."""
    ax, ay = a
    bx, by = b
    px, py = p
    dx = bx - ax
    dy = by - ay
    den = dx * dx + dy * dy
    if den == 0.0:
        ex, ey = px - ax, py - ay
        return ex * ex + ey * ey
    t = ((px - ax) * dx + (py - ay) * dy) / den
    t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
    ex = px - (ax + t * dx)
    ey = py - (ay + t * dy)
    return ex * ex + ey * ey


def dp_indices(pts: list, tol: float) -> list[int]:
    """Douglas-Peucker on an open polyline; returns the indices of the kept
    points (always including both endpoints)."""
    n = len(pts)
    if n <= 2:
        return list(range(n))
    tol2 = tol * tol
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = pts[i], pts[j]
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            d = seg_dist2(pts[k], a, b)
            if d > best:
                best, best_k = d, k
        if best > tol2:
            keep[best_k] = True
            stack.append((i, best_k))
            stack.append((best_k, j))
    return [i for i in range(n) if keep[i]]


def douglas_peucker(pts: list, tol: float) -> list:
    """Douglas-Peucker on an open polyline; keeps both endpoints."""
    return [pts[i] for i in dp_indices(pts, tol)]


def clean_int_ring(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop consecutive duplicates (incl. wrap-around) and A-B-A spikes."""
    out: list[tuple[int, int]] = []
    for p in ring:
        if out and out[-1] == p:
            continue
        out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    changed = True
    while changed and len(out) >= 3:
        changed = False
        n = len(out)
        for i in range(n):
            prev = out[i - 1]
            nxt = out[(i + 1) % n]
            if prev == nxt:
                # remove the spike tip and the duplicate return point
                drop = {i, (i + 1) % n}
                out = [p for k, p in enumerate(out) if k not in drop]
                changed = True
                break
        # re-dedupe after a removal
        ded: list[tuple[int, int]] = []
        for p in out:
            if ded and ded[-1] == p:
                continue
            ded.append(p)
        while len(ded) > 1 and ded[0] == ded[-1]:
            ded.pop()
        out = ded
    return out


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------
class Ring:
    __slots__ = ("kod", "is_hole", "keys", "pts", "simp", "area")

    def __init__(self, kod: str, is_hole: bool, keys: list, pts: list):
        self.kod = kod
        self.is_hole = is_hole
        self.keys = keys  # exact source coordinates (topology keys)
        self.pts = pts  # projected screen coordinates (floats)
        self.simp: list = []
        self.area = 0.0


def load(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    kommuner: dict[str, str] = {}
    raw: list[tuple[str, bool, list]] = []
    for feat in data["features"]:
        props = feat["properties"]
        kod = str(props["id"]).strip()
        name = str(props["kom_namn"]).strip()
        if len(kod) != 4 or not kod.isdigit():
            raise SystemExit(f"bad kommunkod {kod!r}")
        if kod in kommuner:
            raise SystemExit(f"duplicate kommunkod {kod}")
        if "\t" in name or "\n" in name:
            raise SystemExit(f"bad name for {kod}: {name!r}")
        kommuner[kod] = name
        geom = feat["geometry"]
        if geom["type"] == "Polygon":
            polys = [geom["coordinates"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["coordinates"]
        else:
            raise SystemExit(f"{kod}: unsupported geometry {geom['type']}")
        for poly in polys:
            for ri, ring in enumerate(poly):
                keys = [(float(c[0]), float(c[1])) for c in ring]
                if len(keys) > 1 and keys[0] == keys[-1]:
                    keys.pop()
                # drop consecutive duplicates in the source
                ded = []
                for k in keys:
                    if not ded or ded[-1] != k:
                        ded.append(k)
                while len(ded) > 1 and ded[0] == ded[-1]:
                    ded.pop()
                if len(ded) >= 3:
                    raw.append((kod, ri > 0, ded))
    return kommuner, raw


# --------------------------------------------------------------------------
# Topology-preserving simplification
# --------------------------------------------------------------------------
def _orient(a, b, c) -> int:
    v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (v > 0) - (v < 0)


def segments_cross(p1, p2, p3, p4) -> bool:
    """Proper crossing of segments p1-p2 and p3-p4 (touching does not count)."""
    return (
        _orient(p1, p2, p3) * _orient(p1, p2, p4) < 0
        and _orient(p3, p4, p1) * _orient(p3, p4, p2) < 0
    )


def find_crossings(segs: list[tuple], cell: float) -> set[int]:
    """Indices of segments that properly cross another segment, via a
    uniform grid index. ``segs`` are (p, q, owner) tuples."""
    grid: dict[tuple[int, int], list[int]] = {}
    for si, (p, q, _) in enumerate(segs):
        x0, x1 = sorted((p[0], q[0]))
        y0, y1 = sorted((p[1], q[1]))
        for gx in range(int(x0 // cell), int(x1 // cell) + 1):
            for gy in range(int(y0 // cell), int(y1 // cell) + 1):
                grid.setdefault((gx, gy), []).append(si)
    bad: set[int] = set()
    seen: set[tuple[int, int]] = set()
    for ids in grid.values():
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                pair = (ids[i], ids[j])
                if pair in seen:
                    continue
                seen.add(pair)
                a, b = segs[ids[i]], segs[ids[j]]
                if segments_cross(a[0], a[1], b[0], b[1]):
                    bad.add(ids[i])
                    bad.add(ids[j])
    return bad


def simplify_rings(rings: list[Ring], tol: float, q: int, max_rounds: int = 10) -> dict:
    """Topology-preserving simplification. Sets ``Ring.simp`` (float screen
    points). ``q`` is the rounding grid (10**decimals); arcs whose rounded
    simplification crosses another arc get their tolerance halved (for both
    kommuner sharing the arc) until no crossings remain. Returns stats."""
    # Which rings use each undirected edge, and each vertex's neighbours.
    edge_rings: dict[tuple, set[int]] = {}
    neigh: dict[tuple, set] = {}
    for ri, r in enumerate(rings):
        n = len(r.keys)
        for i in range(n):
            a = r.keys[i]
            b = r.keys[(i + 1) % n]
            e = (a, b) if a < b else (b, a)
            edge_rings.setdefault(e, set()).add(ri)
            neigh.setdefault(a, set()).add(b)
            neigh.setdefault(b, set()).add(a)

    def eset(a, b):
        return frozenset(edge_rings[(a, b) if a < b else (b, a)])

    proj: dict[tuple, tuple[float, float]] = {}
    for r in rings:
        for k, p in zip(r.keys, r.pts):
            proj[k] = p

    # Cut every ring into arcs between junction nodes; store each arc once
    # in canonical direction (the smaller of forward/reversed key tuples).
    arcs: dict[tuple, int] = {}  # canonical key tuple -> arc id
    arc_keys: list[tuple] = []
    ring_arcs: list[list[tuple[int, bool]]] = []  # (arc id, reversed)
    for r in rings:
        keys = r.keys
        n = len(keys)
        nodes = []
        for i in range(n):
            a = keys[i - 1]
            v = keys[i]
            b = keys[(i + 1) % n]
            if len(neigh[v]) != 2 or eset(a, v) != eset(v, b):
                nodes.append(i)
        if not nodes:
            # Closed loop with no junctions: split deterministically at the
            # smallest key and the vertex farthest from it.
            s = min(range(n), key=lambda i: keys[i])
            p0 = proj[keys[s]]
            far = max(
                range(n),
                key=lambda i: (
                    (proj[keys[i]][0] - p0[0]) ** 2 + (proj[keys[i]][1] - p0[1]) ** 2,
                    keys[i],
                ),
            )
            nodes = sorted({s, far})
        m = len(nodes)
        ra = []
        for t in range(m):
            i0 = nodes[t]
            i1 = nodes[(t + 1) % m]
            if i1 <= i0:
                idx = list(range(i0, n)) + list(range(0, i1 + 1))
            else:
                idx = list(range(i0, i1 + 1))
            fwd = tuple(keys[i] for i in idx)
            rev = fwd[::-1]
            canon, reverse = (rev, True) if rev < fwd else (fwd, False)
            if canon not in arcs:
                arcs[canon] = len(arc_keys)
                arc_keys.append(canon)
            ra.append((arcs[canon], reverse))
        ring_arcs.append(ra)

    arc_tol = [tol] * len(arc_keys)
    arc_simp: list[list[tuple] | None] = [None] * len(arc_keys)
    rounds = 0
    while True:
        rounds += 1
        for ai, ak in enumerate(arc_keys):
            if arc_simp[ai] is None:
                pts = [proj[k] for k in ak]
                arc_simp[ai] = [ak[i] for i in dp_indices(pts, arc_tol[ai])]
        # crossing check on the rounded arcs
        segs = []
        for ai, sk in enumerate(arc_simp):
            qp = [(round(proj[k][0] * q), round(proj[k][1] * q)) for k in sk]
            for i in range(len(qp) - 1):
                if qp[i] != qp[i + 1]:
                    segs.append((qp[i], qp[i + 1], ai))
        bad_arcs = sorted({segs[i][2] for i in find_crossings(segs, 8.0 * q)})
        if not bad_arcs or rounds >= max_rounds:
            break
        if all(arc_tol[ai] == 0.0 for ai in bad_arcs):
            break  # only rounding-induced crossings left; nothing to refine
        for ai in bad_arcs:
            arc_tol[ai] = arc_tol[ai] / 2 if arc_tol[ai] > 0.05 else 0.0
            arc_simp[ai] = None

    for r, ra in zip(rings, ring_arcs):
        out: list[tuple] = []
        for ai, reverse in ra:
            sk = arc_simp[ai]
            if reverse:
                sk = sk[::-1]
            out.extend(sk[:-1])  # next arc starts with this arc's end
        r.simp = [proj[k] for k in out]
    return {
        "arcs": len(arc_keys),
        "rounds": rounds,
        "refined_arcs": sum(1 for t in arc_tol if t < tol),
        "crossing_arcs_left": len(bad_arcs),
    }


# --------------------------------------------------------------------------
# Path encoding
# --------------------------------------------------------------------------
DECIMALS = 0  # set from --decimals; coordinates are ints in units of 10^-DECIMALS px


def int_to_str(v: int) -> str:
    """Format a grid integer as a px number with DECIMALS decimals, minimal."""
    if DECIMALS == 0:
        return str(v)
    q = 10**DECIMALS
    sign = "-" if v < 0 else ""
    whole, frac = divmod(abs(v), q)
    if frac == 0:
        return f"{sign}{whole}"
    fs = f"{frac:0{DECIMALS}d}".rstrip("0")
    return f"{sign}{whole if whole else ''}.{fs}"


def fmt_num(v: int, first: bool) -> str:
    s = int_to_str(v)
    if first or v < 0:
        return s
    return " " + s


def encode_path(rings: list[list[tuple[int, int]]]) -> str:
    """Relative path: m dx dy l dx dy ... z for each ring. After 'z' the
    current point is the start of the closed subpath, so the next 'm' is
    relative to that (the very first 'm' is absolute per the SVG spec)."""
    parts: list[str] = []
    cx, cy = 0, 0
    for ring in rings:
        sx, sy = ring[0]
        parts.append("m" + fmt_num(sx - cx, True) + fmt_num(sy - cy, False))
        px, py = sx, sy
        seg = ["l"]
        firstnum = True
        for x, y in ring[1:]:
            seg.append(fmt_num(x - px, firstnum))
            seg.append(fmt_num(y - py, False))
            firstnum = False
            px, py = x, y
        if len(seg) > 1:
            parts.append("".join(seg))
        parts.append("z")
        cx, cy = sx, sy
    return "".join(parts)


def decode_path(d: str) -> list[list[tuple[int, int]]]:
    """Inverse of encode_path (used for verification)."""
    import re

    toks = re.findall(r"[mlz]|-?(?:\d+(?:\.\d*)?|\.\d+)", d)
    q = 10**DECIMALS
    rings: list[list[tuple[int, int]]] = []
    cx = cy = 0
    i = 0
    cmd = None
    cur: list[tuple[int, int]] = []
    while i < len(toks):
        t = toks[i]
        if t in ("m", "l", "z"):
            cmd = t
            i += 1
            if t == "z":
                rings.append(cur)
                cx, cy = cur[0]
                cur = []
            continue
        dx, dy = round(float(toks[i]) * q), round(float(toks[i + 1]) * q)
        i += 2
        cx += dx
        cy += dy
        if cmd == "m":
            cur = [(cx, cy)]
            cmd = "l"
        else:
            cur.append((cx, cy))
    if cur:
        raise ValueError("unterminated subpath")
    return rings


# --------------------------------------------------------------------------
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--height", type=int, default=1000, help="viewBox height")
    ap.add_argument("--margin", type=float, default=8.0, help="margin in px")
    ap.add_argument(
        "--tolerance", type=float, default=0.6, help="Douglas-Peucker tolerance, px"
    )
    ap.add_argument(
        "--min-area", type=float, default=2.0, help="drop rings below this area, px²"
    )
    ap.add_argument(
        "--decimals", type=int, default=0, choices=(0, 1, 2),
        help="decimals kept in coordinates (0 = integers)",
    )
    ap.add_argument("--check-svg", type=Path, help="also write a test SVG here")
    args = ap.parse_args()

    global DECIMALS
    DECIMALS = args.decimals
    q = 10**DECIMALS

    def quant(pts):
        return [(round(x * q), round(y * q)) for x, y in pts]

    kommuner, raw = load(args.input)
    if len(kommuner) != 290:
        print(f"warning: {len(kommuner)} kommuner, expected 290", file=sys.stderr)

    # 1. projection + fit
    projected = {}
    for _, _, keys in raw:
        for k in keys:
            if k not in projected:
                projected[k] = sweref99tm(*k)
    es = [p[0] for p in projected.values()]
    ns = [p[1] for p in projected.values()]
    emin, emax, nmin, nmax = min(es), max(es), min(ns), max(ns)
    height = args.height
    scale = (height - 2 * args.margin) / (nmax - nmin)
    width = math.ceil((emax - emin) * scale + 2 * args.margin)
    xoff = (width - (emax - emin) * scale) / 2.0  # centre horizontally

    def to_screen(k):
        e, n = projected[k]
        return ((e - emin) * scale + xoff, (nmax - n) * scale + args.margin)

    rings = [Ring(kod, hole, keys, [to_screen(k) for k in keys]) for kod, hole, keys in raw]

    # 2. topology-preserving simplification
    topo = simplify_rings(rings, args.tolerance, q)

    # 3. area filter, rounding, cleanup
    by_kod: dict[str, list[Ring]] = {}
    for r in rings:
        r.area = abs(signed_area(r.pts))
        by_kod.setdefault(r.kod, []).append(r)

    lines = [f"# viewBox 0 0 {width} {height}"]
    stats = []
    dropped_rings = 0
    fallbacks = []
    all_int_rings: dict[str, list[list[tuple[int, int]]]] = {}
    for kod in sorted(kommuner):
        krings = by_kod.get(kod, [])
        if not krings:
            raise SystemExit(f"{kod}: no geometry")
        largest = max(krings, key=lambda r: (r.area, -krings.index(r)))
        out_rings: list[list[tuple[int, int]]] = []
        for r in krings:
            is_largest = r is largest
            if not is_largest and abs(signed_area(r.simp)) < args.min_area:
                dropped_rings += 1
                continue
            ir = clean_int_ring(quant(r.simp))
            if is_largest and len(ir) < 4:
                # finer, non-topological fallback for tiny kommuner
                tol = args.tolerance
                while len(ir) < 4 and tol > 0.01:
                    tol /= 2
                    ir = clean_int_ring(
                        quant(douglas_peucker(r.pts + r.pts[:1], tol)[:-1])
                    )
                if len(ir) < 4:
                    ir = clean_int_ring(quant(r.pts))
                fallbacks.append((kod, len(ir)))
                if len(ir) < 3:
                    raise SystemExit(f"{kod}: largest ring degenerates ({ir})")
            if len(ir) < 3 or signed_area(ir) == 0:
                dropped_rings += 1
                continue
            # 4. winding: outer clockwise on screen (area > 0), holes opposite
            a = signed_area(ir)
            if (a < 0) != r.is_hole:
                ir.reverse()
            out_rings.append(ir)
        if not out_rings:
            raise SystemExit(f"{kod}: empty path")
        d = encode_path(out_rings)
        assert decode_path(d) == out_rings, kod
        all_int_rings[kod] = out_rings
        npts = sum(len(r) for r in out_rings)
        stats.append((npts, kod))
        lines.append(f"{kod}\t{kommuner[kod]}\t{d}")

    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))

    # verification / report
    kods = [ln.split("\t", 1)[0] for ln in lines[1:]]
    assert kods == sorted(set(kods)), "kommunkod not unique/sorted"
    assert all(ln.split("\t")[2] for ln in lines[1:]), "empty path"
    src_pts = sum(len(r.keys) for r in rings)
    tot = sum(n for n, _ in stats)
    mn = min(stats)
    mx = max(stats)
    nrings = sum(len(v) for v in all_int_rings.values())
    size = len(text.encode("utf-8"))
    print(f"wrote {args.out}")
    print(f"  kommuner: {len(kods)}  viewBox: 0 0 {width} {height}")
    print(f"  size: {size} bytes ({size / 1024:.1f} KiB)")
    print(f"  points: {src_pts} in source -> {tot} kept; rings: {len(rings)} -> {nrings}"
          f" ({dropped_rings} dropped)")
    print(f"  points per kommun: min {mn[0]} ({mn[1]} {kommuner[mn[1]]}),"
          f" max {mx[0]} ({mx[1]} {kommuner[mx[1]]}),"
          f" median {sorted(n for n, _ in stats)[len(stats) // 2]}")
    print(
        f"  arcs: {topo['arcs']}, refined to fix crossings: {topo['refined_arcs']}"
        f" ({topo['rounds']} rounds, {topo['crossing_arcs_left']} arcs still crossing)"
    )
    if fallbacks:
        print(f"  fine-simplification fallback for: {fallbacks}")

    if args.check_svg:
        svg = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}">',
            f'<rect width="{width}" height="{height}" fill="#cfe3f3"/>',
            '<g stroke="#fff" stroke-width="0.4" stroke-linejoin="round">',
        ]
        for ln in lines[1:]:
            kod, name, d = ln.split("\t")
            fill = "#2b4a6f" if kod in CHECK_HIGHLIGHT else "#d9d9d9"
            svg.append(f'<path d="{d}" fill="{fill}"><title>{kod} {name}</title></path>')
        svg.append("</g></svg>")
        args.check_svg.write_text("\n".join(svg) + "\n", encoding="utf-8")
        print(f"  check SVG: {args.check_svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
