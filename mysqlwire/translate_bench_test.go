package mysqlwire

import (
	"testing"

	"github.com/warren-db/warren/engine"
)

const benchQuery = "SELECT SQL_CALC_FOUND_ROWS wp_posts.ID FROM wp_posts LEFT JOIN wp_term_relationships " +
	"ON (wp_posts.ID = wp_term_relationships.object_id) WHERE 1=1 AND (wp_term_relationships.term_taxonomy_id IN (1)) " +
	"AND ((wp_posts.post_type = 'post' AND (wp_posts.post_status = 'publish'))) GROUP BY wp_posts.ID " +
	"ORDER BY wp_posts.post_date DESC LIMIT 0, 10"

// BenchmarkTranslator_Cached measures a translation served from the cache.
func BenchmarkTranslator_Cached(b *testing.B) {
	tr := newTestTranslator(b)
	s := SessionInfo{Database: "wp"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Translate(benchQuery, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTranslator_CachedWithHoles measures a cached translation whose
// session values are filled in on every call.
func BenchmarkTranslator_CachedWithHoles(b *testing.B) {
	tr := newTestTranslator(b)
	s := SessionInfo{Database: "wp", LastInsertID: 42, Vars: map[string]engine.Value{"sql_mode": ""}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Translate("SELECT LAST_INSERT_ID(), @@SESSION.sql_mode", s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTranslator_Uncached measures parsing and rendering.
func BenchmarkTranslator_Uncached(b *testing.B) {
	cfg := DefaultTranslatorConfig()
	cfg.CacheSize = 0
	tr, err := NewTranslator(cfg)
	if err != nil {
		b.Fatal(err)
	}
	s := SessionInfo{Database: "wp"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Translate(benchQuery, s); err != nil {
			b.Fatal(err)
		}
	}
}
