// Sync jobs (reference 3.6), simulated from the clock. A job starts with a fixed duration, outcome
// and item count (the `jobDurationMs`, `jobOutcome`, `jobErrorReason` and `jobItemCount` switches
// at its start); its items are indexed one after another, evenly over its duration; it ends when
// the duration is over or when it is cancelled. Everything else (the job object, its logs, the
// instance's stats) is derived from that and the time, so nothing needs a timer and a fake clock
// in tests moves jobs forward exactly.
//
// Inferred, not documented (the reference gives the fields, not their values): `end_reason` is
// `completed` for a job that indexed everything, `cancelled` after a cancel, and the configured
// error reason otherwise; logs have one line at the start, one per item and one at the end.
import type { EmulatorBehaviour } from "./config";
import { uuid } from "./ids";
import type { InstanceRecord, JobRecord } from "./model";
import type { InstanceStatsResponse, JobLogResponse, JobResponse } from "./responses";

export const END_REASON_COMPLETED = "completed";
export const END_REASON_CANCELLED = "cancelled";

/** `message_type` of a log line (the SDK types it a number without naming the values). */
export const LOG_INFO = 1;
export const LOG_ERROR = 2;

/** A job of this instance starting now, with the job switches as they are now. */
export function newJob(
  instance: InstanceRecord,
  behaviour: EmulatorBehaviour,
  nowMs: number,
  source: "user" | "schedule",
  description: string | null,
): JobRecord {
  return {
    id: uuid(),
    namespace: instance.namespace,
    instanceId: instance.id,
    source,
    description,
    startedAtMs: nowMs,
    durationMs: behaviour.jobDurationMs,
    outcome: behaviour.jobOutcome,
    errorReason: behaviour.jobErrorReason,
    itemCount: behaviour.jobItemCount,
  };
}

/** Where a job stands at a given time. */
export interface JobPhase {
  /** Items handled so far (indexed, or failed when the outcome is `error`). */
  processed: number;
  /** Set once the job has ended. */
  endedAtMs?: number;
  endReason?: string;
}

/** The moment item `index` (0-based) is handled, relative to the start. */
function itemOffsetMs(job: JobRecord, index: number): number {
  return Math.ceil(((index + 1) * job.durationMs) / job.itemCount);
}

function processedBy(job: JobRecord, atMs: number): number {
  if (job.itemCount === 0) return 0;
  const elapsed = atMs - job.startedAtMs;
  if (elapsed >= job.durationMs) return job.itemCount;
  if (elapsed <= 0) return 0;
  let n = 0;
  while (n < job.itemCount && itemOffsetMs(job, n) <= elapsed) n++;
  return n;
}

export function jobPhase(job: JobRecord, nowMs: number): JobPhase {
  const naturalEnd = job.startedAtMs + job.durationMs;
  if (job.cancelledAtMs !== undefined && job.cancelledAtMs < naturalEnd) {
    const at = Math.min(nowMs, job.cancelledAtMs);
    return {
      processed: processedBy(job, at),
      ...(nowMs >= job.cancelledAtMs
        ? { endedAtMs: job.cancelledAtMs, endReason: END_REASON_CANCELLED }
        : {}),
    };
  }
  if (nowMs < naturalEnd) return { processed: processedBy(job, nowMs) };
  return {
    processed: job.itemCount,
    endedAtMs: naturalEnd,
    endReason: job.outcome === "success" ? END_REASON_COMPLETED : job.errorReason,
  };
}

/** True while the job runs: only then can it be cancelled. */
export function jobIsRunning(job: JobRecord, nowMs: number): boolean {
  return jobPhase(job, nowMs).endedAtMs === undefined;
}

export function jobView(job: JobRecord, nowMs: number, time: (ms: number) => string): JobResponse {
  const phase = jobPhase(job, nowMs);
  const view: JobResponse = {
    id: job.id,
    source: job.source,
    started_at: time(job.startedAtMs),
    last_seen_at: time(Math.min(nowMs, phase.endedAtMs ?? nowMs)),
  };
  if (job.description !== null) view.description = job.description;
  if (phase.endedAtMs !== undefined) {
    view.ended_at = time(phase.endedAtMs);
    view.end_reason = phase.endReason!;
  }
  return view;
}

/** The name of item `index` of a job's data source (the emulator has no real bucket or site). */
export function itemName(index: number): string {
  return `item-${String(index + 1).padStart(3, "0")}.md`;
}

/** Every log line the job has written by now, oldest first. */
export function jobLogs(job: JobRecord, nowMs: number): JobLogResponse[] {
  const phase = jobPhase(job, nowMs);
  const lines: JobLogResponse[] = [];
  const add = (atMs: number, message: string, type: number) =>
    lines.push({ id: lines.length + 1, created_at: atMs, message, message_type: type });
  add(job.startedAtMs, `Sync job started (${job.source})`, LOG_INFO);
  for (let i = 0; i < phase.processed; i++) {
    const at = job.startedAtMs + itemOffsetMs(job, i);
    if (job.outcome === "success") add(at, `Indexed ${itemName(i)}`, LOG_INFO);
    else add(at, `Failed to index ${itemName(i)}: ${job.errorReason}`, LOG_ERROR);
  }
  if (phase.endedAtMs !== undefined) {
    const reason = phase.endReason!;
    if (reason === END_REASON_COMPLETED) {
      add(phase.endedAtMs, `Sync job completed: ${job.itemCount} items indexed`, LOG_INFO);
    } else if (reason === END_REASON_CANCELLED) {
      add(phase.endedAtMs, `Sync job cancelled after ${phase.processed} of ${job.itemCount} items`, LOG_INFO);
    } else {
      add(phase.endedAtMs, `Sync job failed: ${reason}`, LOG_ERROR);
    }
  }
  return lines;
}

/**
 * An instance's stats, from its latest job: before any job every count is 0; while it runs its
 * items move from `queued` to `running` (one at a time) to `completed`, or to `error` when the
 * job's outcome is `error`; a cancelled job's unhandled items are counted nowhere.
 */
export function instanceStats(
  latest: JobRecord | undefined,
  nowMs: number,
  time: (ms: number) => string,
): InstanceStatsResponse {
  const stats: InstanceStatsResponse = {
    completed: 0,
    queued: 0,
    running: 0,
    error: 0,
    skipped: 0,
    outdated: 0,
    last_activity: null,
    file_embed_errors: {},
    index_source_errors: {},
  };
  if (!latest) return stats;
  const phase = jobPhase(latest, nowMs);
  if (latest.outcome === "success") stats.completed = phase.processed;
  else {
    stats.error = phase.processed;
    for (let i = 0; i < phase.processed; i++) stats.file_embed_errors[itemName(i)] = latest.errorReason;
  }
  if (phase.endedAtMs === undefined) {
    const left = latest.itemCount - phase.processed;
    stats.running = left > 0 ? 1 : 0;
    stats.queued = Math.max(0, left - 1);
  }
  stats.last_activity = time(Math.min(nowMs, phase.endedAtMs ?? nowMs));
  return stats;
}
