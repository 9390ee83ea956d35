"""Minimal VRPLIB (CVRPTW, EUC_2D) reader for the benchmarks; no third-party parser needed."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from kamdesk.domain.routing.vrptw import VrptwInstance

_SECTIONS = {
    "NODE_COORD_SECTION",
    "DEMAND_SECTION",
    "TIME_WINDOW_SECTION",
    "SERVICE_TIME_SECTION",
    "DEPOT_SECTION",
}


class VrplibFormatError(ValueError):
    pass


def read_vrptw(path: Path) -> VrptwInstance:
    """Read one ``.vrp`` file. Node ids are renumbered so that the (single) depot is node 0."""
    header: dict[str, str] = {}
    rows: dict[str, list[list[str]]] = {}
    current: str | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        key = line.split()[0].rstrip(":")
        if key in _SECTIONS:
            current = key
            rows[current] = []
            continue
        if current is None or (":" in line and not re.match(r"^-?\d", line)):
            name, _, value = line.partition(":")
            header[name.strip().upper()] = value.strip()
            current = None
            continue
        rows[current].append(line.split())
    weight = header.get("EDGE_WEIGHT_TYPE", "EUC_2D")
    if weight != "EUC_2D":
        raise VrplibFormatError(f"{path}: EDGE_WEIGHT_TYPE {weight} not supported")
    dim = int(header["DIMENSION"])
    ids = [int(r[0]) for r in rows["NODE_COORD_SECTION"]]
    depots = [int(r[0]) for r in rows.get("DEPOT_SECTION", [["1"]]) if int(r[0]) >= 0]
    if len(depots) != 1 or len(ids) != dim:
        raise VrplibFormatError(f"{path}: need exactly one depot and {dim} coordinates")
    order = [depots[0]] + [i for i in ids if i != depots[0]]

    def by_id(section: str, width: int) -> dict[int, list[float]]:
        table = {int(r[0]): [float(v) for v in r[1 : 1 + width]] for r in rows.get(section, [])}
        if table and len(table) != dim:
            raise VrplibFormatError(f"{path}: {section} has {len(table)} rows, expected {dim}")
        return table

    coords = by_id("NODE_COORD_SECTION", 2)
    demands = by_id("DEMAND_SECTION", 1)
    windows = by_id("TIME_WINDOW_SECTION", 2)
    service_rows = by_id("SERVICE_TIME_SECTION", 1)
    flat_service = float(header.get("SERVICE_TIME", "0"))
    service = [
        0.0 if node == depots[0] else (service_rows[node][0] if service_rows else flat_service)
        for node in order
    ]
    if not windows:
        raise VrplibFormatError(f"{path}: no TIME_WINDOW_SECTION")
    return VrptwInstance(
        name=header.get("NAME", path.stem),
        coords=tuple((coords[n][0], coords[n][1]) for n in order),
        demands=tuple(int(demands[n][0]) if demands else 0 for n in order),
        windows=tuple((windows[n][0], windows[n][1]) for n in order),
        service=tuple(service),
        capacity=int(header.get("CAPACITY", str(10**9))),
        vehicles=int(header.get("VEHICLES", str(dim - 1))),
    )


def read_bks(folder: Path) -> dict[str, float]:
    """Best-known costs: every ``bks.csv`` under the folder (``instance``, ``distance``),
    then ``Cost`` lines of ``.sol`` files for instances the CSVs do not cover."""
    bks: dict[str, float] = {}
    for csv_path in sorted(folder.rglob("bks.csv")):
        with csv_path.open(newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("instance") and row.get("distance"):
                    bks[row["instance"]] = float(row["distance"])
    for sol in sorted(folder.rglob("*.sol")):
        if sol.stem in bks:
            continue
        match = re.search(r"^Cost\s+([0-9.]+)", sol.read_text(), re.MULTILINE)
        if match:
            bks[sol.stem] = float(match.group(1))
    return bks
