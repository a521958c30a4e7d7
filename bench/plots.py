"""Draw the figures of docs/benchmarks.md from the JSON the benchmarks wrote.

    pip install 'signage[bench]'   # matplotlib
    python bench/plots.py [--results bench/results] [--out docs/benchmarks]

Reads screens-gthread.json, screens-gevent.json (bench/screens.py), tickets.json
(bench/tickets.py) and scale.json (bench/scale.py) when present, and writes PNG files
next to the docs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def load(folder: Path, name: str) -> dict | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def screens_figure(runs: dict[str, dict], out: Path) -> Path:
    """Memory and idle CPU against connected screens, each server, with the raw floor."""
    fig, (mem, cpu) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    floor = None
    for label, run in runs.items():
        rows = [r for r in run["signage"] if r["screens"]]
        xs = [r["screens"] for r in rows]
        mem.plot(xs, [r["rss"] / 2**20 for r in rows], marker="o", label=f"signage {label}")
        cpu.plot(xs, [r["idle_cpu_pct"] for r in rows], marker="o", label=f"signage {label}")
        floor = floor or run
    if floor is not None:
        rows = [r for r in floor["floor"] if r["screens"]]
        xs = [r["screens"] for r in rows]
        mem.plot(xs, [r["rss"] / 2**20 for r in rows], "k--", marker=".", label="raw asyncio")
        cpu.plot(xs, [r["idle_cpu_pct"] for r in rows], "k--", marker=".", label="raw asyncio")
        ping = floor.get("ping_interval_s", 5)
    mem.set(title="Resident memory of the serving process", xlabel="idle screens connected",
            ylabel="MiB")
    cpu.set(title=f"Idle CPU, pings every {ping} s", xlabel="idle screens connected",
            ylabel="% of one core")
    for ax in (mem, cpu):
        ax.grid(alpha=.3)
        ax.legend()
    fig.tight_layout()
    path = out / "screens.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def tickets_figure(run: dict, out: Path) -> Path:
    """Ticket latency percentiles per database, against the static-file reference."""
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    labels, p50, p99 = [], [], []
    for r in run["runs"]:
        for part in ("tickets", "floor"):
            s = r[part]
            labels.append(f"{r['db']}\n{s['label']}\n{s['per_s']:.0f}/s")
            p50.append(s["p50_ms"])
            p99.append(s["p99_ms"])
    xs = range(len(labels))
    ax.bar([x - .2 for x in xs], p50, width=.4, label="p50")
    ax.bar([x + .2 for x in xs], p99, width=.4, label="p99")
    ax.set_xticks(list(xs), labels, fontsize=8)
    ax.set(ylabel="ms", title=f"{run['args']['kiosks']} kiosks, {run['args']['counters']} counters")
    ax.grid(axis="y", alpha=.3)
    ax.legend()
    fig.tight_layout()
    path = out / "tickets.png"
    fig.savefig(path)
    plt.close(fig)
    return path


TARGET_SCREENS = 10_000


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares line through the points: (slope, intercept)."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return slope, my - slope * mx


def scale_figure(run: dict, out: Path) -> Path:
    """Call-to-glass p99 and memory per screen against screens, signage against the floor."""
    rows = [r for r in run["rows"] if r["screens"]]
    xs = [r["screens"] for r in rows]
    fig, (lat, mem) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    lat.plot(xs, [r["call_p99_ms"] for r in rows], marker="o", label="signage: call → every screen, p99")
    lat.plot(xs, [r["call_p50_ms"] for r in rows], marker="o", alpha=.5, label="signage p50")
    lat.plot(xs, [r["floor_p99_ms"] for r in rows], "k--", marker=".", label="raw asyncio floor, p99")
    lat.plot(xs, [r["floor_p50_ms"] for r in rows], "k:", marker=".", label="floor p50")
    if len(xs) > 2 and max(xs) < TARGET_SCREENS:  # straight lines through the steps, to 10,000
        for key, style in (("call_p99_ms", "C0:"), ("floor_p99_ms", "k:")):
            slope, icept = fit([(x, r[key]) for x, r in zip(xs, rows, strict=True)])
            lat.plot([xs[-1], TARGET_SCREENS],
                     [icept + slope * xs[-1], icept + slope * TARGET_SCREENS], style, alpha=.6)
        lat.axvline(xs[-1], color="grey", lw=.5)
        lat.annotate("extrapolated\n(least squares)", (TARGET_SCREENS, lat.get_ylim()[0]),
                     ha="right", va="bottom", fontsize=7, color="grey")
    for x, r in zip(xs, rows, strict=True):
        lat.annotate(f"×{r['ratio_p99']:.1f}", (x, r["call_p99_ms"]),
                     textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    mem.plot(xs, [r["rss_per_screen"] / 1024 for r in rows], marker="o",
             label=f"signage, {run['args']['workers']} processes")
    mem.plot(xs, [r["floor_rss_per_screen"] / 1024 for r in rows], "k--", marker=".",
             label="raw asyncio floor")
    mem.plot(xs, [r["clients_rss_per_connection"] / 1024 for r in rows], ":", color="grey",
             marker=".", label="the clients, per connection held")
    args = run["args"]
    lat.set(title=f"Call-to-glass, {args['workers']} × {args['worker_class']} on PostgreSQL + Redis",
            xlabel="screens connected", ylabel="ms")
    mem.set(title="Resident memory per screen (all serving processes)",
            xlabel="screens connected", ylabel="KB per screen")
    mem.set_ylim(bottom=0)
    for ax in (lat, mem):
        ax.set_xlim(0, max(TARGET_SCREENS, *xs) * 1.03)
    for ax in (lat, mem):
        ax.grid(alpha=.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    path = out / "scale.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", default=str(ROOT / "bench" / "results"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks"))
    args = ap.parse_args()
    folder, out = Path(args.results), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    screens = {label: run for label in ("gthread", "gevent")
               if (run := load(folder, f"screens-{label}")) is not None}
    if screens:
        print(screens_figure(screens, out))
    if (tickets := load(folder, "tickets")) is not None:
        print(tickets_figure(tickets, out))
    if (scale := load(folder, "scale")) is not None:
        # Steps run on their own (`--steps 6000`, scale-6000.json) join the curve.
        for path in sorted(folder.glob("scale-*.json")):
            extra = json.loads(path.read_text())
            if extra["args"]["worker_class"] == scale["args"]["worker_class"]:
                have = {r["screens"] for r in scale["rows"]}
                scale["rows"] += [r for r in extra["rows"] if r["screens"] not in have]
        scale["rows"].sort(key=lambda r: r["screens"])
        print(scale_figure(scale, out))


if __name__ == "__main__":
    main()
