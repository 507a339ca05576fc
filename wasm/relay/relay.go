// Package relay is a stateless HTTP front for TMetric that scripts, CI jobs,
// chat commands and webhooks can call in one request: today's entries and
// total, start and stop a timer, log time, list projects. The caller sends
// their own TMetric token (Authorization: Bearer); the relay passes it on
// and never stores or logs it. It is ordinary Go (net/http types) so it is
// tested natively; wasm/worker serves it on Cloudflare Workers.
//
//	GET    /v1/today     today's entries, total and running timer (core.DayView)
//	POST   /v1/timer     {note, projectId?, taskId?, tags?}          start a timer
//	DELETE /v1/timer                                                 stop it
//	POST   /v1/entries   {minutes | start+end, note, projectId?, taskId?, tags?}  log finished time
//	GET    /v1/projects  [{id, name, client}]
//	GET    /healthz
//
// The optional header X-TMetric-Workspace picks the workspace (default: the
// user's active one). Errors are {"error": {kind, message, ...}} with the
// extension's messages and a status mirroring TMetric's (401 stays 401).
package relay

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/wasm/bridge"
)

// WorkspaceHeader picks the workspace (account) id.
const WorkspaceHeader = "X-TMetric-Workspace"

// Options configure the relay.
type Options struct {
	BaseURL string     // TMetric's API root; default core.DefaultBaseURL
	Doer    core.Doer  // how requests reach TMetric
	Clock   core.Clock // nil: the system clock
}

// New returns the relay's handler.
func New(opt Options) http.Handler {
	if opt.BaseURL == "" {
		opt.BaseURL = core.DefaultBaseURL
	}
	h := &handler{opt: opt, b: &bridge.Bridge{Doer: opt.Doer, Clock: opt.Clock}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "service": "timebar-relay"})
	})
	mux.HandleFunc("GET /v1/today", h.today)
	mux.HandleFunc("POST /v1/timer", h.start)
	mux.HandleFunc("DELETE /v1/timer", h.stop)
	mux.HandleFunc("POST /v1/entries", h.log)
	mux.HandleFunc("GET /v1/projects", h.projects)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, bridge.ErrorView{Kind: "notFound", Message: "no such endpoint: see GET /v1/today, POST|DELETE /v1/timer, POST /v1/entries, GET /v1/projects"})
	})
	return mux
}

type handler struct {
	opt Options
	b   *bridge.Bridge
}

// maxBody bounds what a caller may send.
const maxBody = 64 << 10

// callTimeout bounds one relay request, TMetric's retries included.
const callTimeout = 25 * time.Second

type session struct {
	ctx     context.Context
	config  map[string]any
	profile *core.User
}

// open checks the caller's token and reads their profile (every request:
// the relay keeps nothing between requests).
func (h *handler) open(w http.ResponseWriter, r *http.Request) (*session, context.CancelFunc, bool) {
	auth := strings.Join(r.Header.Values("Authorization"), ",") // some runtimes split header values on commas
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		writeError(w, bridge.ErrorView{Kind: "unauthorized", Status: 401,
			Message: "send your TMetric API token as \"Authorization: Bearer <token>\". Get one in TMetric: My Profile → Get new API token (https://app.tmetric.com/#/profile)."})
		return nil, nil, false
	}
	var account int64
	if v := r.Header.Get(WorkspaceHeader); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			writeError(w, bridge.ErrorView{Kind: "invalid", Field: "workspace", Message: WorkspaceHeader + " must be a workspace id (a positive number)"})
			return nil, nil, false
		}
		account = n
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	raw, err := h.b.Call(ctx, "me", mustJSON(map[string]any{"token": strings.TrimSpace(token), "baseUrl": h.opt.BaseURL}))
	if err != nil {
		cancel()
		writeError(w, bridge.ErrorOf(err))
		return nil, nil, false
	}
	var profile core.User
	_ = json.Unmarshal(raw, &profile)
	s := &session{ctx: ctx, profile: &profile, config: map[string]any{
		"token": strings.TrimSpace(token), "baseUrl": h.opt.BaseURL, "profile": json.RawMessage(raw), "accountId": account,
	}}
	return s, cancel, true
}

func (h *handler) call(w http.ResponseWriter, s *session, method string, args map[string]any) {
	if args == nil {
		args = map[string]any{}
	}
	args["config"] = s.config
	out, err := h.b.Call(s.ctx, method, mustJSON(args))
	if err != nil {
		writeError(w, bridge.ErrorOf(err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

func (h *handler) today(w http.ResponseWriter, r *http.Request) {
	if s, cancel, ok := h.open(w, r); ok {
		defer cancel()
		h.call(w, s, "today", nil)
	}
}

func (h *handler) projects(w http.ResponseWriter, r *http.Request) {
	if s, cancel, ok := h.open(w, r); ok {
		defer cancel()
		h.call(w, s, "projects", nil)
	}
}

func (h *handler) stop(w http.ResponseWriter, r *http.Request) {
	if s, cancel, ok := h.open(w, r); ok {
		defer cancel()
		h.call(w, s, "stop", nil)
	}
}

// entryBody is what POST /v1/timer and POST /v1/entries accept.
type entryBody struct {
	Note      string  `json:"note"`
	ProjectID int64   `json:"projectId"`
	TaskID    int64   `json:"taskId"`
	Tags      []int64 `json:"tags"`
	Minutes   int     `json:"minutes"`
	Start     string  `json:"start"`
	End       string  `json:"end"`
}

func readBody(w http.ResponseWriter, r *http.Request, into *entryBody) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil && !errors.Is(err, io.EOF) {
		writeError(w, bridge.ErrorView{Kind: "invalid", Message: "the body must be a JSON object like {\"note\": \"...\", \"projectId\": 123}: " + err.Error()})
		return false
	}
	return true
}

func (e entryBody) args() map[string]any {
	return map[string]any{"note": e.Note, "projectId": e.ProjectID, "taskId": e.TaskID, "tagIds": e.Tags}
}

func (h *handler) start(w http.ResponseWriter, r *http.Request) {
	var body entryBody
	if !readBody(w, r, &body) {
		return
	}
	if body.Minutes != 0 || body.Start != "" || body.End != "" {
		writeError(w, bridge.ErrorView{Kind: "invalid", Message: "a timer takes no minutes, start or end: to log finished time, POST /v1/entries"})
		return
	}
	if s, cancel, ok := h.open(w, r); ok {
		defer cancel()
		h.call(w, s, "start", body.args())
	}
}

// log records finished time: {minutes} goes where it overwrites nothing
// (ending now if free, else the latest free gap today); {start, end} is
// sent as given, and TMetric overwrites whatever it overlaps. Times are
// RFC 3339 with an offset, or naive local times in the user's TMetric zone.
func (h *handler) log(w http.ResponseWriter, r *http.Request) {
	var body entryBody
	if !readBody(w, r, &body) {
		return
	}
	switch {
	case body.Minutes != 0 && (body.Start != "" || body.End != ""):
		writeError(w, bridge.ErrorView{Kind: "invalid", Message: "send either minutes or start and end, not both"})
		return
	case body.Minutes == 0 && (body.Start == "" || body.End == ""):
		writeError(w, bridge.ErrorView{Kind: "invalid", Message: "send minutes (logged where it overwrites nothing) or both start and end"})
		return
	}
	s, cancel, ok := h.open(w, r)
	if !ok {
		return
	}
	defer cancel()
	args := body.args()
	if body.Minutes != 0 {
		args["minutes"] = body.Minutes
		h.call(w, s, "logQuick", args)
		return
	}
	loc := s.profile.Location()
	start, err1 := core.ParseWire(body.Start, loc)
	end, err2 := core.ParseWire(body.End, loc)
	if err := errors.Join(err1, err2); err != nil {
		writeError(w, bridge.ErrorView{Kind: "invalid", Field: "start", Message: "start and end must be date-times such as 2026-12-03T09:15:00 (your TMetric time zone) or with an offset: " + err.Error()})
		return
	}
	args["startMs"], args["endMs"] = start.UnixMilli(), end.UnixMilli()
	h.call(w, s, "log", args)
}

// status maps an error to the relay's HTTP status, mirroring TMetric's.
func status(v bridge.ErrorView) int {
	switch v.Kind {
	case "unauthorized":
		return http.StatusUnauthorized
	case "forbidden":
		return http.StatusForbidden
	case "notFound":
		return http.StatusNotFound
	case "rateLimited":
		return http.StatusTooManyRequests
	case "badRequest":
		if v.Status >= 400 && v.Status < 500 {
			return v.Status
		}
		return http.StatusBadRequest
	case "invalid", "config":
		return http.StatusBadRequest
	case "server":
		if v.Status >= 500 {
			return v.Status
		}
		return http.StatusBadGateway
	case "network", "badResponse":
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, v bridge.ErrorView) {
	if v.RetryAfterMs > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt((v.RetryAfterMs+999)/1000, 10))
	}
	writeJSON(w, status(v), map[string]any{"error": v})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of plain values are marshalled here
	}
	return b
}
