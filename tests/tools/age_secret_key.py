#!/usr/bin/env python3
"""Test helper: print the AGE-SECRET-KEY-1... identity for 32 raw bytes
given in hex (BIP173 Bech32), so that stock age can open a file sealed to a
key derived elsewhere (tests/e2e/t_reply_tool.sh)."""
import sys
CHARSET="qpzry9x8gf2tvdw0s3jn54khce6mua7l"
def polymod(v):
    G=[0x3b6a57b2,0x26508e6d,0x1ea119fa,0x3d4233dd,0x2a1462b3];c=1
    for x in v:
        b=c>>25;c=(c&0x1ffffff)<<5^x
        for i in range(5): c^=G[i] if (b>>i)&1 else 0
    return c
def hrpx(h): return [ord(x)>>5 for x in h]+[0]+[ord(x)&31 for x in h]
def conv(d):
    acc=0;bits=0;out=[]
    for v in d:
        acc=(acc<<8)|v;bits+=8
        while bits>=5: bits-=5;out.append((acc>>bits)&31)
    if bits: out.append((acc<<(5-bits))&31)
    return out
def enc(h,d):
    dd=conv(d);p=polymod(hrpx(h)+dd+[0]*6)^1
    return h+"1"+"".join(CHARSET[x] for x in dd+[(p>>5*(5-i))&31 for i in range(6)])
print(enc("age-secret-key-",bytes.fromhex(sys.argv[1])).upper())
