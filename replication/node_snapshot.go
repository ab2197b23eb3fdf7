package replication

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// snapshotTemp is a snapshot written to a temporary file.
type snapshotTemp struct {
	file *os.File
}

func (s *snapshotTemp) cleanup() {
	s.file.Close()
	os.Remove(s.file.Name())
}

// snapshotFile writes a consistent copy of db to a temporary file and
// describes it.
func (n *Node) snapshotFile(ctx context.Context, db string) (*snapshotTemp, snapshotHeader, error) {
	f, err := os.CreateTemp("", "warren-snapshot-*.db")
	if err != nil {
		return nil, snapshotHeader{}, fmt.Errorf("create snapshot file: %w", err)
	}
	tmp := &snapshotTemp{file: f}
	h := sha256.New()
	snap, err := n.eng.Backup(ctx, db, io.MultiWriter(f, h))
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		tmp.cleanup()
		return nil, snapshotHeader{}, fmt.Errorf("write snapshot: %w", err)
	}
	return tmp, snapshotHeader{Size: snap.Size, SHA256: hex.EncodeToString(h.Sum(nil)), Vector: snap.Vector}, nil
}

// fetchSnapshot streams db from p, checks its size and checksum, and
// installs it atomically; the node then resumes from the snapshot's vector.
func (n *Node) fetchSnapshot(ctx context.Context, p Member, db, why string) error {
	if _, busy := n.syncing.LoadOrStore(db, struct{}{}); busy {
		return nil
	}
	defer n.syncing.Delete(db)
	start := time.Now()
	n.log.Info("fetching snapshot", "db", db, "peer", p.NodeID, "reason", why)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	rc, err := n.tr.CallStream(ctx, p.QUICAddr, kindSnapshot, encode(snapshotReq{DB: db}))
	if err != nil {
		return fmt.Errorf("request snapshot: %w", err)
	}
	defer rc.Close()
	path, hdr, err := n.receiveSnapshot(rc, db)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	snap, err := n.eng.InstallSnapshot(ctx, db, path)
	if err != nil {
		return fmt.Errorf("install snapshot: %w", err)
	}
	n.log.Info("snapshot installed", "db", db, "peer", p.NodeID, "bytes", hdr.Size,
		"vector", snap.Vector.Bookmark(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// receiveSnapshot reads the header and the bytes into a file beside the
// data, verifying size and SHA-256, and logs progress.
func (n *Node) receiveSnapshot(rc io.Reader, db string) (string, snapshotHeader, error) {
	br := bufio.NewReader(rc)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return "", snapshotHeader{}, fmt.Errorf("read snapshot header: %w", err)
	}
	var hdr snapshotHeader
	if err := decode(line, &hdr); err != nil {
		return "", snapshotHeader{}, err
	}
	dir := filepath.Join(n.cfg.DataDir, ".snapshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", hdr, fmt.Errorf("create snapshot dir: %w", err)
	}
	f, err := os.CreateTemp(dir, db+"-incoming-*.db")
	if err != nil {
		return "", hdr, fmt.Errorf("create snapshot file: %w", err)
	}
	h := sha256.New()
	pw := &progressWriter{n: n, db: db, total: hdr.Size, next: time.Now().Add(2 * time.Second)}
	got, err := io.Copy(io.MultiWriter(f, h, pw), io.LimitReader(br, hdr.Size+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		err = fmt.Errorf("receive snapshot: %w", err)
	case got != hdr.Size:
		err = fmt.Errorf("receive snapshot: got %d bytes, header says %d", got, hdr.Size)
	case hex.EncodeToString(h.Sum(nil)) != hdr.SHA256:
		err = fmt.Errorf("receive snapshot: checksum mismatch")
	}
	if err != nil {
		os.Remove(f.Name())
		return "", hdr, err
	}
	return f.Name(), hdr, nil
}

// progressWriter logs the progress of a long transfer every few seconds.
type progressWriter struct {
	n     *Node
	db    string
	total int64
	done  int64
	next  time.Time
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.done += int64(len(b))
	if now := time.Now(); now.After(p.next) {
		p.next = now.Add(2 * time.Second)
		p.n.log.Info("receiving snapshot", "db", p.db, "bytes", p.done, "of", p.total)
	}
	return len(b), nil
}
