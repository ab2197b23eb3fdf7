package replication

import (
	"testing"

	"github.com/warren-db/warren/engine"
)

// FuzzDecodeMessages: every replication message decoder must reject bad
// bytes with an error, never panic, whatever a peer sends.
func FuzzDecodeMessages(f *testing.F) {
	for _, s := range []string{
		`{"db":"main","sets":[{"origin":"a","seq":1,"hlc":5,"schema_version":0,"changes":[{"table":"t","op":"c","pk":[1],"after":{"id":1}}]}]}`,
		`{"db":"main","ids":[{"origin":"a","seq":1,"hlc":2}]}`,
		`{"db":"main","vector":{"a":3},"limit":10}`,
		`{"sets":[],"more":true,"snapshot":"new node"}`,
		`{"node_id":"a","databases":{"main":{"vector":{"a":1},"schema_version":2}},"catalog":{"main":{"hlc":1}}}`,
		`{"db":"x","holder":"a","lease":30000000000}`,
		`{"catalog":{"shop":{"hlc":7,"dropped":true}},"registry":{"mysql_user":{"bob":{"hlc":3,"origin":"a","deleted":true}}}}`,
		`{"size":10,"sha256":"00","vector":{}}`,
		`null`, `[]`, `{"sets":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Add(encode(setsMsg{DB: "main", Sets: codecSets()}))
	f.Add(encode(idsMsg{DB: "main", IDs: []engine.SetID{{Origin: "a", Seq: 1, HLC: 2}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		targets := []any{&setsMsg{}, &idsMsg{}, &pullReq{}, &pullResp{}, &statusResp{}, &setStatusReq{},
			&setStatusResp{}, &lockReq{}, &lockResp{}, &snapshotReq{}, &snapshotHeader{}, &announceMsg{}}
		for _, v := range targets {
			_ = decode(data, v)
		}
	})
}
