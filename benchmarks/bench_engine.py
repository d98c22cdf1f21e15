#!/usr/bin/env python3
"""Speed and memory benchmark of the SPC statistics engine against PyPI peers.

Run it from its own virtual environment (see benchmarks/README.md):

    /root/.venvs/mqc-bench/bin/python benchmarks/bench_engine.py --quick   # 10^2, 10^3, 10^4
    /root/.venvs/mqc-bench/bin/python benchmarks/bench_engine.py           # and 10^5, 10^7

The engine and every peer get the same float64 data. A time is the best of k
wall-clock runs (time.perf_counter); k is chosen so that a cell takes about
--min-time seconds: at least 3 runs after a timed first one, fewer only when
one run already takes seconds. Peers run in a forked child with a wall-clock
cap (--peer-timeout) and an address-space cap (--peer-mem-gb). When a peer
cannot run, has no equivalent function, fails, times out, or would need far
longer than the cap (extrapolated linearly from the previous size), its cell
says so in words.

The script only reports. It always exits with status 0.
"""

import argparse
import math
import os
import platform
import signal
import sys
import time
import traceback
import tracemalloc
import warnings
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")  # pyspc imports pyplot at import time
warnings.filterwarnings("ignore")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from spc.charts import control_chart  # noqa: E402
from spc.process_capability import capability  # noqa: E402
from spc.rules import run_rules  # noqa: E402

try:
    from spc.msa import gauge_rr  # noqa: E402

    MSA_STATUS = None
except Exception as exc:  # msa.py absent or half-written
    gauge_rr = None
    MSA_STATUS = f"spc.msa.gauge_rr not importable ({type(exc).__name__}: {exc})"

SUBGROUP = 5
LSL, USL, TARGET = 6.0, 14.0, 10.0
GAUGE_DESIGNS = ((10, 3, 3), (1000, 10, 5))
#: The sizes of a chart or a study on a shop floor: the speed target's rows.
SHOP_SIZES = (10**2, 10**3, 10**4)
SHOP_GAUGE = (10, 3, 3)
PEER_NAMES = ("mfgqc", "statsmodels", "pyspc", "shewhart", "spc-lib", "GageRnR")
NO_SM = "n/a: no SPC charts or capability"
NO_PYSPC_RULES = "n/a: limits only, no Nelson tests 2-8"
NO_GRR_CHARTS = "n/a: gauge R&R only"
NO_GRR = "n/a: no gauge R&R"
NO_SPCLIB_CAP = "n/a: Cp/Cpk from the chart only, no CIs, Pp/Ppk, Cpm"


# --------------------------------------------------------------------------
# peers


def _import_peers():
    peers = {}
    try:
        import mfgqc
        import pandas as pd

        peers["mfgqc"] = (mfgqc, pd)
    except Exception as exc:
        peers["mfgqc"] = f"not installed ({type(exc).__name__})"
    try:
        import pandas as pd
        from statsmodels.formula.api import ols
        from statsmodels.stats.anova import anova_lm

        peers["statsmodels"] = (ols, anova_lm, pd)
    except Exception as exc:
        peers["statsmodels"] = f"not installed ({type(exc).__name__})"
    try:
        import pyspc

        peers["pyspc"] = pyspc
    except Exception as exc:
        peers["pyspc"] = f"not installed ({type(exc).__name__})"
    try:
        import pandas as pd
        import shewhart

        peers["shewhart"] = (shewhart, pd)
    except Exception as exc:
        peers["shewhart"] = f"not installed ({type(exc).__name__})"
    try:
        import spc_lib
        from spc_lib.rules import detect_violations

        peers["spc-lib"] = (spc_lib, detect_violations)
    except Exception as exc:
        peers["spc-lib"] = f"not installed ({type(exc).__name__})"
    try:
        import GageRnR

        peers["GageRnR"] = GageRnR
    except Exception as exc:
        peers["GageRnR"] = f"not installed ({type(exc).__name__})"
    return peers


PEERS = _import_peers()


def _version(name):
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return "?"


# --------------------------------------------------------------------------
# timing


def best_of(fn, min_time, max_single=2.0):
    """Best wall-clock time of fn() in seconds, and the number of runs."""
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    if first >= max_single:  # seconds per call: one more run at most
        if first * 2 > 30.0:
            return first, 1
        t0 = time.perf_counter()
        fn()
        return min(first, time.perf_counter() - t0), 2
    k = max(3, min(2000, math.ceil(min_time / max(first, 1e-7))))
    best = first
    for _ in range(k):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best, k + 1


def _child(fn, min_time, mem_gb, w):
    try:
        import resource

        limit = int(mem_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        msg = f"ok {best_of(fn, min_time)[0]!r}"
    except MemoryError:
        msg = f"err MemoryError (over the {mem_gb:g} GB cap)"
    except Exception as exc:
        text = str(exc).splitlines()[0][:80] if str(exc) else ""
        msg = f"err {type(exc).__name__}: {text}"
    try:
        os.write(w, msg.encode())
    finally:
        os._exit(0)


def run_guarded(fn, min_time, timeout, mem_gb):
    """best_of(fn) in a forked child: seconds, or the reason in words."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        _child(fn, min_time, mem_gb, w)
    os.close(w)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(r)
            return f"timeout > {timeout:g} s"
        time.sleep(0.02)
    data = b""
    while chunk := os.read(r, 4096):
        data += chunk
    os.close(r)
    msg = data.decode()
    if msg.startswith("ok "):
        return float(msg[3:])
    if msg.startswith("err "):
        return msg[4:]
    return f"child died (status {status})"


# --------------------------------------------------------------------------
# operations: (name, n, input array, ours callable or reason, {peer: callable or reason})


def _chart_peers(x, n):
    """mfgqc callables (or reasons) for the three chart-family operations."""
    if not isinstance(PEERS["mfgqc"], tuple):
        return (PEERS["mfgqc"],) * 3
    mfgqc, pd = PEERS["mfgqc"]
    df_sub = pd.DataFrame({"x": x, "sg": np.repeat(np.arange(n // SUBGROUP), SUBGROUP)})
    df_ind = pd.DataFrame({"x": x})

    def xbar():
        qc = mfgqc.load(df_sub, measure="x", subgroup="sg")
        return qc.control_chart(kind="xbar_r", rules="nelson")

    def imr():
        return mfgqc.load(df_ind, measure="x").control_chart(kind="i_mr", rules="nelson")

    def cap():
        qc = mfgqc.load(df_ind, measure="x", subgroup_size=1)
        return qc.spec(lower=LSL, upper=USL, target=TARGET).capability()

    return xbar, imr, cap


def _shewhart_peers(x, n):
    """shewhart callables (or reasons): X̄-R and I-MR with Nelson 1-8, capability."""
    if not isinstance(PEERS["shewhart"], tuple):
        return (PEERS["shewhart"],) * 3
    sw, pd = PEERS["shewhart"]
    df_sub = pd.DataFrame({"x": x, "sg": np.repeat(np.arange(n // SUBGROUP), SUBGROUP)})
    df_ind = pd.DataFrame({"x": x})
    return (
        lambda: sw.xbar_r(df_sub, value="x", subgroup="sg", rules="nelson"),
        lambda: sw.imr(df_ind, value="x", rules="nelson"),
        lambda: sw.capability(df_ind, value="x", lsl=LSL, usl=USL, target=TARGET),
    )


def _spclib_peers(x, sub):
    """spc-lib callables: its chart's limits, then its eight tests on the whole series
    (``last_n=None``; by default it looks at the last 30 points only)."""
    if not isinstance(PEERS["spc-lib"], tuple):
        return (PEERS["spc-lib"],) * 3
    lib, detect = PEERS["spc-lib"]

    def xbar():
        c = lib.XBarRChart(sub).fit()
        return detect(c.stat_main, c.cl_main, (c.ucl_main - c.cl_main) / 3, last_n=None)

    def imr():
        c = lib.IMRChart(x.reshape(-1, 1)).fit()
        return detect(c.stat_main, c.cl_main, (c.ucl_main - c.cl_main) / 3, last_n=None)

    return xbar, imr, NO_SPCLIB_CAP


def ops_for_size(n, rng):
    x = rng.normal(10.0, 1.0, n)
    sub = x.reshape(-1, SUBGROUP)

    def ours_xbar():
        c = control_chart("xbar_r", sub)
        found = run_rules(c.statistic, c.center, c.sigma / math.sqrt(SUBGROUP))
        return c, found, c.companion.out_of_control

    def ours_imr():
        c = control_chart("imr", x)
        found = run_rules(c.statistic, c.center, c.sigma)
        return c, found, c.companion.out_of_control

    def ours_cap():
        return capability(x, lsl=LSL, usl=USL, target=TARGET, subgroup_size=1)

    m_xbar, m_imr, m_cap = _chart_peers(x, n)
    s_xbar, s_imr, s_cap = _shewhart_peers(x, n)
    l_xbar, l_imr, l_cap = _spclib_peers(x, sub)
    sm = PEERS["statsmodels"] if isinstance(PEERS["statsmodels"], str) else NO_SM
    has_pyspc = not isinstance(PEERS["pyspc"], str)
    py_rules = NO_PYSPC_RULES if has_pyspc else PEERS["pyspc"]
    py_cap = "n/a: no capability" if has_pyspc else PEERS["pyspc"]
    grr = PEERS["GageRnR"] if isinstance(PEERS["GageRnR"], str) else NO_GRR_CHARTS
    common = {"statsmodels": sm, "GageRnR": grr}
    ops = [
        (
            "X̄-R (n=5) + Nelson 1-8",
            n,
            x,
            ours_xbar,
            {**common, "mfgqc": m_xbar, "pyspc": py_rules, "shewhart": s_xbar, "spc-lib": l_xbar},
        ),
        (
            "I-MR + Nelson 1-8",
            n,
            x,
            ours_imr,
            {**common, "mfgqc": m_imr, "pyspc": py_rules, "shewhart": s_imr, "spc-lib": l_imr},
        ),
        (
            "capability + CIs",
            n,
            x,
            ours_cap,
            {**common, "mfgqc": m_cap, "pyspc": py_cap, "shewhart": s_cap, "spc-lib": l_cap},
        ),
    ]
    return x, ops


def _gauge_peers(y, parts, operators, trials):
    peers = {}
    if isinstance(PEERS["mfgqc"], tuple):
        mfgqc, pd = PEERS["mfgqc"]
        gd = pd.DataFrame({"y": y, "part": parts, "operator": operators, "rep": trials})
        roles = {"part": "part", "operator": "operator", "replicate": "rep"}
        peers["mfgqc"] = lambda: mfgqc.load(gd, measure="y", roles=roles).gage_rr(method="anova")
    else:
        peers["mfgqc"] = PEERS["mfgqc"]
    if isinstance(PEERS["statsmodels"], tuple):
        ols, anova_lm, pd = PEERS["statsmodels"]
        sd = pd.DataFrame({"y": y, "part": parts, "operator": operators})
        peers["statsmodels"] = lambda: anova_lm(
            ols("y ~ C(part) * C(operator)", data=sd).fit(), typ=2
        )
    else:
        peers["statsmodels"] = PEERS["statsmodels"]
    peers["pyspc"] = PEERS["pyspc"] if isinstance(PEERS["pyspc"], str) else NO_GRR
    peers["shewhart"] = PEERS["shewhart"] if isinstance(PEERS["shewhart"], str) else NO_GRR
    peers["spc-lib"] = PEERS["spc-lib"] if isinstance(PEERS["spc-lib"], str) else NO_GRR
    if isinstance(PEERS["GageRnR"], str):
        peers["GageRnR"] = PEERS["GageRnR"]
    else:
        # its input is the operators x parts x trials cube, built before the clock
        # (as the peers' DataFrames are)
        lib = PEERS["GageRnR"]
        p, o = int(parts.max()) + 1, int(operators.max()) + 1
        cube = np.empty((o, p, y.size // (p * o)))
        cube[operators, parts, trials] = y
        peers["GageRnR"] = lambda: lib.GageRnR(cube).calculate()
    return peers


def _gauge_data(rng, p, o, r):
    ip, io, ir = np.meshgrid(np.arange(p), np.arange(o), np.arange(r), indexing="ij")
    y = (
        10.0
        + rng.normal(0, 1.0, p)[ip]
        + rng.normal(0, 0.2, o)[io]
        + rng.normal(0, 0.1, (p, o))[ip, io]
        + rng.normal(0, 0.1, ip.shape)
    )
    return y.ravel(), ip.ravel(), io.ravel(), ir.ravel()


def gauge_ops(rng):
    ops = []
    for p, o, r in GAUGE_DESIGNS:
        y, parts, operators, trials = _gauge_data(rng, p, o, r)
        if gauge_rr is None:
            ours = MSA_STATUS
        else:

            def ours(y=y, parts=parts, operators=operators):
                return gauge_rr(y, parts=parts, operators=operators, method="anova")

        ops.append(
            (
                f"gauge R&R ANOVA {p}x{o}x{r}",
                y.size,
                y,
                ours,
                _gauge_peers(y, parts, operators, trials),
            )
        )
    return ops


# --------------------------------------------------------------------------
# loop detection: Python line events executed inside the engine


def python_line_events(fn):
    """Number of Python line events executed in spc/ while fn() runs."""
    prefix = str(ROOT / "spc")
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(prefix):
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


LOOP_SIZES = (25_000, 250_000)  # X̄ points (n / 5) too above the short-series path (4,096)


def loop_check(rng):
    """Python line events at n and 10 n: a loop over points grows tenfold.

    Both sizes take the same code path (long-series run rules), so that a
    difference is growth with n, not a change of path."""
    out = []
    _, ops_s = ops_for_size(LOOP_SIZES[0], rng)
    _, ops_l = ops_for_size(LOOP_SIZES[1], rng)
    for small, large in zip(ops_s, ops_l, strict=True):
        out.append((small[0], python_line_events(small[3]), python_line_events(large[3])))
    if gauge_rr is not None:
        counts = []
        for p in (20, 200):
            y, parts, operators, _ = _gauge_data(rng, p, 3, 3)
            counts.append(
                python_line_events(
                    lambda y=y, parts=parts, operators=operators: gauge_rr(
                        y, parts=parts, operators=operators
                    )
                )
            )
        out.append(("gauge R&R ANOVA (20 / 200 parts)", *counts))
    return out


def grows(a, b):
    return b > 1.5 * a + 50


# --------------------------------------------------------------------------
# memory


def peak_memory(fn, nbytes):
    """tracemalloc peak while fn() runs (result included), over nbytes."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / nbytes


# --------------------------------------------------------------------------
# measuring


def fmt_ms(v):
    if isinstance(v, str):
        return v
    ms = v * 1e3
    if ms >= 100:
        return f"{ms:,.0f}"
    if ms >= 1:
        return f"{ms:.2f}"
    return f"{ms:.3f}"


def fmt_n(n):
    e = math.log10(n)
    return f"10^{int(e)}" if e.is_integer() else f"{n:,}"


class Bench:
    def __init__(self, args):
        self.args = args
        self.rows = []  # (name, n, ours, {peer: seconds or text})
        self.prev_peer = {}  # (name, peer) -> (n, seconds) for extrapolation
        self.mem = {}

    def peer_cell(self, name, n, peer, fn):
        if not callable(fn):
            return fn
        prev = self.prev_peer.get((name, peer))
        if prev and isinstance(prev[1], float):
            n0, t0 = prev
            est = t0 * n / n0
            if est > 3 * self.args.peer_timeout:
                return (
                    f"not run: est. {est:,.0f} s "
                    f"({fmt_ms(t0)} ms at {fmt_n(n0)}, x{n // n0} points)"
                )
        cell = run_guarded(fn, self.args.min_time, self.args.peer_timeout, self.args.peer_mem_gb)
        self.prev_peer[(name, peer)] = (n, cell)
        return cell

    def measure(self, name, n, data, ours, peers):
        print(f"  {name} @ {fmt_n(n)} ...", end="", flush=True)
        if callable(ours):
            try:
                t_ours = best_of(ours, self.args.min_time)[0]
            except Exception as exc:
                t_ours = f"error: {type(exc).__name__}: {exc}"[:60]
        else:
            t_ours = ours
        res = {peer: self.peer_cell(name, n, peer, peers.get(peer, "n/a")) for peer in PEER_NAMES}
        self.rows.append((name, n, t_ours, res))
        print(
            " ours "
            + fmt_ms(t_ours)
            + " ms; "
            + "; ".join(f"{p} {fmt_ms(v)}" for p, v in res.items()),
            flush=True,
        )


# --------------------------------------------------------------------------
# report


def _speedup(t_ours, res):
    figures = [v for v in res.values() if isinstance(v, float)]
    if not figures or not isinstance(t_ours, float):
        return None
    return min(figures) / t_ours


def _table_rows(bench):
    def row(name, n, t_ours, res):
        speed = _speedup(t_ours, res)
        return [
            name,
            fmt_n(n),
            fmt_ms(t_ours),
            *(fmt_ms(res[p]) for p in PEER_NAMES),
            "-" if speed is None else f"{speed:,.1f}x",
        ]

    charts = [r for r in bench.rows if not r[0].startswith("gauge")]
    gauges = [r for r in bench.rows if r[0].startswith("gauge")]
    ordered = sorted(charts, key=lambda r: r[1]) + gauges  # stable: operation order kept
    return [row(*r) for r in ordered]


def print_table(bench):
    header = [
        "operation",
        "n",
        "ours (ms)",
        *(f"{p} (ms)" for p in PEER_NAMES),
        "speed-up vs fastest peer",
    ]
    table = _table_rows(bench)
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in table:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |")


def _verdict(label, ok, detail):
    tag = "PASS" if ok else ("FAIL" if ok is False else "N/A ")
    print(f"  [{tag}] {label}: {detail}")


def _shop_row(name, n):
    if name.startswith("gauge"):
        return name == "gauge R&R ANOVA {}x{}x{}".format(*SHOP_GAUGE)
    return n in SHOP_SIZES


def print_targets(bench, big, loops):
    parts, ok = [], True
    for name, n, t_ours, res in bench.rows:
        if not _shop_row(name, n):
            continue
        speed = _speedup(t_ours, res)
        if speed is None:
            parts.append(f"{name} @ {fmt_n(n)}: no peer figure")
            continue
        fastest = min((p for p, v in res.items() if isinstance(v, float)), key=res.get)
        ok &= speed >= 10
        parts.append(f"{name} @ {fmt_n(n)}: {speed:,.1f}x ({fastest})")
    _verdict(
        ">= 10x faster than every peer at 10^2, 10^3, 10^4 (gauge: 10x3x3)",
        ok,
        "; ".join(parts),
    )
    for name, n, t_ours, _ in bench.rows:
        if name == "capability + CIs" and n == 10**3:
            _verdict(
                "capability with CIs at 10^3 under 0.4 ms",
                isinstance(t_ours, float) and t_ours < 0.4e-3,
                f"{fmt_ms(t_ours)} ms",
            )
        if name == "gauge R&R ANOVA {}x{}x{}".format(*SHOP_GAUGE):
            _verdict(
                "gauge R&R 10x3x3 under 0.3 ms",
                isinstance(t_ours, float) and t_ours < 0.3e-3,
                f"{fmt_ms(t_ours)} ms",
            )
    mem = "; ".join(f"{k}: {v:.2f}x" for k, v in bench.mem.items())
    if big == 10**7:
        _verdict("peak memory < 4x the input at 10^7", all(v < 4 for v in bench.mem.values()), mem)
    else:
        _verdict(
            "peak memory < 4x the input at 10^7",
            None,
            f"not measured (--quick); at {fmt_n(big)}: {mem}",
        )
    looping = [name for name, a, b in loops if grows(a, b)]
    _verdict(
        "no Python-level loop over points",
        not looping,
        "loops in: " + ", ".join(looping)
        if looping
        else "line events flat in n for every operation",
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="the shop sizes only: 10^2, 10^3, 10^4 points"
    )
    ap.add_argument("--min-time", type=float, default=0.2, help="target seconds per cell (0.2)")
    ap.add_argument(
        "--peer-timeout",
        type=float,
        default=180.0,
        help="wall-clock cap per peer cell in seconds (180)",
    )
    ap.add_argument(
        "--peer-mem-gb", type=float, default=8.0, help="address-space cap per peer cell in GB (8)"
    )
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args(argv)

    sizes = list(SHOP_SIZES) if args.quick else [*SHOP_SIZES, 10**5, 10**7]
    rng = np.random.default_rng(args.seed)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {_version('scipy')}, {os.cpu_count()} cores, {platform.machine()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        "peers: "
        + ", ".join(
            f"{p} {_version(p)}" if not isinstance(PEERS[p], str) else f"{p}: {PEERS[p]}"
            for p in PEER_NAMES
        )
    )
    if MSA_STATUS:
        print("note:", MSA_STATUS)
    print("\ntiming (best of k):")

    bench = Bench(args)
    gauges = gauge_ops(rng)
    for n in sizes:
        x, ops = ops_for_size(n, rng)
        for op in ops:
            bench.measure(*op)
        if n == sizes[-1]:
            bench.mem = {name: peak_memory(ours, x.nbytes) for name, _, _, ours, _ in ops}
        del x, ops
    for op in gauges:
        bench.measure(*op)

    print(
        "\nloop check (Python line events inside spc/, "
        f"n = {LOOP_SIZES[0]:,} -> {LOOP_SIZES[1]:,}):"
    )
    loops = loop_check(rng)
    for name, a, b in loops:
        print(f"  {name:34s} {a:>8,} -> {b:>8,}  {'grows with n' if grows(a, b) else 'flat'}")

    print()
    print_table(bench)
    big = sizes[-1]
    print(
        f"\npeak memory (tracemalloc, result included) at {fmt_n(big)}, "
        f"over the {big * 8 / 1e6:,.1f} MB input array:"
    )
    for name, ratio in bench.mem.items():
        print(f"  {name:28s} {ratio:5.2f}x")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    print("\ntargets:")
    print_targets(bench, big, loops)
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
    sys.exit(0)
