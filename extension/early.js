// Loaded before the popup's modules: asks the service worker for today's
// entries at once, so the answer is on its way while the modules load.
globalThis.timebarRefresh = chrome.runtime.sendMessage({ what: "refresh" });
globalThis.timebarRefresh.catch(() => {});
