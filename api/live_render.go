package api

// renderLive renders the data of a live event as JSON; values as the query
// endpoint renders them (appendValue).
//
//	columns  {"columns": [...], "types": [...], "key": [...] | null, "mode": "incremental" | "rerun"}
//	rows     {"rows": [[...]], "keys": [[...]]}         (keys only in incremental mode)
//	ready    {"pos": "..."}
//	insert   {"key": [...], "row": [...]}              (key only in incremental mode)
//	update   {"key": [...], "old": [...], "new": [...]}
//	delete   {"key": [...], "row": [...]}              (the row as it was)
func renderLive(ev *LiveEvent, int64AsString bool) []byte {
	b := make([]byte, 0, 128)
	switch ev.Kind {
	case "columns":
		return appendLiveColumns(b, ev)
	case "rows":
		b = append(b, `{"rows":`...)
		b = appendValueRows(b, ev.Rows, int64AsString)
		if ev.Keys != nil {
			b = append(b, `,"keys":`...)
			b = appendValueRows(b, ev.Keys, int64AsString)
		}
		return append(b, '}')
	case "ready":
		b = append(b, `{"pos":`...)
		b = appendString(b, ev.ID)
		return append(b, '}')
	}
	b = append(b, '{')
	if ev.Key != nil {
		b = appendValueRow(append(b, `"key":`...), ev.Key, int64AsString)
		b = append(b, ',')
	}
	switch ev.Kind {
	case "update":
		b = appendValueRow(append(b, `"old":`...), ev.Old, int64AsString)
		b = appendValueRow(append(b, `,"new":`...), ev.New, int64AsString)
	case "delete":
		b = appendValueRow(append(b, `"row":`...), ev.Old, int64AsString)
	default:
		b = appendValueRow(append(b, `"row":`...), ev.New, int64AsString)
	}
	return append(b, '}')
}

// appendLiveColumns renders the columns event.
func appendLiveColumns(b []byte, ev *LiveEvent) []byte {
	b = appendColumnsFields(append(b, '{'), ev.Columns)
	b = append(b, `,"key":`...)
	if ev.KeyColumns == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, k := range ev.KeyColumns {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
		}
		b = append(b, ']')
	}
	b = append(b, `,"mode":`...)
	b = appendString(b, ev.Mode)
	return append(b, '}')
}
