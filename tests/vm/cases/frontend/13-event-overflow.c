// SPDX-License-Identifier: GPL-2.0
/*
 * A reader of /dev/dsmil/ctl that does not keep up: its queue holds the
 * first 256 events, the rest are counted, and after the queued ones it
 * reads one DSMIL_EV_OVERFLOW record with the number lost; sequence numbers
 * run on without a gap.  Records come whole: a read shorter than one is
 * EINVAL, a longer one returns whole records only.  poll() says readable
 * exactly when something is queued.
 */
#include <poll.h>

#include "fe-case.h"

#define RINGS	300

int main(void)
{
	struct dsmil_reg_args r = { .size = sizeof(r), .token = 0x8000, .offset = 0x08, .value = 2 };
	struct dsmil_event_record ev[8];
	struct pollfd pfd;
	uint32_t seq = 0, irqs = 0, lost = 0, i;
	ssize_t n;
	int fd;

	atexit(fe_cleanup);
	if (sh("modprobe dsmil_core backend=emu && modprobe dsmil")) {
		printf("FAIL: cannot load the stack\n");
		return 1;
	}
	fd = open(FE_CTL, O_RDWR | O_NONBLOCK);
	check(fd >= 0, "open: %s", strerror(errno));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	check(poll(&pfd, 1, 0) == 0, "readable with nothing queued");
	expect("CONTROL.EVENT_EN", ioc(fd, DSMIL_IOC_REG_WRITE, &r), 0);
	r.offset = 0x10;		/* DOORBELL */
	for (i = 0; i < RINGS; i++) {
		r.value = i;
		expect("DOORBELL", ioc(fd, DSMIL_IOC_REG_WRITE, &r), 0);
	}
	check(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "not readable");
	check(read(fd, ev, 31) < 0 && errno == EINVAL, "a read shorter than a record");
	n = read(fd, ev, 40);
	check(n == 32 && ev[0].type == DSMIL_EV_DEVICE_IRQ && ev[0].seq == 0,
	      "a read of 40 bytes: %zd bytes, type %u", n, ev[0].type);
	irqs += n == 32;
	seq = 1;
	while ((n = read(fd, ev, sizeof(ev))) > 0) {
		for (i = 0; i < n / sizeof(ev[0]); i++, seq++) {
			check(ev[i].seq == seq, "seq %u, expected %u", ev[i].seq, seq);
			if (ev[i].type == DSMIL_EV_DEVICE_IRQ) {
				check(!lost && ev[i].token == 0x8000 && ev[i].aux == irqs,
				      "event %u: token 0x%x value %u", seq,
				      ev[i].token, ev[i].aux);
				irqs++;
			} else {
				check(ev[i].type == DSMIL_EV_OVERFLOW, "type %u", ev[i].type);
				lost += ev[i].value;
			}
		}
	}
	check(n < 0 && errno == EAGAIN, "end of the events: %s", strerror(errno));
	check(irqs == 256 && lost == RINGS - 256, "%u events read, %u lost", irqs, lost);
	check(poll(&pfd, 1, 0) == 0, "readable after everything was read");
	close(fd);
	check(!sh(FE_UNLOAD), "unload");
	return done();
}
