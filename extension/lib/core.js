// The Go core, compiled to WebAssembly, loaded once per service-worker life.
// Only the service worker imports this module; pages talk to the worker.
import "../wasm_exec.js";

/** An error from core, as ErrorView describes it: {kind, message, status, field, retriable}. */
export class CoreError extends Error {
  constructor(view) {
    super(view.message || "Something went wrong");
    this.name = "CoreError";
    Object.assign(this, { kind: "internal", retriable: false }, view);
  }

  toJSON() {
    const { kind, message, status, field, retriable, retryAfterMs } = this;
    return { kind, message, status, field, retriable, retryAfterMs };
  }

  static from(e) {
    if (e instanceof CoreError) return e;
    if (e && typeof e === "object" && typeof e.kind === "string") return new CoreError(e); // an ErrorView
    if (typeof e === "string") {
      try {
        return new CoreError(JSON.parse(e));
      } catch {
        return new CoreError({ kind: "internal", message: e });
      }
    }
    return new CoreError({ kind: "internal", message: String(e?.message ?? e) });
  }
}

let ready = null;

/** Starts the module (once); resolves with globalThis.timebarCore. */
export function loadCore() {
  ready ??= (async () => {
    const go = new Go();
    const { instance } = await WebAssembly.instantiateStreaming(
      fetch(chrome.runtime.getURL("core.wasm")), go.importObject);
    go.run(instance); // returns when main blocks in select{}; not awaited
    if (!globalThis.timebarCore) throw new Error("the core module did not start");
    return globalThis.timebarCore;
  })().catch((e) => {
    ready = null; // let the next call try again
    throw new CoreError({ kind: "internal", message: `Could not start the core module: ${e.message ?? e}` });
  });
  return ready;
}

/** Calls a core method (see wasm/bridge) and returns its parsed result. */
export async function call(method, args = {}) {
  const core = await loadCore();
  try {
    return JSON.parse(await core.call(method, JSON.stringify(args)));
  } catch (e) {
    throw CoreError.from(e);
  }
}
