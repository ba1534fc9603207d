"""How the event confidence weights (legation/data/events/confidence.yaml) were set, and their
calibration on PLOVER GSR records.

    python scripts/fit_confidence.py ../shared/eval/plover-gsr/dev.json            # calibration bins
    python scripts/fit_confidence.py ../shared/eval/plover-gsr/dev.json --fit      # refit the few weights

An event counts as right when its PLOVER type is the gold record's type (the gold codes one event
per sentence, so a second real event in a sentence counts as wrong: the bins of main events are
the fair ones). The fit is an L2-regularised logistic regression over FITTED features only; it
prints the weights and the calibration, and writes nothing: copy the weights into the data file
by hand.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# the few weights fitted on GSR dev; the others in the data file are set by hand (see its comments)
FITTED = ("main", "source_stated", "target_stated", "argument", "adjunct")
BINS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def collect(path: str) -> list[tuple[dict[str, float], bool, bool, float, int]]:
    """(features, type right, main, confidence, record number) for every event of every gold record."""
    import legation.events.extract as extract
    from legation.events.confidence import features
    from legation.evaluation.plover import gold_type, load_records
    from legation.pipeline import Pipeline
    from legation.records import Document

    seen: dict[str, dict[str, float]] = {}
    original = extract.set_confidence

    def recording(drafts):  # the features are read from the extractor's drafts (events.draft)
        original(drafts)
        for d in drafts:
            seen[d.event.id] = features(d)
    extract.set_confidence = recording
    records = load_records(path)
    pipeline = Pipeline(stages=["times", "actors", "quotes", "events"])
    out = []
    documents = [Document(text=r.get("text") or "") for r in records]
    for k, (record, analysis) in enumerate(zip(records, pipeline.analyze_documents(documents))):
        wanted = gold_type(record)
        for e in analysis.events:
            out.append((seen[e.id], e.type == wanted, bool(e.main), e.confidence, k))
    extract.set_confidence = original
    return out


def fit(rows, names, offset: dict[str, float] | None = None, l2: float = 1.0, steps: int = 50) -> tuple[float, dict[str, float]]:
    """Logistic regression of right/wrong on ``names``; the hand-set weights in ``offset`` are kept fixed."""
    import numpy as np

    x = np.array([[1.0] + [f.get(n, 0.0) for n in names] for f, *_ in rows])
    fixed = np.array([sum(w * f.get(n, 0.0) for n, w in (offset or {}).items()) for f, *_ in rows])
    y = np.array([float(r[1]) for r in rows])
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0  # the intercept is not shrunk
    for _ in range(steps):  # Newton steps (IRLS)
        p = 1.0 / (1.0 + np.exp(-(x @ w + fixed)))
        grad = x.T @ (y - p) - penalty @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + penalty
        w += np.linalg.solve(hess, grad)
    return float(w[0]), {n: float(v) for n, v in zip(names, w[1:])}


def bins(rows) -> list[tuple[str, int, float, float]]:
    out = []
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [r for r in rows if lo <= r[3] < hi]
        if inside:
            out.append((f"{lo:.1f}-{min(hi, 1.0):.1f}", len(inside), sum(r[3] for r in inside) / len(inside),
                        sum(r[1] for r in inside) / len(inside)))
    return out


def report(title: str, rows) -> None:
    print(f"\n{title}: {len(rows)} events, {sum(r[1] for r in rows)} right")
    print(f"  {'bin':<9} {'n':>4} {'mean conf':>9} {'right':>6}")
    for name, n, mean, right in bins(rows):
        print(f"  {name:<9} {n:4d} {mean:9.3f} {right:6.3f}")
    brier = sum((r[3] - r[1]) ** 2 for r in rows) / max(1, len(rows))
    print(f"  Brier score {brier:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", help="PLOVER gold records (JSON list)")
    parser.add_argument("--fit", action="store_true", help="refit the weights of FITTED and print them")
    parser.add_argument("--cv", action="store_true", help="with --fit: two-fold cross-validation by record (odd/even), "
                                                          "each half scored with the weights fitted on the other")
    args = parser.parse_args()
    rows = collect(args.gold)
    if args.fit:
        from legation.events.confidence import ConfidenceModel, confidence_model

        hand = {k: v for k, v in confidence_model().weights if k not in FITTED}

        def refit(train):
            intercept, weights = fit(train, FITTED, offset=hand)
            return intercept, weights, ConfidenceModel(intercept, tuple({**hand, **weights}.items()))
        intercept, weights, model = refit(rows)
        print("intercept:", round(intercept, 2))
        print("weights:", {k: round(v, 2) for k, v in weights.items()})
        if args.cv:
            folds = [[r for r in rows if r[4] % 2 == k] for k in (0, 1)]
            rows = [(f, right, main, refit(folds[1 - k])[2].score(f), rec) for k in (0, 1) for f, right, main, _, rec in folds[k]]
        else:
            rows = [(f, right, main, model.score(f), rec) for f, right, main, _, rec in rows]
    report("all events", rows)
    report("main events", [r for r in rows if r[2]])
    report("other events", [r for r in rows if not r[2]])


if __name__ == "__main__":
    main()
