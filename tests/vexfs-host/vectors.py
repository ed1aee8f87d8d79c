#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# vectors.py VEXCTL MOUNTPOINT: give files of a mounted VexFS vectors with
# vexctl, search with "vexctl --json search" (the VEXFS_IOC_SEARCH ioctl)
# for every metric over int8 and float32 vectors, whole tree and subtree,
# and compare each answer with a brute-force reference computed here with
# the exact integer rules of Documentation/filesystems/vexfs.rst (Scores):
# float elements are multiples of 1/256, so their 16.16 values are exact.
# Exits 1 on any difference.
import ctypes
import errno
import fcntl
import json
import math
import os
import random
import struct
import subprocess
import sys
from fractions import Fraction

vexctl, mnt = sys.argv[1], sys.argv[2]
rng = random.Random(9)
DIM = 16
failures = 0


def run(*args):
    r = subprocess.run([vexctl, "--json", *args], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"vexctl {' '.join(args)}: {r.stderr.strip()}")
    out = json.loads(r.stdout)
    if out.get("schema") != 1:
        raise SystemExit(f"vexctl {' '.join(args)}: no \"schema\": 1 in {r.stdout}")
    return out


def fmt(v):
    return ",".join(str(x) for x in v)


# the tree: two subdirectories, int8 and float32 files, a hard link, a
# file of another dimension and a file without a vector
root = os.path.join(mnt, "vec")
os.makedirs(os.path.join(root, "a", "deep"))
os.makedirs(os.path.join(root, "b"))
files = {}   # path -> (type, ints as the kernel sees them (int8 or q16))
for i in range(120):
    sub = ["a", "a/deep", "b", "."][i % 4]
    path = os.path.join(root, sub, f"f{i}")
    open(path, "w").write(str(i))
    if i % 2:
        v = [rng.randint(-128, 127) for _ in range(DIM)]
        run("set", "-t", "int8", path, fmt(v))
        files[path] = ("int8", v)
    else:
        k = [rng.randint(-4096, 4096) for _ in range(DIM)]
        run("set", "-t", "float32", path, fmt(x / 256 for x in k))
        files[path] = ("float32", [x * 256 for x in k])   # q16 = x * 2^16
os.link(os.path.join(root, "a", "deep", "f1"), os.path.join(root, "b", "f1-link"))
open(os.path.join(root, "b", "other-dim"), "w").close()
run("set", "-t", "int8", os.path.join(root, "b", "other-dim"), "1,2,3")
open(os.path.join(root, "b", "novec"), "w").close()

# get returns what set stored
for path in list(files)[:6]:
    got = run("get", path)
    t, ints = files[path]
    want = ints if t == "int8" else [x / 65536 for x in ints]
    have = got["vector"]
    if t == "float32":   # printed with 9 significant digits: a float32 again
        have = [struct.unpack("<f", struct.pack("<f", x))[0] for x in have]
    if got["type"] != t or have != want:
        failures += 1
        print(f"FAIL: get {path}: {got}")


def reference(top, t, q, metric, k):
    """(vectors compared: one per link, as the ioctl counts; top k)"""
    seen, cands, compared = set(), [], 0
    nq = sum(x * x for x in q)
    for dirpath, _, names in os.walk(top):
        for n in names:
            path = os.path.join(dirpath, n)
            st = os.lstat(path)
            real = path if path in files else None
            if real is None:
                for fp in files:
                    if os.path.exists(fp) and os.path.samefile(fp, path):
                        real = fp
            if real is None or files[real][0] != t:
                continue
            compared += 1
            if st.st_ino in seen:
                continue
            seen.add(st.st_ino)
            v = files[real][1]
            dot = sum(a * b for a, b in zip(q, v))
            l2 = sum((a - b) ** 2 for a, b in zip(q, v))
            nv = sum(b * b for b in v)
            if metric == "l2":
                cands.append(((l2, st.st_ino), st.st_ino, l2))
            elif metric == "dot":
                cands.append(((-dot, st.st_ino), st.st_ino, dot))
            else:
                s = math.isqrt(nq * nv)
                if not s:
                    continue
                c = (abs(dot) << 30) // s
                score = c if dot >= 0 else -c
                rank = -Fraction(dot * abs(dot), nv) if t == "int8" else -score
                cands.append(((rank, st.st_ino), st.st_ino, score))
    cands.sort(key=lambda c: c[0])
    return compared, [(ino, score) for _, ino, score in cands[:k]]


for t in ("int8", "float32"):
    for metric in ("l2", "dot", "cosine"):
        for top, k in ((root, 10), (os.path.join(root, "a"), 7)):
            if t == "int8":
                q = [rng.randint(-128, 127) for _ in range(DIM)]
                arg = fmt(q)
            else:
                kq = [rng.randint(-4096, 4096) for _ in range(DIM)]
                q = [x * 256 for x in kq]
                arg = fmt(x / 256 for x in kq)
            got = run("search", "-t", t, "-m", metric, "-k", str(k), top, arg)
            compared, want = reference(top, t, q, metric, k)
            have = [(r["ino"], r["score_raw"]) for r in got["results"]]
            if have != want or got["compared"] != compared:
                failures += 1
                print(f"FAIL: search {t} {metric} k={k} {top}: compared "
                      f"{got['compared']} (want {compared})\n  got  {have}\n  want {want}")

# VEXFS_IOC_VEC_GET needs read access (the vector is the file's data):
# EBADF on a write-only descriptor, the vector on a read-only one
VEC_GET = (0xD5 << 8) | 0x41    # _IO(VEXFS_IOCTL_MAGIC, 0x41)


def vec_get_errno(path, mode):
    buf = ctypes.create_string_buffer(4 * DIM)
    arg = bytearray(struct.pack("=IIIIQ", 24, 0, DIM, 0, ctypes.addressof(buf)))
    fd = os.open(path, mode)
    try:
        fcntl.ioctl(fd, VEC_GET, arg)
        return 0
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)


first = list(files)[0]
for mode, want in ((os.O_RDONLY, 0), (os.O_WRONLY, errno.EBADF)):
    got = vec_get_errno(first, mode)
    if got != want:
        failures += 1
        print(f"FAIL: VEC_GET on a descriptor opened {mode:#o}: errno {got}, want {want}")

# remove, then the file is no longer found
victim = os.path.join(root, "a", "deep", "f1")
run("remove", victim)
r = subprocess.run([vexctl, "get", victim], capture_output=True, text=True)
if r.returncode != 1 or "no vector" not in r.stderr:
    failures += 1
    print(f"FAIL: get after remove: {r.returncode} {r.stderr.strip()}")
del files[victim]
q = [rng.randint(-128, 127) for _ in range(DIM)]
got = run("search", "-t", "int8", "-k", "1024", root, fmt(q))
if os.stat(os.path.join(root, "b", "f1-link")).st_ino in [r["ino"] for r in got["results"]]:
    failures += 1
    print("FAIL: a removed vector is still found")
sys.exit(1 if failures else 0)
