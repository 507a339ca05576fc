// Pages reach the service worker only through this: one message, one reply.
// A reply is {ok: result} or {error: ErrorView}.

/** Sends {what, ...data} to the service worker; throws the ErrorView on failure. */
export function send(what, data = {}) {
  return unwrap(chrome.runtime.sendMessage({ what, ...data }));
}

/** Turns a pending sendMessage into its result, or throws its ErrorView. */
export async function unwrap(pending) {
  let reply;
  try {
    reply = await pending;
  } catch (e) {
    throw { kind: "internal", message: `The extension's background did not answer: ${e.message ?? e}` };
  }
  if (!reply) throw { kind: "internal", message: "The extension's background did not answer." };
  if (reply.error) throw reply.error;
  return reply.ok;
}
