package mysqlwire

import (
	"fmt"
	"sort"
	"strings"
)

// privilege is a set of MySQL privileges on one database.
type privilege uint32

// The privileges Warren checks or keeps for SHOW GRANTS.
const (
	privSelect privilege = 1 << iota
	privInsert
	privUpdate
	privDelete
	privCreate
	privDrop
	privAlter
	privIndex
	privReferences
	privCreateView
	privShowView
	privTrigger
	privLockTables
	privCreateTemporaryTables
	privExecute
	privEvent
	privCreateRoutine
	privAlterRoutine
	privGrantOption

	privNone  privilege = 0
	privAll             = privGrantOption - 1 // ALL PRIVILEGES: everything but GRANT OPTION
	privRead            = privSelect
	privWrite           = privSelect | privInsert | privUpdate | privDelete
	privDML             = privInsert | privUpdate | privDelete
	privDDL             = privCreate | privDrop | privAlter | privIndex
)

// privilegeNames are the names GRANT accepts, as SHOW GRANTS prints them.
var privilegeNames = map[privilege]string{
	privSelect: "SELECT", privInsert: "INSERT", privUpdate: "UPDATE", privDelete: "DELETE",
	privCreate: "CREATE", privDrop: "DROP", privAlter: "ALTER", privIndex: "INDEX",
	privReferences: "REFERENCES", privCreateView: "CREATE VIEW", privShowView: "SHOW VIEW",
	privTrigger: "TRIGGER", privLockTables: "LOCK TABLES",
	privCreateTemporaryTables: "CREATE TEMPORARY TABLES", privExecute: "EXECUTE", privEvent: "EVENT",
	privCreateRoutine: "CREATE ROUTINE", privAlterRoutine: "ALTER ROUTINE", privGrantOption: "GRANT OPTION",
}

// privilegeByName maps an upper-case privilege name to its bit.
var privilegeByName = func() map[string]privilege {
	m := map[string]privilege{"ALL": privAll, "ALL PRIVILEGES": privAll, "USAGE": privNone,
		"READ": privRead, "WRITE": privWrite}
	for p, name := range privilegeNames {
		m[name] = p
	}
	return m
}()

// parsePrivilege returns the privilege named name (any case, spaces collapsed).
func parsePrivilege(name string) (privilege, error) {
	key := strings.ToUpper(strings.Join(strings.Fields(name), " "))
	p, ok := privilegeByName[key]
	if !ok {
		return 0, fmt.Errorf("unknown privilege %q", name)
	}
	return p, nil
}

// parsePrivilegeList parses a comma-separated privilege list.
func parsePrivilegeList(list string) (privilege, error) {
	var set privilege
	for _, name := range strings.Split(list, ",") {
		p, err := parsePrivilege(name)
		if err != nil {
			return 0, err
		}
		set |= p
	}
	return set, nil
}

// names lists the privileges in p as SHOW GRANTS prints them.
func (p privilege) names() []string {
	if p&privAll == privAll {
		out := []string{"ALL PRIVILEGES"}
		if p&privGrantOption != 0 {
			out = append(out, "GRANT OPTION")
		}
		return out
	}
	var out []string
	for bit, name := range privilegeNames {
		if p&bit != 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return []string{"USAGE"}
	}
	return out
}

// has reports whether p holds every privilege in need.
func (p privilege) has(need privilege) bool { return p&need == need }
