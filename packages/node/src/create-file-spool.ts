import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { type FileHandle, open, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { MeteringError, type SpoolV1, type UsageEvent } from "@usagepilot/core";
import { readSpoolSegment } from "./read-spool-segment";
import { SpoolLockedError } from "./spool-locked-error";

/** Options of `createFileSpool`. */
export interface FileSpoolOptions {
  /** The spool's directory, created when missing. One process per directory: a lock file guards it. */
  directory: string;
  /**
   * Group commit: appended events are written and fsynced together at most this often, in ms. An event is
   * durable once the sync after it completes, so a SIGKILL loses at most the last interval's events.
   * Default 50.
   */
  syncIntervalMs?: number;
  /** A segment file this large is closed and a new one started; settled segments are deleted. Default 8 MiB. */
  maxSegmentBytes?: number;
  /** Problems writing or reading the spool (the events stay in memory and are still written to storage). */
  onError?: (error: unknown) => void;
}

interface Segment {
  path: string;
  handle: FileHandle | undefined;
  bytes: number;
  /** Events in the file not yet settled; at zero (and closed) the file is deleted. */
  unsettled: number;
}

const lockName = "spool.lock";
// Directories this process holds: a second spool on one of them would interleave with the first.
const heldHere = new Set<string>();
const segmentPattern = /^segment-\d+-\d+-\d+\.ndjson$/;

/**
 * A write-ahead spool on local files for `UsagePilot({ spool })`: every captured event is appended to a
 * segment file and fsynced in groups; events stored by the storage are settled and their segments deleted;
 * a new process recovers what an old one captured and did not store.
 *
 * @example
 * const usage = new UsagePilot({ storage, spool: createFileSpool({ directory: ".usagepilot/spool" }) });
 */
export function createFileSpool(options: FileSpoolOptions): SpoolV1 {
  const directory = options.directory;
  const syncIntervalMs = options.syncIntervalMs ?? 50;
  const maxSegmentBytes = options.maxSegmentBytes ?? 8 * 1024 * 1024;
  const report = options.onError ?? ((error: unknown) => console.error("[usagepilot spool]", error));
  mkdirSync(directory, { recursive: true });
  takeLock(directory);
  // What an earlier process left: read on recover(); new segments are named after this moment and pid.
  const leftover = readdirSync(directory)
    .filter((name) => segmentPattern.test(name))
    .sort();

  let pending: UsageEvent[] = [];
  const pendingIds = new Set<string>();
  const settledEarly = new Set<string>();
  const segmentOf = new Map<string, Segment>();
  let active: Segment | undefined;
  let sequence = 0;
  let syncing: Promise<void> = Promise.resolve();
  let closed = false;

  // Deletions under way, so close() resolves only once settled segments are gone.
  const removals = new Set<Promise<void>>();
  const removeSegment = (segment: Segment) => {
    const removal = (async () => {
      try {
        await segment.handle?.close();
        segment.handle = undefined;
        await unlink(segment.path);
      } catch (error) {
        report(new MeteringError({ message: `The spool could not delete its settled segment ${segment.path}`, cause: error }));
      }
    })();
    removals.add(removal);
    void removal.then(() => removals.delete(removal));
  };

  const newSegment = async (): Promise<Segment> => {
    sequence += 1;
    const path = join(directory, `segment-${Date.now()}-${process.pid}-${sequence}.ndjson`);
    return { path, handle: await open(path, "a"), bytes: 0, unsettled: 0 };
  };

  const writePending = async () => {
    if (pending.length === 0) return;
    const batch = pending.filter((event) => !settledEarly.has(event.id));
    pending = [];
    pendingIds.clear();
    settledEarly.clear();
    if (batch.length === 0) return;
    if (!active || active.bytes >= maxSegmentBytes) {
      const previous = active;
      active = await newSegment();
      if (previous) {
        await previous.handle?.close();
        previous.handle = undefined;
        if (previous.unsettled === 0) removeSegment(previous);
      }
    }
    const segment = active;
    let text = "";
    for (const event of batch) text += `${JSON.stringify(event)}\n`;
    try {
      await segment.handle!.write(text);
      await segment.handle!.datasync();
    } catch (error) {
      report(new MeteringError({ message: `The spool could not write ${batch.length} event(s) to ${segment.path}; they are not durable until stored`, cause: error }));
      return;
    }
    segment.bytes += Buffer.byteLength(text);
    segment.unsettled += batch.length;
    for (const event of batch) segmentOf.set(event.id, segment);
  };

  const sync = (): Promise<void> => {
    // One write at a time, in order: each sync waits for the one before it.
    syncing = syncing.then(writePending, writePending);
    return syncing;
  };

  const timer = setInterval(() => {
    if (pending.length > 0) void sync();
  }, syncIntervalMs);
  timer.unref();

  return {
    specificationVersion: "v1",
    append(event) {
      if (closed) {
        report(new MeteringError({ message: `The spool is closed; event ${event.id} is only in memory` }));
        return;
      }
      pending.push(event);
      pendingIds.add(event.id);
    },
    async recover() {
      const events: UsageEvent[] = [];
      const seen = new Set<string>();
      for (const name of leftover) {
        const path = join(directory, name);
        const segment: Segment = { path, handle: undefined, bytes: 0, unsettled: 0 };
        try {
          const contents = readSpoolSegment(path);
          if (contents.unreadable > 0) report(new MeteringError({ message: `The spool segment ${path} had ${contents.unreadable} unreadable line(s) (a write cut by a crash); the rest is recovered` }));
          for (const event of contents.events) {
            if (seen.has(event.id)) continue;
            seen.add(event.id);
            events.push(event);
            segmentOf.set(event.id, segment);
            segment.unsettled += 1;
          }
        } catch (error) {
          report(new MeteringError({ message: `The spool could not read ${path}`, cause: error }));
          continue;
        }
        if (segment.unsettled === 0) removeSegment(segment);
      }
      leftover.length = 0;
      return events;
    },
    settle(events) {
      for (const event of events) {
        const segment = segmentOf.get(event.id);
        if (!segment) {
          // Stored before the spool wrote it: it need not be written at all.
          if (pendingIds.has(event.id)) settledEarly.add(event.id);
          continue;
        }
        segmentOf.delete(event.id);
        segment.unsettled -= 1;
        if (segment.unsettled === 0 && segment !== active) removeSegment(segment);
      }
    },
    sync,
    async close() {
      if (closed) return syncing;
      closed = true;
      clearInterval(timer);
      await sync();
      const last = active;
      active = undefined;
      if (last) {
        await last.handle?.close();
        last.handle = undefined;
        if (last.unsettled === 0) removeSegment(last);
      }
      await Promise.all(removals);
      releaseLock(directory);
    },
  };
}

/** Takes the directory's lock file, or throws `SpoolLockedError` while a live process holds it. */
function takeLock(directory: string): void {
  const path = join(directory, lockName);
  if (heldHere.has(resolve(directory))) throw new SpoolLockedError({ directory, pid: process.pid });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const descriptor = openSync(path, "wx");
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      heldHere.add(resolve(directory));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) throw new SpoolLockedError({ directory, pid: holder });
      // The holder died (SIGKILL leaves its lock behind): take over.
      unlinkSync(path);
    }
  }
  throw new SpoolLockedError({ directory, pid: -1 });
}

function releaseLock(directory: string): void {
  heldHere.delete(resolve(directory));
  try {
    unlinkSync(join(directory, lockName));
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
