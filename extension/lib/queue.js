// The durable queue. Every write (start, stop, log) is first recorded in
// chrome.storage.local with the moment the user acted, then sent. A network
// error, 429 or 5xx keeps it queued, retried in order with backoff on
// chrome.alarms; a replay keeps the user's times. Any other refusal takes
// the item out into `failed`, with what the user typed, for them to see.
import { call, CoreError } from "./core.js";
import * as store from "./store.js";

const { KEYS } = store;
export const RETRY_ALARM = "queue-retry";
const BACKOFF_MS = [15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
const DOUBLE_CLICK_MS = 1000;

let flushing = null;

// Every read-modify-write of the queue runs one at a time: two clicks in the
// same instant must not both read the queue before either writes it.
let writes = Promise.resolve();
function serially(fn) {
  const done = writes.then(fn);
  writes = done.catch(() => {});
  return done;
}

async function read() {
  const { [KEYS.queue]: queue = [], [KEYS.failed]: failed = [] } = await store.get(KEYS.queue, KEYS.failed);
  return { queue, failed };
}

/**
 * Records an action. A start that repeats the previous one within a second
 * (a double click) is the same action: its item is returned instead.
 */
export function enqueue(kind, data, at = Date.now()) {
  return serially(() => record(kind, data, at));
}

async function record(kind, data, at) {
  const { queue } = await read();
  const { [KEYS.lastStart]: last } = await store.get(KEYS.lastStart);
  if (kind === "start" && last && at - last.at < DOUBLE_CLICK_MS && last.key === startKey(data)) {
    return { id: last.id, duplicate: true };
  }
  // An action that has to wait behind others is a replay from the start.
  const item = { id: `${at}-${Math.random().toString(36).slice(2, 8)}`, kind, at, data, tries: 0, waited: queue.length > 0 };
  queue.push(item);
  const values = { [KEYS.queue]: queue };
  if (kind === "start") values[KEYS.lastStart] = { id: item.id, at, key: startKey(data) };
  await store.set(values);
  return item;
}

function startKey(d) {
  return JSON.stringify([d.note ?? "", d.projectId || 0, d.taskId || 0, d.tagIds ?? []]);
}

const NOW_MS = 60_000;

/**
 * The arguments an item is sent with. Sent straight away, a start or stop
 * means "now" (null times: TMetric's own clock). A replay (an item that
 * failed, waited behind others, or is over a minute old) keeps the moment
 * the user acted.
 */
function request(item) {
  const replay = item.tries > 0 || item.waited || Date.now() - item.at > NOW_MS;
  switch (item.kind) {
    case "start":
      return ["start", { ...item.data, startMs: replay ? item.at : 0 }];
    case "stop":
      return ["stop", { entryId: item.data.entryId || 0, atMs: replay ? item.at : 0 }];
    case "log":
      return ["logQuick", { ...item.data, atMs: item.at }];
  }
  throw new CoreError({ kind: "invalid", message: `unknown queued action ${item.kind}` });
}

const KEEP = new Set(["network", "server", "rateLimited", "unauthorized", "config", "internal"]);

/**
 * Sends the queue in order until it is empty or TMetric is unreachable.
 * Returns each handled item's outcome by id: {ok, result} | {queued, error} | {failed, error}.
 */
export function flush(config, onSent) {
  flushing ??= drain(config, onSent).finally(() => {
    flushing = null;
  });
  return flushing;
}

async function drain(config, onSent) {
  const outcomes = {};
  for (;;) {
    const { queue } = await read();
    const item = queue[0];
    if (!item) {
      await chrome.alarms.clear(RETRY_ALARM);
      return outcomes;
    }
    if (item.nextAt && item.nextAt > Date.now()) {
      // Waiting for its backoff: the alarm will come back for it.
      outcomes[item.id] = { queued: true, error: item.lastError };
      return outcomes;
    }
    const [method, args] = request(item);
    try {
      const result = await call(method, { config, ...args });
      await remove(item.id);
      outcomes[item.id] = { ok: true, result };
      await onSent?.(item, result);
    } catch (e) {
      const error = CoreError.from(e).toJSON();
      if (item.kind === "stop" && error.kind === "notFound") {
        // The timer is not running any more: the stop is done, and must not start anything.
        await remove(item.id);
        outcomes[item.id] = { ok: true, result: null, alreadyStopped: true };
        continue;
      }
      if (KEEP.has(error.kind)) {
        await retryLater(item, error);
        outcomes[item.id] = { queued: true, error };
        return outcomes;
      }
      await fail(item, error);
      outcomes[item.id] = { failed: true, error };
    }
  }
}

function remove(id) {
  return serially(async () => {
    const { queue } = await read();
    await store.set({ [KEYS.queue]: queue.filter((i) => i.id !== id) });
  });
}

function retryLater(item, error) {
  return serially(async () => {
    const { queue } = await read();
    const tries = item.tries + 1;
    const wait = Math.max(error.retryAfterMs || 0, BACKOFF_MS[Math.min(tries - 1, BACKOFF_MS.length - 1)]);
    const next = queue.map((i) => (i.id === item.id ? { ...i, tries, lastError: error, nextAt: Date.now() + wait } : i));
    await store.set({ [KEYS.queue]: next });
    await chrome.alarms.create(RETRY_ALARM, { when: Date.now() + wait });
  });
}

function fail(item, error) {
  return serially(async () => {
    const { queue, failed } = await read();
    await store.set({
      [KEYS.queue]: queue.filter((i) => i.id !== item.id),
      [KEYS.failed]: [...failed, { ...item, error, failedAt: Date.now() }].slice(-20),
    });
  });
}

/** Makes every queued item due now (the network is back, or the user asked). */
export function dueNow() {
  return serially(async () => {
    const { queue } = await read();
    if (queue.some((i) => i.nextAt)) {
      await store.set({ [KEYS.queue]: queue.map(({ nextAt, ...i }) => i) });
    }
  });
}

/** Forgets a failed item the user has seen. */
export function dismiss(id) {
  return serially(async () => {
    const { failed } = await read();
    await store.set({ [KEYS.failed]: failed.filter((i) => i.id !== id) });
  });
}

/** Takes a failed item out again, returning it (an action the caller reports itself). */
export function takeFailed(id) {
  return serially(async () => {
    const { failed } = await read();
    await store.set({ [KEYS.failed]: failed.filter((i) => i.id !== id) });
    return failed.find((i) => i.id === id);
  });
}
