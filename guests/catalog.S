/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instruction catalog: one row per instruction steplab steps over.
 * The assembler encodes every instruction (nothing here is a hand-typed
 * encoding); tools/mkcatalog.c turns the two sections below into the C
 * table bench/lib/catalog.c reads.
 *
 *   insn CLASS, NAME, EFFECT, REG, VALUE, PREP, INSTRUCTION
 *
 * CLASS    what the step exercises (bench/lib/catalog.h lists the classes)
 * EFFECT   how the engine checks the step, with REG and VALUE:
 *   reg     xREG == VALUE afterwards
 *   mem     the RAM word at GUEST_DATA + REG == VALUE afterwards
 *   mmio_read   a KVM_EXIT_MMIO read at GUEST_MMIO_BASE, REG bytes wide;
 *               steplab returns GUEST_MMIO_DATA, and x(VALUE) holds it
 *   mmio_write  a KVM_EXIT_MMIO write at GUEST_MMIO_BASE of the low REG
 *               bytes of VALUE
 *   sysreg  xREG == the vCPU's ID register, read through ONE_REG
 *   psci    xREG == the PSCI version KVM reports for the vCPU
 *   branch  PC moves by VALUE bytes (the words skipped are filled with udf)
 *   vector  PC goes to VBAR_EL1 + VALUE
 *   eret    PC returns to the instruction after the last exception
 *   none    nothing but PC + 4
 *   log     the RAM word at GUEST_DATA + GUEST_DATA_LOG holds what the
 *           row before wrote to xREG: a log row follows every row whose
 *           effect is a register (reg, sysreg, psci, mmio_read) and
 *           stands nowhere else, so no register is read from the vCPU
 * PREP     the row that must run right before this one (none: no need)
 */
#include "abi.h"

	.macro	insn class, name, effect, reg, value, prep, text:vararg
	.pushsection .catalog.text, "ax"
	.balign	4
8:	\text
	.ifc	\effect, branch
	.rept	(\value / 4) - 1
	udf	#0
	.endr
	.endif
9:
	.popsection
	.pushsection .catalog.meta, "a"
	.balign	8
0:	.asciz	"\class"
	.fill	16 - (. - 0b), 1, 0
1:	.asciz	"\effect"
	.fill	16 - (. - 1b), 1, 0
2:	.asciz	"\name"
	.fill	32 - (. - 2b), 1, 0
3:	.asciz	"\prep"
	.fill	32 - (. - 3b), 1, 0
4:	.asciz	"\text"
	.fill	64 - (. - 4b), 1, 0
	.word	\reg
	.word	(9b - 8b) / 4
	.quad	\value
	.popsection
	.endm

/*
 * A row whose effect is a register is followed by the log row of that
 * register, and preceded by a poison row that writes
 * GUEST_POISON there, so the register can only hold the expected value if
 * the step itself wrote it (not an earlier step, nor reset).
 */
/*	class       name              effect      reg value                  prep   instruction */
insn	untrapped,  poison_x5,        reg,        5, GUEST_POISON,           none,  movz x5, #GUEST_POISON
insn	untrapped,  poison_x7,        reg,        7, GUEST_POISON,           none,  movz x7, #GUEST_POISON
insn	untrapped,  poison_x8,        reg,        8, GUEST_POISON,           none,  movz x8, #GUEST_POISON
insn	untrapped,  poison_x9,        reg,        9, GUEST_POISON,           none,  movz x9, #GUEST_POISON
insn	untrapped,  poison_x10,       reg,        10, GUEST_POISON,          none,  movz x10, #GUEST_POISON
insn	untrapped,  poison_x12,       reg,        12, GUEST_POISON,          none,  movz x12, #GUEST_POISON
insn	untrapped,  add_imm,          reg,        5, (GUEST_K + 1),          poison_x5, add x5, x6, #1
insn	untrapped,  eor_self,         reg,        7, 0,                      poison_x7, eor x7, x6, x6
insn	untrapped,  movz,             reg,        9, 0x1234,                 poison_x9, movz x9, #0x1234
insn	untrapped,  orr_lsl,          reg,        5, ((GUEST_K << 4) & 0xffffffffffffffff), poison_x5, orr x5, xzr, x6, lsl #4
insn	untrapped,  nop,              none,       0, 0,                      none,  nop
insn	untrapped,  mov_psci_version, reg,        0, GUEST_PSCI_VERSION_FN, none, movz x0, #0x8400, lsl #16
/* 6.4+ hands an SMC to the SMCCC handler: x0 must name no function */
insn	untrapped,  mov_smc_unknown,  reg,        0, 0,                      none,  movz x0, #0
insn	mem,        ldr_ram,          reg,        8, GUEST_MEM_WORD,         poison_x8, ldr x8, [x14]
insn	mem,        str_ram,          mem,        8, GUEST_K,                none,  str x6, [x14, #8]
insn	branch,     b_fwd,            branch,     0, 8,                      none,  b .+8
insn	mmio_read,  ldr_mmio,         mmio_read,  4, 12,                     poison_x12, ldr w12, [x13]
insn	mmio_write, str_mmio,         mmio_write, 4, (GUEST_K & 0xffffffff), none,  str w6, [x13]
insn	sysreg,     mrs_id_aa64pfr0,  sysreg,     10, 0,                     poison_x10, mrs x10, id_aa64pfr0_el1
insn	hvc,        hvc_psci_version, psci,       0, 0,          mov_psci_version,  hvc #0
insn	smc,        smc_0,            reg,        0, SMCCC_RET_NOT_SUPPORTED, mov_smc_unknown, smc #0
insn	exception,  svc_0,            vector,     0, GUEST_VECTOR_SYNC_SPX,  none,  svc #0
insn	eret,       eret,             eret,       0, 0,                      none,  eret
/* the log rows: the row before's register, stored where the host reads it */
insn	mem,        log_x0,           log,        0, 0,                      none,  str x0, [x14, #GUEST_DATA_LOG]
insn	mem,        log_x5,           log,        5, 0,                      none,  str x5, [x14, #GUEST_DATA_LOG]
insn	mem,        log_x7,           log,        7, 0,                      none,  str x7, [x14, #GUEST_DATA_LOG]
insn	mem,        log_x8,           log,        8, 0,                      none,  str x8, [x14, #GUEST_DATA_LOG]
insn	mem,        log_x9,           log,        9, 0,                      none,  str x9, [x14, #GUEST_DATA_LOG]
insn	mem,        log_x10,          log,        10, 0,                     none,  str x10, [x14, #GUEST_DATA_LOG]
insn	mem,        log_x12,          log,        12, 0,                     none,  str x12, [x14, #GUEST_DATA_LOG]
