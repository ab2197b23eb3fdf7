// Package mysqlwire is Warren's MySQL front door: a MySQL protocol server on
// the shared engine, so that WordPress, the mysql command-line client and MySQL
// drivers work unmodified against any node.
//
// The connection phase (handshake, TLS, mysql_native_password and
// caching_sha2_password) is go-mysql's server package, checking passwords
// against stored hashes through this package's authentication provider. The
// command phase is this package's own loop (dispatch.go): every command
// funnels into one query path (query.go) that translates MySQL to SQLite
// (translate*.go), runs the result on the engine, and maps engine errors to
// MySQL error numbers in one function (errors.go).
//
// Files by protocol phase: server.go (listener, connection cap), handshake.go
// and auth*.go (connection phase), dispatch.go (commands), query.go, tx.go and
// stmt*.go (statements), resp*.go, columns.go and values.go (responses),
// accounts*.go and privileges.go (users and grants).
package mysqlwire
