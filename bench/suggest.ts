/**
 * `deno task bench:suggest`: quality and speed of the offline template suggestions
 * (domain/suggest.ts, the ranking services/suggestions.ts uses). Prints top-1 / top-3 accuracy
 * over the labelled set in bench/fixtures/suggest_fixture.ts, then the time per ticket with
 * 1 000 templates (the labelled ones plus generated distractors).
 */
import { buildIndex, type IndexDocument, rank } from "../domain/suggest.ts";
import { templateDocument } from "../services/suggestions.ts";
import { INQUIRIES, TEMPLATES } from "./fixtures/suggest_fixture.ts";

function docs(templates: typeof TEMPLATES): IndexDocument<number>[] {
  return templates.map((t, id) => templateDocument({ id, ...t }));
}

function accuracy(templates: typeof TEMPLATES) {
  const index = buildIndex(docs(templates));
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  for (const [key, subject, text] of INQUIRIES) {
    const ranked = rank(index, `${subject}\n${text}`, 3).map((r) => templates[r.key].key);
    if (ranked[0] === key) top1++;
    if (ranked.includes(key)) top3++;
    else misses.push(`  ${key}: ${subject} → ${ranked.join(", ") || "(none)"}`);
  }
  return { top1: top1 / INQUIRIES.length, top3: top3 / INQUIRIES.length, misses };
}

/** A seeded generator, so every run measures the same distractors. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

/** Distractor templates: sentences of the real ones recombined, under other titles. */
function distractors(n: number): typeof TEMPLATES {
  const random = prng(42);
  const sentences = TEMPLATES.flatMap((t) => t.body.split(/(?<=[。.])/).filter((s) => s.trim()));
  const words = TEMPLATES.flatMap((t) => t.title.split(/[・()\s/]+/).filter(Boolean));
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  return Array.from({ length: n }, (_, i) => ({
    key: `x${i}`,
    title: `${pick(words)}${pick(words)}のご案内 ${i}`,
    category: pick(TEMPLATES).category,
    body: Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(sentences)).join(""),
  }));
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const labelled = accuracy(TEMPLATES);
const japanese = INQUIRIES.filter(([k]) => !k.startsWith("en_")).length;
console.log(
  `labelled set: ${INQUIRIES.length} inquiries (${japanese} Japanese, ${
    INQUIRIES.length - japanese
  } English) over ${TEMPLATES.length} templates`,
);
console.log(
  `accuracy, ${TEMPLATES.length} templates: top-1 ${(labelled.top1 * 100).toFixed(1)} %, top-3 ${
    (labelled.top3 * 100).toFixed(1)
  } %`,
);

const many = [...TEMPLATES, ...distractors(1000 - TEMPLATES.length)];
const crowded = accuracy(many);
console.log(
  `accuracy, ${many.length} templates: top-1 ${(crowded.top1 * 100).toFixed(1)} %, top-3 ${
    (crowded.top3 * 100).toFixed(1)
  } %`,
);
if (Deno.args.includes("--misses")) console.log(labelled.misses.join("\n"));

// The app keeps one index and rebuilds it only when templates change (services/suggestions.ts):
// a ticket costs the ranking; the build is paid once per change.
const builds: number[] = [];
let index = buildIndex(docs(many));
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  index = buildIndex(docs(many));
  builds.push(performance.now() - t0);
}
for (let i = 0; i < 20; i++) rank(index, INQUIRIES[i][2]); // warm-up
const query: number[] = [];
for (let round = 0; round < 5; round++) {
  for (const [, subject, text] of INQUIRIES) {
    const t0 = performance.now();
    rank(index, `${subject}\n${text}`, 3);
    query.push(performance.now() - t0);
  }
}
builds.sort((a, b) => a - b);
query.sort((a, b) => a - b);
const fmt = (n: number) => n.toFixed(2);
console.log(
  `per ticket, ${many.length} templates: p50 ${fmt(percentile(query, 0.5))} ms, p95 ${
    fmt(percentile(query, 0.95))
  } ms, max ${fmt(query.at(-1)!)} ms (goal < 20 ms)`,
);
console.log(
  `index build after a template change, ${many.length} templates: p50 ${
    fmt(percentile(builds, 0.5))
  } ms`,
);
