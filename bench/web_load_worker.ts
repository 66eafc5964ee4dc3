/**
 * bench/web.ts's load clients for /healthz-under-load, on their own thread: `clients` loops
 * fetching `heavyPath` over a socket, and one poller fetching /healthz every 20 ms, each poll timed
 * from when it was due. Posts the poll latencies (ms) back once `seconds` have passed.
 */
interface Job {
  base: string;
  heavyPath: string;
  credential: string;
  seconds: number;
  clients: number;
}

self.onmessage = async (e: MessageEvent<Job>) => {
  const { base, heavyPath, credential, seconds, clients } = e.data;
  const headers: Record<string, string> = { "accept-encoding": "gzip" };
  if (credential.startsWith("Bearer ")) headers.authorization = credential;
  else headers.cookie = credential;
  let stop = false;
  const loaders = Array.from({ length: clients }, async () => {
    while (!stop) {
      const res = await fetch(`${base}${heavyPath}`, { headers });
      await res.arrayBuffer();
    }
  });
  await new Promise((r) => setTimeout(r, 200));
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until || latencies.length < 20) {
    const due = performance.now() + 20;
    await new Promise((r) => setTimeout(r, 20));
    const res = await fetch(`${base}/healthz`);
    await res.arrayBuffer();
    latencies.push(performance.now() - due);
  }
  stop = true;
  await Promise.all(loaders);
  self.postMessage(latencies);
};
