"""The best any allocation of an hour's abandons can do, given the occupancy each abandon rate brings (docs/pacing.md,
pacing7): a dynamic programme over the hour's seconds and the abandons it has left, abandons Poisson at the chosen rate,
and once none is left only calls that cannot abandon (the frontier's first point).

Usage: python3 hour_budget_dp.py CAP FRONTIER
  CAP       abandons the hour may take (3 % of its answers, rounded down)
  FRONTIER  abandons per hour:occupancy % points, the first at 0 (sure calls only), e.g. for 5 agents (pacing7):
            python3 hour_budget_dp.py 3 0:78.8,2.27:82.4,3.02:83.4,3.96:84.4
            and for 20:  python3 hour_budget_dp.py 14 0:79.6,6.8:89.85,10.5:90.7,14.3:91.35,17.1:91.9
It ignores bursts (several abandons at once) and the uncertainty about the hour's answers, so it is an upper bound.
"""
import sys

cap = int(sys.argv[1])
pts = [tuple(map(float, p.split(":"))) for p in sys.argv[2].split(",")]


def occupancy(rate):
    for (r0, o0), (r1, o1) in zip(pts, pts[1:]):
        if rate <= r1:
            return o0 + (o1 - o0) * (rate - r0) / (r1 - r0)
    (r0, o0), (r1, o1) = pts[-2], pts[-1]
    return o1 + 0.7 * (o1 - o0) * (rate - r1) / (r1 - r0)  # beyond the last point: flatter


top = pts[-1][0] * 1.5
rates = [top * i / 60 for i in range(61)]
steps = 3600
later = [0.0] * (cap + 1)  # expected occupancy-seconds from the next second on, by abandons left
for t in range(steps - 1, -1, -1):
    now = [0.0] * (cap + 1)
    for left in range(cap + 1):
        best = -1.0
        for r in (rates if left > 0 else [0.0]):
            p = r / steps
            v = occupancy(r) + (1 - p) * later[left] + (p * later[left - 1] if left > 0 else 0)
            best = max(best, v)
        now[left] = best
    later = now
print(f"cap {cap}: at most {later[cap] / steps:.2f} % occupancy over the hour")
