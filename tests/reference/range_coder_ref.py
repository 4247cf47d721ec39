# A Python transcription of eqlab's quantiser (core/coding/cdf.cpp) and range coder
# (core/coding/range_coder.h), used to derive the known answers in tst_range_coder.cpp.
# Run: python3 tests/reference/range_coder_ref.py

import math
def quantize(w, P):
    total=1<<P; spare=total-256
    w=[x if (math.isfinite(x) and x>0) else 0.0 for x in w]
    s=0.0
    for x in w: s+=x
    f=[]; used=0; best=0
    for i,x in enumerate(w):
        e=x/s*spare; e=spare if e>=spare else int(e)
        f.append(1+e); used+=1+e
        if x>w[best]: best=i
    f[best]+= total-used
    cum=[0]
    for x in f: cum.append(cum[-1]+x)
    return cum
S=32; MASK=(1<<S)-1; HALF=1<<(S-1); Q=1<<(S-2)
def encode(cum,P,syms):
    low,high,pend=0,MASK,0; out=[]
    for s in syms:
        r=high-low+1
        nl=low+((r*cum[s])>>P); nh=low+((r*cum[s+1])>>P)-1; low,high=nl,nh
        while ((low^high)&HALF)==0:
            b=low>>(S-1); out.append(b); out+= [1-b]*pend; pend=0
            low=(low<<1)&MASK; high=((high<<1)&MASK)|1
        while (low & ~high & Q)!=0:
            pend+=1; low=(low<<1)^HALF; high=((high^HALF)<<1)|HALF|1
    if not (low==0 and pend==0): out.append(1)
    else:
        while out and out[-1]==0: out.pop()  # trailing zeros are implied by the padding
    return out
import struct
w=[1.0]*256; w[ord('a')]=1000.0; w[ord('b')]=300.0; w[ord(' ')]=500.0


cum=quantize(w,14)
print("freq a", cum[ord('a')+1]-cum[ord('a')])
bits=encode(cum,14,[ord(c) for c in "abba a ab"])
print(len(bits)); 
v=bits+[0]*((-len(bits))%8)
print(bytes(int(''.join(map(str,v[i:i+8])),2) for i in range(0,len(v),8)).hex())
