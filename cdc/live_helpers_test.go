package cdc

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/warren-db/warren/engine"
)

// liveRun is a live query running in the background.
type liveRun struct {
	t      *testing.T
	events chan *LiveEvent
	done   chan error
	cancel context.CancelFunc
}

// startLive plans and runs sql with params on e's main database.
func startLive(t *testing.T, e *engine.Engine, o LiveOptions, sql string, params ...engine.Value) *liveRun {
	t.Helper()
	q, err := NewFeed(e, Options{}).Live("main", engine.Statement{SQL: sql, Params: engine.Params{Positional: params}}, o)
	if err != nil {
		t.Fatalf("plan %q: %v", sql, err)
	}
	return runLive(t, q)
}

func runLive(t *testing.T, q *LiveQuery) *liveRun {
	ctx, cancel := context.WithCancel(t.Context())
	r := &liveRun{t: t, events: make(chan *LiveEvent, 1000), done: make(chan error, 1), cancel: cancel}
	go func() {
		r.done <- q.Run(ctx, func(ev *LiveEvent) error { r.events <- ev; return nil })
	}()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

// next returns the next event, described.
func (r *liveRun) next() *LiveEvent {
	r.t.Helper()
	select {
	case ev := <-r.events:
		return ev
	case err := <-r.done:
		r.done <- err // for the cleanup
		r.t.Fatalf("live query ended: %v", err)
	case <-time.After(10 * time.Second):
		r.t.Fatal("no live event within 10s")
	}
	return nil
}

// expect checks that the next events are want, as liveString renders them.
func (r *liveRun) expect(want ...string) []*LiveEvent {
	r.t.Helper()
	var got []*LiveEvent
	for _, w := range want {
		ev := r.next()
		got = append(got, ev)
		if s := liveString(ev); s != w {
			r.t.Fatalf("event %d:\n got %s\nwant %s", len(got), s, w)
		}
	}
	return got
}

// end waits for the query to stop and returns its error.
func (r *liveRun) end() error {
	r.t.Helper()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case ev := <-r.events:
		r.t.Fatalf("event %s where the query should end", liveString(ev))
	case <-time.After(10 * time.Second):
		r.t.Fatal("the live query did not end within 10s")
	}
	return nil
}

// liveString renders an event compactly: kind, then its parts.
func liveString(ev *LiveEvent) string {
	switch ev.Kind {
	case LiveColumns:
		var cols []string
		for _, c := range ev.Columns {
			cols = append(cols, c.Name+":"+c.DeclType)
		}
		return fmt.Sprintf("columns %s key=%v %s", strings.Join(cols, ","), ev.KeyColumns, ev.Mode)
	case LiveRows:
		return fmt.Sprintf("rows %s keys=%s", values(ev.Rows), values(ev.Keys))
	case LiveReady:
		return "ready"
	}
	s := string(ev.Kind)
	if ev.Key != nil {
		s += " " + values([][]engine.Value{ev.Key})
	}
	if ev.Old != nil {
		s += " old=" + values([][]engine.Value{ev.Old})
	}
	if ev.New != nil {
		s += " new=" + values([][]engine.Value{ev.New})
	}
	return s
}

// values renders rows as [a b] [c d], strings quoted, blobs as x'..'.
func values(rows [][]engine.Value) string {
	var parts []string
	for _, r := range rows {
		var vs []string
		for _, v := range r {
			switch x := v.(type) {
			case string:
				vs = append(vs, "'"+x+"'")
			case []byte:
				vs = append(vs, fmt.Sprintf("x'%x'", x))
			case nil:
				vs = append(vs, "null")
			default:
				vs = append(vs, fmt.Sprint(x))
			}
		}
		parts = append(parts, "["+strings.Join(vs, " ")+"]")
	}
	return strings.Join(parts, " ")
}

// head returns the position of the newest change set.
func head(t *testing.T, e *engine.Engine) int64 {
	t.Helper()
	pos, err := e.LogHead("main")
	if err != nil {
		t.Fatal(err)
	}
	return pos
}
