package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/warren-db/warren/api"
	"github.com/warren-db/warren/cdc"
)

// nodeMetrics writes the node's metrics for GET /metrics.
type nodeMetrics struct{ m *Main }

var _ api.Metrics = nodeMetrics{}

// metrics returns what GET /metrics serves.
func (m *Main) metrics() api.Metrics { return nodeMetrics{m} }

// WriteMetrics writes the log heads, the staged sets and, when NATS or Kafka publication
// is on, its state, in the Prometheus text format.
func (n nodeMetrics) WriteMetrics(w io.Writer) error {
	bw := bufio.NewWriter(w)
	family(bw, "warren_log_head_position", "gauge", "Position of the newest change set in the database's change log.")
	for _, info := range n.m.engine.Databases() {
		if head, err := n.m.engine.LogHead(info.Name); err == nil {
			sample(bw, "warren_log_head_position", info.Name, float64(head))
		}
	}
	family(bw, "warren_staged_change_sets", "gauge",
		"Change sets of other nodes' QUORUM/ALL writes staged here and not yet committed or rolled back.")
	for _, info := range n.m.engine.Databases() {
		sample(bw, "warren_staged_change_sets", info.Name, float64(n.m.engine.StagedCount(info.Name)))
	}
	if pub := n.m.publish; pub != nil {
		writeNATSMetrics(bw, pub)
	}
	if pub := n.m.kafka; pub != nil {
		writePublisherMetrics(bw, "kafka", "Kafka", "Kafka", pub)
		family(bw, "warren_cdc_kafka_connected", "gauge", "1 when the last produce or probe reached a Kafka broker, else 0.")
		fmt.Fprintf(bw, "warren_cdc_kafka_connected %d\n", boolInt(pub.Connected()))
	}
	return bw.Flush()
}

// writeNATSMetrics writes the state of NATS publication.
func writeNATSMetrics(w *bufio.Writer, pub *publication) {
	writePublisherMetrics(w, "nats", "NATS", "JetStream", pub.publisher)
	family(w, "warren_cdc_nats_duplicates_total", "counter",
		"Publishes JetStream dropped as duplicates (retries after a lost ack, or copies from other nodes).")
	fmt.Fprintf(w, "warren_cdc_nats_duplicates_total %d\n", pub.sink.Duplicates())
	family(w, "warren_cdc_nats_connected", "gauge", "1 when connected to a NATS server, else 0.")
	fmt.Fprintf(w, "warren_cdc_nats_connected %d\n", boolInt(pub.publisher.Connected()))
}

// writePublisherMetrics writes the per-database state of a publisher as
// warren_cdc_<name>_*: lag, events published, cursor and failing; target
// names the broker in the help texts, acker what acknowledges.
func writePublisherMetrics(w *bufio.Writer, name, target, acker string, p *cdc.Publisher) {
	stats := p.Stats()
	metric := "warren_cdc_" + name
	family(w, metric+"_lag_events", "gauge",
		"Change sets (transactions) in the log not yet published to "+target+": log head minus the cursor.")
	for _, s := range stats {
		sample(w, metric+"_lag_events", s.DB, float64(s.Lag))
	}
	family(w, metric+"_published_total", "counter", "Change events "+acker+" acknowledged since the node started.")
	for _, s := range stats {
		sample(w, metric+"_published_total", s.DB, float64(s.Published))
	}
	family(w, metric+"_cursor_position", "gauge", "Log position of the last change set fully published to "+target+".")
	for _, s := range stats {
		sample(w, metric+"_cursor_position", s.DB, float64(s.Head-s.Lag))
	}
	family(w, metric+"_failing", "gauge", "1 while publishing the database's changes fails and is retried.")
	for _, s := range stats {
		sample(w, metric+"_failing", s.DB, float64(boolInt(s.Failing)))
	}
}

// family writes the HELP and TYPE lines of a metric.
func family(w io.Writer, name, kind, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
}

// sample writes one sample of a metric labelled with a database.
func sample(w io.Writer, name, db string, v float64) {
	fmt.Fprintf(w, "%s{db=\"%s\"} %s\n", name, escapeLabel(db), strconv.FormatFloat(v, 'f', -1, 64))
}

// escapeLabel escapes a Prometheus label value.
func escapeLabel(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
