// Command warren runs a Warren node: a leaderless, replicated SQLite database.
//
// Usage:
//
//	warren [serve] [flags]   start a node (the default command)
//	warren version           print the version
//	warren bench [args]      run warren-bench (the load generator), if installed
//	warren help              describe every setting
//
// Settings come from, in increasing precedence: built-in defaults, a TOML
// file named by --config (or WARREN_CONFIG), WARREN_* environment variables,
// and flags. Every setting has all four forms; see settings_table.go for the table
// they are generated from and `warren --help` for the rendered list.
package main
