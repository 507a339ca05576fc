// Package contract checks HTTP traffic against TMetric's own OpenAPI 3.0
// document (testdata/openapi-v3.json, the vendor's extract, unedited).
// Tests wrap the fake TMetric in Middleware so every request core sends, and
// every answer the fake gives, is validated; a request the contract does not
// describe is a violation.
package contract

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/timebar/timebar/core/tmetrictest"
)

//go:embed testdata/openapi-v3.json
var spec []byte

// Spec returns the vendor's document as shipped.
func Spec() []byte { return spec }

// Contract validates requests and responses.
type Contract struct {
	doc    *openapi3.T
	router routers.Router
}

var (
	once    sync.Once
	shared  *Contract
	loadErr error
)

// Load parses the contract once per process, adapted where the vendor's
// document contradicts the API it describes (see adapt).
func Load() (*Contract, error) {
	once.Do(func() { shared, loadErr = load(spec) })
	return shared, loadErr
}

// Naive local timestamps, as TMetric sends and expects them: no "Z", no offset.
const (
	datePattern     = `^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`
	dateTimePattern = `^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,7})?$`
)

func load(data []byte) (*Contract, error) {
	// kin-openapi checks only the formats defined here. "date-time" is the
	// naive local form (RFC 3339 would demand a zone the API must not get).
	openapi3.DefineStringFormatValidator("date", openapi3.NewRegexpFormatValidator(datePattern))
	openapi3.DefineStringFormatValidator("date-time", openapi3.NewRegexpFormatValidator(dateTimePattern))

	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("loading the contract: %w", err)
	}
	if err := adapt(doc); err != nil {
		return nil, err
	}
	// The document says OpenAPI 3.0.0 but uses 3.1's "examples" keyword in
	// schemas, and its examples carry zone-less date-times: allow the
	// sibling field and skip example validation; everything else is checked.
	if err := doc.Validate(loader.Context, openapi3.AllowExtraSiblingFields("examples"), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("the contract does not validate: %w", err)
	}
	// Route on the path alone: the document's server is the relative
	// "/api/v3", which tests serve from loopback on any port.
	doc.Servers = openapi3.Servers{{URL: "/api/v3"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("routing the contract: %w", err)
	}
	return &Contract{doc: doc, router: router}, nil
}

// adapt marks startTime and endTime nullable in the three time-entry
// schemas. The vendor's own operation text says to send null to start a
// timer or stop one now, and a running timer comes back with endTime null,
// but the schemas omit "nullable". The file is never edited; this is done in
// memory after loading.
func adapt(doc *openapi3.T) error {
	for _, name := range []string{"timeentry", "timeentry-break", "timeentry-update"} {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			return fmt.Errorf("the contract has no %q schema", name)
		}
		for _, prop := range []string{"startTime", "endTime"} {
			p := s.Value.Properties[prop]
			if p == nil || p.Value == nil {
				return fmt.Errorf("schema %q has no %q", name, prop)
			}
			p.Value.Nullable = true
		}
	}
	return nil
}

func (c *Contract) route(r *http.Request) (*routers.Route, map[string]string, error) {
	// gorillamux matches on the full URL; give it one with a host it accepts.
	u := *r.URL
	u.Scheme, u.Host = "", ""
	rr := r.Clone(r.Context())
	rr.URL = &u
	rr.Host = ""
	route, params, err := c.router.FindRoute(rr)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s is not described by TMetric's contract: %w", r.Method, r.URL.Path, err)
	}
	return route, params, nil
}

func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		// The bearer token's presence is checked; its value is the fake's business.
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
				return errors.New("no Bearer token")
			}
			return nil
		},
		MultiError: true,
	}
}

// ValidateRequest checks method, path, parameters, security and body. The
// body is read and put back.
func (c *Contract) ValidateRequest(r *http.Request) error {
	route, params, err := c.route(r)
	if err != nil {
		return err
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	check := r.Clone(r.Context())
	check.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route, Options: options()}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		return fmt.Errorf("request %s %s breaks TMetric's contract: %w", r.Method, r.URL.RequestURI(), err)
	}
	return nil
}

// ValidateResponse checks an answer to r against the documented response.
func (c *Contract) ValidateResponse(r *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := c.route(r)
	if err != nil {
		return err
	}
	reqIn := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: options()}
	in := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn, Status: status, Header: header, Options: options()}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		return fmt.Errorf("response %d to %s %s breaks TMetric's contract: %w", status, r.Method, r.URL.RequestURI(), err)
	}
	return nil
}

// Middleware validates every request before h serves it and every 2xx
// answer h gives (except injected faults), calling report with each violation. CORS preflights are
// passed through unchecked (they are the browser's, not ours).
func (c *Contract) Middleware(h http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			h.ServeHTTP(w, r)
			return
		}
		if err := c.ValidateRequest(r); err != nil {
			report(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		body := rec.Body.Bytes()
		// Injected faults break the contract on purpose, and a request the
		// client abandoned got no real answer.
		deliberate := res.Header.Get(tmetrictest.FaultHeader) != "" || r.Context().Err() != nil
		// GET .../timeentries/latest answers a user with no entries with an
		// empty body (API.md), which the document does not describe.
		if len(body) == 0 && strings.HasSuffix(r.URL.Path, "/timeentries/latest") {
			deliberate = true
		}
		if res.StatusCode >= 200 && res.StatusCode < 300 && !deliberate {
			probe := r.Clone(r.Context())
			probe.Body = http.NoBody
			if err := c.ValidateResponse(probe, res.StatusCode, res.Header, body); err != nil {
				report(err)
			}
		}
		for k, v := range res.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(body)
	})
}

// Wrap returns h behind the contract, failing t on any violation.
func Wrap(t testing.TB, h http.Handler) http.Handler {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return c.Middleware(h, func(err error) { t.Errorf("contract: %v", err) })
}
