package main

import (
	"fmt"
	"path"
)

// decodeReplicate converts the [replicate.<db>] tables of a config file:
//
//	[replicate.main]
//	include = ["*"]
//	exclude = ["cache_*", "sessions"]
func decodeReplicate(v any) (map[string]ReplicateConfig, error) {
	tables, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("replicate: want [replicate.<database>] tables, got %T", v)
	}
	out := make(map[string]ReplicateConfig, len(tables))
	for db, t := range tables {
		m, ok := t.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("replicate.%s: want a table with include and exclude, got %T", db, t)
		}
		var rc ReplicateConfig
		for k, val := range m {
			list, err := globList(val)
			if err != nil {
				return nil, fmt.Errorf("replicate.%s.%s: %w", db, k, err)
			}
			switch k {
			case "include":
				rc.Include = list
			case "exclude":
				rc.Exclude = list
			default:
				return nil, fmt.Errorf("replicate.%s: unknown key %q: use include and exclude", db, k)
			}
		}
		out[db] = rc
	}
	return out, nil
}

// globList reads an array of table-name globs and checks their syntax.
func globList(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want an array of table-name patterns, got %T", v)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("want strings, got %T", it)
		}
		if _, err := path.Match(s, ""); err != nil {
			return nil, fmt.Errorf("pattern %q: %v", s, err)
		}
		out = append(out, s)
	}
	return out, nil
}
