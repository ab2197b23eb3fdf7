package engine

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/warren-db/warren/engine/internal/sqlparse"
)

// Engine owns every database of a node.
type Engine struct {
	cfg   Config
	log   *slog.Logger
	id    identity
	clock *Clock
	parse *sqlparse.Cache // analyses of recent statement texts
	repl  atomic.Pointer[replicatorBox]
	slot  atomic.Int64

	staging *stagingStore // change sets staged for other nodes' two-phase writes
	holds   logHolds      // change-feed readers' claims on the log

	registry *registry // cluster-wide named records (RegistryPut)

	mu      sync.RWMutex
	dbs     map[string]*DB
	catalog map[string]CatalogRecord // guarded by mu
	closed  bool
}

var dbNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// ValidName reports whether name can name a database.
func ValidName(name string) error {
	if !dbNamePattern.MatchString(name) || strings.HasPrefix(name, internalPrefix) {
		return Errorf(CodeInvalid, "invalid database name %q: use 1-64 letters, digits, '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// Open opens (creating if needed) the data dir and its databases.
func Open(cfg Config) (*Engine, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	id, err := loadIdentity(cfg.DataDir, cfg.NodeID)
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, log: cfg.Logger.With("component", "engine"), id: id, clock: NewClock(), dbs: map[string]*DB{},
		parse: sqlparse.NewCache(sqlparse.DefaultCacheSize)}
	if err := e.initSlot(); err != nil {
		return nil, err
	}
	if e.staging, err = openStagingStore(cfg.DataDir, cfg.Synchronous, e.log); err != nil {
		return nil, err
	}
	if err := e.loadCatalog(); err != nil {
		return nil, err
	}
	if e.registry, err = openRegistry(cfg.DataDir); err != nil {
		return nil, err
	}
	names, err := e.scan()
	if err == nil && cfg.DefaultDatabase != "" && !contains(names, cfg.DefaultDatabase) {
		if rec, ok := e.catalog[cfg.DefaultDatabase]; !ok || !rec.Dropped {
			names = append(names, cfg.DefaultDatabase)
		}
	}
	for _, n := range names {
		if err == nil {
			err = e.open(n)
		}
		if _, ok := e.catalog[n]; !ok && err == nil {
			e.catalog[n] = CatalogRecord{HLC: 1} // older than any create or drop made by a node
			err = e.saveCatalog()
		}
	}
	if err != nil {
		e.Close()
		return nil, err
	}
	e.log.Info("engine open", "node_id", id.NodeID, "data_dir", cfg.DataDir, "databases", len(e.dbs))
	return e, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scan lists the databases in the data dir.
func (e *Engine) scan() ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(e.cfg.DataDir, "*.db"))
	if err != nil {
		return nil, fmt.Errorf("scan data dir: %w", err)
	}
	var names []string
	for _, m := range matches {
		name := strings.TrimSuffix(filepath.Base(m), ".db")
		if ValidName(name) == nil {
			names = append(names, name)
		}
	}
	return names, nil
}

func (e *Engine) path(name string) string { return filepath.Join(e.cfg.DataDir, name+".db") }

func (e *Engine) open(name string) error {
	db, err := openDB(name, e.path(name), e)
	if err != nil {
		return fmt.Errorf("open database %s: %w", name, err)
	}
	e.dbs[name] = db
	return nil
}

// Close stops every database.
func (e *Engine) Close() error {
	e.mu.Lock()
	dbs := e.dbs
	e.dbs, e.closed = map[string]*DB{}, true
	e.mu.Unlock()
	for _, db := range dbs {
		db.close()
	}
	if e.staging != nil {
		e.staging.close()
	}
	return nil
}

// NodeID returns this node's identity, created once and kept in the data dir.
func (e *Engine) NodeID() string { return e.id.NodeID }

// Clock returns the node's hybrid logical clock.
func (e *Engine) Clock() *Clock { return e.clock }

// db returns an open database.
func (e *Engine) db(name string) (*DB, error) {
	e.mu.RLock()
	db, ok := e.dbs[name]
	closed := e.closed
	e.mu.RUnlock()
	switch {
	case closed:
		return nil, ErrClosed
	case !ok:
		return nil, &Error{Code: CodeNotFound, Message: fmt.Sprintf("database %q not found", name)}
	}
	return db, nil
}

// Databases lists the databases, sorted by name.
func (e *Engine) Databases() []DatabaseInfo {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]DatabaseInfo, 0, len(e.dbs))
	for name, db := range e.dbs {
		info := DatabaseInfo{Name: name, Path: db.path}
		for _, suffix := range []string{"", "-wal"} {
			if st, err := os.Stat(db.path + suffix); err == nil {
				info.SizeBytes += st.Size()
			}
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// CreateDatabase creates a database; CodeExists if it exists, CodeInvalid for a bad name.
// It returns once the reachable peers have it too.
func (e *Engine) CreateDatabase(name string) error {
	rec := CatalogRecord{HLC: e.clock.Now()}
	if err := e.createDatabase(name, rec.HLC); err != nil {
		return err
	}
	e.tellPeers(map[string]CatalogRecord{name: rec}, nil)
	return nil
}

// EnsureDatabase creates a database this node lacks without telling peers:
// replication calls it for a database a peer writes to.
func (e *Engine) EnsureDatabase(name string) error {
	if err := e.createDatabase(name, e.clock.Now()); ErrorCode(err) != CodeExists {
		return err
	}
	return nil
}

// tellPeers hands catalog and registry changes made here to the replicator,
// waiting at most the prepare timeout for the peers, so that the client's
// next request finds the same databases and accounts on any node.
func (e *Engine) tellPeers(catalog map[string]CatalogRecord, registry map[string]map[string]RegistryRecord) {
	r := e.replicator()
	if r == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), e.cfg.PrepareTimeout)
	defer cancel()
	r.Announce(ctx, catalog, registry)
}

func (e *Engine) createDatabase(name string, hlc HLC) error {
	if err := ValidName(name); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if _, ok := e.dbs[name]; ok {
		return Errorf(CodeExists, "database %q already exists", name)
	}
	if err := e.open(name); err != nil {
		return err
	}
	e.catalog[name] = CatalogRecord{HLC: hlc}
	e.log.Info("database created", "db", name)
	return e.saveCatalog()
}

// DropDatabase removes a database and its files; CodeNotFound if missing.
// It returns once the reachable peers have dropped it too.
//
// A database this node does not know is still dropped on the peers that do
// (it may have been created through a peer this node could not reach), and
// the call answers CodeNotFound.
func (e *Engine) DropDatabase(name string) error {
	rec := CatalogRecord{HLC: e.clock.Now(), Dropped: true}
	err := e.dropDatabase(name, rec.HLC)
	if err != nil && (ErrorCode(err) != CodeNotFound || ValidName(name) != nil) {
		return err
	}
	e.tellPeers(map[string]CatalogRecord{name: rec}, nil)
	return err
}

func (e *Engine) dropDatabase(name string, hlc HLC) error {
	e.mu.Lock()
	db, ok := e.dbs[name]
	delete(e.dbs, name)
	if ValidName(name) == nil {
		e.catalog[name] = CatalogRecord{HLC: hlc, Dropped: true}
		if err := e.saveCatalog(); err != nil {
			e.mu.Unlock()
			return err
		}
	}
	e.mu.Unlock()
	if !ok {
		return &Error{Code: CodeNotFound, Message: fmt.Sprintf("database %q not found", name)}
	}
	db.close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(db.path + suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("remove database file: %w", err)
		}
	}
	e.log.Info("database dropped", "db", name)
	return nil
}

// Query runs one read-only statement; a write gets CodeReadOnly.
func (e *Engine) Query(ctx context.Context, db string, st Statement, o QueryOptions) (*Rows, error) {
	if r := e.replicator(); r != nil && o.Consistency == ReadQuorum {
		cctx, cancel := context.WithTimeout(ctx, e.cfg.QueryTimeout)
		err := r.CatchUp(cctx, db) // may install a snapshot: look the database up after it
		cancel()
		if err != nil {
			return nil, &Error{Code: CodeUnavailable, Message: "quorum read could not catch up with a majority: " + ErrorMessage(err), Err: err}
		}
	}
	d, err := e.db(db)
	if err != nil {
		return nil, err
	}
	return d.query(ctx, st, o)
}

// Exec runs statements as one atomic transaction (unless o.NonAtomic).
func (e *Engine) Exec(ctx context.Context, db string, sts []Statement, o ExecOptions) (*ExecResponse, error) {
	d, err := e.db(db)
	if err != nil {
		return nil, err
	}
	return d.exec(ctx, sts, o)
}

// Begin starts an interactive transaction.
func (e *Engine) Begin(ctx context.Context, db string, o TxOptions) (*Tx, error) {
	d, err := e.db(db)
	if err != nil {
		return nil, err
	}
	return d.begin(ctx, o)
}
