/**
 * One live stream per agent page (GET /events, Server-Sent Events), shared by every island that
 * listens. The browser's EventSource reconnects by itself and sends Last-Event-ID, so the server
 * replays what was missed; a `reset` (the server restarted) asks for a reload.
 */
type Listener = (data: Record<string, unknown>) => void;

const listeners = new Map<string, Set<Listener>>();
let source: EventSource | null = null;

/** Listens to events of `type`; opens the page's stream on first use. */
export function onLive(type: string, fn: Listener): () => void {
  let set = listeners.get(type);
  if (!set) {
    set = new Set();
    listeners.set(type, set);
    source?.addEventListener(type, dispatch);
  }
  set.add(fn);
  open();
  return () => set.delete(fn);
}

function dispatch(e: Event) {
  const m = e as MessageEvent<string>;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(m.data);
  } catch {
    return;
  }
  for (const fn of listeners.get(m.type) ?? []) fn(data);
}

function open() {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource("/events");
  for (const type of listeners.keys()) source.addEventListener(type, dispatch);
}

/** Closes the stream (the page is going away). */
export function closeLive() {
  source?.close();
  source = null;
}
