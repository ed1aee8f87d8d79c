// SPDX-License-Identifier: GPL-2.0
/*
 * DSMIL_IOC_TOKEN_BATCH runs its ops in order with a result each: policy
 * refusals (-EACCES, -EPERM for quarantined tokens, root included, -ENOENT)
 * do not stop it and never reach the transport; a transport error (-EIO)
 * does stop it and the ops after it that passed the policy get -ECANCELED.
 * The ioctl succeeds when the batch ran and says how many ops it
 * attempted.  A batch of 0 or more than 64 ops, or with an unknown op code
 * or a non-zero reserved field, is -EINVAL and nothing runs.
 */
#include "smi-case.h"

static struct dsmil_token_op ops[DSMIL_TOKEN_BATCH_MAX + 1];

static void expect_values(const uint32_t *want, unsigned int n, const char *what)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ops[i].value != want[i])
			fail("%s: op %u value %#x, expected %#x", what, i,
			     ops[i].value, want[i]);
}

int main(void)
{
	static const uint16_t quarantined[] = {
		0x8009, 0x800a, 0x800b, 0x8019, 0x8029,
	};
	uint64_t calls, denied;
	uint32_t v, done, i;
	int fd;

	smi_load("");
	fd = ctl_open();
	if (geteuid())
		fail("not root");
	expect_ret(tok_unlock(fd, 0, 0, NULL), 0, "unlock 0");

	ops[0] = op_write(0x8000, 5);
	ops[1] = op_write(0x8001, 6);
	ops[2] = op_read(0x8000);
	expect_ret(tok_batch(fd, ops, 3, &done), 0, "batch");
	expect_results(ops, 3, "0,0,0", "writes and a read");
	expect_values((const uint32_t[]){ 5, 6, 5 }, 3, "writes and a read");
	expect_eq(done, 3, "ops attempted");

	/* Policy refusals do not stop a batch. */
	ops[0] = op_read(0x8001);
	ops[1] = op_write(0x800c, 7);
	ops[2] = op_write(0x8009, 8);
	ops[3] = op_read(0x9999);
	ops[4] = op_write(0x8002, 7);
	calls = emu_calls();
	expect_ret(tok_batch(fd, ops, 5, &done), 0, "batch with refusals");
	expect_results(ops, 5, "0,-13,-1,-2,0", "batch with refusals");
	expect_values((const uint32_t[]){ 6, 7, 8, 0, 7 }, 5,
		      "batch with refusals");
	expect_eq(done, 5, "ops attempted");
	expect_eq(emu_calls(), calls + 2, "emu transport calls");
	expect_ret(tok_read(fd, 0x8002, &v), 0, "read 0x8002");
	expect_eq(v, 7, "0x8002");

	/* Quarantined tokens: -EPERM for root, with their group unlocked. */
	expect_ret(tok_unlock(fd, 1, 0, NULL), 0, "unlock 1");
	expect_ret(tok_unlock(fd, 2, 0, NULL), 0, "unlock 2");
	for (i = 0; i < 5; i++)
		ops[i] = op_write(quarantined[i], 0x1234);
	calls = emu_calls();
	denied = smi_stat("denied");
	expect_ret(tok_batch(fd, ops, 5, &done), 0, "batch of quarantined writes");
	expect_results(ops, 5, "-1,-1,-1,-1,-1", "batch of quarantined writes");
	expect_eq(emu_calls(), calls, "emu transport calls");
	expect_eq(smi_stat("denied") - denied, 5, "denied");
	for (i = 0; i < 5; i++) {
		expect_ret(tok_read(fd, quarantined[i], &v), 0,
			   "read of a quarantined token");
		expect_eq(v, 0, "quarantined token after the refused write");
	}

	/* Transport errors stop the batch. */
	if (file_write(SMI_DBG "emu_fail_next", "1"))
		fail("cannot write emu_fail_next");
	ops[0] = op_read(0x8000);
	ops[1] = op_write(0x8001, 9);
	ops[2] = op_read(0x9999);
	ops[3] = op_read(0x8002);
	expect_ret(tok_batch(fd, ops, 4, &done), 0, "batch with a transport error");
	expect_results(ops, 4, "-5,-125,-2,-125", "batch with a transport error");
	expect_values((const uint32_t[]){ 0, 9, 0, 0 }, 4,
		      "batch with a transport error");
	expect_eq(done, 2, "ops attempted");
	expect_ret(tok_read(fd, 0x8001, &v), 0, "read 0x8001");
	expect_eq(v, 6, "0x8001 after the cancelled write");
	expect_eq(smi_stat("transport_errors"), 1, "stats/transport_errors");
	if (file_write(SMI_DBG "emu_fail_next", "1"))
		fail("cannot write emu_fail_next");
	expect_ret(tok_verify(fd), -EIO, "verify with a transport error");
	expect_ret(tok_verify(fd), 0, "verify");

	/* 64 ops are fine; 0, 65, an unknown op code or a reserved field not. */
	for (i = 0; i <= DSMIL_TOKEN_BATCH_MAX; i++)
		ops[i] = op_read(0x8000 + i);
	expect_ret(tok_batch(fd, ops, 64, &done), 0, "batch of 64");
	for (i = 0; i < 64; i++)
		expect_ret(ops[i].result, 0, "op of a batch of 64");
	calls = emu_calls();
	for (i = 0; i <= DSMIL_TOKEN_BATCH_MAX; i++)
		ops[i] = op_write(0x8000, 0xbad);
	expect_ret(tok_batch(fd, ops, 65, NULL), -EINVAL, "batch of 65");
	expect_ret(tok_batch(fd, ops, 0, NULL), -EINVAL, "batch of 0");
	ops[1].op = 2;
	expect_ret(tok_batch(fd, ops, 2, NULL), -EINVAL, "unknown op code");
	ops[1] = op_write(0x8000, 0xbad);
	ops[1].reserved = 1;
	expect_ret(tok_batch(fd, ops, 2, NULL), -EINVAL, "reserved field");
	expect_eq(ops[0].result, 0, "result of a refused batch untouched");
	expect_eq(emu_calls(), calls, "emu transport calls of refused batches");
	expect_ret(tok_read(fd, 0x8000, &v), 0, "read 0x8000");
	expect_eq(v, 5, "0x8000 after the refused batches");
	expect_eq(smi_stat("calls"), smi_stat("reads") + smi_stat("writes") + 2,
		  "calls = reads + writes + verifies");
	return 0;
}
