package sqlparse

// Kind classifies what a statement does.
type Kind uint8

// The statement kinds. KindUnknown is the zero value and is never returned
// with a nil error.
const (
	KindUnknown Kind = iota
	KindRead         // SELECT, VALUES, WITH ... SELECT, any EXPLAIN
	KindWrite        // INSERT, REPLACE, UPDATE, DELETE, including WITH ... INSERT
	KindDDL          // CREATE/DROP/ALTER of tables, indexes, views, triggers; CREATE VIRTUAL TABLE
	KindTx           // BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE
	KindPragma       // PRAGMA
	KindOther        // ATTACH, DETACH, VACUUM, ANALYZE, REINDEX
)

var kindNames = [...]string{
	KindUnknown: "unknown",
	KindRead:    "read",
	KindWrite:   "write",
	KindDDL:     "ddl",
	KindTx:      "tx",
	KindPragma:  "pragma",
	KindOther:   "other",
}

// String returns the lower-case name of k, such as "read" or "ddl".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}
