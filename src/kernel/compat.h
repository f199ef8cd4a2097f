/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, keyed on features found by compat-probe.sh
 * (compat_probe.h), never on version numbers. One section per module;
 * each section is owned by that module's code.
 */
#ifndef KECHO_COMPAT_H
#define KECHO_COMPAT_H

#include "compat_probe.h"

/* ------------------------------------------------------------------ */
/* kecho                                                               */
/* ------------------------------------------------------------------ */

/* ------------------------------------------------------------------ */
/* drop-tcp-socket                                                     */
/* ------------------------------------------------------------------ */

#include <linux/proc_fs.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

/* pde_data() replaced PDE_DATA() (probe: DTS_HAVE_PDE_DATA). */
#ifndef DTS_HAVE_PDE_DATA
#define pde_data(inode) PDE_DATA(inode)
#endif

/*
 * The established hash holding @net's TCP sockets. Kernels with
 * per-netns ehash (probe: DTS_HAVE_PERNET_EHASH) may give a netns its
 * own table; before that every netns shared tcp_hashinfo.
 */
static inline struct inet_hashinfo *dts_tcp_hashinfo(struct net *net)
{
#ifdef DTS_HAVE_PERNET_EHASH
	return net->ipv4.tcp_death_row.hashinfo;
#else
	return &tcp_hashinfo;
#endif
}

#endif /* KECHO_COMPAT_H */
