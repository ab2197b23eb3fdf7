#!/usr/bin/env bash
# Runs every test. Installs the command-line tools the end-to-end tests drive
# (Debian packages) when they are missing, then runs go test with the race
# detector. Extra arguments go to go test (for example -run or -count=1).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

need=()
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v mysql >/dev/null || need+=(mariadb-client)
command -v php >/dev/null && php -m | grep -qi '^mysqli$' || need+=(php-cli php-mysql)
[[ -f /usr/share/wordpress/wp-load.php ]] || need+=(wordpress)
if ((${#need[@]})); then
	sudo=""
	[[ $(id -u) -eq 0 ]] || sudo="sudo"
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq "${need[@]}"
fi

go test -race "$@" ./...
