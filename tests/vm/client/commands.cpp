#include "commands.h"

#include <array>

namespace kecho::testclient {

namespace {
// Common options: --host H --port P (12345) --family 4|6 --timeout S (30, seconds without
// progress).
constexpr std::array kCommands = {
    Command{"payload", "--size N [pacing]", "echo N random bytes, writing and reading concurrently",
            cmd_payload},
    Command{"concurrent", "--conns N --size N [--min-active N]",
            "N simultaneous connections each echo a distinct message", cmd_concurrent},
    Command{"halfclose", "[--size N]", "send, shutdown(SHUT_WR), expect every byte back then EOF",
            cmd_halfclose},
    Command{"noread", "--seconds S [--max-buffered B] [--max-tcp-mem P]",
            "a client that never reads, while others must still be served", cmd_noread},
    Command{"hold", "--conns N [--seconds S] [--stall-every K]",
            "open N connections, then wait for the server to end them", cmd_hold},
    Command{"linger", "[--seconds S] [--size N] [--ready FILE]",
            "round trip, stay connected S seconds, round trip again", cmd_linger},
    Command{"chaos",
            "--clients N|--seconds S [--parallel P] [--mix good=W,slow=W,reset=W,vanish=W] "
            "[--size N] [--seed N] [--gen-file F] [--cut-ok 1] [--min-good N]",
            "a seeded mix of good, slow, resetting and vanishing clients", cmd_chaos},
    Command{"dtsfuzz", "--seconds S [--seed N] [--file PATH]",
            "fuzz /proc/net/drop_tcp_sock with random and adversarial lines", cmd_dtsfuzz},
    Command{"slowread", "--size N --rcvbuf B --pause S [--read-timeout S] [--rcvbuf-after 1]",
            "small window: send, shutdown(SHUT_WR), pause, then read every byte", cmd_slowread},
    Command{"urgent", "[--rounds N]", "messages ending in a MSG_OOB byte come back whole",
            cmd_urgent},
    Command{"stuck", "--seconds S [--rcvbuf B] [--size N] [--shut 1]",
            "fill the window, then hold the connection without reading", cmd_stuck},
    Command{"bound", "--local-port P [--seconds S] [--ready FILE]",
            "connect from a fixed port: close at once (TIME_WAIT), or hold and echo again",
            cmd_bound},
    Command{"fdwrite", "--pid P --fd N --text T",
            "write a line through another process's open file (pidfd_getfd)", cmd_fdwrite},
    Command{"msg",
            "--count N [--size N|--min-size A --max-size B] [--order be|le] [--batch K] "
            "[--split B --pause-us U] [--seed S]",
            "message mode: framed messages echoed whole, exact, in order", cmd_msg},
    Command{"msgconc", "--conns N --count M [--min-size A] [--max-size B] [--batch K] [--seed S]",
            "message mode: N connections at once, each M framed messages", cmd_msgconc},
    Command{"msgpart",
            "--len L [--send B] [--order be|le] [--ready F] [--hold S] [--rst 1] [--any-close 1] "
            "[--min-close S]",
            "message mode: a header for L bytes, B of them sent; see the server end it",
            cmd_msgpart},
    Command{"msgmode", "--expect stream|message [--ready F --go F]",
            "which mode kecho serves this connection in (an oversize header: echo or reset)",
            cmd_msgmode},
    Command{"kcm", "--muxes M --conns C --count N [--max-size B] [--seed S]",
            "KCM: M multiplexors of C connections, one message in flight each, all exact", cmd_kcm},
    Command{"kcmtrap", "--inflight K --count N [--conns C] [--max-size B]",
            "KCM: K messages in flight on one multiplexor; report when the parser desyncs",
            cmd_kcmtrap},
    Command{"kcmreset", "--conns C --count N [--max-size B] [--oversize L]",
            "KCM: one attached connection reset by kecho is unattached; the rest carry on",
            cmd_kcmreset},
    Command{"chat",
            "--clients N --messages M [--max-size S] [--order be|le] [--echo 1] [--senders K] "
            "[--window B] [--pause-ms P] [--ready F] [--slow 1 [--queue Q]] [--until-end 1] "
            "[--seed X] [--stats PATH]",
            "chat mode: N clients, every message checked at every receiver (once, whole, exact, "
            "in order)",
            cmd_chat},
    Command{"chatjoin", "--messages K [--straddle 1] [--max-size S] [--seed X] [--stats PATH]",
            "chat mode: a client gets only messages completed after it joined", cmd_chatjoin},
    Command{"chatchurn",
            "--steady N --messages M --churn C [--max-size S] [--pause-ms P] [--seed X] "
            "[--stats PATH]",
            "chat mode: join/leave churn (FIN, RST, close) while messages flow, all checked",
            cmd_chatchurn},
    Command{"chatbad", "--len L [--send B] [--hold S] [--any-close 1] [--min-close S] [--ready F]",
            "chat mode: an oversize or stalled message while draining the room; see it ended",
            cmd_chatbad},
    Command{"chatshare",
            "--receivers N --messages M --size S [--rcvbuf B] [--max-share PERCENT] "
            "[--stats PATH]",
            "chat mode: N readers that never read hold M messages; memory grows far less than "
            "a copy each",
            cmd_chatshare},
    Command{"http",
            "[--conns N] [--requests R] [--path /x] [--status 200] [--length B] [--pipeline K] "
            "[--hold-ms MS] [--until-closed] [--min-responses M] (--timeout S: the whole run, 60)",
            "HTTP/1.1: N keep-alive connections, R GETs each (K pipelined), every response "
            "checked; --until-closed: until the server ends them",
            cmd_http},
};
} // namespace

std::span<const Command> commands() {
    return kCommands;
}

} // namespace kecho::testclient
