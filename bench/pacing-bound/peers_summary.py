"""Condenses `pacing-peers` output into one row per world, target and team: Outdial predictive, the best VICIdial
adaptive method (highest occupancy), progressive and the clairvoyant bound (occupancy / worst-hour abandon %).
Usage: python3 bench/pacing-bound/peers_summary.py OUTPUT.md"""
import re
import sys

rows = {}
world = target = None
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("### "):
        world = line[4:].split(":")[0]
    elif line.startswith("Target "):
        target = line.split()[1]
    elif line.startswith("| ") and not line.startswith("| agents") and world:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        agents, policy, occ, wait, shift, worst = cells[:6]
        rows.setdefault((world, target, int(agents)), {})[policy] = (occ, shift, worst)

print("| world | target | agents | Outdial predictive | best VICIdial adaptive | progressive | clairvoyant |")
print("|---|---:|---:|---|---|---|---:|")
for (world, target, agents), p in rows.items():
    adaptive = max((k for k in p if k.startswith("VICIdial ADAPT")), key=lambda k: float(p[k][0].rstrip(" %")))
    fmt = lambda k: f"{p[k][0]} ({p[k][1]} / {p[k][2]})"
    print(f"| {world} | {target} % | {agents} | {fmt('Outdial predictive')} | {adaptive[9:]}: {fmt(adaptive)} | {p['progressive'][0]} | {p['clairvoyant'][0]} |")
