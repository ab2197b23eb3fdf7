package replication

import (
	"context"
	"errors"
	"io"

	"github.com/warren-db/warren/engine"
)

// registerHandlers answers the replication protocol.
func (n *Node) registerHandlers() {
	n.tr.Handle(kindPrepare, n.onPrepare)
	n.tr.Handle(kindCommit, n.onCommit)
	n.tr.Handle(kindAbort, n.onAbort)
	n.tr.Handle(kindPush, n.onPush)
	n.tr.Handle(kindPull, n.onPull)
	n.tr.Handle(kindStatus, n.onStatus)
	n.tr.Handle(kindSetStatus, n.onSetStatus)
	n.tr.Handle(kindLock, n.onLock)
	n.tr.Handle(kindAnnounce, n.onAnnounce)
	n.tr.HandleStream(kindSnapshot, n.onSnapshot)
}

func (n *Node) onPrepare(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m setsMsg
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	if err := n.ensureDB(m.DB); err != nil {
		return nil, err
	}
	return nil, n.eng.Stage(ctx, m.DB, m.Sets)
}

func (n *Node) onCommit(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m idsMsg
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	return nil, n.eng.CommitStaged(ctx, m.DB, m.IDs)
}

func (n *Node) onAbort(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m idsMsg
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	return nil, n.eng.AbortStaged(ctx, m.DB, m.IDs)
}

func (n *Node) onPush(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m setsMsg
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	if err := n.ensureDB(m.DB); err != nil {
		return nil, err
	}
	return nil, n.eng.ApplyBatch(ctx, m.DB, m.Sets) // what fails waits for anti-entropy
}

// ensureDB creates a database a peer writes to that this node lacks, unless
// the catalog says it was dropped later.
func (n *Node) ensureDB(db string) error {
	if _, err := n.eng.Vector(db); err == nil {
		return nil
	}
	if rec, ok := n.eng.Catalog()[db]; ok && rec.Dropped {
		return engine.Errorf(engine.CodeNotFound, "database %q was dropped", db)
	}
	return n.eng.EnsureDatabase(db)
}

func (n *Node) onStatus(ctx context.Context, from string, req []byte) ([]byte, error) {
	return encode(n.localStatus(ctx)), nil
}

func (n *Node) localStatus(ctx context.Context) statusResp {
	st := statusResp{NodeID: n.self, Databases: map[string]dbStatus{}, Catalog: n.eng.Catalog(),
		Registry: n.eng.RegistryAll()}
	for _, d := range n.eng.Databases() {
		if v, err := n.eng.Vector(d.Name); err == nil {
			st.Databases[d.Name] = dbStatus{Vector: v, SchemaVersion: n.eng.SchemaVersion(d.Name)}
		}
	}
	return st
}

func (n *Node) onSetStatus(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m setStatusReq
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	st, err := n.eng.SetStatus(ctx, m.DB, m.ID)
	if err != nil {
		return nil, err
	}
	return encode(setStatusResp{State: st}), nil
}

func (n *Node) onAnnounce(ctx context.Context, from string, req []byte) ([]byte, error) {
	var m announceMsg
	if err := decode(req, &m); err != nil {
		return nil, err
	}
	if _, err := n.eng.MergeCatalog(m.Catalog); err != nil {
		return nil, err
	}
	_, err := n.eng.MergeRegistry(m.Registry)
	return nil, err
}

// onSnapshot streams a consistent copy: a JSON header line (size, SHA-256,
// vector), then the file.
func (n *Node) onSnapshot(ctx context.Context, from string, req []byte, w io.Writer) error {
	var m snapshotReq
	if err := decode(req, &m); err != nil {
		return err
	}
	f, hdr, err := n.snapshotFile(ctx, m.DB)
	if err != nil {
		return err
	}
	defer f.cleanup()
	if _, err := w.Write(append(encode(hdr), '\n')); err != nil {
		return err
	}
	_, err = io.Copy(w, f.file)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return err
}
