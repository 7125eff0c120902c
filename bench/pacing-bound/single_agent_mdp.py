"""One agent alone in the pacing benchmark's world, solved exactly: how much occupancy a dialer can reach for a given
price on abandons when no other agent can take an extra answer (docs/pacing.md, pacing7).

Usage: python3 single_agent_mdp.py PRICE [MAX_CALLS_IN_FLIGHT]   e.g. 200 3 (no abandon), 110 3, 50 3

World: 30 % of calls answered by a person after U(4, 14) s, talk mean 120 s + wrap-up 15 s (the dialer learns the
release when wrap-up starts, 15 s ahead), an answer waits up to 2 s for the agent. 1 s steps; state = seconds until the
agent is free and the ages of the calls in flight; action = calls to launch. Cost = idle seconds + PRICE x abandons
until the agent takes a call (calls still in flight then count as abandons if they answer).
"""
import itertools, sys
P=0.30; AMIN=4; AMAX=14; W=15; GRACE=2; CAP=int(sys.argv[2]) if len(sys.argv)>2 else 4
lam=float(sys.argv[1])
per=P/(AMAX-AMIN)
def haz(a):
    if a<AMIN or a>=AMAX: return 0.0
    return per/(1-per*(a-AMIN))
def rem(a): # remaining answer prob given alive at age a
    if a>=AMAX: return 0.0
    s=1-per*max(0,a-AMIN); return per*(AMAX-max(a,AMIN))/s
# state: (w, ages tuple sorted) ; w = seconds until agent free (0 = free)
def step_outcomes(ages):
    # returns list of (prob, answered_count, survivors tuple aged by 1)
    res={}
    n=len(ages)
    for mask in range(1<<n):
        pr=1.0; k=0; surv=[]
        for i,a in enumerate(ages):
            h=haz(a)
            if mask>>i&1: pr*=h; k+=1
            else:
                pr*=1-h
                if a+1<AMAX: surv.append(a+1)
        if pr<1e-15: continue
        key=(k,tuple(sorted(surv)))
        res[key]=res.get(key,0)+pr
    return [(p,k,s) for (k,s),p in res.items()]
outs={}
def outcomes(ages):
    if ages not in outs: outs[ages]=step_outcomes(ages)
    return outs[ages]
# all multisets of ages 0..AMAX-1 up to CAP
allsets=[()]
for n in range(1,CAP+1):
    allsets+= [tuple(c) for c in itertools.combinations_with_replacement(range(AMAX),n)]
# value V[w][ages] = expected cost (idle + lam*abandons) until bridged; also track idle and abandons separately
# decision before the second: launch n calls (ages 0) then step
def q(w, ages, Vnext):
    best=None
    for n in range(0, CAP-len(ages)+1):
        a2=tuple(sorted(ages+(0,)*n))
        c=0.0; idle=0.0; ab=0.0
        avail = w<=GRACE  # answer during this second taken if agent free within grace
        stepidle = 1.0 if w==0 else 0.0
        for pr,k,surv in outcomes(a2):
            if k==0:
                v,i2,b2=Vnext[surv]
                c+=pr*(stepidle+v); idle+=pr*(stepidle+i2); ab+=pr*b2
            elif avail:
                extra=(k-1)+sum(rem(a) for a in surv)
                c+=pr*(stepidle*0.5+lam*extra); idle+=pr*stepidle*0.5; ab+=pr*extra
            else:
                v,i2,b2=Vnext[surv]
                c+=pr*(stepidle+lam*k+v); idle+=pr*(stepidle+i2); ab+=pr*(k+b2)
        if best is None or c<best[0]-1e-12: best=(c,idle,ab,n)
    return best
# free state fixed point
V={s:(0.0,0.0,0.0) for s in allsets}
for it in range(400):
    NV={}
    for s in allsets:
        c,i,b,n=q(0,s,V); NV[s]=(c,i,b)
    diff=max(abs(NV[s][0]-V[s][0]) for s in allsets)
    V=NV
    if diff<1e-6: break
Vs=V
for w in range(1,W+1):
    NV={}
    pol={}
    for s in allsets:
        c,i,b,n=q(w,s,Vs); NV[s]=(c,i,b); pol[s]=n
    Vs=NV
    if w in (15,9,6,3,2,1): print("w",w,"policy empty:",pol[()], "one call age5:",pol.get((5,)), file=sys.stderr)
c,i,b=Vs[()]
occ=135/(135+i)
print(f"lam {lam} idle/cycle {i:.2f}s abandons/cycle {b:.4f} rate {100*b/(1+b):.2f}% occupancy {100*occ:.1f}% (free-state idle {V[()][1]:.1f})")
