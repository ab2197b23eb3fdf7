package cdc

import "context"

// Message is one change event ready for a sink: the rendered envelope and
// key, where it goes, and its identity for deduplication.
type Message struct {
	// ID is the change identity (Event.ID): the same on every node and for
	// every delivery, so a sink can have its broker drop a repeated one.
	ID string
	// DB and Table name where the change happened; a sink derives its
	// subject or topic from them.
	DB, Table string
	// Key is the rendered key (Options.MarshalKey), for partitioned sinks.
	Key []byte
	// Value is the rendered Debezium envelope (Options.Marshal).
	Value []byte
	// Pos is the event's position in this node's feed.
	Pos Position
}

// Sink delivers change events to a broker. A Publisher calls Publish from
// one goroutine per database, so implementations must be safe for
// concurrent use; messages of one database come from one goroutine, in
// feed order.
type Sink interface {
	// Publish delivers batch in order and returns how many messages, from
	// the first, the broker durably acknowledged: the publisher moves its
	// cursor past exactly those. A message is delivered at least once, so
	// Publish must be idempotent per Message.ID (the broker deduplicates).
	// A short count comes with an error; the publisher retries the rest
	// with backoff, forever. Publish must return when ctx ends.
	Publish(ctx context.Context, batch []Message) (int, error)
	// Close releases the sink's connection. Publish is not called after it.
	Close() error
}

// Connectivity is implemented by sinks that know whether they are connected to
// their broker; the publisher reports it in its stats. Connected must be
// safe for concurrent use and must not block.
type Connectivity interface {
	Connected() bool
}
