package cdc

import (
	"context"

	"github.com/warren-db/warren/engine"
)

// ResumeAt parses a client's resume position (an SSE Last-Event-ID) for db
// and checks that the feed can go on from there: not past the log's head
// (positions are node-local, and a node restored from a snapshot starts a
// new sequence), not trimmed by GC (engine.ErrLogTrimmed).
func (f *Feed) ResumeAt(ctx context.Context, db, text string) (Position, error) {
	from, err := ParsePosition(text)
	if err != nil {
		return from, &engine.Error{Code: engine.CodeInvalid, Message: err.Error(), Err: err}
	}
	head, err := f.eng.LogHead(db)
	if err != nil {
		return from, err
	}
	if from.Pos == 0 {
		from = End(0) // no event sits at 0: "0-i" is before everything too
	}
	if from.Pos > head {
		return from, engine.Errorf(engine.CodeInvalid,
			"position %s is past the head of the change log (%d): positions are node-local, and a restored node starts a new sequence", text, head)
	}
	after := from.Pos - 1 // the set at from.Pos may still have events to give, so it must be there too
	if from == End(from.Pos) {
		after = from.Pos
	}
	if after < head {
		if _, err := f.eng.ChangesAfter(ctx, db, after, 1); err != nil {
			return from, err
		}
	}
	return from, nil
}

// Head returns the position after every event db holds now.
func (f *Feed) Head(db string) (Position, error) {
	head, err := f.eng.LogHead(db)
	return End(head), err
}

// SnapshotAndFollow sends the current rows (Snapshot), then every later
// event (Follow), without a gap or an overlap between them.
func (f *Feed) SnapshotAndFollow(ctx context.Context, db string, flt Filter, fn func(*Event) error) error {
	at, err := f.Snapshot(ctx, db, flt, fn)
	if err != nil {
		return err
	}
	return f.Follow(ctx, db, at, flt, fn)
}
