#!/bin/sh
# khttpd serves a tree over HTTP/1.0 and 1.1: GET and HEAD, the headers a
# file's response carries, directories (index.html, 403 without one, 301
# without the slash), keep-alive and pipelining answered in order, bodies
# of GETs discarded, If-Modified-Since, single byte ranges, and a large
# file byte for byte. Every refusal the docs promise: traversal (also
# percent-encoded), symlinks out of the root, files not everyone may read,
# devices and FIFOs, oversize request lines and heads, malformed requests,
# other methods, HTTP/2's preface and HTTP/0.9, an oversize body.
. /tests/lib.sh
. /tests/khttpd-lib.sh
require_module khttpd

make_www
mem_baseline
check "load khttpd serving $WWW" khttpd_load

# --- files
r=$(get /a.txt)
check_eq "GET /a.txt: 200" "$(status_of "$r")" 200
check_eq "GET /a.txt: the file" "$(body "$r")" "hello from a.txt"
check_eq "GET /a.txt: Content-Length" "$(header "$r" Content-Length)" 17
check_eq "GET /a.txt: Content-Type" "$(header "$r" Content-Type)" "text/plain"
check "GET /a.txt: Date and Last-Modified are HTTP dates" \
	sh -c "printf '%s\n' '$(header "$r" Date)' '$(header "$r" Last-Modified)' |
		grep -cE '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' | grep -qx 2"
check_eq "HTTP/1.0: Connection: close" "$(header "$r" Connection)" close
r=$(http "HEAD /a.txt HTTP/1.0\r\n\r\n")
check_eq "HEAD /a.txt: 200" "$(status_of "$r")" 200
check_eq "HEAD /a.txt: Content-Length of the file" "$(header "$r" Content-Length)" 17
check_eq "HEAD /a.txt: no body" "$(body "$r")" ""
check_eq "GET / serves index.html" "$(body "$(get /)")" "<html>index</html>"
check_eq "... as text/html" "$(header "$(get /)" Content-Type)" text/html
check_eq "absolute-form (RFC 9112 3.2.2)" \
	"$(body "$(http "GET http://x:8080/a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")")" \
	"hello from a.txt"
check_eq "GET /sub/b.css: text/css" "$(header "$(get /sub/b.css)" Content-Type)" text/css
check_eq "a percent-encoded name" "$(body "$(get /sub/with%20space.txt)")" spaced
check_eq "a query is not part of the path" "$(body "$(get '/a.txt?x=1')")" "hello from a.txt"
check_eq "a symlink inside the root is followed" "$(body "$(get /good-link)")" "hello from a.txt"

http_raw "GET /big.txt HTTP/1.0\r\n\r\n" /tmp/big.out
size=$(wc -c <$WWW/big.txt)
check "a $size-byte file arrives byte for byte" \
	sh -c "tail -c $size /tmp/big.out | cmp - $WWW/big.txt"
check "file bytes went out from the page cache" \
	test "$(khttpd_counter file_bytes)" -ge "$size"
# The guest's files are on tmpfs (shmem_read_mapping_page()); a ramfs
# mounted inside the root takes read_mapping_page(), the path of a disk
# file system's page cache.
mkdir -p $WWW/ramfs
if check "mount a ramfs inside the root" mount -t ramfs ramfs $WWW/ramfs; then
	cp $WWW/big.txt $WWW/ramfs/big.txt
	chmod 0755 $WWW/ramfs
	chmod 0644 $WWW/ramfs/big.txt
	before=$(khttpd_counter file_bytes)
	http_raw "GET /ramfs/big.txt HTTP/1.0\r\n\r\n" /tmp/big-ramfs.out
	check "... its $size-byte file arrives byte for byte (read_mapping_page)" \
		sh -c "tail -c $size /tmp/big-ramfs.out | cmp - $WWW/big.txt"
	check "... from the page cache" test "$(khttpd_counter file_bytes)" -ge $((before + size))
	check "unmount the ramfs" umount $WWW/ramfs
fi
rmdir $WWW/ramfs

# --- directories
check_eq "/dir2/: its index.html" "$(body "$(get /dir2/)")" "in dir2"
r=$(get /dir2)
check_eq "/dir2 without its slash: 301" "$(status_of "$r")" 301
check_eq "/dir2: Location /dir2/" "$(header "$r" Location)" /dir2/
check_eq "/dir/ without index.html: 403" "$(status_of "$(get /dir/)")" 403
check_eq "a file asked for as a directory: 404" "$(status_of "$(get /a.txt/)")" 404

# --- what is never served
check_eq "missing file: 404" "$(status_of "$(get /nope)")" 404
check_eq "not world-readable: 403" "$(status_of "$(get /secret.txt)")" 403
check_eq "a FIFO: 404, without blocking" "$(status_of "$(get /fifo)")" 404
check_eq "a device: 404" "$(status_of "$(get /null)")" 404
for p in /../etc/passwd /a/../../etc/passwd /%2e%2e/etc/passwd \
	/%2E%2E%2Fetc%2Fpasswd /dir/%2e%2e/%2e%2e/etc/passwd; do
	check_eq "traversal $p: 400" "$(status_of "$(get "$p")")" 400
done
r=$(get /abs-link)
check_eq "an absolute symlink out of the root: 404" "$(status_of "$r")" 404
check "... and nothing of /etc/passwd in it" sh -c "! printf '%s' '$r' | grep -q root:"
check_eq "a relative symlink out of the root: 404" "$(status_of "$(get /rel-link)")" 404
check_eq "%00 in the path: 400" "$(status_of "$(get /a.txt%00.html)")" 400

# --- malformed and refused requests (each closes the connection)
long=$(head -c 4200 /dev/zero | tr '\0' a)
check_eq "request line over 4 KiB: 414" \
	"$(status_of "$(http "GET /$long HTTP/1.1\r\nHost: x\r\n\r\n")")" 414
huge_head=$(i=0; while [ $i -lt 450 ]; do printf 'X-Filler-%d: %s\\r\\n' $i "$(head -c 80 /dev/zero | tr '\0' c)"; i=$((i + 1)); done)
i=0
answered=0
while [ $i -lt 4 ]; do
	i=$((i + 1))
	[ "$(status_of "$(http "GET / HTTP/1.1\r\nHost: x\r\n$huge_head\r\n")")" = 431 ] &&
		answered=$((answered + 1))
done
check_eq "a 40 KB head, still being sent when refused: 431 arrives every time (lingering close)" \
	$answered 4
big_head=$(i=0; while [ $i -lt 100 ]; do printf 'X-Filler-%d: %s\\r\\n' $i "$(head -c 80 /dev/zero | tr '\0' b)"; i=$((i + 1)); done)
check_eq "head over 8 KiB: 431" \
	"$(status_of "$(http "GET / HTTP/1.1\r\nHost: x\r\n$big_head\r\n")")" 431
check_eq "garbage: 400" "$(status_of "$(http "BLAH\r\n\r\n")")" 400
check_eq "a space in the method: 400" "$(status_of "$(http "G ET / HTTP/1.1\r\nHost: x\r\n\r\n")")" 400
check_eq "HTTP/1.1 without Host: 400" "$(status_of "$(http "GET / HTTP/1.1\r\n\r\n")")" 400
check_eq "HTTP/0.9: 400" "$(status_of "$(http "GET /\r\n")")" 400
check_eq "HTTP/2 preface: 505" "$(status_of "$(http "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")")" 505
r=$(http "DELETE /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check_eq "DELETE: 405" "$(status_of "$r")" 405
check_eq "405 says Allow: GET, HEAD" "$(header "$r" Allow)" "GET, HEAD"
check_eq "Transfer-Encoding: 501" \
	"$(status_of "$(http "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")")" 501
check_eq "a 100 KB body on a GET: 413" \
	"$(status_of "$(http "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")")" 413

# --- keep-alive, pipelining, bodies
r=$(http "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /dir2/ HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check_eq "4 pipelined requests answered in order" "$(statuses "$r")" "200 200 404 200"
check "... with their bodies in order" \
	sh -c "printf '%s\n' '$r' | grep -E '^(hello from a.txt|in dir2)$' | tr '\n' ' ' | grep -qx 'hello from a.txt in dir2 '"
r=$(http "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /dir2/ HTTP/1.0\r\n\r\n")
check_eq "HTTP/1.0 keep-alive on request" "$(statuses "$r")" "200 200"
r=$(http "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /dir2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
check_eq "a GET's body is discarded, the next request answered" "$(statuses "$r")" "200 200"
r=$(http "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nBLAH\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
check_eq "requests before a bad one are answered, then 400 and close" "$(statuses "$r")" "200 400"

# --- conditional and range requests
lm=$(header "$(get /a.txt)" Last-Modified)
check_eq "If-Modified-Since its Last-Modified: 304" \
	"$(status_of "$(http "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: $lm\r\n\r\n")")" 304
check_eq "If-Modified-Since long ago: 200" \
	"$(status_of "$(http "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")")" 200
r=$(http "GET /a.txt HTTP/1.0\r\nRange: bytes=6-9\r\n\r\n")
check_eq "Range bytes=6-9: 206" "$(status_of "$r")" 206
check_eq "... those 4 bytes" "$(body "$r")" from
check_eq "... Content-Range" "$(header "$r" Content-Range)" "bytes 6-9/17"
check_eq "Range past the end: 416" \
	"$(status_of "$(http "GET /a.txt HTTP/1.0\r\nRange: bytes=100-\r\n\r\n")")" 416

# --- counters, unload, memory
khttpd_counters
check "requests counted by class" \
	test "$(khttpd_counter status_2xx)" -gt 10 -a "$(khttpd_counter status_4xx)" -gt 10
check_eq "5xx: only the 501 and the 505 asked for above" "$(khttpd_counter status_5xx)" 2
check "unload" khttpd_unload
check "no khttpd slab cache left" sh -c "! grep -q '^khttpd_' /proc/slabinfo"
check_mem_baseline
