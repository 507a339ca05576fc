// The service worker: the only place that holds the token and runs the Go
// core. Pages send it messages; it answers from TMetric and keeps what must
// survive its own shutdown (~30 s idle) in chrome.storage.local.
import { call, loadCore, CoreError } from "./lib/core.js";
import * as store from "./lib/store.js";

const { KEYS } = store;

// Start the module as soon as the worker wakes: the message that woke it
// is usually about to need it.
loadCore().catch(() => {});

// Every listener is registered synchronously at the top level.
chrome.runtime.onMessage.addListener((msg, sender, reply) => {
  if (sender.id !== chrome.runtime.id) return false;
  handle(msg).then(
    (ok) => reply({ ok }),
    (e) => reply({ error: CoreError.from(e).toJSON() }),
  );
  return true; // the reply is asynchronous
});

chrome.runtime.onInstalled.addListener(async ({ reason }) => {
  if (reason !== "install") return;
  const { [KEYS.token]: token } = await store.get(KEYS.token);
  if (!token) chrome.runtime.openOptionsPage();
});

/** The one message switch. */
async function handle(msg) {
  switch (msg.what) {
    case "ping":
      return {};
    case "connect":
      return connect(msg.token, msg.baseUrl);
    case "disconnect":
      await store.clearAll();
      return {};
    case "setWorkspace":
      return updateConfig({ accountId: Number(msg.accountId) || 0, userId: Number(msg.userId) || 0 });
    case "refresh":
      return refresh();
    case "start":
      return write("start", {
        note: msg.note ?? "", projectId: msg.projectId || 0, taskId: msg.taskId || 0, tagIds: msg.tagIds ?? [],
      });
    case "stop":
      return write("stop", { entryId: msg.entryId || 0 });
    case "projects":
      return projects(msg.force);
    case "tags":
      return call("tags", { config: await coreConfig(), projectId: msg.projectId || 0 });
    case "httpFile":
      return call("httpFile", { config: await coreConfig() });
    default:
      throw new CoreError({ kind: "invalid", message: `Unknown message: ${msg.what}` });
  }
}

/** Verifies a token with GET /user and saves it with the profile. */
async function connect(token, baseUrl) {
  token = String(token ?? "").trim();
  const base = String(baseUrl ?? "").trim() || "https://app.tmetric.com/api/v3";
  const { baseUrl: checked } = await call("checkBaseUrl", { baseUrl: base });
  const profile = await call("me", { token, baseUrl: checked });
  // A new token or address invalidates everything cached for the old one.
  await store.clearAll();
  const config = { baseUrl: checked, profile, accountId: profile.activeAccountId, userId: 0 };
  await store.set({ [KEYS.token]: token, [KEYS.config]: config });
  return config;
}

async function updateConfig(patch) {
  const { [KEYS.config]: config } = await store.get(KEYS.config);
  if (!config) throw new CoreError({ kind: "config", message: "Save your TMetric token first." });
  const next = { ...config, ...patch };
  await store.set({ [KEYS.config]: next });
  await chrome.storage.local.remove([KEYS.day, KEYS.status, KEYS.projects]);
  return next;
}

/** The config core needs for a call, token included. */
async function coreConfig() {
  const { [KEYS.token]: token, [KEYS.config]: config } = await store.get(KEYS.token, KEYS.config);
  if (!token || !config) throw new CoreError({ kind: "config", message: "Save your TMetric token in the options first." });
  return { token, ...config };
}

/** Fetches today from TMetric, caching the result or the error beside the last good day. */
async function refresh() {
  const config = await coreConfig();
  try {
    const view = await call("today", { config });
    saveDay(view, config).catch(() => {}); // the reply need not wait for the disk
    return { day: view };
  } catch (e) {
    const error = CoreError.from(e).toJSON();
    await store.set({ [KEYS.status]: { error, at: Date.now() } });
    throw error;
  }
}

async function saveDay(view, config) {
  await store.set({
    [KEYS.day]: { view, fetchedAt: Date.now(), accountId: config.accountId },
    [KEYS.status]: { error: null, at: Date.now() },
  });
}

/** Runs a write, then caches the fresh day it returns. */
async function write(method, args) {
  const config = await coreConfig();
  const { day } = await call(method, { config, ...args });
  await saveDay(day, config);
  return { day };
}

const PROJECTS_MAX_AGE_MS = 10 * 60 * 1000;

/** The projects for the picker, cached for ten minutes per workspace. */
async function projects(force) {
  const config = await coreConfig();
  const { [KEYS.projects]: cached } = await store.get(KEYS.projects);
  if (!force && cached && cached.accountId === config.accountId && Date.now() - cached.fetchedAt < PROJECTS_MAX_AGE_MS) {
    return cached.list;
  }
  const list = await call("projects", { config });
  await store.set({ [KEYS.projects]: { accountId: config.accountId, list, fetchedAt: Date.now() } });
  return list;
}
