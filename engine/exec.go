package engine

import (
	"context"
)

// exec submits statements to the writer and waits for the outcome.
func (db *DB) exec(ctx context.Context, sts []Statement, o ExecOptions) (*ExecResponse, error) {
	if len(sts) == 0 {
		return nil, Errorf(CodeInvalid, "no statements")
	}
	timeout := db.cfg.QueryTimeout
	if o.Timeout > 0 && o.Timeout < timeout {
		timeout = o.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := db.awaitBookmark(ctx, o.Bookmark, timeout); err != nil {
		return nil, err
	}
	r := &writeReq{units: [][]Statement{sts}, level: db.cfg.level(o.Consistency)}
	if o.NonAtomic {
		r.units = make([][]Statement, len(sts))
		for i, st := range sts {
			r.units[i] = []Statement{st}
		}
	}
	if err := db.writer.submit(ctx, r); err != nil {
		return nil, err
	}
	db.awaitPeers(ctx, r.applied)
	resp := &ExecResponse{Bookmark: db.bookmark(r)}
	if !o.NonAtomic || len(r.results) == 0 {
		if r.errs[0] != nil {
			return nil, r.errs[0]
		}
		resp.Results = r.results[0]
		return resp, nil
	}
	resp.Results = make([]Result, len(sts))
	resp.Errors = make([]error, len(sts))
	for i := range sts {
		if r.errs[i] != nil {
			resp.Errors[i] = r.errs[i]
		} else {
			resp.Results[i] = r.results[i][0]
		}
	}
	return resp, nil
}

// bookmark returns the bookmark of a request: its last change set, or this
// node's position when it changed nothing.
func (db *DB) bookmark(r *writeReq) Bookmark {
	if n := len(r.sets); n > 0 {
		last := r.sets[n-1]
		return Vector{last.Origin: last.Seq}.Bookmark()
	}
	return Vector{db.node: db.vector()[db.node]}.Bookmark()
}
