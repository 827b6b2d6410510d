import assert from "node:assert/strict";
import {
  connectionFileFromArgs,
  connectionFileFromCommandLine,
  deliveryStatus,
  EchoWatcher,
  nonceIn,
  publish,
} from "../../lib/display/delivery.ts";
import {
  type ByteSource,
  zmtpFrame,
  zmtpGreeting,
  ZmtpReader,
  zmtpReady,
  zmtpSubscribe,
  type ZmtpSubscriber,
} from "../../lib/display/zmtp.ts";

const ENC = new TextEncoder();

/** A byte source that hands out `bytes` in chunks of `chunk` bytes, then ends. */
function chunked(bytes: Uint8Array, chunk: number): ByteSource {
  let at = 0;
  return {
    read(p: Uint8Array) {
      if (at >= bytes.length) return Promise.resolve(null);
      const n = Math.min(chunk, p.length, bytes.length - at);
      p.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A Jupyter IOPub message as frames: delimiter, signature, header, parent, metadata, content. */
function jupyterFrames(content: unknown): Uint8Array[] {
  return ["<IDS|MSG>", "sig", "{}", "{}", "{}", JSON.stringify(content)].map((s) => ENC.encode(s));
}

function multipart(frames: Uint8Array[]): Uint8Array {
  return concat(frames.map((f, i) => zmtpFrame(f, i < frames.length - 1)));
}

Deno.test("zmtpFrame: short and long frames, MORE and COMMAND flags, as ZMTP 3.0 lays them out", () => {
  assert.deepEqual(Array.from(zmtpFrame(Uint8Array.of(7, 8), true)), [0x01, 2, 7, 8]);
  const long = zmtpFrame(new Uint8Array(300), false, true);
  assert.equal(long[0], 0x06); // LONG | COMMAND
  assert.equal(new DataView(long.buffer).getBigUint64(1), 300n);
  assert.equal(long.length, 309);
  const g = zmtpGreeting();
  assert.equal(g.length, 64);
  assert.deepEqual([g[0], g[9], g[10], g[11], g[32]], [0xff, 0x7f, 3, 0, 0]);
  assert.equal(new TextDecoder().decode(g.subarray(12, 16)), "NULL");
  // READY: command flag, name length 5, "READY", property "Socket-Type" = "SUB"
  const r = zmtpReady("SUB");
  assert.equal(r[0], 0x04);
  assert.equal(new TextDecoder().decode(r.subarray(3, 8)), "READY");
  assert.equal(r.at(-1), "B".charCodeAt(0));
});

Deno.test("ZmtpReader: reassembles multipart messages from any chunking and skips commands", async () => {
  const big = new Uint8Array(70_000).fill(9);
  const stream = concat([
    zmtpReady("PUB"),
    multipart([ENC.encode("a"), big, ENC.encode("c")]),
    multipart([ENC.encode("single")]),
  ]);
  for (const chunk of [1, 3, 255, 256, 65_536, stream.length]) {
    const r = new ZmtpReader(chunked(stream, chunk));
    const m1 = await r.message();
    assert.equal(m1.length, 3, `chunk ${chunk}`);
    assert.deepEqual(m1[1], big);
    assert.deepEqual(await r.message(), [ENC.encode("single")]);
    await assert.rejects(r.message(), /connection closed/);
  }
  // flags a ZMTP 3 peer never sends
  await assert.rejects(
    new ZmtpReader(chunked(Uint8Array.of(0x80, 0), 8)).frame(),
    /bad frame flags/,
  );
});

/**
 * A PUB socket that behaves like the Deno kernel's: greeting, READY, reads one subscription,
 * then sends `messages` to the subscriber.
 */
function fakePub(messages: Uint8Array[][]): { port: number; done: Promise<string> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const done = (async () => {
    const conn = await listener.accept();
    listener.close();
    const r = new ZmtpReader(conn);
    await conn.write(zmtpGreeting());
    const greeting = await r.readExact(64);
    await conn.write(zmtpReady("PUB"));
    const ready = await r.frame();
    const sub = await r.message();
    for (const m of messages) await conn.write(multipart(m));
    conn.close();
    return `${greeting[10]}.${greeting[11]} ${ready.command} ${Array.from(sub[0]!)}`;
  })();
  return { port, done };
}

Deno.test("zmtpSubscribe: handshake with a kernel-like PUB socket, subscribes to everything, reads messages", async () => {
  const { port, done } = fakePub([jupyterFrames({ a: 1 }), jupyterFrames({ b: 2 })]);
  const sub = await zmtpSubscribe("127.0.0.1", port);
  const m1 = await sub.next();
  assert.equal(new TextDecoder().decode(m1[5]), '{"a":1}');
  assert.equal(new TextDecoder().decode((await sub.next())[5]), '{"b":2}');
  // version 3.0, a READY command, and a subscription to every topic (the byte 1)
  assert.equal(await done, "3.0 true 1");
  await assert.rejects(sub.next(), /connection closed/);
  sub.close();
});

Deno.test("zmtpSubscribe: a peer that is not ZMTP 3 is refused", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const server = (async () => {
    const conn = await listener.accept();
    listener.close();
    await conn.write(new Uint8Array(64)); // HTTP-like garbage: no 0xff signature
    await new Promise((r) => setTimeout(r, 20));
    conn.close();
  })();
  await assert.rejects(zmtpSubscribe("127.0.0.1", port), /not a ZMTP 3 socket/);
  await server;
});

Deno.test("connectionFileFromArgs and nonceIn: the forms a kernel command line and a content use", () => {
  const deno = ["/usr/bin/deno", "jupyter", "--kernel", "--conn", "/r/kernel-1.json", ""];
  assert.equal(connectionFileFromArgs(deno), "/r/kernel-1.json");
  assert.equal(connectionFileFromArgs(["x", "--conn=/r/k.json"]), "/r/k.json");
  assert.equal(
    connectionFileFromArgs(["python", "-m", "ipykernel", "-f", "/r/k2.json"]),
    "/r/k2.json",
  );
  assert.equal(connectionFileFromArgs(["deno", "run", "x.ts"]), undefined);
  assert.throws(() => connectionFileFromArgs("--conn x" as never), /args must be an array/);
  // ps prints the arguments joined by spaces (macOS): a path with spaces still comes out whole
  assert.equal(
    connectionFileFromCommandLine(
      "/opt/deno jupyter --kernel --conn /Users/a b/Library/Jupyter/runtime/kernel-1.json",
    ),
    "/Users/a b/Library/Jupyter/runtime/kernel-1.json",
  );
  assert.equal(
    connectionFileFromCommandLine("python -m ipykernel_launcher -f /r/k.json"),
    "/r/k.json",
  );
  assert.equal(connectionFileFromCommandLine("deno --conn=/r/k.json"), "/r/k.json");
  assert.equal(connectionFileFromCommandLine("deno run main.ts"), undefined);
  assert.equal(nonceIn('{"data":{},"transient":{"sgd_delivery":"n-1"}}'), "n-1");
  assert.equal(nonceIn('{"transient": {"display_id": "p", "sgd_delivery" : "n-2"}}'), "n-2");
  assert.equal(nonceIn('{"data":{"text/plain":"sgd_delivery"}}'), undefined);
});

/** A subscriber fed by hand. */
function manualSub(): ZmtpSubscriber & { push(m: Uint8Array[]): void; fail(): void } {
  const queue: Uint8Array[][] = [];
  let wake: (() => void) | undefined;
  let failed = false;
  return {
    async next() {
      while (!queue.length) {
        if (failed) throw new Error("connection closed");
        await new Promise<void>((r) => (wake = r));
      }
      return queue.shift()!;
    },
    push(m) {
      queue.push(m);
      wake?.();
    },
    fail() {
      failed = true;
      wake?.();
    },
    close() {},
  };
}

Deno.test("EchoWatcher: a wait resolves true when its nonce comes back, false on timeout or when the listener stops", async () => {
  const sub = manualSub();
  const w = new EchoWatcher(sub);
  const a = w.wait("a", 5_000);
  const b = w.wait("b", 5_000);
  sub.push(jupyterFrames({ transient: { sgd_delivery: "b" } }));
  assert.equal(await b, true);
  sub.push(jupyterFrames({ data: {} })); // someone else's message: ignored
  sub.push([ENC.encode("not a jupyter message")]);
  sub.push(jupyterFrames({ transient: { sgd_delivery: "a" } }));
  assert.equal(await a, true);
  assert.equal(await w.wait("never", 20), false);
  const c = w.wait("c", 5_000);
  sub.fail();
  assert.equal(await c, false);
  assert.match(w.stopped ?? "", /IOPub listener stopped: connection closed/);
  assert.equal(await w.wait("d", 5_000), false); // stopped: no wait at all
});

Deno.test("publish and deliveryStatus outside a kernel: nothing sent, the reason said; bad arguments named", async () => {
  assert.equal(await publish("display_data", { data: { "text/plain": "x" }, metadata: {} }), false);
  assert.deepEqual(await deliveryStatus(), {
    active: false,
    reason: "not running in a Deno Jupyter kernel",
  });
  await assert.rejects(
    publish("execute_result" as never, { data: {}, metadata: {} }),
    /type must be/,
  );
  await assert.rejects(publish("display_data", null as never), /content must be/);
});
