import type { InterceptionResults } from "./bench-interception";
import { mean, median } from "./statistics";

/** The quality bars from DESIGN.md. */
export const interceptionTargets = {
  /** Largest added time on a non-streaming call, as a fraction of the plain call. */
  maxAddedTime: 0.05,
  /** Smallest share of the plain-fetch throughput a stream keeps. */
  minThroughputShare: 0.95,
};

/** The verdicts and the headline numbers, for the console summary and the exit code. */
export interface InterceptionVerdict {
  addedTime: number;
  throughputShare: number;
  jsonPass: boolean;
  streamPass: boolean;
}

/**
 * Compares the results with the targets, using the median over rounds of each round's metered/plain
 * total time: a round's two sides run back to back, so a burst of load from another process skews one
 * round, not the verdict, while the cost of a rare slow call (GC) still counts inside every round.
 */
export function judgeInterception(results: InterceptionResults): InterceptionVerdict {
  const addedTime = median(results.json.roundRatios) - 1;
  const throughputShare = 1 / median(results.stream.roundRatios);
  return {
    addedTime,
    throughputShare,
    jsonPass: addedTime <= interceptionTargets.maxAddedTime,
    streamPass: throughputShare >= interceptionTargets.minThroughputShare,
  };
}

const milliseconds = (value: number) => `${value.toFixed(3)} ms`;
const microseconds = (milliseconds: number) => `${(milliseconds * 1000).toFixed(1)} µs`;
const percent = (value: number, signed = false) => `${signed && value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;
const thousands = (value: number) => Math.round(value).toLocaleString("en-US");
const verdict = (pass: boolean) => (pass ? "**pass**" : "**FAIL**");

/** Where and how the numbers were taken, for the section header. */
export interface MachineDescription {
  node: string;
  cores: number;
  cpu: string;
  date: string;
  /** The 1-minute load average when the run started: other work on the machine widens the spread. */
  loadAverage: number;
}

/** The interception section of BENCHMARKS.md: one table per benchmark, with the method and the checks. */
export function formatInterceptionMarkdown(results: InterceptionResults, machine: MachineDescription): string {
  const judged = judgeInterception(results);
  const { json, stream, sizes } = results;
  const added = (ratio: number) => ratio - 1;
  const share = (ratio: number) => 1 / ratio;
  const spread = (ratios: readonly number[], measure: (ratio: number) => number, signed: boolean) => {
    const sorted = ratios.map(measure).sort((left, right) => left - right);
    return `${percent(sorted[0]!, signed)} to ${percent(sorted[sorted.length - 1]!, signed)}`;
  };
  const chunksPerSecond = (times: readonly number[]) => (stream.chunks / mean(times)) * 1000;
  const megabytesPerSecond = (times: readonly number[]) => stream.bodyBytes / 1e6 / (mean(times) / 1000);
  const lines = [
    "## Interception",
    "",
    `Last run ${machine.date} · Node ${machine.node} · ${machine.cores} cores (${machine.cpu}), load average ${machine.loadAverage.toFixed(1)} at the start · plain \`fetch\` (undici) vs \`usage.createFetch(…)\` with the OpenAI adapter and a checking storage that keeps no event, same server, same run.`,
    "",
    `### Non-streaming chat completion (${(json.bodyBytes / 1024).toFixed(1)} KB recorded JSON answer)`,
    "",
    `${sizes.jsonRounds} rounds × ${sizes.jsonCallsPerRound} sequential calls per side, the side going first alternating (after ${sizes.jsonWarmupCalls} warm-up calls each); every call reads the whole body with \`response.json()\`. The verdict uses the median over rounds of the round's metered/plain total time; the metered side's total includes a \`usage.flush()\` at the end of its round, so recording it left queued (it records after the caller has its answer) counts there. The two rows above the verdict split it: the calls alone (what the caller waits) and the flush (the recording's own time).`,
    "",
    "| per call | plain fetch | UsagePilot | added time | target | result |",
    "| --- | ---: | ---: | ---: | ---: | :---: |",
    `| mean | ${milliseconds(mean(json.plain))} | ${milliseconds(mean(json.metered))} | ${percent(added(mean(json.metered) / mean(json.plain)), true)} | | |`,
    `| median | ${milliseconds(median(json.plain))} | ${milliseconds(median(json.metered))} | ${percent(added(median(json.metered) / median(json.plain)), true)} | | |`,
    `| the caller's time alone: median of the rounds' calls, without the flush | | | ${percent(added(median(json.callRatios)), true)} | | |`,
    `| recording afterwards: the round's flush, per call (median of the rounds) | | ${microseconds(median(json.meteredSettlePerCall))} | | | |`,
    `| median of the ${sizes.jsonRounds} rounds (range ${spread(json.roundRatios, added, true)}) | | | ${percent(judged.addedTime, true)} | ≤ +${percent(interceptionTargets.maxAddedTime)} | ${verdict(judged.jsonPass)} |`,
    "",
    `### Streaming chat completion (${thousands(stream.chunks)} content chunks, ${(stream.bodyBytes / 1024).toFixed(0)} KB of SSE)`,
    "",
    `${sizes.streamRounds} rounds × ${sizes.streamCallsPerRound} sequential streams per side, alternating as above (after ${sizes.streamWarmupCalls} warm-up streams each); the server writes one SSE event per write and the caller reads every byte. The request already sets \`stream_options.include_usage\`, so both sides send and receive the same bytes.`,
    "",
    "| per stream | plain fetch | UsagePilot | UsagePilot / plain | target | result |",
    "| --- | ---: | ---: | ---: | ---: | :---: |",
    `| throughput, mean (chunks/s) | ${thousands(chunksPerSecond(stream.plain))} | ${thousands(chunksPerSecond(stream.metered))} | ${percent(mean(stream.plain) / mean(stream.metered))} | | |`,
    `| throughput, mean (MB/s) | ${megabytesPerSecond(stream.plain).toFixed(1)} | ${megabytesPerSecond(stream.metered).toFixed(1)} | | | |`,
    `| time per stream, mean | ${milliseconds(mean(stream.plain))} | ${milliseconds(mean(stream.metered))} | | | |`,
    `| time per stream, median | ${milliseconds(median(stream.plain))} | ${milliseconds(median(stream.metered))} | | | |`,
    `| reads by the caller per stream | ${stream.reads.plain.toFixed(1)} | ${stream.reads.metered.toFixed(1)} | | | |`,
    `| throughput on the caller's time alone: median of the rounds' streams, without the flush | | | ${percent(share(median(stream.callRatios)))} | | |`,
    `| recording afterwards: the round's flush, per stream (median of the rounds) | | ${microseconds(median(stream.meteredSettlePerCall))} | | | |`,
    `| throughput, median of the ${sizes.streamRounds} rounds (range ${spread(stream.roundRatios, share, false)}) | | | ${percent(judged.throughputShare)} | ≥ ${percent(interceptionTargets.minThroughputShare)} | ${verdict(judged.streamPass)} |`,
    "",
    results.problems.length === 0
      ? `Checked: the metered side stored ${thousands(results.events)} events, one per metered call (warm-up included), each with the served model, \`user_id\` and usage; both sides read identical bodies; no \`onError\` reports.`
      : `**The metered path is broken; these numbers do not count:**\n\n${results.problems.map((problem) => `- ${problem}`).join("\n")}`,
  ];
  return lines.join("\n");
}
