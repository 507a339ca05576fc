//go:build js && wasm

// Command extension is the WebAssembly module of the browser extension. It
// exposes one function to JavaScript:
//
//	globalThis.timebarCore.call(method, argsJSON) → Promise<resultJSON>
//
// The promise rejects with a JSON ErrorView ({kind, message, status, ...}).
// The methods and their arguments are documented in package bridge.
package main

import (
	"context"
	"encoding/json"
	"syscall/js"
	"time"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/wasm/bridge"
	"github.com/timebar/timebar/wasm/fetch"
	"github.com/timebar/timebar/wasm/tz"
)

// callTimeout bounds one call, retries included.
const callTimeout = 45 * time.Second

func main() {
	core.LoadLocation = tz.Load // the browser has no zoneinfo files; Intl has the zones
	b := &bridge.Bridge{Doer: fetch.Transport{}}
	call := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
			return reject(bridge.ErrorView{Kind: "invalid", Message: "call(method, argsJSON) takes two strings"})
		}
		method, raw := args[0].String(), args[1].String()
		return js.Global().Get("Promise").New(js.FuncOf(func(_ js.Value, p []js.Value) any {
			resolve, rejectFn := p[0], p[1]
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
				defer cancel()
				out, err := b.Call(ctx, method, []byte(raw))
				if err != nil {
					ev, _ := json.Marshal(bridge.ErrorOf(err))
					rejectFn.Invoke(string(ev))
					return
				}
				resolve.Invoke(string(out))
			}()
			return nil
		}))
	})
	js.Global().Set("timebarCore", map[string]any{"call": call, "version": "1"})
	select {} // JavaScript keeps calling in: main must not return
}

func reject(v bridge.ErrorView) js.Value {
	b, _ := json.Marshal(v)
	return js.Global().Get("Promise").Call("reject", string(b))
}
