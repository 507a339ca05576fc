//go:build js && wasm

// Package fetch sends core's requests with the JavaScript fetch API, so the
// WebAssembly module never links net/http (which would triple its size).
package fetch

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/timebar/timebar/core"
)

// maxBody caps a response body, as the native transport does.
const maxBody = 32 << 20

// Transport is a core.Doer over globalThis.fetch.
type Transport struct{}

// Do implements core.Doer. Cancelling ctx aborts the fetch. Redirects are not
// followed ("manual"): one is reported to core as a 3xx, which core explains
// as a wrong base URL, so the token never travels to another address.
func (Transport) Do(ctx context.Context, r *core.Request) (*core.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	controller := js.Global().Get("AbortController").New()
	headers := js.Global().Get("Headers").New()
	for k, v := range r.Header {
		headers.Call("set", k, v)
	}
	init := map[string]any{
		"method":      r.Method,
		"headers":     headers,
		"signal":      controller.Get("signal"),
		"redirect":    "manual",
		"credentials": "omit",
		"cache":       "no-store",
	}
	if r.Body != nil {
		body := js.Global().Get("Uint8Array").New(len(r.Body))
		js.CopyBytesToJS(body, r.Body)
		init["body"] = body
	}
	// Invoke on the fetch value itself: Call("fetch") throws "Illegal
	// invocation" in some runtimes (workerd).
	resp, err := await(ctx, controller, js.Global().Get("fetch").Invoke(r.URL, init))
	if err != nil {
		return nil, err
	}
	if resp.Get("type").String() == "opaqueredirect" {
		return &core.Response{StatusCode: 307, Header: core.Header{}}, nil
	}
	out := &core.Response{StatusCode: resp.Get("status").Int(), Header: core.Header{}}
	each := js.FuncOf(func(_ js.Value, args []js.Value) any {
		out.Header.Set(args[1].String(), args[0].String())
		return nil
	})
	resp.Get("headers").Call("forEach", each)
	each.Release()
	buf, err := await(ctx, controller, resp.Call("arrayBuffer"))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	n := buf.Get("byteLength").Int()
	if n > maxBody {
		n = maxBody + 1 // core reports the body as too large
	}
	out.Body = make([]byte, n)
	js.CopyBytesToGo(out.Body, js.Global().Get("Uint8Array").New(buf, 0, n))
	return out, nil
}

// await blocks the calling goroutine (not the JavaScript event loop) until
// the promise settles or ctx ends, in which case the fetch is aborted.
func await(ctx context.Context, controller, promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	done := make(chan result, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{v: args[0]}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "fetch failed"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- result{err: errors.New(msg)}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	promise.Call("then", onOK, onErr)
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		controller.Call("abort")
		<-done // let the callbacks run before they are released
		return js.Value{}, ctx.Err()
	}
}
