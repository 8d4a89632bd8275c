/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the guest programs and the step engine: where the
 * guest lives, which registers hold what, and the values the catalog's
 * expected effects are written in.  Included from assembly and from C.
 *
 * Register convention while stepping:
 *   x0-x3  SMCCC: function id and results of HVC and SMC; KVM writes
 *          all four on return, so nothing else may live there
 *   x5, x7, x8, x9  destinations of untrapped instructions
 *   x6   GUEST_K, never written by any catalog entry
 *   x10  destination of the trapped sysreg read
 *   x12  destination of the MMIO load
 *   x13  MMIO base (no memslot behind it: every access exits)
 *   x14  base of the data words in RAM; a log row stores the register
 *        the row before it wrote at GUEST_DATA_LOG
 */
#ifndef STEPLAB_GUEST_ABI_H
#define STEPLAB_GUEST_ABI_H

#define GUEST_RAM_BASE		0x40000000
/* VBAR_EL1: the vector table sits at the start of RAM (2 KiB aligned). */
#define GUEST_VECTORS		GUEST_RAM_BASE
#define GUEST_VECTOR_SYNC_SPX	0x200
#define GUEST_DATA		(GUEST_RAM_BASE + 0x800)
#define GUEST_CODE		(GUEST_RAM_BASE + 0x1000)
/* the word a log row stores its register to, at GUEST_DATA + this */
#define GUEST_DATA_LOG		24
#define GUEST_MMIO_BASE		0x10000000

#define GUEST_K			0x5eed0000cafe1234
#define GUEST_MEM_WORD		0x0123456789abcdef
#define GUEST_MMIO_DATA		0xa5a5c3c3
/* what a poison row leaves in a destination register (a movz immediate) */
#define GUEST_POISON		0xdead

#define GUEST_PSCI_VERSION_FN 0x84000000
#define SMCCC_RET_NOT_SUPPORTED	0xffffffffffffffff

#endif
