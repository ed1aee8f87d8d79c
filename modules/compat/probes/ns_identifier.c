// SPDX-License-Identifier: GPL-2.0
/*
 * MODULE_IMPORT_NS() and EXPORT_SYMBOL_NS*() take a bare identifier and
 * stringify it.  Since 6.13 they take a string literal instead.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(DSMIL_PROBE);
