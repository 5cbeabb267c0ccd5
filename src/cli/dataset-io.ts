/**
 * Datasets on disk, streamed line by line so no file is ever held whole: `.jsonl` or gzip (`.jsonl.gz`,
 * recognised by its magic bytes, whatever the name). Node only; the engine's `DatasetReader` does the
 * validating.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

/** A problem with a path the user named: reported as a usage error, never a stack trace. */
export class PathError extends Error {}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, "r");
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Calls `onLine` for every line of a dataset file (gzip or not), in order, without loading the file. */
export async function readLines(file: string, onLine: (line: string) => void | Promise<void>): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    throw new PathError(`cannot read "${file}": no such file`);
  }
  if (info.isDirectory()) throw new PathError(`cannot read "${file}": it is a directory`);
  const gz = await isGzip(file);
  if (!gz && file.endsWith(".gz")) throw new PathError(`"${file}" is named .gz but is not gzip data`);
  const input = createReadStream(file);
  const source = gz ? input.pipe(createGunzip()) : input;
  const failed = new Promise<never>((_, reject) => {
    source.on("error", (e: Error) =>
      reject(new PathError(`"${file}": ${gz ? "bad gzip data" : "read error"} (${e.message})`)),
    );
  });
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  const reading = (async () => {
    for await (const line of lines) {
      const wait = onLine(line);
      if (wait) await wait;
    }
  })();
  await Promise.race([reading, failed]);
}

/** Checks that `file` can be written: its folder exists and it is not itself a folder. */
export async function checkWritable(file: string): Promise<void> {
  const dir = dirname(file);
  const d = await stat(dir).catch(() => null);
  if (!d) throw new PathError(`cannot write "${file}": the folder "${dir}" does not exist`);
  if (!d.isDirectory()) throw new PathError(`cannot write "${file}": "${dir}" is not a folder`);
  const f = await stat(file).catch(() => null);
  if (f?.isDirectory()) throw new PathError(`cannot write "${file}": it is a folder; name a file inside it`);
}

async function write(ws: WriteStream, text: string): Promise<void> {
  if (!ws.write(text)) await once(ws, "drain");
}

/**
 * Writes a dataset whose header is known only at the end: episodes stream to a side file as they are
 * made, then the header and the episodes go to `file` (gzip when it ends in `.gz`), which appears only
 * when complete.
 */
export class DatasetWriter {
  private readonly part: string;
  private readonly body: WriteStream;

  private constructor(private readonly file: string) {
    this.part = `${file}.episodes.part`;
    this.body = createWriteStream(this.part);
  }

  static async create(file: string): Promise<DatasetWriter> {
    await checkWritable(file);
    return new DatasetWriter(file);
  }

  /** Appends one episode line. */
  episode(line: string): Promise<void> {
    return write(this.body, `${line}\n`);
  }

  /** Writes the header and the episodes to the file; removes the side file. */
  async finish(headerLine: string): Promise<void> {
    this.body.end();
    await once(this.body, "finish");
    const tmp = `${this.file}.part`;
    try {
      const out = createWriteStream(tmp);
      const sink = this.file.endsWith(".gz") ? createGzip({ level: 6 }) : null;
      const head = sink ?? out;
      const done = sink ? pipeline(sink, out) : once(out, "finish");
      await write(head as WriteStream, `${headerLine}\n`);
      await pipeline(createReadStream(this.part), head, { end: true });
      await done;
      await rename(tmp, this.file);
    } finally {
      await rm(this.part, { force: true });
      await rm(tmp, { force: true });
    }
  }

  /** Abandons the write: removes the side files. */
  async abort(): Promise<void> {
    this.body.destroy();
    await rm(this.part, { force: true });
  }
}
