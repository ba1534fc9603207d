"""Write legation/web/static/world.json: simplified country outlines for the page's map.

The outlines come from Natural Earth's 1:110m admin-0 countries (public domain) as shipped
inside the geopandas 0.14 wheel on PyPI (``geopandas/datasets/naturalearth_lowres``); the
page draws them itself, so nothing is fetched when the map is shown. Run once, when the
outline should change, and commit the result:

    pip download geopandas==0.14.4 --no-deps -d /tmp/geo
    python scripts/make_world_map.py /tmp/geo/geopandas-0.14.4-py3-none-any.whl

Shapefile and dBase are read here with the standard library (no GIS packages needed).
Rings are simplified (Douglas-Peucker, 0.2 degrees), rounded to 0.1 degree, Antarctica left out.
"""
from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

INNER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).resolve().parents[1] / "legation" / "web" / "static" / "world.json"
TOLERANCE = 0.2
# Natural Earth gives -99 as iso_a3 for these; Legation's codes (ISO 3166-1 alpha-3, XKX for Kosovo)
CODE_BY_NAME = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}


def read_dbf(data: bytes) -> list[dict[str, str]]:
    count, header_len, record_len = struct.unpack("<xxxxIHH", data[:12])
    fields = []
    offset = 32
    while data[offset] != 0x0D:
        name = data[offset:offset + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[offset + 16]))
        offset += 32
    rows = []
    for i in range(count):
        start = header_len + i * record_len + 1  # skip the deletion flag
        row = {}
        for name, length in fields:
            row[name] = data[start:start + length].decode("utf-8", "replace").strip()
            start += length
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Polygons (shape type 5): per record, its rings as (lon, lat) points."""
    shapes = []
    offset = 100
    while offset < len(data):
        _, length = struct.unpack(">ii", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + 2 * length]
        offset += 8 + 2 * length
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type != 5:
            shapes.append([])
            continue
        num_parts, num_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{num_parts}i", body[44:44 + 4 * num_parts]))
        base = 44 + 4 * num_parts
        points = [struct.unpack("<dd", body[base + 16 * k:base + 16 * k + 16]) for k in range(num_points)]
        parts.append(num_points)
        shapes.append([points[parts[k]:parts[k + 1]] for k in range(num_parts)])
    return shapes


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, None
        for k in range(first + 1, last):
            x, y = points[k]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, k
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = zip(*ring)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        rows = read_dbf(archive.read(INNER + ".dbf"))
        shapes = read_shp(archive.read(INNER + ".shp"))
    countries = []
    for row, rings in zip(rows, shapes):
        name = row.get("name", "")
        if name == "Antarctica" or not rings:
            continue
        code = row.get("iso_a3", "")
        if not code or code == "-99":
            code = CODE_BY_NAME.get(name, "")
        if not code:
            continue
        out_rings = []
        biggest = (0.0, 0.0, 0.0)
        for ring in rings:
            measured = area_centroid(ring)
            if measured[0] > biggest[0]:
                biggest = measured
            small = simplify(ring, TOLERANCE)
            flat = [round(v, 1) for point in small for v in point]
            if len(flat) >= 6:
                out_rings.append(flat)
        if out_rings:
            countries.append({"code": code, "name": name, "c": [round(biggest[1], 2), round(biggest[2], 2)],
                              "r": out_rings})
    countries.sort(key=lambda c: (c["code"], c["name"]))
    data = {"source": "Natural Earth 1:110m admin-0 countries (public domain), via the geopandas 0.14.4 wheel; "
                      "made by scripts/make_world_map.py", "countries": countries}
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(countries)} countries, {OUT.stat().st_size:,} bytes -> {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
