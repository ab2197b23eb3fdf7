package main

import "fmt"

// decodeTables converts a TOML array of tables ([[key]] entries) with one
// as decoder of each entry; errors name the entry ("key[i]: ...").
func decodeTables[T any](key string, v any, one func(map[string]any) (T, error)) ([]T, error) {
	var tables []map[string]any
	switch t := v.(type) {
	case []map[string]any:
		tables = t
	case []any:
		for _, item := range t {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s: want [[%s]] tables, got %T", key, key, item)
			}
			tables = append(tables, m)
		}
	default:
		return nil, fmt.Errorf("%s: want [[%s]] tables, got %T", key, key, v)
	}
	out := make([]T, 0, len(tables))
	for i, m := range tables {
		x, err := one(m)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", key, i, err)
		}
		out = append(out, x)
	}
	return out, nil
}
