package replication

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/warren-db/warren/engine"
)

// knownMembers is every voter this node has seen and that has not left,
// kept in the data dir (members.json). Gossip forgets a cluster when a node
// restarts; the file does not, so a node that comes back alone still counts
// the members it cannot reach toward quorum, and rejoins them by itself.
type knownMembers struct {
	mu   sync.Mutex
	path string
	m    map[string]KnownMember
}

// KnownMember is a remembered member.
type KnownMember struct {
	NodeID     string `json:"node_id"`
	GossipAddr string `json:"gossip_addr"`
	Role       string `json:"role"`
}

const knownFile = "members.json"

// LoadKnownMembers reads the members a node remembers from its data dir.
func LoadKnownMembers(dataDir string) ([]KnownMember, error) {
	k, err := loadKnown(dataDir)
	if err != nil {
		return nil, err
	}
	return k.list(), nil
}

func loadKnown(dataDir string) (*knownMembers, error) {
	k := &knownMembers{m: map[string]KnownMember{}}
	if dataDir == "" {
		return k, nil // tests without a data dir remember nothing
	}
	k.path = filepath.Join(dataDir, knownFile)
	data, err := os.ReadFile(k.path)
	if errors.Is(err, fs.ErrNotExist) {
		return k, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read known members: %w", err)
	}
	var list []KnownMember
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("read known members %s: %w", k.path, err)
	}
	for _, m := range list {
		k.m[m.NodeID] = m
	}
	return k, nil
}

func (k *knownMembers) list() []KnownMember {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.listLocked()
}

// observe updates the file from the current membership: members that left
// or were reaped (forget) are forgotten, others remembered.
func (k *knownMembers) observe(members []Member, forget string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, changed := k.m[forget]
	delete(k.m, forget)
	seen := map[string]bool{}
	for _, m := range members {
		seen[m.NodeID] = true
		if m.State == MemberLeft {
			if _, ok := k.m[m.NodeID]; ok {
				delete(k.m, m.NodeID)
				changed = true
			}
			continue
		}
		km := KnownMember{NodeID: m.NodeID, GossipAddr: m.GossipAddr, Role: m.Role}
		if k.m[m.NodeID] != km {
			k.m[m.NodeID] = km
			changed = true
		}
	}
	if !changed || k.path == "" {
		return nil
	}
	data, _ := json.MarshalIndent(k.listLocked(), "", "  ")
	if err := engine.WriteFileAtomic(k.path, data); err != nil {
		return fmt.Errorf("write known members: %w", err)
	}
	return nil
}

func (k *knownMembers) listLocked() []KnownMember {
	out := make([]KnownMember, 0, len(k.m))
	for _, m := range k.m {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NodeID < out[j].NodeID })
	return out
}

// watchMembers keeps the remembered members in step with gossip.
func (n *Node) watchMembers() {
	defer n.wg.Done()
	n.rememberMembers("")
	for {
		select {
		case <-n.ctx.Done():
			return
		case ev, ok := <-n.mem.Events():
			if !ok {
				return
			}
			reaped := ""
			if ev.Type == EventMemberReap {
				reaped = ev.Member.NodeID
			}
			n.rememberMembers(reaped)
			if ev.Type == EventMemberJoin {
				n.wg.Add(1)
				go func() { // announcing may wait for peers; events keep flowing
					defer n.wg.Done()
					n.readmitReturned()
				}()
			}
		}
	}
}

func (n *Node) rememberMembers(reaped string) {
	if err := n.known.observe(n.mem.Members(), reaped); err != nil {
		n.log.Warn("remember members", "err", err)
	}
}
