// One notification at a time: a new message replaces the last, so quick
// actions never pile up notifications.
const ID = "timebar";

export async function notify(title, message) {
  try {
    await chrome.notifications.clear(ID);
    await chrome.notifications.create(ID, {
      type: "basic", iconUrl: chrome.runtime.getURL("icons/idle-128.png"), title, message, priority: 0,
    });
  } catch {
    // Notifications turned off for the browser: the badge still tells.
  }
}
