// SPDX-License-Identifier: GPL-2.0
/*
 * The frontend is the driver "dsmil" of the dsmil bus, and its remove is
 * done when the unbind or the device removal that ran it returns: no
 * waiting, no polling.  On the platform backend, with a writable mapping
 * that a second thread keeps loading from and storing to: "unbind" of
 * dsmil0:g0d00 in /sys/bus/dsmil/drivers/dsmil/ returns with the node
 * gone, pread -ENODEV, loads and stores through the mapping faulting
 * (SIGBUS), in the main thread and in the busy one, the device-removed
 * event queued and the other devices untouched; "bind" gives it a node
 * again.  With QEMU's edu device (pci backend): the write to the PCI
 * device's "remove" returns with every node gone and every former mapping
 * faulting, before the backend has released the BAR; a rescan brings the
 * nodes back by the time its write returns.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fe-case.h"

#define PAGE	4096
#define NAME	"dsmil0:g0d00"
#define NODE	"/dev/dsmil/" NAME
#define NODE1	"/dev/dsmil/dsmil0:g0d01"
#define DRV	"/sys/bus/dsmil/drivers/dsmil"
#define EDU_ID	0x010000ed

/* The busy thread: accesses until one faults or it is told to stop. */
struct busy {
	volatile uint32_t *regs;
	int write;
	volatile int stop;
	volatile int faulted;
	unsigned long accesses;
};

static void *busy_fn(void *arg)
{
	struct busy *b = arg;
	uint32_t v;

	while (!b->stop) {
		if (fe_load(b->regs, &v) ||
		    (b->write && fe_store(b->regs + 3, (uint32_t)b->accesses))) {
			b->faulted = 1;
			break;
		}
		b->accesses++;
	}
	return NULL;
}

/* Write @val to the sysfs file @path with one write(2); 0 or errno. */
static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		err = errno;
	close(fd);
	return err;
}

/* Events of @type (and @token, unless 0) queued on @ctl now. */
static int queued_events(int ctl, uint32_t type, uint16_t token)
{
	struct dsmil_event_record ev[16];
	int n = 0, i;
	ssize_t r;

	while ((r = read(ctl, ev, sizeof(ev))) > 0)
		for (i = 0; i < r / (ssize_t)sizeof(ev[0]); i++)
			n += ev[i].type == type && (!token || ev[i].token == token);
	return n;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Start a busy thread on @regs; the mapping must work before. */
static void busy_start(pthread_t *t, struct busy *b, volatile uint32_t *regs,
		       int write)
{
	memset(b, 0, sizeof(*b));
	b->regs = regs;
	b->write = write;
	check(!pthread_create(t, NULL, busy_fn, b), "pthread_create");
	while (!b->accesses && !b->faulted)
		usleep(1000);
	check(!b->faulted, "the busy thread faulted before the removal");
}

/* After the removal: the busy thread's next access must fault. */
static void busy_end(pthread_t t, struct busy *b, const char *what)
{
	int i;

	for (i = 0; i < 2000 && !b->faulted; i++)
		usleep(1000);
	check(b->faulted, "%s: the busy thread's accesses (%lu) did not fault",
	      what, b->accesses);
	b->stop = 1;
	pthread_join(t, NULL);
}

static void unbind_platform(void)
{
	const char *base = getenv("DSMIL_RESERVED_BASE");
	const char *size = getenv("DSMIL_RESERVED_SIZE");
	volatile uint32_t *w;
	struct busy b;
	pthread_t t;
	uint32_t v;
	int fd, fd1, ctl, err;

	if (!base || !size ||
	    sh("modprobe dsmil_core backend=platform mmio_base=%s mmio_size=%s && modprobe dsmil",
	       base, size)) {
		check(0, "cannot load the stack on the platform backend");
		return;
	}
	check(exists(DRV "/" NAME), "%s is not bound to %s", NAME, DRV);
	check(exists("/sys/bus/dsmil/devices/" NAME "/driver"),
	      "%s has no driver link", NAME);
	ctl = open(FE_CTL, O_RDONLY | O_NONBLOCK);
	fd = open(NODE, O_RDWR);
	fd1 = open(NODE1, O_RDONLY);
	check(ctl >= 0 && fd >= 0 && fd1 >= 0, "open: %s", strerror(errno));
	queued_events(ctl, 0, 0);
	w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(w != MAP_FAILED, "mmap RW: %s", strerror(errno));
	if (w == MAP_FAILED)
		return;
	check(!fe_store(&w[2], 0x5a5a0001) && !fe_load(&w[2], &v) && v == 0x5a5a0001,
	      "the mapping works before the unbind (0x%x)", v);
	busy_start(&t, &b, w, 1);

	err = sysfs_write(DRV "/unbind", NAME);
	check(!err, "unbind %s: %s", NAME, strerror(err));
	/* Everything below holds the moment the write returned. */
	check(!exists(NODE), "%s exists after the unbind returned", NODE);
	check(!exists("/sys/bus/dsmil/devices/" NAME "/driver"),
	      "%s still has a driver", NAME);
	check(pread(fd, &v, 4, 0) < 0 && errno == ENODEV,
	      "pread after the unbind: %s", strerror(errno));
	check(fe_load(&w[2], &v), "a load after the unbind did not fault (0x%x)", v);
	check(fe_store(&w[2], 1), "a store after the unbind did not fault");
	check(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == ENODEV, "mmap after the unbind: %s", strerror(errno));
	check(queued_events(ctl, DSMIL_EV_DEVICE_REMOVED, 0x8000) == 1,
	      "no device-removed event for 0x8000 queued by the unbind");
	check(pread(fd1, &v, 4, 0) == 4, "%s after the unbind of its sibling: %s",
	      NODE1, strerror(errno));
	busy_end(t, &b, "unbind");
	munmap((void *)w, PAGE);
	close(fd);

	err = sysfs_write(DRV "/bind", NAME);
	check(!err, "bind %s: %s", NAME, strerror(err));
	check(queued_events(ctl, DSMIL_EV_DEVICE_ADDED, 0x8000) == 1,
	      "no device-added event for 0x8000 queued by the bind");
	fd = open(NODE, O_RDWR);
	check(fd >= 0, "open %s after the bind: %s", NODE, strerror(errno));
	check(fd >= 0 && pread(fd, &v, 4, 8) == 4 && v == 0x5a5a0001,
	      "pread after the bind: 0x%x (%s)", v, strerror(errno));
	close(fd);
	close(fd1);
	close(ctl);
	check(!sh(FE_UNLOAD), "unload (platform)");
}

static void remove_edu(const char *bdf)
{
	char path[256];
	volatile uint32_t *regs;
	struct busy b;
	pthread_t t;
	uint32_t v = 0;
	int fd, ctl, err;

	if (sh("modprobe dsmil_core backend=pci && modprobe dsmil")) {
		check(0, "cannot load the stack on the pci backend");
		return;
	}
	ctl = open(FE_CTL, O_RDONLY | O_NONBLOCK);
	fd = open(NODE, O_RDONLY);
	check(ctl >= 0 && fd >= 0, "open: %s", strerror(errno));
	queued_events(ctl, 0, 0);
	regs = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	check(regs != MAP_FAILED, "mmap: %s", strerror(errno));
	if (regs == MAP_FAILED)
		return;
	check(!fe_load(regs, &v) && v == EDU_ID, "edu id through the mapping: 0x%x", v);
	busy_start(&t, &b, regs, 0);

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);
	err = sysfs_write(path, "1");
	check(!err, "remove edu: %s", strerror(err));
	check(!fe_count_nodes(), "%d nodes after the removal returned", fe_count_nodes());
	check(pread(fd, &v, 4, 0) < 0 && errno == ENODEV,
	      "pread after the removal: %s", strerror(errno));
	check(fe_load(regs, &v), "a load after the removal did not fault (0x%x)", v);
	check(queued_events(ctl, DSMIL_EV_DEVICE_REMOVED, 0) == 84,
	      "device-removed events queued when the removal returned");
	busy_end(t, &b, "edu removal");
	munmap((void *)regs, PAGE);
	close(fd);

	err = sysfs_write("/sys/bus/pci/rescan", "1");
	check(!err, "rescan: %s", strerror(err));
	check(fe_count_nodes() == 84, "%d nodes when the rescan returned", fe_count_nodes());
	fd = open(NODE, O_RDONLY);
	check(fd >= 0 && pread(fd, &v, 4, 0) == 4 && v == EDU_ID,
	      "edu id after the rescan: 0x%x", v);
	close(fd);
	close(ctl);
	check(!sh(FE_UNLOAD), "unload (pci)");
}

/* Bring edu back if a removal was left behind (atexit). */
static void edu_restore(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");

	if (bdf && *bdf)
		sh("[ -e /sys/bus/pci/devices/%s ] || echo 1 > /sys/bus/pci/rescan", bdf);
}

int main(void)
{
	const char *bdf = getenv("DSMIL_EDU_BDF");

	setvbuf(stdout, NULL, _IOLBF, 0);
	fe_catch_sigbus();
	atexit(edu_restore);
	atexit(fe_cleanup);

	unbind_platform();
	if (bdf && *bdf)
		remove_edu(bdf);
	else
		printf("# no edu device in this VM: the PCI removal part skipped\n");
	return done();
}
