"""Python references for `./build.sh bench` on the shared workloads (benches/data):
numpy written by hand (W1 Kaplan-Meier; W4/W5 a vectorised bootstrap) and lifelines
(W1 KaplanMeierFitter, W2 AalenJohansenFitter). Prints `BENCH {json}` lines for
scripts/bench-table.mjs, or one line saying what is skipped.
    python3 scripts/bench-python.py benches/data
"""
import json
import statistics
import sys
import time
import warnings

DIR = sys.argv[1] if len(sys.argv) > 1 else "benches/data"


def emit(row, col, ms, runs, note=""):
    print("BENCH " + json.dumps({"table": "workloads", "row": row, "col": col, "value": ms,
                                 "unit": "ms", "runs": runs, "note": note}))


def skipped(what, why):
    print("BENCH " + json.dumps({"table": "skipped", "row": what, "note": why}))


def median_ms(runs, f):
    f()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        samples.append(time.perf_counter() - t)
    return 1000 * statistics.median(samples)


surv = json.load(open(f"{DIR}/surv450.json"))

try:
    import numpy as np
except ImportError:
    np = None
    skipped("numpy", "numpy not installed (pip install numpy)")

if np is not None:
    t = np.asarray(surv["time"], dtype=float)
    e = (np.asarray(surv["status"]) != 0).astype(np.int64)

    def km():
        ut, inv = np.unique(t, return_inverse=True)
        d = np.bincount(inv, weights=e, minlength=len(ut))
        left = np.bincount(inv, minlength=len(ut))
        n = len(t) - np.concatenate(([0], np.cumsum(left)[:-1]))
        s = np.cumprod(1 - d / n)
        with np.errstate(divide="ignore", invalid="ignore"):
            gw = np.sqrt(np.cumsum(np.where(n > d, d / (n * (n - d)), np.inf)))
            half = 1.959963984540054 * gw / np.log(s)
            centre = np.log(-np.log(s))
            return s, np.exp(-np.exp(centre - half)), np.exp(-np.exp(centre + half))

    emit("W1", "numpy", median_ms(201, km), 201, "hand-written KM, Greenwood, log-log")

    # Rows: distinct (time, event); each replicate's counts by one bincount over all
    # replicates, then the product-limit pass along the rows for every replicate at once.
    keys = t * 2 + e
    rk, row_of = np.unique(keys, return_inverse=True)
    row_time = np.floor(rk / 2)
    row_event = rk - 2 * row_time
    ut, block = np.unique(row_time, return_inverse=True)
    i365 = np.searchsorted(ut, 365, side="right") - 1
    i730 = np.searchsorted(ut, 730, side="right") - 1

    def boot(reps):
        rng = np.random.default_rng(1)
        idx = rng.integers(0, len(t), size=(reps, len(t)))
        rows = row_of[idx] + np.arange(reps)[:, None] * len(rk)
        counts = np.bincount(rows.ravel(), minlength=reps * len(rk)).reshape(reps, len(rk))
        d = np.zeros((reps, len(ut)))
        left = np.zeros((reps, len(ut)))
        np.add.at(d.T, block, (counts * row_event).T)
        np.add.at(left.T, block, counts.T)
        n = len(t) - np.concatenate((np.zeros((reps, 1)), np.cumsum(left, axis=1)[:, :-1]), axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.cumprod(np.where(d > 0, 1 - d / n, 1.0), axis=1)
        return np.percentile(s[:, i365], [2.5, 97.5]), np.percentile(s[:, i730], [2.5, 97.5])

    for row, reps, runs in (("W4", 2000, 7), ("W5", 10000, 5)):
        emit(row, "numpy", median_ms(runs, lambda: boot(reps)), runs, "vectorised over replicates")

try:
    warnings.simplefilter("ignore")
    from lifelines import AalenJohansenFitter, KaplanMeierFitter
except ImportError:
    skipped("lifelines", "lifelines not installed (pip install lifelines)")
else:
    status = surv["status"]
    event = [int(s != 0) for s in status]

    def w1():
        KaplanMeierFitter().fit(surv["time"], event).confidence_interval_

    def w2():
        for cause in (1, 2):
            AalenJohansenFitter(calculate_variance=True).fit(surv["time"], status, event_of_interest=cause)

    emit("W1", "lifelines", median_ms(21, w1), 21, "KaplanMeierFitter")
    emit("W2", "lifelines", median_ms(11, w2), 11, "AalenJohansenFitter, both causes, with variance")
    skipped("lifelines W3-W5", "lifelines has no logit or bootstrap: not measured")
