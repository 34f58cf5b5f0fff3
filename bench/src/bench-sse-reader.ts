import { createSseReader, type SseMessage } from "@usagepilot/core";
import { synthesizeChatStream } from "@usagepilot/testing";
import { createParser } from "eventsource-parser";
import { median } from "./statistics";

/** The baseline reader: a streaming `TextDecoder` in front of `eventsource-parser` (what core used before). */
function eventsourceParserReader(onMessage: (message: SseMessage) => void) {
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: (event) => onMessage({ event: event.event, data: event.data, id: event.id }) });
  return {
    push(bytes: Uint8Array) {
      parser.feed(decoder.decode(bytes, { stream: true }));
    },
    end() {
      parser.feed(`${decoder.decode()}\n\n`);
      parser.reset();
    },
  };
}

type MakeReader = (onMessage: (message: SseMessage) => void) => { push(bytes: Uint8Array): void; end(): void };
const readers: Record<"eventsource-parser" | "core", MakeReader> = { "eventsource-parser": eventsourceParserReader, core: createSseReader };

/** One workload: what a metered stream has framed, run many times. */
interface Workload {
  label: string;
  /** Runs per round and reader: a few milliseconds of work. */
  runsPerRound: number;
  run: (make: MakeReader, onMessage: (message: SseMessage) => void) => void;
}

/** Per-run microseconds of each reader on each workload, and the messages each framed (to compare). */
export interface SseReaderResults {
  rounds: number;
  workloads: { label: string; baselineMicros: number; coreMicros: number }[];
  /** Empty when both readers framed the same messages on every workload. */
  problems: string[];
}

/**
 * The SSE reader against the one it replaced, on the same bytes in one run: a whole 1,000-chunk chat
 * stream split as undici hands it over (19 reads), and what a metered stream frames since it reads only
 * a stream's head and last events (two readers, four events). Rounds alternate the readers.
 */
export function benchSseReader(quick: boolean): SseReaderResults {
  const bytes = new TextEncoder().encode(synthesizeChatStream({ usage: { prompt_tokens: 12, completion_tokens: 1000 }, chunks: 1000, includeUsage: true, model: "gpt-4o-mini" }));
  const pieces: Uint8Array[] = [];
  const size = Math.ceil(bytes.length / 19);
  for (let offset = 0; offset < bytes.length; offset += size) pieces.push(bytes.subarray(offset, offset + size));
  const boundaries = [...new TextDecoder().decode(bytes).matchAll(/\n\n/g)].map((match) => match.index + 2);
  const head = bytes.subarray(0, boundaries[0]);
  const tail = bytes.subarray(boundaries[boundaries.length - 4]);
  const workloads: Workload[] = [
    {
      label: "a whole 1,000-chunk stream in 19 reads",
      runsPerRound: quick ? 5 : 40,
      run(make, onMessage) {
        const reader = make(onMessage);
        for (const piece of pieces) reader.push(piece);
        reader.end();
      },
    },
    {
      label: "a metered stream's head and last three events",
      runsPerRound: quick ? 200 : 4000,
      run(make, onMessage) {
        make(onMessage).push(head);
        const last = make(onMessage);
        last.push(tail);
        last.end();
      },
    },
  ];
  const rounds = quick ? 4 : 40;
  const problems: string[] = [];
  const results = workloads.map((workload) => {
    const framed = Object.fromEntries(Object.entries(readers).map(([name, make]) => [name, [] as SseMessage[]]));
    for (const [name, make] of Object.entries(readers)) workload.run(make, (message) => framed[name]!.push(message));
    if (JSON.stringify(framed.core) !== JSON.stringify(framed["eventsource-parser"])) problems.push(`${workload.label}: the readers framed different messages`);
    const { runsPerRound } = workload;
    let sink = 0;
    const count = (message: SseMessage) => {
      sink += message.data.length;
    };
    const times: Record<string, number[]> = { "eventsource-parser": [], core: [] };
    for (let warm = 0; warm < runsPerRound; warm += 1) for (const make of Object.values(readers)) workload.run(make, count);
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? (["eventsource-parser", "core"] as const) : (["core", "eventsource-parser"] as const);
      for (const name of order) {
        const started = performance.now();
        for (let run = 0; run < runsPerRound; run += 1) workload.run(readers[name], count);
        times[name]!.push(((performance.now() - started) * 1000) / runsPerRound);
      }
    }
    if (sink === 0) problems.push(`${workload.label}: nothing was framed`);
    return { label: workload.label, baselineMicros: median(times["eventsource-parser"]!), coreMicros: median(times.core!) };
  });
  return { rounds, workloads: results, problems };
}

/** The Markdown section of the SSE reader benchmark. */
export function formatSseReaderMarkdown(results: SseReaderResults, run: { node: string; date: string }): string {
  const rows = results.workloads.map((workload) => `| ${workload.label} | ${workload.baselineMicros.toFixed(1)} µs | ${workload.coreMicros.toFixed(1)} µs | ${((workload.coreMicros / workload.baselineMicros) * 100).toFixed(0)}% |`);
  return [
    "## SSE framing",
    "",
    `Last run ${run.date} · Node ${run.node} · \`bench/src/bench-sse-reader.ts\`.`,
    "",
    "Core's `createSseReader` (its own WHATWG framing behind one shared UTF-8 decoder) against the reader it replaced: a streaming `TextDecoder` in front of `eventsource-parser` 3.1.1, on the same bytes in the same process. " +
      `Median over ${results.rounds} rounds whose first reader alternates; both readers frame the same messages (checked on each workload, and by a property test in \`packages/core\`).`,
    "",
    "| workload | `TextDecoder` + `eventsource-parser` | `createSseReader` | core / baseline |",
    "| --- | ---: | ---: | ---: |",
    ...rows,
  ].join("\n");
}
