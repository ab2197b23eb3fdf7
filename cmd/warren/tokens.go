package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/warren-db/warren/api"
)

// decodeTokens converts the [[tokens]] array of a config file.
func decodeTokens(v any) ([]TokenConfig, error) {
	return decodeTables("tokens", v, decodeToken)
}

func decodeToken(m map[string]any) (TokenConfig, error) {
	var tok TokenConfig
	for k, v := range m {
		switch k {
		case "name", "token":
			s, err := tomlString(v, "a string")
			if err != nil {
				return tok, fmt.Errorf("%s: %w", k, err)
			}
			if k == "name" {
				tok.Name = s
			} else {
				tok.Token = Secret(s)
			}
		case "rights":
			rights, err := decodeRights(v)
			if err != nil {
				return tok, err
			}
			tok.Rights = rights
		default:
			return tok, fmt.Errorf("unknown key %q: use name, token and [tokens.rights]", k)
		}
	}
	return tok, nil
}

func decodeRights(v any) (map[string]string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf(`rights: want a table like { main = "write", "*" = "read" }, got %T`, v)
	}
	rights := make(map[string]string, len(m))
	for db, r := range m {
		s, err := tomlString(r, `"read", "write" or "admin"`)
		if err != nil {
			return nil, fmt.Errorf("rights.%s: %w", db, err)
		}
		rights[db] = strings.TrimSpace(s)
	}
	return rights, nil
}

// checkTokens returns a problem for every token that is unusable.
func checkTokens(tokens []TokenConfig) []string {
	var problems []string
	names := map[string]bool{}
	secrets := map[Secret]string{}
	for i, t := range tokens {
		label := fmt.Sprintf("tokens[%d]", i)
		if t.Name == "" {
			problems = append(problems, label+` has no name: add name = "..."`)
		} else {
			label = fmt.Sprintf("token %q", t.Name)
			if names[t.Name] {
				problems = append(problems, label+" is defined twice: give each token its own name")
			}
			names[t.Name] = true
		}
		if t.Token == "" {
			problems = append(problems, label+` has an empty token: set token = "..." (for example token = "${CI_TOKEN}")`)
		} else if other, dup := secrets[t.Token]; dup {
			problems = append(problems, fmt.Sprintf("%s has the same token as %s: give each token its own value", label, other))
		} else {
			secrets[t.Token] = label
		}
		problems = append(problems, checkRights(label, t.Rights)...)
	}
	return problems
}

func checkRights(label string, rights map[string]string) []string {
	if len(rights) == 0 {
		return []string{label + ` has no rights: add [tokens.rights] with lines like main = "write" or "*" = "read"`}
	}
	var problems []string
	for _, db := range sortedKeys(rights) {
		if db != "*" && databaseName("database", db) != nil {
			problems = append(problems, fmt.Sprintf(`%s has rights on %q, which is not a database name: use a database name or "*"`, label, db))
		}
		var r api.Right
		if err := r.UnmarshalText([]byte(rights[db])); err != nil {
			problems = append(problems, fmt.Sprintf("%s: right %q on %q is not one of read, write, admin",
				label, rights[db], db))
		}
	}
	return problems
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
