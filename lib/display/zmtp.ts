/**
 * A ZMTP 3.0 subscriber, just enough to listen to a Jupyter kernel's IOPub socket: the greeting
 * and READY handshake of the NULL mechanism, a subscription to every topic, and a reader that
 * turns the byte stream into multipart messages. It never sends a message, so it needs no key.
 *
 * Used by `delivery.ts` to see when the Deno kernel has actually published an output (see there
 * for why). Written against the ZMTP 3.0 specification (rfc.zeromq.org/spec/23) and the kernel's
 * own implementation (Deno 2.9, `cli/js/jupyter_kernel.js`), which accepts any number of
 * subscribers and sends every message to each of them in the order they connected.
 *
 * @module
 */

const ENC = new TextEncoder();

/** The 64-octet ZMTP 3.0 greeting of a NULL-mechanism client (as-server = 0). */
export function zmtpGreeting(): Uint8Array {
  const g = new Uint8Array(64);
  g[0] = 0xff;
  g[9] = 0x7f;
  g[10] = 3; // version 3.0
  g.set(ENC.encode("NULL"), 12);
  return g;
}

/** One frame: flags (MORE 0x01, LONG 0x02, COMMAND 0x04), the size, then the body. */
export function zmtpFrame(body: Uint8Array, more: boolean, command = false): Uint8Array {
  const long = body.length > 255;
  const flag = (more ? 0x01 : 0) | (long ? 0x02 : 0) | (command ? 0x04 : 0);
  const head = long ? 9 : 2;
  const out = new Uint8Array(head + body.length);
  out[0] = flag;
  if (long) new DataView(out.buffer).setBigUint64(1, BigInt(body.length));
  else out[1] = body.length;
  out.set(body, head);
  return out;
}

/** The READY command announcing `socketType` (e.g. "SUB"). */
export function zmtpReady(socketType: string): Uint8Array {
  const name = ENC.encode("READY");
  const key = ENC.encode("Socket-Type");
  const value = ENC.encode(socketType);
  const body = new Uint8Array(1 + name.length + 1 + key.length + 4 + value.length);
  let o = 0;
  body[o++] = name.length;
  body.set(name, o);
  o += name.length;
  body[o++] = key.length;
  body.set(key, o);
  o += key.length;
  new DataView(body.buffer).setUint32(o, value.length);
  o += 4;
  body.set(value, o);
  return zmtpFrame(body, false, true);
}

/** A ZMTP 3.0 subscription message for every topic (one frame holding the byte 1). */
export function zmtpSubscribeAll(): Uint8Array {
  return zmtpFrame(Uint8Array.of(1), false);
}

/** Something bytes can be read from (a `Deno.Conn`, or a test double). */
export interface ByteSource {
  read(p: Uint8Array): Promise<number | null>;
}

/**
 * Reads frames and multipart messages from a byte stream, buffering reads.
 */
export class ZmtpReader {
  private buf = new Uint8Array(0);
  private start = 0;
  private end = 0;

  constructor(private readonly source: ByteSource) {}

  /** Exactly `n` bytes; throws when the stream ends first. */
  async readExact(n: number): Promise<Uint8Array> {
    let have = this.end - this.start;
    if (have < n) {
      // one buffer big enough for the n bytes and a further read, filled in place
      const next = new Uint8Array(Math.max(n, 65_536));
      next.set(this.buf.subarray(this.start, this.end));
      this.buf = next;
      this.start = 0;
      this.end = have;
      while (have < n) {
        const got = await this.source.read(this.buf.subarray(this.end));
        if (got === null) throw new Error("zmtp: connection closed");
        this.end += got;
        have += got;
      }
    }
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    return out;
  }

  /** One frame. */
  async frame(): Promise<{ body: Uint8Array; more: boolean; command: boolean }> {
    const [flag] = await this.readExact(1) as unknown as [number];
    if (flag & 0xf8) throw new Error(`zmtp: bad frame flags ${flag}`);
    let size: number;
    if (flag & 0x02) {
      const b = await this.readExact(8);
      const big = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`zmtp: frame of ${big} bytes`);
      size = Number(big);
    } else {
      size = (await this.readExact(1))[0]!;
    }
    return {
      body: await this.readExact(size),
      more: (flag & 0x01) !== 0,
      command: (flag & 0x04) !== 0,
    };
  }

  /** The next multipart message (its frames), skipping commands. */
  async message(): Promise<Uint8Array[]> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const f = await this.frame();
      if (f.command) {
        if (parts.length) throw new Error("zmtp: command inside a multipart message");
        continue;
      }
      parts.push(f.body);
      if (!f.more) return parts;
    }
  }
}

/** A connected, subscribed SUB socket: `next()` yields each published multipart message. */
export interface ZmtpSubscriber {
  next(): Promise<Uint8Array[]>;
  close(): void;
}

/**
 * Connects to a PUB socket at `hostname:port`, does the NULL handshake and subscribes to every
 * topic.
 */
export async function zmtpSubscribe(hostname: string, port: number): Promise<ZmtpSubscriber> {
  const conn = await Deno.connect({ hostname, port });
  try {
    const write = async (b: Uint8Array) => {
      for (let o = 0; o < b.length;) o += await conn.write(b.subarray(o));
    };
    const reader = new ZmtpReader(conn);
    await write(zmtpGreeting());
    const greeting = await reader.readExact(64);
    if (greeting[0] !== 0xff || greeting[9] !== 0x7f || greeting[10]! < 3) {
      throw new Error("zmtp: the peer is not a ZMTP 3 socket");
    }
    await write(zmtpReady("SUB"));
    const ready = await reader.frame();
    if (!ready.command) throw new Error("zmtp: expected the peer's READY command");
    await write(zmtpSubscribeAll());
    return {
      next: () => reader.message(),
      close: () => {
        try {
          conn.close();
        } catch { /* already closed */ }
      },
    };
  } catch (e) {
    try {
      conn.close();
    } catch { /* already closed */ }
    throw e;
  }
}
