#!/usr/bin/env bash
# Run Debian's Virtuoso Open Source on loopback for tests, with its own ini and data folder.
#
#   scripts/virtuoso.sh install          install virtuoso-opensource (apt, as root) if missing
#   scripts/virtuoso.sh start DIR        start a fresh server with data in DIR; prints
#                                        "http://127.0.0.1:PORT" once /sparql answers
#   scripts/virtuoso.sh stop DIR         stop the server started in DIR
#
# The server listens on 127.0.0.1 only, on free ports; the dba password is "dba" (a new
# database's default). Its SPARQL endpoint is /sparql, the authenticated Update endpoint
# /sparql-auth and the Graph Store Protocol endpoint /sparql-graph-crud-auth (HTTP Digest
# as dba). Set VIRTUOSO_BIN to use another virtuoso-t.
set -euo pipefail

VIRTUOSO_BIN=${VIRTUOSO_BIN:-$(command -v virtuoso-t || echo /usr/bin/virtuoso-t)}

install() {
    if [ -x "$VIRTUOSO_BIN" ]; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "virtuoso-t is missing and installing it needs root" >&2
        return 1
    fi
    # The package asks for a dba password; the servers started here use their own
    # database, so an empty answer is fine and no question is shown.
    echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" | debconf-set-selections
    echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | debconf-set-selections
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q virtuoso-opensource >/dev/null 2>&1 || {
        apt-get update -q >/dev/null && apt-get install -y -q virtuoso-opensource >/dev/null
    }
    [ -x "$(command -v virtuoso-t || echo /usr/bin/virtuoso-t)" ]
}

# Buffers sized to the machine as Virtuoso's documentation advises (the sample virtuoso.ini:
# about 2/3 of the free memory in 8 KB page buffers, MaxDirtyBuffers 3/4 of them; e.g. 2 GB
# free -> 170000 / 130000). VIRTUOSO_BUFFERS overrides the count.
buffers() {
    if [ -n "${VIRTUOSO_BUFFERS:-}" ]; then
        echo "$VIRTUOSO_BUFFERS"
        return
    fi
    local kb
    kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
    local n=$((kb * 2 / 3 / 8))
    [ "$n" -ge 10000 ] || n=10000
    echo "$n"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local dir=$1
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local sql_port http_port
    sql_port=$(free_port)
    http_port=$(free_port)
    while [ "$http_port" = "$sql_port" ]; do http_port=$(free_port); done
    local number_of_buffers max_dirty
    number_of_buffers=$(buffers)
    max_dirty=$((number_of_buffers * 3 / 4))
    cat >"$dir/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$sql_port
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
AllowOSCalls             = 0
DirsAllowed              = ., $dir
NumberOfBuffers          = $number_of_buffers
MaxDirtyBuffers          = $max_dirty
MaxQueryMem              = 256M
ThreadsPerQuery          = 2

[HTTPServer]
ServerPort                  = 127.0.0.1:$http_port
ServerRoot                  = $dir
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000

[SPARQL]
ResultSetMaxRows           = 100000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
EOF
    (
        cd "$dir"
        "$VIRTUOSO_BIN" +foreground +configfile "$dir/virtuoso.ini" >"$dir/stdout.log" 2>&1 &
        echo $! >"$dir/virtuoso.pid"
    )
    local url="http://127.0.0.1:$http_port"
    echo "$url" >"$dir/url"
    for _ in $(seq 1 240); do
        if python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/sparql?query=ASK%20%7B%20%7D", timeout=2).read()' \
            "$url" 2>/dev/null; then
            echo "$url"
            return 0
        fi
        if ! kill -0 "$(cat "$dir/virtuoso.pid")" 2>/dev/null; then
            echo "virtuoso exited; see $dir/virtuoso.log" >&2
            tail -20 "$dir/virtuoso.log" >&2 || true
            return 1
        fi
        sleep 0.5
    done
    echo "virtuoso did not answer on $url within 120 s" >&2
    stop "$dir"
    return 1
}

stop() {
    local dir=$1 pid
    [ -f "$dir/virtuoso.pid" ] || return 0
    pid=$(cat "$dir/virtuoso.pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/virtuoso.pid"
}

case "${1:-}" in
install) install ;;
start) install && start "${2:?usage: $0 start DIR}" ;;
stop) stop "${2:?usage: $0 stop DIR}" ;;
*)
    echo "usage: $0 install | start DIR | stop DIR" >&2
    exit 2
    ;;
esac
