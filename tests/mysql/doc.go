// Package mysql holds end-to-end tests of Warren's MySQL door with real
// clients: the mysql command-line client (Debian's mariadb-client) and PHP's
// mysqli and PDO (php-cli, php-mysql), against a real server process.
//
// The server process is mysqlnode, a small main serving mysqlwire on one
// engine, until cmd/warren starts the MySQL listener itself; then the tests
// switch to the warren binary (see node_test.go).
package mysql
