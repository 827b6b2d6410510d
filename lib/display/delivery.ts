/**
 * Outputs that land under the cell that made them, in a live front end.
 *
 * Why this exists. Deno's Jupyter kernel (2.9) runs user code on one thread and the Jupyter
 * protocol on another. An output (`Deno.jupyter.broadcast`, `Deno.jupyter.display`,
 * `console.log`) goes into a queue; a loop on the protocol thread takes it out, stamps it with
 * the parent header of whichever request is current *at that moment*, and sends it. The cell's
 * `execute_reply` does not wait for that queue. When a front end has queued several cells (Run
 * All), the next request becomes current as soon as the reply is out, so an output still queued
 * at the end of a cell (typically the one after a large figure, whose sending takes a while) is
 * stamped with the next cell and shows up there. Measured in classic Notebook before this module:
 * in notebooks 04–07 one output per notebook landed under the following cell.
 *
 * What it does. `publish` sends a message with a nonce in its `transient` field (which front
 * ends do not save) and waits until the kernel has published it, by listening to the kernel's
 * own IOPub socket as one more subscriber (`zmtp.ts`). The kernel sends each message to its
 * subscribers in the order they connected, so when ours sees it, the message has been stamped and
 * written to the front end's connection too, while the cell is still running. Messages leave the
 * queue in order, so everything the cell sent before is then out as well.
 *
 * The listener needs the kernel's connection file, read from the kernel's command line
 * (`--conn FILE`: from /proc on Linux, from `ps` elsewhere). Where that is not possible (another
 * kernel, no `ps`) or the connection fails, `publish` sends without waiting, as
 * `Deno.jupyter.broadcast` does, and `deliveryStatus()` says why. Each wait is bounded (`DELIVERY_TIMEOUT_MS`), so a stalled front
 * end slows a cell down but never hangs it.
 *
 * @module
 */
import { zmtpSubscribe, type ZmtpSubscriber } from "./zmtp.ts";

/** The longest a `publish` waits for its message to be seen on IOPub, in milliseconds. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** The `transient` key that carries the nonce. */
export const NONCE_KEY = "sgd_delivery";

/** The content of a display message. */
export interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: Record<string, unknown>;
}

/**
 * The connection file named on a kernel command line (`--conn FILE`, `--conn=FILE`, or
 * Jupyter's usual `-f FILE`), or undefined.
 */
export function connectionFileFromArgs(args: readonly string[]): string | undefined {
  if (!Array.isArray(args)) throw new TypeError(`args must be an array, got ${String(args)}`);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--conn" || a === "-f" || a === "--connection-file") return args[i + 1];
    for (const p of ["--conn=", "--connection-file="]) {
      if (a?.startsWith(p)) return a.slice(p.length);
    }
  }
  return undefined;
}

/** The nonce carried by a serialised message content, if any. */
export function nonceIn(contentJson: string): string | undefined {
  const m = /"sgd_delivery"\s*:\s*"([^"]+)"/.exec(contentJson);
  return m?.[1];
}

/** Whether `publish` waits for delivery, and if it does not, why. */
export type DeliveryState =
  | { active: true }
  | { active: false; reason: string };

/**
 * Watches a SUB connection for nonces and resolves the matching waits. A Jupyter message is
 * `<IDS|MSG>`, signature, header, parent header, metadata, content, …: the content is the fifth
 * frame after the delimiter.
 */
export class EchoWatcher {
  private readonly waiting = new Map<string, () => void>();
  private closed: string | undefined;
  private readonly dec = new TextDecoder();

  constructor(private readonly sub: ZmtpSubscriber) {
    this.loop();
  }

  /** Why the watcher stopped, or undefined while it runs. */
  get stopped(): string | undefined {
    return this.closed;
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        const parts = await this.sub.next();
        const delim = parts.findIndex((p) => p.length === 9 && this.dec.decode(p) === "<IDS|MSG>");
        const content = delim >= 0 ? parts[delim + 5] : undefined;
        if (!content) continue;
        const nonce = nonceIn(this.dec.decode(content));
        if (nonce === undefined) continue;
        const done = this.waiting.get(nonce);
        if (done) {
          this.waiting.delete(nonce);
          done();
        }
      }
    } catch (e) {
      this.closed = `the IOPub listener stopped: ${e instanceof Error ? e.message : String(e)}`;
      for (const done of this.waiting.values()) done();
      this.waiting.clear();
    }
  }

  /** Resolves true when `nonce` is seen, false after `timeoutMs` or when the listener stops. */
  wait(nonce: string, timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(nonce);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(nonce, () => {
        clearTimeout(timer);
        resolve(!this.closed);
      });
    });
  }

  close(): void {
    this.sub.close();
  }
}

/**
 * Whether this is a headless run (`SGD_HEADLESS=1`, set by the report and test tasks): no live
 * page to update or to serve plotly.js to. False without env permission.
 */
export function isHeadless(): boolean {
  try {
    return Deno.env.get("SGD_HEADLESS") === "1";
  } catch {
    return false;
  }
}

/** The parts of `Deno.jupyter` the library uses. */
export interface JupyterApi {
  broadcast?: (type: string, content: Record<string, unknown>) => Promise<void> | void;
}

/**
 * `Deno.jupyter` inside `deno jupyter`, undefined elsewhere (outside the
 * kernel merely reading `Deno.jupyter` throws).
 */
export function jupyterApi(): JupyterApi | undefined {
  try {
    return (Deno as unknown as { jupyter?: JupyterApi }).jupyter;
  } catch {
    return undefined;
  }
}

type Broadcast = (type: string, content: Record<string, unknown>) => unknown;

let watcher: Promise<EchoWatcher | string> | undefined;

function newNonce(): string {
  return crypto.randomUUID();
}

/**
 * The connection file named in a command line printed as one string (`ps -o args=`, where the
 * arguments are joined by spaces): the text after `--conn`, `--connection-file` or `-f` up to
 * `.json`, so a path with spaces survives.
 */
export function connectionFileFromCommandLine(line: string): string | undefined {
  if (typeof line !== "string") throw new TypeError(`line must be a string, got ${String(line)}`);
  return /(?:^|\s)(?:--conn|--connection-file|-f)(?:=|\s+)(.+?\.json)(?=\s|$)/.exec(line)?.[1];
}

/** The kernel's connection file: from /proc on Linux, else from `ps` (macOS, BSD). */
async function kernelConnectionFile(): Promise<string | undefined> {
  try {
    return connectionFileFromArgs((await Deno.readTextFile("/proc/self/cmdline")).split("\0"));
  } catch { /* no /proc: ask ps */ }
  const out = await new Deno.Command("ps", {
    args: ["-o", "args=", "-p", String(Deno.pid)],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error(`ps exited with code ${out.code}`);
  return connectionFileFromCommandLine(new TextDecoder().decode(out.stdout).trim());
}

/**
 * Connects the listener once per kernel and proves it receives: it publishes a `status: busy`
 * message (harmless: the kernel is busy running this cell) with a nonce until one comes back.
 */
async function startWatcher(broadcast: Broadcast): Promise<EchoWatcher | string> {
  let file: string | undefined;
  try {
    file = await kernelConnectionFile();
  } catch (e) {
    return `the kernel's command line cannot be read (${e instanceof Error ? e.message : e})`;
  }
  if (!file) return "the kernel's command line names no connection file";
  let info: { ip?: unknown; iopub_port?: unknown; transport?: unknown };
  try {
    info = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    return `the connection file ${file} cannot be read (${e instanceof Error ? e.message : e})`;
  }
  if (info.transport !== undefined && info.transport !== "tcp") {
    return `the kernel uses transport ${String(info.transport)}, not tcp`;
  }
  if (typeof info.iopub_port !== "number" || typeof info.ip !== "string") {
    return `the connection file ${file} has no ip and iopub_port`;
  }
  const host = info.ip === "0.0.0.0" || info.ip === "" ? "127.0.0.1" : info.ip;
  let w: EchoWatcher;
  try {
    w = new EchoWatcher(await zmtpSubscribe(host, info.iopub_port));
  } catch (e) {
    return `cannot subscribe to IOPub at ${host}:${info.iopub_port} (${
      e instanceof Error ? e.message : e
    })`;
  }
  // The kernel adds a subscriber once it has read its subscription; probe until one comes back.
  for (let tries = 0; tries < 40; tries++) {
    const nonce = newNonce();
    const seen = w.wait(nonce, 250);
    await broadcast("status", { execution_state: "busy", transient: { [NONCE_KEY]: nonce } });
    if (await seen) return w;
    if (w.stopped) return w.stopped;
  }
  w.close();
  return "no message came back on IOPub within 10 s";
}

function liveBroadcast(): Broadcast | undefined {
  const j = jupyterApi();
  return j?.broadcast ? j.broadcast.bind(j) : undefined;
}

/** Whether `publish` waits for delivery, and if not, why. */
export async function deliveryStatus(): Promise<DeliveryState> {
  const broadcast = liveBroadcast();
  if (!broadcast) return { active: false, reason: "not running in a Deno Jupyter kernel" };
  const w = await (watcher ??= startWatcher(broadcast));
  if (typeof w === "string") return { active: false, reason: w };
  return w.stopped ? { active: false, reason: w.stopped } : { active: true };
}

/**
 * Sends a `display_data` or `update_display_data` message from a Deno kernel and waits (at most
 * `DELIVERY_TIMEOUT_MS`) until the kernel has published it. Returns false outside a kernel (nothing
 * sent).
 */
export async function publish(
  type: "display_data" | "update_display_data",
  content: DisplayContent,
): Promise<boolean> {
  if (type !== "display_data" && type !== "update_display_data") {
    throw new RangeError(`type must be "display_data" or "update_display_data", got ${type}`);
  }
  if (content === null || typeof content !== "object" || typeof content.data !== "object") {
    throw new TypeError(`content must be {data, metadata, transient?}, got ${String(content)}`);
  }
  const broadcast = liveBroadcast();
  if (!broadcast) return false;
  const w = await (watcher ??= startWatcher(broadcast));
  if (typeof w === "string" || w.stopped) {
    await broadcast(type, { ...content, transient: content.transient ?? {} });
    return true;
  }
  const nonce = newNonce();
  const seen = w.wait(nonce, DELIVERY_TIMEOUT_MS);
  await broadcast(type, { ...content, transient: { ...content.transient, [NONCE_KEY]: nonce } });
  await seen;
  return true;
}
