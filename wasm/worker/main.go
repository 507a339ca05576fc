//go:build js && wasm

// Command worker serves the relay (package relay) on Cloudflare Workers with
// github.com/syumai/workers. Outbound calls to TMetric go through the fetch
// transport, not syumai's cloudflare/fetch client (which panics on request
// bodies). One Go instance serves every request of a Worker isolate: see
// worker.mjs beside this file, and README's relay section for why.
package main

import (
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"

	"github.com/timebar/timebar/core"
	"github.com/timebar/timebar/wasm/fetch"
	"github.com/timebar/timebar/wasm/relay"
	"github.com/timebar/timebar/wasm/tz"
)

func main() {
	core.LoadLocation = tz.Load // no zoneinfo files on Workers; Intl has the zones
	workers.ServeNonBlock(relay.New(relay.Options{
		BaseURL: cloudflare.Getenv("TMETRIC_BASE_URL"), // empty: TMetric's own API
		Doer:    fetch.Transport{},
	}))
	workers.Ready()
	select {} // serve until the isolate goes away
}
