// http --port P [--conns N] [--requests R] [--path /x] [--status 200]
//      [--length B] [--pipeline K] [--hold-ms MS] [--until-closed]
//      [--min-responses M] [--timeout S]:
// N keep-alive connections at once (non-blocking, one epoll loop), each
// sending R "GET path HTTP/1.1" requests, K in flight at a time, and
// checking every response (http_response.h): well-formed, the status, and
// the Content-Length when --length is given. All stay open to the end,
// when the client closes them. With --hold-ms, every connection must still
// be open MS ms after the last response. With --until-closed (unload under
// load), requests go on until the server ends every connection: an EOF or
// a reset is counted, only a malformed or mismatched response is an error.
// --timeout S (60) bounds the whole run, in every mode.
#include "commands.h"
#include "epoll.h"
#include "error.h"
#include "fd_limit.h"
#include "http_response.h"
#include "net.h"
#include "options.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <system_error>
#include <vector>

namespace kecho::testclient {

namespace {

struct Settings {
    std::size_t conns = 1;
    std::uint64_t requests = 1; // per connection; no limit with until_closed
    std::string request;        // one request's bytes
    int status = 200;
    std::optional<std::uint64_t> length;
    std::uint64_t pipeline = 1;
    std::chrono::milliseconds hold{0};
    bool until_closed = false;
    std::uint64_t min_responses = 0;
    std::chrono::seconds timeout{60};
};

Settings settings_from(const Args& args) {
    Settings s;
    s.conns = args.num("conns", 1);
    s.until_closed = args.has("until-closed");
    s.requests = args.num("requests", 1);
    s.pipeline = args.num("pipeline", 1);
    s.hold = std::chrono::milliseconds(args.num("hold-ms", 0));
    s.min_responses = args.num("min-responses", 0);
    s.timeout = std::chrono::seconds(args.num("timeout", 60));
    const std::uint64_t status = args.num("status", 200);
    if (args.has("length"))
        s.length = args.num("length", 0);
    const std::string path = args.str("path", "/");
    if (s.conns == 0 || s.requests == 0 || s.pipeline == 0 || s.timeout.count() == 0)
        throw UsageError("--conns, --requests, --pipeline and --timeout must be at least 1");
    if (status < 100 || status > 999)
        throw UsageError("--status must be a three-digit code");
    if (path.empty() || path.find_first_of("\r\n") != std::string::npos)
        throw UsageError("--path must be non-empty, without CR or LF");
    if (s.until_closed && (args.has("requests") || args.has("hold-ms")))
        throw UsageError("--until-closed sends requests until the server closes: no --requests "
                         "or --hold-ms");
    s.status = static_cast<int>(status);
    s.request = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    return s;
}

enum class State {
    connecting,
    running, // requests to send or answers to come
    done,    // all requests answered; held open
    closed,  // ended by the server, as --until-closed expects
    failed,  // an error; closed
};

struct Conn {
    UniqueFd fd;
    State state = State::connecting;
    std::string out;            // requests not yet written
    std::uint64_t sent = 0;     // requests put in `out`
    std::uint64_t answered = 0; // responses complete
    HttpResponseParser parser;
    bool want_out = true; // EPOLLOUT in the interest set
    int send_err = 0;     // why a send failed: the reason for an EOF that follows
};

class HttpRun {
  public:
    HttpRun(Settings settings, Endpoint ep)
        : s_(std::move(settings)), ep_(std::move(ep)), conns_(s_.conns) {}

    int run();

  private:
    void connect_all();
    // Handles events until `until`, or before then (unless holding) when no
    // connection is connecting or running.
    void loop(Clock::time_point until, bool holding);
    void on_event(std::size_t i, std::uint32_t events);
    void fill(std::size_t i);
    void flush(std::size_t i);
    void receive(std::size_t i);
    void check(std::size_t i, const HttpResponse& r);
    void finish(std::size_t i);
    // The server ended connection i: EOF (err 0) or errno err.
    void ended(std::size_t i, int err);
    // An error: counted, and the connection closed; a mismatch is counted
    // and the connection goes on.
    void fail(std::size_t i, const std::string& why);
    void mismatch(std::size_t i, const std::string& why);
    void close(std::size_t i, State state);
    void hold_check();
    [[nodiscard]] std::string progress(std::size_t i) const;
    void report(bool ok, double secs) const;

    Settings s_;
    Endpoint ep_;
    Epoll poller_;
    std::vector<Conn> conns_;
    std::vector<char> buf_ = std::vector<char>(65536);
    std::size_t busy_ = 0; // connecting or running
    bool timed_out_ = false;
    std::uint64_t responses_ = 0;
    std::uint64_t status_ok_ = 0;
    std::uint64_t errors_ = 0;
    std::vector<std::string> first_errors_;
    std::size_t held_open_ = 0;
    // --until-closed: how the server ended them.
    std::size_t eof_ = 0;
    std::size_t reset_ = 0;
    std::size_t cut_ = 0; // in the middle of a response
    std::size_t refused_ = 0;
};

int HttpRun::run() {
    const auto start = Clock::now();
    const auto deadline = start + s_.timeout;
    connect_all();
    loop(deadline, false);
    if (!timed_out_ && s_.hold.count() > 0) {
        const auto hold_end = Clock::now() + s_.hold;
        loop(std::min(hold_end, deadline), true);
        timed_out_ = timed_out_ || hold_end > deadline;
        if (!timed_out_)
            hold_check();
    }
    if (timed_out_) {
        for (std::size_t i = 0; i < conns_.size(); ++i)
            if (conns_[i].state == State::connecting || conns_[i].state == State::running)
                fail(i, "still " +
                            std::string(conns_[i].state == State::connecting ? "connecting"
                                                                             : "running") +
                            " at the timeout: " + progress(i));
    }
    const bool ok = errors_ == 0 && !timed_out_ && responses_ >= s_.min_responses;
    report(ok, seconds_since(start));
    return ok ? 0 : 1;
}

void HttpRun::connect_all() {
    raise_fd_limit();
    for (std::size_t i = 0; i < conns_.size(); ++i) {
        try {
            conns_[i].fd = connect_nonblocking(ep_);
        } catch (const std::system_error& e) {
            ++busy_; // ended() counts it out
            ended(i, e.code().value());
            continue;
        }
        poller_.add(conns_[i].fd.get(), EPOLLIN | EPOLLOUT, i);
        ++busy_;
    }
}

void HttpRun::loop(Clock::time_point until, bool holding) {
    while (holding || busy_ > 0) {
        const auto now = Clock::now();
        if (now >= until) {
            timed_out_ = !holding;
            return;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
        const int wait_ms = static_cast<int>(std::clamp<std::int64_t>(left.count() + 1, 1, 200));
        for (const auto& ev : poller_.wait(wait_ms, 1024))
            on_event(ev.data.u64, ev.events);
    }
}

void HttpRun::on_event(std::size_t i, std::uint32_t events) {
    Conn& c = conns_[i];
    if (c.state == State::connecting) {
        int err = 0;
        socklen_t len = sizeof(err);
        ::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0 || !has(events, EPOLLOUT)) {
            ended(i, err != 0 ? err : ECONNRESET);
            return;
        }
        c.state = State::running;
        fill(i);
    }
    if (c.state == State::running && has(events, EPOLLOUT))
        flush(i);
    if ((c.state == State::running || c.state == State::done) &&
        has(events, EPOLLIN | EPOLLERR | EPOLLHUP))
        receive(i);
}

// Queues requests up to the pipeline depth, and writes what it can.
void HttpRun::fill(std::size_t i) {
    Conn& c = conns_[i];
    while ((s_.until_closed || c.sent < s_.requests) && c.sent - c.answered < s_.pipeline) {
        c.out += s_.request;
        ++c.sent;
    }
    flush(i);
}

void HttpRun::flush(std::size_t i) {
    Conn& c = conns_[i];
    while (!c.out.empty()) {
        const ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n < 0) {
            c.send_err = errno;
            // What the server sent before it went away still counts.
            receive(i);
            if (c.state == State::running)
                ended(i, c.send_err);
            return;
        }
        c.out.erase(0, static_cast<std::size_t>(n));
    }
    if (c.want_out != !c.out.empty()) {
        c.want_out = !c.out.empty();
        poller_.modify(c.fd.get(), EPOLLIN | (c.want_out ? EPOLLOUT : 0U), i);
    }
}

void HttpRun::receive(std::size_t i) {
    Conn& c = conns_[i];
    const ssize_t n = ::recv(c.fd.get(), buf_.data(), buf_.size(), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        ended(i, n < 0 ? errno : c.send_err);
        return;
    }
    if (c.state == State::done) {
        fail(i, std::to_string(n) + " bytes after the last response");
        return;
    }
    for (const auto& r : c.parser.feed(std::span(buf_.data(), static_cast<std::size_t>(n)))) {
        ++c.answered;
        ++responses_;
        if (c.answered > c.sent) {
            fail(i, "response " + std::to_string(c.answered) + " to no request (" +
                        std::to_string(c.sent) + " sent)");
            return;
        }
        check(i, r);
    }
    if (c.parser.failed()) {
        fail(i, c.parser.why());
        return;
    }
    if (!s_.until_closed && c.answered == s_.requests)
        finish(i);
    else
        fill(i);
}

// Every request answered: the connection is held open, watched for reads.
void HttpRun::finish(std::size_t i) {
    Conn& c = conns_[i];
    if (!c.parser.idle()) {
        fail(i, "bytes after the last response");
        return;
    }
    if (!c.out.empty()) {
        fail(i, "all responses came before all requests were written");
        return;
    }
    c.state = State::done;
    --busy_;
    if (c.want_out) {
        c.want_out = false;
        poller_.modify(c.fd.get(), EPOLLIN, i);
    }
}

void HttpRun::check(std::size_t i, const HttpResponse& r) {
    const std::string which = "response " + std::to_string(conns_[i].answered) + ": ";
    if (r.status == s_.status)
        ++status_ok_;
    else
        mismatch(i, which + "status " + std::to_string(r.status) + ", want " +
                        std::to_string(s_.status));
    if (s_.length && r.content_length != *s_.length)
        mismatch(i, which + "Content-Length " + std::to_string(r.content_length) + ", want " +
                        std::to_string(*s_.length));
}

void HttpRun::ended(std::size_t i, int err) {
    Conn& c = conns_[i];
    const bool live = c.state == State::connecting || c.state == State::running;
    const bool expected_end = err == 0 || err == ECONNRESET || err == EPIPE || err == ECONNREFUSED;
    if (s_.until_closed && live && expected_end) {
        ++(err == 0 ? eof_ : err == ECONNREFUSED ? refused_ : reset_);
        if (!c.parser.idle())
            ++cut_;
        close(i, State::closed);
    } else if (c.state == State::connecting) {
        fail(i, errno_message(err, "connect " + ep_.describe()));
    } else {
        const std::string how = err == 0 ? "EOF" : errno_message(err, "closed");
        fail(i, c.state == State::done
                    ? how + " after all " + std::to_string(c.answered) +
                          " responses, before the run ended (keep-alive not held)"
                    : how + ": " + progress(i));
    }
}

void HttpRun::fail(std::size_t i, const std::string& why) {
    mismatch(i, why);
    close(i, State::failed);
}

void HttpRun::mismatch(std::size_t i, const std::string& why) {
    ++errors_;
    if (first_errors_.size() < 5)
        first_errors_.push_back("conn " + std::to_string(i) + ": " + why);
}

void HttpRun::close(std::size_t i, State state) {
    Conn& c = conns_[i];
    if (c.state == State::closed || c.state == State::failed)
        return;
    if (c.state == State::connecting || c.state == State::running)
        --busy_;
    if (c.fd)
        poller_.remove(c.fd.get());
    c.fd.reset();
    c.state = state;
}

// After the hold: a read must find nothing to read (EAGAIN), not an EOF,
// a reset or stray bytes.
void HttpRun::hold_check() {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
        if (conns_[i].state != State::done)
            continue;
        receive(i);
        if (conns_[i].state == State::done)
            ++held_open_;
    }
}

std::string HttpRun::progress(std::size_t i) const {
    const Conn& c = conns_[i];
    std::string out =
        s_.until_closed
            ? std::to_string(c.answered) + " responses to " + std::to_string(c.sent) + " requests"
            : std::to_string(c.answered) + " of " + std::to_string(s_.requests) + " responses";
    return c.state == State::connecting ? out : out + ", " + c.parser.position();
}

void HttpRun::report(bool ok, double secs) const {
    std::string extra;
    if (s_.hold.count() > 0)
        extra += "; held " + std::to_string(s_.hold.count()) +
                 " ms: " + std::to_string(held_open_) + "/" + std::to_string(s_.conns) +
                 " still open";
    if (s_.until_closed)
        extra += "; ended by the server: " + std::to_string(eof_) + " EOF, " +
                 std::to_string(reset_) + " reset (" + std::to_string(cut_) + " mid-response), " +
                 std::to_string(refused_) + " refused";
    if (timed_out_)
        extra += "; timed out after " + std::to_string(s_.timeout.count()) + " s";
    if (responses_ < s_.min_responses)
        extra += "; fewer than the " + std::to_string(s_.min_responses) + " responses wanted";
    std::printf("http: %s%zu conns, %llu responses, %llu status ok, %llu errors, %.2f s%s\n",
                ok ? "" : "FAIL: ", s_.conns, static_cast<unsigned long long>(responses_),
                static_cast<unsigned long long>(status_ok_),
                static_cast<unsigned long long>(errors_), secs, extra.c_str());
    for (const auto& e : first_errors_)
        std::printf("http: %s\n", e.c_str());
}

} // namespace

int cmd_http(const Argv& argv) {
    const Args args(argv,
                    net_options({"conns", "requests", "path", "status", "length", "pipeline",
                                 "hold-ms", "min-responses"}),
                    {"until-closed"});
    HttpRun run(settings_from(args), endpoint_from(args));
    return run.run();
}

} // namespace kecho::testclient
