// Package cdc turns the engine's change feed into Debezium-style change
// events and delivers them: to SSE clients through the api package (wired by
// cmd), to NATS JetStream and to Kafka.
//
// Every row change of every change set a node holds is one event, whoever
// made it: this node, a peer (replication), or another process writing the
// SQLite file. An event's position is the node-local log position of its
// change set plus its index in the set; its identity (origin, sequence,
// index) is the same on every node, which is what sinks deduplicate on.
package cdc
