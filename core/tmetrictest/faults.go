package tmetrictest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"
)

// Fault makes matching requests fail, for testing how clients cope.
type Fault struct {
	Method    string            // "" matches any method
	Path      string            // a path prefix under Prefix ("" any), e.g. "/user"
	Status    int               // the status to answer with
	Header    map[string]string // extra headers, e.g. Retry-After
	Body      string            // the body to send (HTML, malformed JSON, ...)
	Drop      bool              // close the connection without answering
	Times     int               // how many requests it hits; 0 = until cleared
	remaining int
}

// Common bodies for faults.
const (
	HTMLBadGateway = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
	Malformed      = `[{"id": 1, "startTime": "2026-12-03T09:00:00", "note": "cut off`
)

// Inject adds a fault; the first matching fault wins.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.remaining = f.Times
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault and the added latency.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.latency = 0
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Recorded is one request the fake received.
type Recorded struct {
	Method string
	Path   string // without Prefix
	Query  string
	Header http.Header
	Body   []byte
}

// Requests returns what the fake received so far, oldest first.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// record stores r and returns its body, restored for the handler to read.
func (s *Server) record(r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Recorded{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, Prefix),
		Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
}

// fault returns the fault that hits this request, if any.
func (s *Server) fault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, Prefix)
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(path, f.Path) {
			if f.Times > 0 {
				f.remaining--
				if f.remaining <= 0 {
					s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
				}
			}
			cp := *f
			return &cp
		}
	}
	return nil
}

// FaultHeader marks an answer the fake gave because of an injected fault,
// so the contract middleware knows the deviation is deliberate.
const FaultHeader = "X-Fake-Fault"

func (f *Fault) serve(w http.ResponseWriter) {
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // closes the connection without a response
	}
	w.Header().Set(FaultHeader, "1")
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		if strings.HasPrefix(strings.TrimSpace(f.Body), "<") {
			w.Header().Set("Content-Type", "text/html")
		} else if f.Body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
	}
	w.WriteHeader(f.Status)
	_, _ = io.WriteString(w, f.Body)
}
