// What the user should see: the last day TMetric sent, with the actions
// still waiting in the queue applied on top, so a timer started offline
// shows as running at once (marked as waiting to sync).

/**
 * @param {object|null} view the DayView last received (core's)
 * @param {Array} queue the pending actions, oldest first
 * @returns {{running: object|null, entries: Array}} running may be a pending start
 */
export function withPending(view, queue = []) {
  let running = view?.running ?? null;
  let entries = view?.entries ?? [];
  for (const item of queue) {
    if (item.kind === "start") {
      const pending = {
        id: 0, note: item.data.note ?? "", projectId: item.data.projectId || 0, project: item.data.project ?? "",
        startMs: item.at, running: true, pending: true, tagIds: item.data.tagIds ?? [],
      };
      entries = [pending, ...entries.map((e) => (e.running ? { ...e, running: false, endMs: item.at } : e))];
      running = pending;
    } else if (item.kind === "stop") {
      entries = entries.map((e) => (e.running ? { ...e, running: false, endMs: item.at, stopping: true } : e));
      running = null;
    } else if (item.kind === "log") {
      entries = [{ id: 0, note: item.data.note ?? "", startMs: item.at - item.data.minutes * 60_000, endMs: item.at,
        minutes: item.data.minutes, pending: true }, ...entries];
    }
  }
  return { running, entries };
}
