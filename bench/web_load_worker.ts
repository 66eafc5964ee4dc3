/**
 * bench/web.ts's load clients, on their own thread (a Worker) or process (served mode, run as a
 * script with the job as JSON). For /healthz-under-load: `clients` loops
 * fetching `heavyPath` over a socket, and one poller fetching /healthz every 20 ms, each poll timed
 * from when it was due. Posts the poll latencies (ms) back once `seconds` have passed.
 */
interface Job {
  base: string;
  heavyPath: string;
  credential: string;
  seconds: number;
  clients: number;
  /**
   * Served mode: no poller; each client cycles through these paths (an `api:` prefix sends the
   * bearer token instead of the cookie) and the answer is {requests, latencies}.
   */
  paths?: string[];
  bearer?: string;
}

/** Served mode's answer. */
export interface ServedResult {
  requests: number;
  latencies: number[];
}

async function run(job: Job): Promise<number[] | ServedResult> {
  const { base, heavyPath, credential, seconds, clients } = job;
  const headers: Record<string, string> = { "accept-encoding": "gzip" };
  if (credential.startsWith("Bearer ")) headers.authorization = credential;
  else headers.cookie = credential;
  if (job.paths) {
    const paths = job.paths;
    const apiHeaders = { "accept-encoding": "gzip", authorization: job.bearer ?? "" };
    const latencies: number[] = [];
    const until = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < until; i++) {
        const path = paths[i % paths.length];
        const api = path.startsWith("api:");
        const t = performance.now();
        const res = await fetch(`${base}${api ? path.slice(4) : path}`, {
          headers: api ? apiHeaders : headers,
        });
        await res.arrayBuffer();
        if (res.status >= 400) throw new Error(`${path}: ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }));
    return { requests: latencies.length, latencies };
  }
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
  return latencies;
}

if (Deno.args[0]?.startsWith("{")) {
  // As a process of its own (served mode: the clients' memory is not the server's). A Worker's
  // import.meta.main is true too, so the job argument tells which this is.
  console.log(JSON.stringify(await run(JSON.parse(Deno.args[0]))));
} else {
  self.onmessage = async (e: MessageEvent<Job>) => self.postMessage(await run(e.data));
}
