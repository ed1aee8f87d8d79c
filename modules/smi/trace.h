/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - the tracepoints of dsmil_smi (events/dsmil_smi/ in tracefs).
 *
 *   dsmil_smi_op      one per op returned to a caller, and one per late
 *                     completion of a timed-out op (late=1)
 *   dsmil_smi_window  unlock, relock and expiry of a group's write window
 *
 * audit.c instantiates them (CREATE_TRACE_POINTS).  The module is built out
 * of tree, so define_trace.h must find this file by path: TRACE_INCLUDE_PATH
 * is "." and the Kbuild adds this directory to audit.o's include path.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dsmil_smi

#if !defined(_DSMIL_SMI_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DSMIL_SMI_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(dsmil_smi_op,
	TP_PROTO(u16 token, u16 opcode, u32 value, int result, u64 latency_ns,
		 bool late),
	TP_ARGS(token, opcode, value, result, latency_ns, late),
	TP_STRUCT__entry(
		__field(u16, token)
		__field(u16, opcode)
		__field(u32, value)
		__field(int, result)
		__field(u64, latency_ns)
		__field(bool, late)
	),
	TP_fast_assign(
		__entry->token = token;
		__entry->opcode = opcode;
		__entry->value = value;
		__entry->result = result;
		__entry->latency_ns = latency_ns;
		__entry->late = late;
	),
	TP_printk("token=%#06x op=%s value=%#010x result=%d latency_ns=%llu late=%d",
		  __entry->token,
		  __print_symbolic(__entry->opcode, { 0, "read" },
				   { 1, "write" }, { 2, "verify" }),
		  __entry->value, __entry->result,
		  (unsigned long long)__entry->latency_ns, __entry->late)
);

TRACE_EVENT(dsmil_smi_window,
	TP_PROTO(unsigned int group, u16 kind, u32 seconds),
	TP_ARGS(group, kind, seconds),
	TP_STRUCT__entry(
		__field(unsigned int, group)
		__field(u16, kind)
		__field(u32, seconds)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->kind = kind;
		__entry->seconds = seconds;
	),
	TP_printk("group=%u %s seconds=%u", __entry->group,
		  __print_symbolic(__entry->kind, { 3, "unlock" },
				   { 4, "relock" }, { 5, "expire" }),
		  __entry->seconds)
);

#endif /* _DSMIL_SMI_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
