#!/usr/bin/env bash
# Compares Warren's MySQL door with MariaDB under sysbench, in one run on this
# machine (ratios, not absolute numbers, are what to report). Needs Debian's
# sysbench and mariadb-server (installed when missing) and Go. Everything
# listens on loopback ports and lives in a temporary directory.
#   scripts/bench-sysbench.sh [seconds per run, default 10] [threads, default 4]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
threads=${2:-4}
export DEBIAN_FRONTEND=noninteractive
command -v sysbench >/dev/null && command -v mariadbd >/dev/null || {
	apt-get update -qq && apt-get install -y -qq sysbench mariadb-server >/dev/null
}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$work"' EXIT
go build -o "$work/warren" ./cmd/warren
mariadb-install-db --no-defaults --datadir="$work/mdb" --user="$(id -un)" --auth-root-authentication-method=normal >/dev/null
mariadbd --no-defaults --datadir="$work/mdb" --user="$(id -un)" --port=13400 --bind-address=127.0.0.1 --socket="$work/mdb.sock" >"$work/mdb.log" 2>&1 &
WARREN_CLUSTER_SECRET= "$work/warren" --data-dir "$work/warren-data" --http-addr 127.0.0.1:0 --mysql-addr 127.0.0.1:13397 \
	--gossip-addr 127.0.0.1:0 --quic-addr 127.0.0.1:0 >"$work/warren.log" 2>&1 &
for port in 13400 13397; do
	for _ in $(seq 50); do mysql -h 127.0.0.1 -P "$port" -u root -e "SELECT 1" >/dev/null 2>&1 && break; sleep 0.2; done
	mysql -h 127.0.0.1 -P "$port" -u root -e "CREATE DATABASE IF NOT EXISTS sbtest"
done
# Warren mints ids from node slots (1, 33, 65, ...): sysbench must send its own ids.
sb="--db-driver=mysql --mysql-host=127.0.0.1 --mysql-user=root --mysql-db=sbtest --tables=1 --table-size=10000 --auto-inc=off --threads=$threads"
for port in 13400 13397; do sysbench oltp_point_select $sb --mysql-port=$port prepare >/dev/null; done
for test in oltp_point_select oltp_read_only; do
	for port in 13400 13397; do
		name=MariaDB; [[ $port == 13397 ]] && name=Warren
		qps=$(sysbench "$test" $sb --mysql-port=$port --time="$secs" --report-interval=0 run | awk '/queries:/ {gsub(/\(/,"",$3); print $3}')
		echo "$test $name ${qps} queries/s"
	done
done
