"""The benchmark's results: aggregated rounds, the goals, the table, the JSON and the chart."""

import contextlib
import json
import os
import platform
import statistics
from dataclasses import dataclass, field
from pathlib import Path

# Issue 12's reference figures: Wagtail's official demo (bakerydemo on Wagtail 8.0.1)
# on this kind of machine, CPU ms per request with 2 gunicorn workers. It cannot be
# installed here (no internet), so these stand in for a side-by-side run.
BAKERYDEMO_CPU_MS = {
    "article": 33,
    "home": 66,
    "section": 51,
    "api_v2_listing_full": 78,
    "api_v2_detail": 30,
}
# The trivial view's CPU ms in that run: the same machine's floor, so that each figure
# can be read as a multiple of its own run's floor when this machine is slower or faster.
BAKERYDEMO_FLOOR_MS = 0.56
SCALE_LIMIT = 1.3
DEEP_PAGE_LIMIT = 1.5
SITEMAP_CPU_LIMIT_MS = 20
SEARCH_P50_LIMIT_MS = 100
FIRST_RESPONSE_LIMIT_MS = 1000
WORKER_MEMORY_LIMIT_MB = 150
CACHED_FLOOR_SHARE = 0.5


@dataclass
class Measurement:
    """One target on one server, summed over the rounds."""

    requests: int = 0
    served: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    errors: int = 0
    p50s: list = field(default_factory=list)
    p99s: list = field(default_factory=list)
    queries: int | None = None
    cache: str | None = None
    bytes: int | None = None

    def add(self, load, cpu_seconds, served):
        self.requests += load.requests
        self.served += served
        self.seconds += load.seconds
        self.cpu_seconds += cpu_seconds
        self.errors += load.errors
        if load.requests:
            self.p50s.append(load.p50_ms)
            self.p99s.append(load.p99_ms)

    def as_dict(self):
        # CPU per request served by the workers (their access log), which counts the
        # requests still in flight when the load generator stopped.
        served = self.served or self.requests
        return {
            "requests": self.requests,
            "served": self.served,
            "errors": self.errors,
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(statistics.median(self.p50s), 1) if self.p50s else None,
            "p99_ms": round(max(self.p99s), 1) if self.p99s else None,
            "cpu_ms_per_request": round(self.cpu_seconds * 1000 / served, 2) if served else None,
            "queries": self.queries,
            "page_cache": self.cache,
            "response_bytes": self.bytes,
        }


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {
        "cpu": cpu or platform.processor() or "unknown",
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gb": memory_gb,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def build(targets, configs, measurements, servers_info, settings):
    """The JSON document: every row, the floor ratios and the goals."""
    rows = []
    for config in configs:
        floor = measurements[(config["key"], "floor")].as_dict()
        for target in targets[config["key"]]:
            row = measurements[(config["key"], target.key)].as_dict()
            cpu, rps = row["cpu_ms_per_request"], row["requests_per_second"]
            row.update(
                target=target.key,
                label=target.label,
                path=target.path,
                config=config["key"],
                cpu_floor_ratio=round(cpu / floor["cpu_ms_per_request"], 1)
                if cpu is not None and floor["cpu_ms_per_request"]
                else None,
                throughput_floor_share=round(rps / floor["requests_per_second"], 2)
                if floor["requests_per_second"]
                else None,
            )
            rows.append(row)
    document = {
        "machine": machine(),
        "settings": settings,
        "configs": configs,
        "servers": servers_info,
        "bakerydemo_cpu_ms": BAKERYDEMO_CPU_MS,
        "rows": rows,
    }
    document["goals"] = goals(document)
    return document


def _row(document, config, target):
    return next(
        (r for r in document["rows"] if r["config"] == config and r["target"] == target), None
    )


def goals(document):
    """Each of issue 12's goals with the measured figure and whether it is met."""
    results = []
    configs = {config["key"] for config in document["configs"]}

    def add(goal, met, figure):
        results.append({"goal": goal, "met": bool(met), "figure": figure})

    shares = {}
    if "cached" in configs:
        shares = {
            r["label"]: r["throughput_floor_share"]
            for r in document["rows"]
            if r["config"] == "cached" and r["target"] != "floor"
        }
    if shares:  # `--only floor` measures nothing but the floor
        worst = min(shares, key=lambda label: shares[label] or 0)
        add(
            f"cached pages and API responses ≥ {CACHED_FLOOR_SHARE:.0%} of the floor's throughput",
            all((share or 0) >= CACHED_FLOOR_SHARE for share in shares.values()),
            f"lowest: {worst} at {shares[worst]:.0%}",
        )
    if "uncached" in configs:
        for target, demo_ms in BAKERYDEMO_CPU_MS.items():
            row = _row(document, "uncached", target)
            if row and row["cpu_ms_per_request"] is not None:
                add(
                    f"{row['label']}, cache off: ≤ 1/3 of bakerydemo's {demo_ms} ms CPU",
                    row["cpu_ms_per_request"] <= demo_ms / 3,
                    f"{row['cpu_ms_per_request']} ms (limit {demo_ms / 3:.1f})",
                )
                floor = _row(document, "uncached", "floor")
                if floor and floor["cpu_ms_per_request"]:
                    # The same comparison in floors: each figure divided by the trivial
                    # view's CPU in its own run (bakerydemo's and this machine's).
                    ours = row["cpu_ms_per_request"] / floor["cpu_ms_per_request"]
                    limit = demo_ms / BAKERYDEMO_FLOOR_MS / 3
                    add(
                        f"{row['label']}, cache off, in floors: ≤ 1/3 of bakerydemo's "
                        f"{demo_ms / BAKERYDEMO_FLOOR_MS:.0f}x its floor",
                        ours <= limit,
                        f"{ours:.1f}x the floor (limit {limit:.1f}x)",
                    )
        if "demo" in configs:
            ratios = {}
            for row in document["rows"]:
                if row["config"] != "uncached" or row["target"] == "floor":
                    continue
                small = _row(document, "demo", row["target"])
                if row["cpu_ms_per_request"] and small and small["cpu_ms_per_request"]:
                    ratios[row["label"]] = row["cpu_ms_per_request"] / small["cpu_ms_per_request"]
            worst = max(ratios, key=ratios.get, default=None)
            articles = document["settings"]["articles"]
            if worst is not None:
                add(
                    f"every page at {articles:,} articles ≤ {SCALE_LIMIT}x its CPU at demo size",
                    all(ratio <= SCALE_LIMIT for ratio in ratios.values()),
                    f"highest: {worst} {ratios[worst]:.2f}x",
                )
        first, deep = (
            _row(document, "uncached", "section"),
            _row(document, "uncached", "section_deep"),
        )
        if first and deep and first["cpu_ms_per_request"] and deep["cpu_ms_per_request"]:
            ratio = deep["cpu_ms_per_request"] / first["cpu_ms_per_request"]
            add(
                f"deep section page ≤ {DEEP_PAGE_LIMIT}x page 1",
                ratio <= DEEP_PAGE_LIMIT,
                f"{deep['label']}: {ratio:.2f}x",
            )
        sitemaps = [
            r
            for r in document["rows"]
            if r["config"] == "uncached" and r["target"].startswith("sitemap")
        ]
        if sitemaps:
            worst = max(sitemaps, key=lambda r: r["cpu_ms_per_request"])
            add(
                f"each sitemap under {SITEMAP_CPU_LIMIT_MS} ms of CPU",
                worst["cpu_ms_per_request"] < SITEMAP_CPU_LIMIT_MS,
                f"highest: {worst['label']} {worst['cpu_ms_per_request']} ms",
            )
        search = _row(document, "uncached", "search")
        if search and search["p50_ms"] is not None:
            add(
                f"search p50 under {SEARCH_P50_LIMIT_MS} ms (SQLite, under load)",
                search["p50_ms"] < SEARCH_P50_LIMIT_MS,
                f"{search['p50_ms']} ms",
            )
    servers = document["servers"]
    first = [s["first_response_ms"] for s in servers.values() if s.get("first_response_ms")]
    if first:
        add(
            f"a worker's first response under {FIRST_RESPONSE_LIMIT_MS} ms after start",
            max(first) < FIRST_RESPONSE_LIMIT_MS,
            f"slowest: {max(first):.0f} ms",
        )
    memory = [mb for s in servers.values() for mb in s.get("worker_memory_mb", [])]
    if memory:
        add(
            f"worker memory under {WORKER_MEMORY_LIMIT_MB} MB after the benchmark",
            max(memory) < WORKER_MEMORY_LIMIT_MB,
            f"largest worker: {max(memory):.0f} MB",
        )
    return results


def table(document):
    """The rows as a fixed-width text table."""
    header = (
        f"{'page':28} {'server':9} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms':>7} {'queries':>7} {'x floor CPU':>11} {'% floor req/s':>13}"
    )
    lines = [header, "-" * len(header)]
    for row in document["rows"]:
        queries = "-" if row["queries"] is None else str(row["queries"])
        lines.append(
            f"{row['label'][:28]:28} {row['config']:9} {row['requests_per_second']:>7.1f} "
            f"{_number(row['p50_ms']):>7} {_number(row['p99_ms']):>7} "
            f"{_number(row['cpu_ms_per_request'], 2):>7} "
            f"{queries:>7} {_number(row['cpu_floor_ratio']):>11} "
            f"{_percent(row['throughput_floor_share']):>13}"
        )
    return "\n".join(lines)


def markdown_table(document):
    """The rows as the README shows them: one line per page, the servers side by side."""
    configs = [config["key"] for config in document["configs"]]
    labels = {config["key"]: config["label"] for config in document["configs"]}
    head = ["page"]
    for config in configs:
        head += [f"{labels[config]} req/s", f"{labels[config]} CPU ms", f"{labels[config]} queries"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    keys = list(dict.fromkeys(r["target"] for r in document["rows"]))
    for key in keys:
        cells = []
        label = None
        for config in configs:
            row = _row(document, config, key)
            if row is None:
                cells += ["", "", ""]
                continue
            label = label or row["label"]
            queries = "" if row["queries"] is None else str(row["queries"])
            cells += [
                f"{row['requests_per_second']:.0f}",
                f"{row['cpu_ms_per_request']:.1f}",
                queries,
            ]
        lines.append("| " + " | ".join([label or key, *cells]) + " |")
    return "\n".join(lines)


def _number(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def _percent(value):
    return "-" if value is None else f"{value:.0%}"


def write_json(document, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def draw_chart(document, path):
    """CPU ms per request for each page, per server, with bakerydemo's figures beside them."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    configs = document["configs"]
    keys = [k for k in dict.fromkeys(r["target"] for r in document["rows"])]
    labels = [next(r["label"] for r in document["rows"] if r["target"] == k) for k in keys]
    series = [
        (
            config["label"],
            [(_row(document, config["key"], k) or {}).get("cpu_ms_per_request") or 0 for k in keys],
        )
        for config in configs
    ]
    series.append(("bakerydemo (issue 12's figures)", [BAKERYDEMO_CPU_MS.get(k, 0) for k in keys]))
    height = 0.8 / len(series)
    figure, axes = pyplot.subplots(figsize=(10, 0.45 * len(keys) + 1.8))
    for index, (name, values) in enumerate(series):
        positions = [n + index * height for n in range(len(keys))]
        axes.barh(positions, values, height=height, label=name)
    axes.set_yticks([n + height * (len(series) - 1) / 2 for n in range(len(keys))])
    axes.set_yticklabels(labels)
    axes.invert_yaxis()
    axes.set_xlabel("CPU ms per request (gunicorn workers, lower is better)")
    settings = document["settings"]
    axes.set_title(
        f"Byline under load: {settings['articles']:,} articles, {settings['generator']}, "
        f"{settings['connections']} connections, {settings['rounds']} rounds"
    )
    axes.legend(loc="lower right", fontsize="small")
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    pyplot.close(figure)
