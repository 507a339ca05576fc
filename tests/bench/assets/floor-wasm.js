// Benchmark page: compile and instantiate one module, as the service worker
// does, and report the milliseconds (the query names the file).
const file = new URLSearchParams(location.search).get("wasm");
const go = new Go();
const t0 = performance.now();
const { instance } = await WebAssembly.instantiateStreaming(fetch(file), go.importObject);
const t1 = performance.now();
go.run(instance);
const t2 = performance.now();
document.body.dataset.instantiateMs = String(t1 - t0);
document.body.dataset.startMs = String(t2 - t0);
