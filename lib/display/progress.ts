/**
 * A progress bar for long loops.
 *
 * In a live Jupyter session it shows one output and updates it in place
 * (`display_data` with a `display_id`, then `update_display_data`), at most
 * every `intervalMs`. In a headless run (no `Deno.jupyter`, or
 * `SGD_HEADLESS=1`, which the report and test tasks set) it prints a single
 * line when the loop is done. Both show count, rate and elapsed time; the
 * live bar also shows the ETA.
 *
 * @module
 */
import { escapeHtml } from "./mime.ts";
import { type DisplayContent, isHeadless, jupyterApi, publish } from "./delivery.ts";
import {
  assertFunction,
  assertInInterval,
  assertInteger,
  assertObject,
  assertString,
} from "../stats/validate.ts";

type Broadcast = (
  type: "display_data" | "update_display_data",
  content: DisplayContent,
) => Promise<unknown>;

function liveBroadcast(): Broadcast | undefined {
  if (isHeadless()) return undefined;
  // each update waits until the kernel has published it (delivery.ts), so none lands late
  return jupyterApi()?.broadcast ? publish : undefined;
}

/**
 * Formats seconds as `12.3 s`, `4 min 05 s` or `1 h 02 min`; `?` for an unknown (infinite)
 * duration.
 *
 * @throws RangeError for a negative or NaN number of seconds, TypeError for a non-number
 */
export function formatDuration(seconds: number): string {
  if (typeof seconds !== "number") {
    throw new TypeError(`seconds must be a number, got ${String(seconds)}`);
  }
  if (seconds !== Infinity) assertInInterval("seconds", seconds, 0, Infinity, "[)");
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ${String(Math.floor(seconds % 60)).padStart(2, "0")} s`;
  }
  return `${Math.floor(seconds / 3600)} h ${
    String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")
  } min`;
}

/** Progress of a loop of known length. */
export class Progress {
  readonly label: string;
  readonly total: number;
  count = 0;
  private readonly start: number;
  private last = 0;
  private readonly id: string;
  private readonly broadcast: Broadcast | undefined;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly print: (line: string) => void;
  private finished = false;
  private pending: Promise<void> = Promise.resolve();

  /**
   * @param label what is being done
   * @param total number of steps (integer ≥ 1)
   * @param options `intervalMs` between live updates; `now`, `print` and
   *   `broadcast` can be injected for tests
   */
  constructor(
    label: string,
    total: number,
    options: {
      intervalMs?: number;
      now?: () => number;
      print?: (line: string) => void;
      broadcast?: Broadcast | null;
    } = {},
  ) {
    assertString("label", label);
    assertInteger("total", total, 1);
    assertObject("options", options);
    if (options.intervalMs !== undefined) {
      assertInInterval("intervalMs", options.intervalMs, 0, Infinity, "[)");
    }
    if (options.now !== undefined) assertFunction("now", options.now);
    if (options.print !== undefined) assertFunction("print", options.print);
    if (options.broadcast != null) assertFunction("broadcast", options.broadcast);
    this.label = label;
    this.total = total;
    this.now = options.now ?? (() => performance.now());
    this.print = options.print ?? ((l) => console.log(l));
    this.intervalMs = options.intervalMs ?? 500;
    this.broadcast = options.broadcast === null ? undefined : options.broadcast ?? liveBroadcast();
    this.start = this.now();
    this.id = `progress-${Math.random().toString(36).slice(2)}`;
    if (this.broadcast) this.send("display_data");
  }

  /** Seconds since the start. */
  get elapsed(): number {
    return (this.now() - this.start) / 1000;
  }

  /** One line of text: `label: 40/100 (40%) 12.0/s, 3.3 s elapsed, ETA 5.0 s`. */
  text(): string {
    const t = this.elapsed;
    const rate = t > 0 ? this.count / t : 0;
    const pct = Math.round((100 * this.count) / this.total);
    const base = `${this.label}: ${this.count}/${this.total} (${pct}%) ${rate.toPrecision(3)}/s, ` +
      `${formatDuration(t)} elapsed`;
    if (this.count >= this.total) return `${base}, done`;
    const eta = rate > 0 ? (this.total - this.count) / rate : Infinity;
    return `${base}, ETA ${formatDuration(eta)}`;
  }

  private html(): string {
    const pct = Math.min(100, (100 * this.count) / this.total);
    return `<div style="font-family:monospace"><div style="width:320px;height:10px;background:#eee;` +
      `display:inline-block;vertical-align:middle"><div style="width:${
        pct.toFixed(1)
      }%;height:100%;` +
      `background:#0072B2"></div></div> ${escapeHtml(this.text())}</div>`;
  }

  private send(type: "display_data" | "update_display_data"): void {
    const content = {
      data: { "text/plain": this.text(), "text/html": this.html() },
      metadata: {},
      transient: { display_id: this.id },
    };
    this.pending = this.pending.then(async () => {
      await this.broadcast!(type, content);
    }).catch(() => {});
  }

  /** Advances by `n` steps (an integer >= 0). */
  tick(n = 1): void {
    assertInteger("n", n);
    if (this.finished) throw new RangeError(`progress "${this.label}" is already done`);
    this.count = Math.min(this.total, this.count + n);
    if (this.broadcast) {
      const t = this.now();
      if (t - this.last >= this.intervalMs || this.count >= this.total) {
        this.last = t;
        this.send("update_display_data");
      }
    }
  }

  /**
   * Lets a scheduled live update leave the kernel now: awaits its send, which gives the event
   * loop a turn. A loop that never awaits holds every update back until it ends, so await this
   * inside long async loops (after `tick`): the bar then moves while the work runs. Costs one
   * event-loop turn per update actually sent (at most one per `intervalMs`); a no-op headless.
   */
  async flush(): Promise<void> {
    if (this.broadcast) await this.pending;
  }

  /** Marks the loop finished: final in-place update, or the single headless line. */
  async done(): Promise<void> {
    if (this.finished) return;
    this.count = this.total;
    this.finished = true;
    if (this.broadcast) {
      this.send("update_display_data");
      await this.pending;
    } else {
      this.print(this.text());
    }
  }
}
