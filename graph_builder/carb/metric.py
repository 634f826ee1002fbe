# Vendored from the CaRB benchmark folder (../shared/benchmarks/carb/carb_metric.py), unchanged below
# this header, so that graph-builder scores CaRB without the shared folder. CaRB (Bhardwaj,
# Aggarwal & Mausam, EMNLP 2019) is MIT-licensed: Copyright (c) 2021 Data Analytics and Intelligence
# Research (DAIR) Group, IIT Delhi; the licence text is in LICENSE beside this file.
# Kept verbatim (no type hints, its own style) so that it stays the official scoring logic.
# tests/test_evaluate.py checks that it still matches the shared copy.
"""
carb_metric.py -- an independent, self-contained re-implementation of the DEFAULT CaRB metric
(Bhardwaj, Aggarwal & Mausam, EMNLP 2019; github.com/dair-iitd/CaRB, carb.py + matcher.py).
Written from a reading of the upstream algorithm; no upstream code is copied. Needs numpy only.

What "default CaRB" means (= `python carb.py --gold=... --out=... --tabbed=...` with no match flag):

 1. Gold file (data/gold/{dev,test}.tsv): one extraction per line,
        sentence <TAB> relation <TAB> arg1 <TAB> arg2 [<TAB> arg3 ...]
    args containing the substring "C: " are dropped; everything is .strip()ed.
    Prediction file ("tabbed"): sentence <TAB> confidence <TAB> relation <TAB> arg1 [<TAB> arg2 ...]
 2. Sentences are keyed by a normalised string: remove all spaces, map PTB escapes
    (-LRB- -> '(' etc.), then delete every character in string.punctuation. Predictions for
    sentences that have no gold extraction are IGNORED (they cost no precision).
 3. Pairwise score of gold g vs predicted p = "binary lenient tuple match":
    both tuples are binarised to (arg1, rel, " ".join(arg2..argN)); then token-level
    (whitespace split, CASE-SENSITIVE, stop words NOT removed) multiset overlap per slot:
      rel: matched = |gold_rel_words ∩ pred_rel_words| (multiset); plus 1 if the predicted relation
           (after removing matched words) still contains "be" and the gold relation contains any of
           be/is/am/are/was/were/been/being.  If matched == 0 -> score (0,0).
      for each gold arg slot k (k < number of gold args, i.e. <= 2 after binarisation):
           if the prediction has no slot k: (0,0) if k < 2 (always, after binarisation)
           else overlap as above (a zero overlap is allowed here).
      precision = matched words / predicted words counted ; recall = matched / gold words counted.
      NB: predicted slots beyond the gold's slot count are not counted in the precision denominator.
    "said"-type rule: if the gold relation string contains any of the substrings
      said, told, added, adds, says, the prediction is also scored with arg1 and arg2 swapped
      and the lexicographic max of the two [prec, rec] pairs is used.
 4. Aggregation, per confidence threshold t (every distinct predicted confidence):
      for each gold sentence, keep predictions with confidence >= t;
      recall numerator   += sum over gold tuples of max recall over kept predictions (a gold tuple
                            may be "matched" by several predictions: one-to-many for recall);
      precision numerator+= greedy ONE-TO-ONE matching: repeat min(#gold, #kept) times, take the
                            unused (gold, pred) pair with the highest precision score;
      precision denominator += #kept predictions; recall denominator += #gold tuples.
    P(t) = num/den (1.0 if den == 0), R(t) = num/den.  Reported F1 = max_t F1(t) together with P,R
    at that t.  AUC = trapezoidal area under the PR points (ordered by threshold) after appending
    the point (R=0, P=1).  With a single constant confidence this is AUC = R * (1 + P) / 2.

Usage:
    python carb_metric.py --gold GOLD.tsv --pred PRED.tabbed [--per-sentence OUT.tsv]
"""
from __future__ import annotations

import argparse
import string
from collections import defaultdict

import numpy as np

_PTB = [("(", "-LRB-"), (")", "-RRB-"), ("[", "-LSB-"), ("]", "-RSB-"), ("{", "-LCB-"), ("}", "-RCB-")]
_PUNCT = set(string.punctuation)
_BE = ("be", "is", "am", "are", "was", "were", "been", "being")
_SAID = ("said", "told", "added", "adds", "says")


def norm_key(sentence: str) -> str:
    s = sentence.replace(" ", "")
    for ch, esc in _PTB:
        s = s.replace(esc, ch)
    return "".join(c for c in s if c not in _PUNCT)


class Tuple_:
    __slots__ = ("rel", "args", "conf")

    def __init__(self, rel, args, conf=1.0):
        self.rel, self.args, self.conf = rel, list(args), float(conf)


def read_gold(path):
    raw = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.strip().split("\t")
            if len(parts) < 2:
                continue
            sent, rel = parts[0].strip(), parts[1].strip()
            args = [a.strip() for a in parts[2:] if "C: " not in a]
            raw[sent].append(Tuple_(rel, args))
    return {norm_key(k): v for k, v in raw.items()}


def read_tabbed(path):
    raw = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            parts = line.strip().split("\t")
            sent, conf, rel = parts[0], parts[1], parts[2]
            raw.setdefault(sent, []).append(Tuple_(rel, parts[3:], float(conf)))
    return {norm_key(k): v for k, v in raw.items()}


def _binarise(args):
    return [args[0], " ".join(args[1:])] if len(args) >= 2 else list(args)


def _overlap(gold_words, pred_words):
    pred_left = list(pred_words)
    m = 0
    for w in gold_words:
        if w in pred_left:
            m += 1
            pred_left.remove(w)
    return m, pred_left


def _lenient(g_rel, g_args, p_rel, p_args):
    pw, gw = p_rel.split(), g_rel.split()
    p_num = r_num = 0
    p_den, r_den = len(pw), len(gw)
    m, pred_left = _overlap(gw, pw)
    if "be" in pred_left and any(f in gw for f in _BE):
        m += 1
    if m == 0:
        return [0, 0]
    p_num += m
    r_num += m
    for k, ga in enumerate(g_args):
        gw = ga.split()
        r_den += len(gw)
        if len(p_args) <= k:
            if k < 2:
                return [0, 0]
            continue
        pw = p_args[k].split()
        p_den += len(pw)
        m, _ = _overlap(gw, pw)
        p_num += m
        r_num += m
    return [p_num / p_den if p_den else 0, r_num / r_den if r_den else 0]


def pair_score(g: Tuple_, p: Tuple_):
    g_args, p_args = _binarise(g.args), _binarise(p.args)
    straight = _lenient(g.rel, g_args, p.rel, p_args)
    if not any(v in g.rel for v in _SAID):
        return straight
    rev = [" ".join(p.args[1:]), p.args[0]] if len(p.args) >= 2 else p_args
    return max(straight, _lenient(g.rel, g_args, p.rel, rev))


def evaluate(gold, pred, per_sentence=None):
    thresholds = sorted({p.conf for ps in pred.values() for p in ps})
    n = len(thresholds)
    idx = {c: i for i, c in enumerate(thresholds)}
    P, PL, R, RL = (np.zeros(n) for _ in range(4))
    for key, golds in gold.items():
        preds = pred.get(key, [])
        S = [[pair_score(g, p) for p in preds] for g in golds]
        prev = 0
        for conf in sorted(p.conf for p in preds):
            c = idx[conf]
            kept = [j for j, p in enumerate(preds) if p.conf >= conf]
            rec_num = sum(max((row[j][1] for j in kept), default=0) for row in S)
            prec_num, used_r, used_c = 0.0, set(), set()
            for _ in range(min(len(S), len(kept))):
                best, bi, bj = -1, -1, -1
                for i in range(len(S)):
                    if i in used_r:
                        continue
                    for j in kept:
                        if j not in used_c and S[i][j][0] > best:
                            best, bi, bj = S[i][j][0], i, j
                used_r.add(bi)
                used_c.add(bj)
                prec_num += S[bi][bj][0]
            P[prev:c + 1] += prec_num
            PL[prev:c + 1] += len(kept)
            R[prev:c + 1] += rec_num
            RL[prev:c + 1] += len(S)
            prev = c + 1
        RL[prev:] += len(S)
        if per_sentence is not None:  # diagnostic at the lowest threshold (all predictions kept)
            rec = sum(max((s[1] for s in row), default=0) for row in S)
            per_sentence.append((key, len(golds), len(preds), rec))
    prec = [a / b if b > 0 else 1 for a, b in zip(P, PL)]
    rec = [a / b if b > 0 else 0 for a, b in zip(R, RL)]
    f1 = [2 * p * r / (p + r) if (p + r) > 0 else 0 for p, r in zip(prec, rec)]
    if not f1:
        return {"auc": 0.0, "P": 0.0, "R": 0.0, "F1": 0.0, "n_thresholds": 0}
    k = int(np.nanargmax(f1))
    xs, ys = rec + [0], prec + [1]
    d = np.diff(xs)
    if np.all(d <= 0):
        area = -np.trapezoid(ys, xs) if hasattr(np, "trapezoid") else -np.trapz(ys, xs)
    elif np.all(d >= 0):
        area = np.trapezoid(ys, xs) if hasattr(np, "trapezoid") else np.trapz(ys, xs)
    else:
        raise ValueError("recall not monotonic over thresholds (cannot happen with CaRB aggregation)")
    return {"auc": float(area), "P": prec[k], "R": rec[k], "F1": f1[k],
            "threshold": thresholds[k], "n_thresholds": n}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", required=True, help="tabbed: sent, conf, rel, arg1, arg2, ...")
    a = ap.parse_args()
    res = evaluate(read_gold(a.gold), read_tabbed(a.pred))
    print("AUC: %.3f\tOptimal (precision, recall, F1): [%.3f %.3f %.3f]" % (res["auc"], res["P"], res["R"], res["F1"]))


if __name__ == "__main__":
    main()
