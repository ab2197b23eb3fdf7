package api

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/cors"

	"github.com/warren-db/warren/engine"
)

// Config configures a Server. The zero value of every field but Spec is usable.
type Config struct {
	// Tokens are the accepted bearer tokens. None means the API is open
	// (cmd logs a warning).
	Tokens []Token
	// CORSOrigins are the origins browsers may call from: empty turns CORS
	// off, ["*"] allows any origin.
	CORSOrigins []string
	// MaxBodyBytes caps a request body (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// MaxStatements caps the statements of one exec (default DefaultMaxStatements).
	MaxStatements int
	// Spec is openapi.yaml (package warren's OpenAPISpec). Required: requests
	// are validated against it and /openapi.yaml serves it.
	Spec []byte
	// Cluster reports membership for /v1/cluster; nil reports a single node.
	Cluster Cluster
	// Ready, when set, is one more readiness check for /readyz.
	Ready func() error
	// Observer, when set, sees every finished request (for metrics).
	Observer Observer
	// Metrics, when set, writes the text of GET /metrics (empty without).
	Metrics Metrics
	// Logger defaults to slog.Default() with component=api.
	Logger *slog.Logger
	// Changes serves GET /v1/db/{db}/changes; nil answers 404 there.
	Changes ChangeFeed
	// ChangesHeartbeat is how often an idle change stream sends a comment
	// (default DefaultChangesHeartbeat).
	ChangesHeartbeat time.Duration
	// ChangesBuffer is how many events may wait for a slow client (default
	// DefaultChangesBuffer).
	ChangesBuffer int
	// ChangesStall is how long the feed waits for room in a full buffer
	// before it drops the client as too slow (default DefaultChangesStall).
	ChangesStall time.Duration
	// LiveQueries serves GET /v1/db/{db}/live (it shares the change stream
	// settings above); nil answers 404 there.
	LiveQueries LiveQueries
}

// Observer is told about every finished request; a metrics package implements
// it. ObserveRequest must be safe for concurrent use and must not block.
type Observer interface {
	ObserveRequest(method, route string, status int, elapsed time.Duration)
}

// Server is the HTTP API. It implements http.Handler.
type Server struct {
	eng           *engine.Engine
	cfg           Config
	log           *slog.Logger
	principals    []*principal
	maxBody       int64
	maxStatements int
	validation    *openapi3filter.Options
	txs           *txTable
	handler       http.Handler
	closed        atomic.Bool
	bufs          sync.Pool // *[]byte response buffers
	streams       streamHub // open change streams
}

var _ http.Handler = (*Server)(nil)

// access says who may call a route.
type access int

const (
	public   access = iota // anyone, no token
	onDB                   // the route's right on the {db} in the path
	anywhere               // the route's right on at least one database
)

// handlerFunc serves an authorized request; a returned error is answered by
// the wrapper.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *principal) error

// route is one entry of the route table.
type route struct {
	method  string
	pattern string
	access  access
	right   Right
	hot     bool // the handler validates its body by hand (see validate.go)
	serve   handlerFunc
}

// New returns a Server for eng. It compiles the spec once and checks that it
// describes every route.
func New(eng *engine.Engine, cfg Config) (*Server, error) {
	if eng == nil {
		return nil, errors.New("new api server: nil engine")
	}
	principals, err := newPrincipals(cfg.Tokens)
	if err != nil {
		return nil, err
	}
	s := &Server{
		eng:           eng,
		cfg:           cfg,
		log:           cfg.Logger,
		principals:    principals,
		maxBody:       cfg.MaxBodyBytes,
		maxStatements: cfg.MaxStatements,
		txs:           newTxTable(),
		validation:    validationOptions(),
	}
	if s.log == nil {
		s.log = slog.Default().With("component", "api")
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.maxStatements <= 0 {
		s.maxStatements = DefaultMaxStatements
	}
	routes := s.routes()
	ops, err := bindSpec(cfg.Spec, routes)
	if err != nil {
		return nil, err
	}
	s.handler = s.router(routes, ops)
	return s, nil
}

// routes is the route table: every route the server answers.
func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", public, RightNone, false, s.healthz},
		{"GET", "/readyz", public, RightNone, false, s.readyz},
		{"GET", "/openapi.yaml", public, RightNone, false, s.openapi},
		{"GET", "/metrics", anywhere, RightRead, false, s.metrics},
		{"GET", "/v1/cluster", anywhere, RightRead, false, s.cluster},
		{"DELETE", "/v1/cluster/members/{node_id}", anywhere, RightAdmin, false, s.removeMember},
		{"GET", "/v1/databases", anywhere, RightRead, false, s.listDatabases},
		{"POST", "/v1/databases", anywhere, RightAdmin, false, s.createDatabase},
		{"DELETE", "/v1/databases/{db}", onDB, RightAdmin, false, s.dropDatabase},
		{"POST", "/v1/db/{db}/query", onDB, RightRead, true, s.query},
		{"POST", "/v1/db/{db}/exec", onDB, RightWrite, true, s.exec},
		{"GET", "/v1/db/{db}/backup", onDB, RightAdmin, false, s.backup},
		{"GET", "/v1/db/{db}/changes", onDB, RightRead, false, s.changes},
		{"GET", "/v1/db/{db}/live", onDB, RightRead, false, s.live},
		{"POST", "/v1/db/{db}/tx", onDB, RightRead, false, s.beginTx},
		{"POST", "/v1/db/{db}/tx/{id}/query", onDB, RightRead, true, s.txQuery},
		{"POST", "/v1/db/{db}/tx/{id}/exec", onDB, RightRead, true, s.txExec},
		{"POST", "/v1/db/{db}/tx/{id}/commit", onDB, RightRead, false, s.commitTx},
		{"POST", "/v1/db/{db}/tx/{id}/rollback", onDB, RightRead, false, s.rollbackTx},
		{"DELETE", "/v1/db/{db}/tx/{id}", onDB, RightRead, false, s.rollbackTx},
	}
}

// router builds the chi router for routes, whose operations in the spec are ops.
func (s *Server) router(routes []route, ops []*routers.Route) http.Handler {
	r := chi.NewRouter()
	r.Use(s.recoverer)
	if len(s.cfg.CORSOrigins) > 0 {
		r.Use(cors.Handler(cors.Options{
			AllowedOrigins: s.cfg.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodDelete},
			AllowedHeaders: []string{"Authorization", "Content-Type", "Last-Event-ID"},
			ExposedHeaders: []string{"Content-Disposition", "Location", "Retry-After"},
			MaxAge:         600,
		}))
	}
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	for i, rt := range routes {
		r.Method(rt.method, rt.pattern, s.wrap(rt, ops[i]))
	}
	return r
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Close rolls back the open transactions; /readyz answers 503 from now on.
func (s *Server) Close() error {
	s.closed.Store(true)
	s.streams.close()
	return s.txs.closeAll()
}

// wrap turns a route into an http.Handler: authorize, limit and validate the
// request against op, serve, answer errors, observe.
func (s *Server) wrap(rt route, op *routers.Route) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.serveRoute(rt, op, w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
	if s.cfg.Observer == nil {
		return h
	}
	return s.observe(rt, h)
}

// serveRoute serves r on rt, returning the error to answer.
func (s *Server) serveRoute(rt route, op *routers.Route, w http.ResponseWriter, r *http.Request) error {
	p, err := s.authorize(rt, r)
	if err != nil {
		return err
	}
	if err := s.limitBody(w, r); err != nil {
		return err
	}
	if !rt.hot {
		if err := s.validate(r, op); err != nil {
			return err
		}
	}
	return rt.serve(w, r, p)
}

// authorize checks the token of r against what rt needs.
func (s *Server) authorize(rt route, r *http.Request) (*principal, error) {
	if rt.access == public {
		return nil, nil
	}
	p, err := s.authenticate(r)
	if err != nil {
		return nil, err
	}
	if rt.access == anywhere {
		return p, p.needAnywhere(rt.right)
	}
	return p, p.need(rt.right, chi.URLParam(r, "db"))
}

// observe reports each request of rt to the Observer.
func (s *Server) observe(rt route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.cfg.Observer.ObserveRequest(rt.method, rt.pattern, sw.status, time.Since(start))
	})
}

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverer answers 500 to a panicking handler and logs the panic.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panicked", "method", r.Method, "path", r.URL.Path,
					"panic", v, "stack", string(debug.Stack()))
				code := engine.CodeInternal
				writeJSON(w, httpStatus(code), appendErrorBody(nil, code, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, engine.Errorf(engine.CodeNotFound, "no route %s %s", r.Method, r.URL.Path))
}

// methodNotAllowed answers 405, the one status outside the code table: it is
// about the route, not about an engine outcome.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	b := appendErrorBody(nil, engine.CodeInvalid, "method "+r.Method+" is not allowed on "+r.URL.Path)
	writeJSON(w, http.StatusMethodNotAllowed, b)
}
