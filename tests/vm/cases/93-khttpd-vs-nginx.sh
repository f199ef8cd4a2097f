#!/bin/sh
# khttpd against Debian's nginx serving the same tree (khttpd-lib.sh's
# make_www, plus a file per extension): every request of one list is sent
# raw (busybox nc) to both, and their status codes compared; for a single
# 2xx response also the body byte for byte, Content-Length, Content-Type,
# Content-Range and Last-Modified (for HEAD: no body on either side), for a
# 3xx the path of Location; for pipelined batches the sequence of statuses.
# Where khttpd deliberately differs, EXPECTED below names both sides'
# statuses and both are checked, so a change on either side is caught
# (reasons: docs/khttpd-vs-nginx.md). Ends with a short wrk run against
# each, the benchmark's client.
# vmtest-timeout: 600
. /tests/lib.sh
. /tests/khttpd-lib.sh
. /tests/nginx-lib.sh
require_module khttpd
require_nginx

# Where khttpd and nginx differ on purpose (docs/khttpd-vs-nginx.md says
# why), both sides are checked. Statuses: REQUEST KHTTPD NGINX; a pipelined
# batch's statuses joined by ","; "raw": an answer without a status line
# (HTTP/0.9 style); "none": no answer; A|B: either. Both servers read
# on after refusing a request still arriving (lingering close), so the
# answer arrives.
EXPECTED='
http-0.9            400        raw
http2-preface       505        400
http-1.10           400        200
empty-host          200        400
two-spaces          400        200
trailing-space      400        200
header-ctl          400        200
lower-method        405        400
cl-two-same         200        400
te-chunked          501        200
te-and-cl           501        400
body-100k-announced 413        200
line-5k             414        404
line-9k             414        414
head-9k             431        200
head-40k            431        400
header-9k           431        400
link-abs            404        403
link-rel            404        403
head-link-abs       404        403
ims-newer           304        200
ims-2100            304        200
range-multi         200        206
range-reversed      200        416
range-garbage       200        416
'
# Headers of a 2xx or 3xx response that differ on purpose (nginx's Location
# is an absolute URL, khttpd's a path: elsewhere only the paths are
# compared): REQUEST HEADER KHTTPD NGINX
EXPECTED_HEADERS='
type-x.gz           Content-Type  application/gzip  application/octet-stream
dir-noslash         Location      /dir2/             http://x:8081/dir2/
head-dir-noslash    Location      /dir2/             http://x:8081/dir2/
'

R=/tmp/req
rm -rf $R
mkdir -p $R
LIST=""

# _add NAME: NAME joins the list (once)
_add() {
	case " $LIST " in *" $1 "*)
		fail "request name $1 is unique"
		exit 1
		;;
	esac
	LIST="$LIST $1"
}
# raw NAME FORMAT [ARGS...]: the request is printf FORMAT ARGS (\r\n escapes)
raw() {
	_n=$1
	shift
	_add "$_n"
	# shellcheck disable=SC2059
	printf "$@" >$R/"$_n"
}
# r11 NAME METHOD TARGET [HEADER...]: an HTTP/1.1 request with Host, the
# HEADERs and Connection: close
r11() {
	_n=$1
	_add "$_n"
	{
		printf '%s %s HTTP/1.1\r\nHost: x\r\n' "$2" "$3"
		shift 3
		for _h in "$@"; do printf '%s\r\n' "$_h"; done
		printf 'Connection: close\r\n\r\n'
	} >$R/"$_n"
}
# r10 NAME METHOD TARGET [HEADER...]: the same over HTTP/1.0, no Host
r10() {
	_n=$1
	_add "$_n"
	{
		printf '%s %s HTTP/1.0\r\n' "$2" "$3"
		shift 3
		for _h in "$@"; do printf '%s\r\n' "$_h"; done
		printf '\r\n'
	} >$R/"$_n"
}

make_www
# By default nginx follows every symlink (abs-link would serve /etc/passwd);
# khttpd resolves them inside its root, whoever owns what. nginx runs here
# with "disable_symlinks if_not_owner": a symlink whose owner is not its
# target's is refused. The two out of the tree become nobody's (their
# target is root's), good-link stays root's like a.txt and is followed.
# ("disable_symlinks on" would refuse good-link too.)
chown -h nobody:nogroup $WWW/abs-link $WWW/rel-link
# Content-Type: every extension khttpd knows, one in upper case, unknown
# ones, none, and a dot file
mkdir -p $WWW/t
for e in html htm shtml css xml txt js json atom rss xhtml gif jpeg jpg png \
	svg svgz tif tiff webp ico woff woff2 eot pdf wasm zip gz 7z m3u8 mp3 \
	ogg m4a mp4 mpeg mpg mov webm ts avi TXT foo; do
	echo "type $e" >$WWW/t/x.$e
done
echo none >$WWW/t/noext
echo dot >$WWW/t/.hidden
chmod 755 $WWW/t
chmod 644 $WWW/t/*
chmod 644 $WWW/t/.hidden

# --- the requests
# files
r11 get-file GET /a.txt
r10 get-file-1.0 GET /a.txt
r11 head-file HEAD /a.txt
r10 head-file-1.0 HEAD /a.txt
r11 get-big GET /big.txt
r11 head-big HEAD /big.txt
r11 get-root GET /
r11 head-root HEAD /
r11 get-css GET /sub/b.css
r11 get-space GET /sub/with%20space.txt
r11 get-query GET '/a.txt?x=1'
r11 get-fragment GET '/a.txt#frag'
r11 get-dot-segment GET /./a.txt
r11 get-dotdot-inside GET /dir/../a.txt
r11 get-enc-dotdot-inside GET /dir/%2e%2e/a.txt
r11 get-double-slash GET //a.txt
r11 get-enc-name GET /%61.txt
for f in $WWW/t/* $WWW/t/.hidden; do
	r11 "type-${f##*/}" GET "/t/${f##*/}"
done
# directories
r11 dir-index GET /dir2/
r11 dir-noslash GET /dir2
r11 dir-noslash-query GET '/dir2?x=1'
r11 head-dir-noslash HEAD /dir2
r11 dir-noindex GET /dir/
r11 dir-noindex-noslash GET /dir
r11 file-as-dir GET /a.txt/
# missing
r11 missing GET /nope
r11 missing-dir GET /nope/
r11 missing-deep GET /nope/a/b.txt
r11 head-missing HEAD /nope
# versions
raw no-host 'GET /a.txt HTTP/1.1\r\nConnection: close\r\n\r\n'
raw two-hosts 'GET /a.txt HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n'
raw empty-host 'GET /a.txt HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n'
raw http-1.2 'GET /a.txt HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n'
raw http-1.10 'GET /a.txt HTTP/1.10\r\nHost: x\r\nConnection: close\r\n\r\n'
raw http-2.0 'GET /a.txt HTTP/2.0\r\nHost: x\r\n\r\n'
raw http-3 'GET /a.txt HTTP/3\r\nHost: x\r\n\r\n'
raw http-lower 'GET /a.txt http/1.1\r\nHost: x\r\n\r\n'
raw http-0.9 'GET /\r\n'
raw http2-preface 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
# keep-alive and pipelining
raw ka-1.1 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /dir2/ HTTP/1.1\r\nHost: x\r\n\r\n'
raw ka-close-first 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /dir2/ HTTP/1.1\r\nHost: x\r\n\r\n'
raw ka-close-list 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: foo, close\r\n\r\nGET /dir2/ HTTP/1.1\r\nHost: x\r\n\r\n'
raw ka-1.0 'GET /a.txt HTTP/1.0\r\n\r\nGET /dir2/ HTTP/1.0\r\n\r\n'
raw ka-1.0-keep 'GET /a.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET /dir2/ HTTP/1.0\r\n\r\n'
raw pipe-4 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /dir2/ HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
raw pipe-errors 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /secret.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /dir HTTP/1.1\r\nHost: x\r\n\r\nGET /dir/ HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n'
raw pipe-bad-middle 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nBLAH\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n'
raw pipe-body 'GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /dir2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
raw pipe-head-get 'HEAD /big.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n'
raw pipe-10 "$(i=0; while [ $i -lt 10 ]; do printf 'GET /a.txt HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'; i=$((i + 1)); done)"
raw pipe-405 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nDELETE /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n'
# traversal and encodings
r11 trav-dotdot GET /../etc/passwd
r11 trav-deep GET /a/../../etc/passwd
r11 trav-dotdot-only GET /..
r11 trav-enc GET /%2e%2e/etc/passwd
r11 trav-enc-upper GET /%2E%2E%2Fetc%2Fpasswd
r11 trav-enc-deep GET /dir/%2e%2e/%2e%2e/etc/passwd
r11 trav-enc-slash GET /..%2fetc%2fpasswd
r11 trav-backslash 'GET' '/..\..\etc\passwd'
r11 enc-slash GET /dir2%2Findex.html
r11 enc-slash-dir GET /dir2%2f
r11 enc-nul GET /a.txt%00.html
r11 enc-bad GET /%zz
r11 enc-short GET /a.txt%2
# symlinks, special files, permissions
r11 link-good GET /good-link
r11 link-abs GET /abs-link
r11 link-rel GET /rel-link
r11 head-link-abs HEAD /abs-link
r11 fifo GET /fifo
r11 head-fifo HEAD /fifo
r11 device GET /null
r11 unreadable GET /secret.txt
r11 head-unreadable HEAD /secret.txt
# malformed
raw garbage 'BLAH\r\n\r\n'
raw space-in-method 'G ET / HTTP/1.1\r\nHost: x\r\n\r\n'
raw two-spaces 'GET  /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
raw trailing-space 'GET /a.txt HTTP/1.1 \r\nHost: x\r\nConnection: close\r\n\r\n'
raw extra-token 'GET /a.txt HTTP/1.1 x\r\nHost: x\r\n\r\n'
raw no-slash 'GET a.txt HTTP/1.1\r\nHost: x\r\n\r\n'
raw absolute-form 'GET http://x/a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
raw asterisk 'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n'
raw bare-lf 'GET /a.txt HTTP/1.1\nHost: x\nConnection: close\n\n'
raw leading-crlf '\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
raw ctl-in-target 'GET /a\001.txt HTTP/1.1\r\nHost: x\r\n\r\n'
raw nul-in-line 'GET /a.txt\000 HTTP/1.1\r\nHost: x\r\n\r\n'
raw header-no-colon 'GET /a.txt HTTP/1.0\r\nFoo bar\r\n\r\n'
raw header-space-colon 'GET /a.txt HTTP/1.0\r\nFoo : bar\r\n\r\n'
raw header-empty-name 'GET /a.txt HTTP/1.0\r\n: bar\r\n\r\n'
raw header-obs-fold 'GET /a.txt HTTP/1.0\r\nFoo: a\r\n b\r\n\r\n'
raw header-ctl 'GET /a.txt HTTP/1.0\r\nFoo: a\001b\r\n\r\n'
raw header-first-ws 'GET /a.txt HTTP/1.0\r\n Foo: a\r\n\r\n'
raw cl-bad 'GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'
raw cl-negative 'GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'
raw cl-two-differ 'GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'
raw cl-two-same 'GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab'
raw te-chunked 'GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n'
raw te-gzip 'GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n'
raw te-and-cl 'GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n'
raw body-1k "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n%s" \
	"$(head -c 1000 /dev/zero | tr '\0' b)"
raw body-100k-announced 'GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n'
raw body-2m-announced 'GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n'
# oversize
raw line-5k "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n" "$(head -c 5000 /dev/zero | tr '\0' a)"
raw line-9k "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n" "$(head -c 9000 /dev/zero | tr '\0' a)"
# fillers N: N header lines of 94 bytes
fillers() {
	_i=0
	while [ $_i -lt "$1" ]; do
		printf 'X-Filler-%03d: %s\r\n' $_i "$(head -c 80 /dev/zero | tr '\0' b)"
		_i=$((_i + 1))
	done
}
_add head-9k
{
	printf 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
	fillers 100
	printf '\r\n'
} >$R/head-9k
_add head-40k
{
	printf 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n'
	fillers 450
	printf '\r\n'
} >$R/head-40k
raw header-9k "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: %s\r\n\r\n" \
	"$(head -c 9000 /dev/zero | tr '\0' b)"
# other methods
raw post "POST /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
r11 put PUT /a.txt 'Content-Length: 0'
r11 delete DELETE /a.txt
r11 options OPTIONS /
r11 trace TRACE /
r11 patch PATCH /a.txt 'Content-Length: 0'
r11 unknown-method FOO /a.txt
r11 lower-method get /a.txt
raw connect 'CONNECT x:80 HTTP/1.1\r\nHost: x\r\n\r\n'
# If-Modified-Since
mtime=$(stat -c %Y $WWW/a.txt)
httpdate() { date -u -d "@$1" '+%a, %d %b %Y %H:%M:%S GMT'; }
r11 ims-equal GET /a.txt "If-Modified-Since: $(httpdate "$mtime")"
r11 ims-older GET /a.txt "If-Modified-Since: $(httpdate $((mtime - 1)))"
r11 ims-newer GET /a.txt "If-Modified-Since: $(httpdate $((mtime + 1)))"
r11 ims-2100 GET /a.txt 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT'
r11 ims-1994 GET /a.txt 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT'
r11 ims-asctime-equal GET /a.txt "If-Modified-Since: $(date -u -d "@$mtime" '+%a %b %e %H:%M:%S %Y')"
r11 ims-rfc850-older GET /a.txt 'If-Modified-Since: Sunday, 06-Nov-94 08:49:37 GMT'
r11 ims-garbage GET /a.txt 'If-Modified-Since: yesterday'
r11 ims-head-equal HEAD /a.txt "If-Modified-Since: $(httpdate "$mtime")"
r11 ims-dir-equal GET / "If-Modified-Since: $(httpdate "$(stat -c %Y $WWW/index.html)")"
# Range
r11 range GET /a.txt 'Range: bytes=6-9'
r11 range-open GET /a.txt 'Range: bytes=6-'
r11 range-suffix GET /a.txt 'Range: bytes=-4'
r11 range-suffix-big GET /a.txt 'Range: bytes=-100'
r11 range-last-byte GET /a.txt 'Range: bytes=16-16'
r11 range-past-end GET /a.txt 'Range: bytes=100-'
r11 range-end-past GET /a.txt 'Range: bytes=10-100'
r11 range-reversed GET /a.txt 'Range: bytes=9-6'
r11 range-multi GET /a.txt 'Range: bytes=0-1,3-4'
r11 range-units GET /a.txt 'Range: items=0-1'
r11 range-garbage GET /a.txt 'Range: bytes=x-y'
r11 range-big GET /big.txt 'Range: bytes=1000000-1000099'
r11 range-head HEAD /a.txt 'Range: bytes=6-9'
r11 range-ims-equal GET /a.txt 'Range: bytes=6-9' "If-Modified-Since: $(httpdate "$mtime")"
r11 range-missing GET /nope 'Range: bytes=0-1'

# --- helpers
# summary FILE: one line about the response(s) in FILE (bytes as received):
# STATUSES|HEAD-BYTES|Content-Length|Content-Type|Content-Range|Last-Modified|
# Location. STATUSES: the status codes joined by ","; "raw" first when
# it does not start with a status line, "none" when empty. HEAD-BYTES: the
# first response's head with its blank line (-1: no blank line). Headers:
# the first response's.
summary() {
	awk '
		NR == 1 && !/^HTTP\/[0-9.]+ [0-9][0-9][0-9]/ { s = "raw" }
		/^HTTP\/[0-9.]+ [0-9][0-9][0-9]/ { s = s (s == "" ? "" : ",") $2 }
		!done {
			n += length($0) + 1
			l = $0
			sub(/\r$/, "", l)
			if (NR > 1 && l == "") {
				done = 1
			} else if (NR > 1) {
				i = index(l, ":")
				k = tolower(substr(l, 1, i - 1))
				v = substr(l, i + 1)
				sub(/^[ \t]*/, "", v)
				if (!(k in h))
					h[k] = v
			}
		}
		END {
			if (NR == 0)
				s = "none"
			printf "%s|%s|%s|%s|%s|%s|%s\n", s, done ? n : -1, h["content-length"],
				h["content-type"], h["content-range"], h["last-modified"], h["location"]
		}' "$1"
}
# expected_of NAME: EXPECTED's "KHTTPD NGINX" for request NAME into $want
expected_of() {
	want=""
	while read -r _a _k _n _rest; do
		[ "$_a" = "$1" ] || continue
		want="$_k $_n"
		return
	done <<EOT
$EXPECTED
EOT
}
# header_of NAME HEADER: EXPECTED_HEADERS' "KHTTPD NGINX" into $hwant
header_of() {
	hwant=""
	while read -r _a _h _k _n _rest; do
		[ "$_a" = "$1" ] && [ "$_h" = "$2" ] || continue
		hwant="$_k $_n"
		return
	done <<EOT
$EXPECTED_HEADERS
EOT
}
head_diag() {
	diag "khttpd: $(head -c 600 "$1.k" | tr -d '\r' | sed -n '1,/^$/p' | head -n 12)" \
		"nginx: $(head -c 600 "$1.n" | tr -d '\r' | sed -n '1,/^$/p' | head -n 12)"
}
# one_of GOT ALTERNATIVES: GOT is one of the |-separated ALTERNATIVES
one_of() {
	case "|$2|" in *"|$1|"*) return 0 ;; esac
	return 1
}

check "load khttpd serving $WWW on $KHTTPD_PORT" khttpd_load
check "start nginx serving $WWW on $NGINX_PORT" \
	nginx_start $WWW "disable_symlinks if_not_owner;" || exit 1

# --- send every request to both, compare
for n in $LIST; do
	k4=$(khttpd_counter status_4xx)
	timeout 10 nc 127.0.0.1 $KHTTPD_PORT <$R/"$n" >$R/"$n".k 2>/dev/null
	timeout 10 nc 127.0.0.1 $NGINX_PORT <$R/"$n" >$R/"$n".n 2>/dev/null
	IFS='|' read -r ks khl kcl kct kcr klm kloc <<EOT
$(summary $R/"$n".k)
EOT
	IFS='|' read -r ns nhl ncl nct ncr nlm nloc <<EOT
$(summary $R/"$n".n)
EOT
	[ "$ks" = none ] && diag "$n: nothing from khttpd; its status_4xx went from $k4 to $(khttpd_counter status_4xx)"
	expected_of "$n"
	if [ -n "$want" ]; then
		# shellcheck disable=SC2086
		set -- $want
		if one_of "$ks" "$1"; then
			ok "$n: khttpd $ks where nginx differs"
		else
			fail "$n: khttpd $1 where nginx differs" "got '$ks'"
			head_diag $R/"$n"
		fi
		check_eq "$n: nginx $2 where khttpd differs" "$ns" "$2" || head_diag $R/"$n"
		continue
	fi
	if ! check_eq "$n: the same status as nginx ($ns)" "$ks" "$ns"; then
		head_diag $R/"$n"
		continue
	fi
	case $ks in
	2??)
		h=""
		for f in Content-Length Content-Type Content-Range Last-Modified; do
			case $f in
			Content-Length) a=$kcl b=$ncl ;;
			Content-Type) a=$kct b=$nct ;;
			Content-Range) a=$kcr b=$ncr ;;
			Last-Modified) a=$klm b=$nlm ;;
			esac
			header_of "$n" $f
			if [ -n "$hwant" ]; then
				check_eq "$n: $f, khttpd's and nginx's where they differ" "$a $b" "$hwant"
			elif [ "$a" != "$b" ]; then
				h="$h $f: '$a' vs nginx '$b';"
			fi
		done
		check_eq "$n: the same Content-Length, -Type, -Range, Last-Modified" "$h" ""
		tail -c +$((khl + 1)) $R/"$n".k >$R/"$n".kb
		tail -c +$((nhl + 1)) $R/"$n".n >$R/"$n".nb
		case $(head -c 5 $R/"$n") in
		"HEAD ")
			check_eq "$n: HEAD, no body from either" \
				"$(wc -c <$R/"$n".kb) $(wc -c <$R/"$n".nb)" "0 0"
			;;
		*)
			check "$n: the same body ($(wc -c <$R/"$n".nb) bytes)" cmp $R/"$n".kb $R/"$n".nb
			;;
		esac
		;;
	3??)
		# nginx's Location is an absolute URL, khttpd's a path: the
		# paths are compared, and both in full where EXPECTED_HEADERS
		# says so
		header_of "$n" Location
		if [ -n "$hwant" ]; then
			check_eq "$n: Location, khttpd's and nginx's" "$kloc $nloc" "$hwant"
		else
			case $nloc in
			*://*) np=${nloc#*://} && np=/${np#*/} ;;
			*) np=$nloc ;;
			esac
			check_eq "$n: Location, the same path" "$kloc" "$np"
		fi
		;;
	esac
done

# every entry of the tables is a request sent (none left stale)
for n in $(printf '%s\n' "$EXPECTED" "$EXPECTED_HEADERS" | awk 'NF && $1 !~ /^#/ { print $1 }'); do
	case " $LIST " in
	*" $n "*) ;;
	*) fail "the tables' $n is a request of the list" ;;
	esac
done

# --- the benchmark's client against both
for p in $KHTTPD_PORT $NGINX_PORT; do
	out=$(wrk -t 1 -c 4 -d 1s http://127.0.0.1:$p/a.txt 2>&1)
	reqs=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
	bad=$(printf '%s\n' "$out" | grep -E 'Non-2xx|Socket errors')
	check_eq "wrk against port $p: requests done (${reqs:-none}), none failed or non-2xx" \
		"$([ "${reqs:-0}" -gt 0 ] && echo yes)$bad" yes
	diag "$out"
done

[ "$(failures)" -eq 0 ] || nginx_log
check "stop nginx" nginx_stop
check "unload khttpd" khttpd_unload
