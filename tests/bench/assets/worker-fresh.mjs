// Benchmark variant of wasm/worker/worker.mjs: a fresh Go runtime for every
// request, as syumai/workers' generated glue does. Compared with the shipped
// one-instance-per-isolate model in `make bench`.
import "./wasm_exec.js";
import mod from "./app.wasm";

export default {
  async fetch(request, env, ctx) {
    const binding = {};
    globalThis.context = { env, ctx, binding };
    const go = new Go();
    let ready;
    const started = new Promise((resolve) => { ready = resolve; });
    const instance = new WebAssembly.Instance(mod, { ...go.importObject, workers: { ready: () => ready() } });
    go.run(instance);
    await started;
    return binding.handleRequest(request);
  },
};
