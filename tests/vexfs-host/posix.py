#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# posix.py MOUNTPOINT: a POSIX behaviour smoke test of a mounted VexFS
# (vexfs-fuse or vexfs.ko), run as root.  Prints one line per failed check
# and exits 1 if any failed.  Used by tests/vexfs-host/run.  The checks of
# what nobody may do need MOUNTPOINT reachable by nobody (every directory
# above it searchable by all users, and -o allow_other for FUSE): the test
# stops with one line if it is not, since a refusal would then be the path
# walk's.
import ctypes
import errno
import os
import stat
import sys

mnt = sys.argv[1]
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print(f"FAIL: {what}")


def expect_errno(err, fn, *args):
    try:
        fn(*args)
    except OSError as e:
        check(e.errno == err, f"{fn.__name__}{args}: errno {e.errno}, want {err}")
        return
    check(False, f"{fn.__name__}{args} succeeded, want errno {err}")


def p(*parts):
    return os.path.join(mnt, *parts)


NOBODY = 65534   # nobody, nogroup


def as_nobody(fn, *args):
    """fn(*args) in a child that is nobody:nogroup without supplementary
    groups: (0, what it returned, as bytes) or (the errno it raised, b"")."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        out = b"-1\n"
        try:
            os.close(r)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            out = b"0\n" + (fn(*args) or b"")
        except OSError as e:
            out = b"%d\n" % e.errno
        finally:
            os.write(w, out)
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    err, _, rest = data.partition(b"\n")
    return int(err), rest


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


libc = ctypes.CDLL(None, use_errno=True)
RENAME_NOREPLACE, RENAME_EXCHANGE = 1, 2
AT_FDCWD = -100


def renameat2(a, b, flags):
    r = libc.renameat2(AT_FDCWD, a.encode(), AT_FDCWD, b.encode(), flags)
    if r:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


# files: create, write, read back, append, overwrite in the middle
with open(p("f"), "wb") as f:
    f.write(b"hello world")
with open(p("f"), "ab") as f:
    f.write(b"!")
with open(p("f"), "r+b") as f:
    f.seek(6)
    f.write(b"W")
check(open(p("f"), "rb").read() == b"hello World!", "write/append/overwrite")
with open(p("t"), "wb") as f:
    f.write(b"a longer first content" * 300)
with open(p("t"), "wb") as f:    # O_TRUNC
    f.write(b"short")
check(open(p("t"), "rb").read() == b"short", "O_TRUNC on open")
fd = os.open(p("t"), os.O_RDONLY | os.O_TRUNC)   # Linux truncates this too
os.close(fd)
check(os.stat(p("t")).st_size == 0, "O_RDONLY | O_TRUNC truncates, as on ext4")
expect_errno(errno.EEXIST, os.open, p("f"), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
expect_errno(errno.ENOENT, os.stat, p("nope"))
expect_errno(errno.ENAMETOOLONG, os.open, p("x" * 251), os.O_CREAT | os.O_WRONLY)
fd = os.open(p("y" * 250), os.O_CREAT | os.O_WRONLY)
os.close(fd)
os.unlink(p("y" * 250))

# data across block boundaries, then truncate down and up
data = os.urandom(3 * 4096 + 123)   # 12 blocks of 1 KiB, 4 of 4 KiB
with open(p("blk"), "wb") as f:
    f.write(data)
check(open(p("blk"), "rb").read() == data, "multi-block data")
os.truncate(p("blk"), 5000)
check(open(p("blk"), "rb").read() == data[:5000], "truncate down")
os.truncate(p("blk"), 9000)
check(open(p("blk"), "rb").read() == data[:5000] + bytes(4000), "truncate up reads zeros")

# sparse and large (past 4 GiB) files
with open(p("sparse"), "wb") as f:
    f.seek(5 << 30)
    f.write(b"end")
st = os.stat(p("sparse"))
check(st.st_size == (5 << 30) + 3, "size past 4 GiB")
check(st.st_blocks * 512 < 1 << 20, f"sparse file allocates little ({st.st_blocks} sectors)")
with open(p("sparse"), "rb") as f:
    check(f.read(4096) == bytes(4096), "hole reads zeros")
    f.seek(5 << 30)
    check(f.read() == b"end", "data after a hole")
os.unlink(p("sparse"))

# directories
os.mkdir(p("d"))
os.mkdir(p("d", "sub"))
check(os.stat(p("d")).st_nlink == 3, "directory link count 2 + subdirectories")
expect_errno(errno.EEXIST, os.mkdir, p("d"))
expect_errno(errno.ENOTEMPTY, os.rmdir, p("d"))
expect_errno(errno.ENOTDIR, os.rmdir, p("f"))
expect_errno(errno.EISDIR, os.unlink, p("d"))
os.rmdir(p("d", "sub"))
check(os.stat(p("d")).st_nlink == 2, "rmdir drops the parent's link")

# rename: plain, over a file, RENAME_NOREPLACE, directories
open(p("a"), "w").write("A")
open(p("b"), "w").write("B")
expect_errno(errno.EEXIST, renameat2, p("a"), p("b"), RENAME_NOREPLACE)
check(open(p("b")).read() == "B", "RENAME_NOREPLACE leaves the target")
renameat2(p("a"), p("c"), RENAME_NOREPLACE)
check(not os.path.exists(p("a")) and open(p("c")).read() == "A", "RENAME_NOREPLACE to a new name")
os.rename(p("c"), p("b"))
check(open(p("b")).read() == "A", "rename over a file")
os.mkdir(p("d", "e"))
os.rename(p("d", "e"), p("e"))
check(os.stat(p("d")).st_nlink == 2 and os.path.isdir(p("e")), "move a directory up")
check(os.path.samefile(p("e", ".."), mnt), "moved directory's '..'")
expect_errno(errno.EINVAL, os.rename, p("d"), p("d", "inside"))
os.mkdir(p("e", "x"))
expect_errno(errno.ENOTEMPTY, os.rename, p("d"), p("e"))
expect_errno(errno.ENOTDIR, os.rename, p("d"), p("b"))
expect_errno(errno.EISDIR, os.rename, p("b"), p("d"))

# hard links and symlinks
os.link(p("b"), p("d", "hl"))
check(os.stat(p("b")).st_nlink == 2, "hard link count")
os.unlink(p("b"))
check(open(p("d", "hl")).read() == "A" and os.stat(p("d", "hl")).st_nlink == 1, "unlink one link")
expect_errno(errno.EPERM, os.link, p("d"), p("dl"))
os.symlink("d/hl", p("sl"))
check(os.readlink(p("sl")) == "d/hl" and open(p("sl")).read() == "A", "symlink")
bs = os.statvfs(mnt).f_bsize
long_target = "t" * (bs - 1)
os.symlink(long_target, p("sl2"))
check(os.readlink(p("sl2")) == long_target, "symlink of block size - 1 bytes")
expect_errno(errno.ENAMETOOLONG, os.symlink, "t" * bs, p("sl3"))

# an unlinked file stays readable while open
fd = os.open(p("open"), os.O_CREAT | os.O_RDWR)
os.write(fd, b"still here")
os.unlink(p("open"))
check(os.pread(fd, 100, 0) == b"still here", "open unlinked file")
os.close(fd)

# permissions and ownership, each refusal for its own reason: nobody
# reads a file others may read (so the path walk is not what refuses),
# not a 0600 file of root's (EACCES), changes no mode of root's (EPERM)
open(p("pub"), "w").write("public")
os.chmod(p("pub"), 0o644)
err, out = as_nobody(read_bytes, p("pub"))
if err:
    print(f"FAIL: nobody cannot read {p('pub')} (mode 0644): {os.strerror(err)}: "
          "every directory above the mount point must be searchable by all users")
    sys.exit(1)
check(out == b"public", "nobody reads a 0644 file")
open(p("priv"), "w").write("secret")
os.chmod(p("priv"), 0o600)
check(stat.S_IMODE(os.stat(p("priv")).st_mode) == 0o600, "chmod")
err, _ = as_nobody(read_bytes, p("priv"))
check(err == errno.EACCES, f"nobody reads a 0600 file: errno {err}, want EACCES")
err, _ = as_nobody(os.chmod, p("priv"), 0o644)
check(err == errno.EPERM, f"nobody changes the mode of root's file: errno {err}, want EPERM")
os.chown(p("priv"), 65534, 65534)
err, out = as_nobody(read_bytes, p("priv"))
check(err == 0 and out == b"secret", f"chown lets nobody read (errno {err})")
os.unlink(p("pub"))

os.chmod(p("priv"), 0o6755)
os.chown(p("priv"), 0, 0)
check(stat.S_IMODE(os.stat(p("priv")).st_mode) == 0o755, "chown drops set-user-ID and set-group-ID")

# timestamps: nanoseconds, before 1970, after 2038
os.utime(p("f"), ns=(123456789, -86400 * 10**9 + 5))
st = os.stat(p("f"))
check(st.st_atime_ns == 123456789 and st.st_mtime_ns == -86400 * 10**9 + 5, "timestamps before 1970")
os.utime(p("f"), ns=(4102444800 * 10**9 + 999999999, 4102444800 * 10**9 + 1))
st = os.stat(p("f"))
check(st.st_atime_ns == 4102444800 * 10**9 + 999999999, "timestamps after 2038")
before = os.stat(p("f")).st_ctime_ns
os.chmod(p("f"), 0o644)
check(os.stat(p("f")).st_ctime_ns >= before, "chmod updates ctime")

# device nodes and FIFOs
os.mknod(p("null"), stat.S_IFCHR | 0o666, os.makedev(1, 3))
st = os.stat(p("null"))
check(stat.S_ISCHR(st.st_mode) and os.major(st.st_rdev) == 1 and os.minor(st.st_rdev) == 3, "char device node")
os.mkfifo(p("fifo"))
check(stat.S_ISFIFO(os.stat(p("fifo")).st_mode), "FIFO")

# readdir with 2000 entries, then remove them
os.mkdir(p("many"))
names = {f"entry-{i:05d}" for i in range(2000)}
for n in names:
    os.close(os.open(p("many", n), os.O_CREAT | os.O_WRONLY))
check(set(os.listdir(p("many"))) == names, "readdir of 2000 entries")
for n in names:
    os.unlink(p("many", n))
check(os.listdir(p("many")) == [], "2000 entries removed")
os.rmdir(p("many"))

# statfs and fsync
sv = os.statvfs(mnt)
check(sv.f_namemax == 250 and sv.f_bfree <= sv.f_blocks and sv.f_files > 0, "statfs")
fd = os.open(p("f"), os.O_RDWR)
os.fsync(fd)
os.close(fd)

sys.exit(1 if failures else 0)
