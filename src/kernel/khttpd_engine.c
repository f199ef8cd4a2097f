// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd runs on kecho's engine: the listener, the conn's lifetime and
 * callbacks, the fast path, the counters, the parameter helpers and the
 * stream parser helpers, compiled into this module from kecho's own
 * source. Kbuild links an object into one module only, so the sharing is
 * done here, by inclusion; each module defines the engine's globals
 * (kecho.h) itself.
 */
#include "kecho_listener.c"
#include "kecho_conn.c"
#include "kecho_fastpath.c"
#include "kecho_zerocopy.c"
#include "kecho_stats.c"
#include "kecho_param.c"
#include "kecho_strp.c"
