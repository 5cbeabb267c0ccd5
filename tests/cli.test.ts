import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/fq.ts";
import { rawLevel } from "./helpers.ts";

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("fq CLI", () => {
  it("plays a level and prints steps, events and the score breakdown", async () => {
    const r = await cli("play", "escape-the-room", "find_key", "unlock_door(rusty_key)", "open_door");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Stored rusty_key v1");
    expect(r.out).toContain("score 200/200 — Grand Maestro");
    expect(r.out).toMatch(/\+25\s+efficiency\s+Execution speed: 4 ticks \(optimum 4\)/);
  });

  it("prints machine-readable JSON with --json", async () => {
    const r = await cli("play", "escape-the-room", "find_key", "open_door", "--json");
    const data = JSON.parse(r.out);
    expect(data.status).toBe("playing");
    expect(data.steps[1].rejection.code).toBe("missing-fact");
  });

  it("plays parallel groups and level files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const file = join(dir, "mine.json");
    writeFileSync(file, JSON.stringify(rawLevel("launch-the-spaceship")));
    const r = await cli("play", file, "inspect_hull + prewarm(launch_pad)", "--json");
    expect(JSON.parse(r.out).steps[0].action).toBe("inspect_hull + prewarm(launch_pad)");
  });

  it("prints the optimum", async () => {
    const r = await cli("solve", "prepare-the-banquet");
    expect(r.code).toBe(0);
    expect(r.out).toContain("par: 11 ticks, 13 slot-ticks, 5 steps");
    expect(r.out).toContain("score 200/200 — Grand Maestro");
  });

  it("exits non-zero and names a wrong level, function, flag or file", async () => {
    expect(await cli("play", "escape-the-rom", "find_key")).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown level "escape-the-rom"'),
    });
    expect(await cli("play", "escape-the-room", "find_kye")).toMatchObject({
      code: 2,
      err: expect.stringContaining('no function "find_kye"'),
    });
    expect(await cli("play", "escape-the-room", "find_key(")).toMatchObject({
      code: 2,
      err: expect.stringContaining('cannot read "find_key("'),
    });
    expect(await cli("solve", "escape-the-room", "--seed", "x")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--seed"),
    });
    expect(await cli("play", "/nope/level.json", "a")).toMatchObject({
      code: 2,
      err: expect.stringContaining("/nope/level.json"),
    });
    expect(await cli("dance")).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "dance"'),
    });
  });

  it("plays under a scenario file, and names a bad scenario file and field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const file = join(dir, "stall.json");
    writeFileSync(
      file,
      JSON.stringify({ id: "stall", inject: [{ fn: "find_key", attempt: 1, kind: "permanent" }] }),
    );
    const r = await cli("play", "escape-the-room", "find_key", "--scenario", file);
    expect(r.out).toContain("find_key failed (permanent)");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ id: "bad", jitter: "lots" }));
    expect(await cli("play", "escape-the-room", "find_key", "--scenario", bad)).toMatchObject({
      code: 2,
      err: expect.stringMatching(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}[\\s\\S]*jitter`)),
    });
  });

  it("exits non-zero from the real command for a wrong function name", async () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/fq.ts", "play", "escape-the-room", "fnd_key"],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no function "fnd_key"');
  });

  it("names the file and field of an invalid level file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const file = join(dir, "bad.json");
    const l = rawLevel("escape-the-room");
    (l.functions as Record<string, unknown>[])[0] = {
      ...(l.functions as Record<string, unknown>[])[0],
      duration: -1,
    };
    writeFileSync(file, JSON.stringify(l));
    const r = await cli("play", file, "find_key");
    expect(r.code).toBe(2);
    expect(r.err).toContain(file);
    expect(r.err).toContain("functions[0].duration");
  });
});

describe("fq analyze and the level report", () => {
  it("prints the designer's report, and JSON with --json", async () => {
    const r = await cli("analyze", "escape-the-room");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/difficulty \d+(\.\d)?\/10/);
    expect(r.out).toContain(
      "optimum        200 (Grand Maestro): find_key | unlock_door(rusty_key) | open_door",
    );
    expect(r.out).toContain("states         40 states");
    const j = JSON.parse((await cli("analyze", "escape-the-room", "--json")).out);
    expect(j.space.states).toBe(40);
    expect(j.random.histogram).toHaveLength(10);
  });

  it("draws one point per level on the curve and one table row per level", async () => {
    const { curveSvg, reportMarkdown } = await import("../src/cli/levels-report.ts");
    const { analyzeLevel } = await import("../src/engine/index.ts");
    const { LEVELS } = await import("../src/levels/index.ts");
    const rows = LEVELS.slice(0, 6).map((level) => ({ level, a: analyzeLevel(level, { randomRuns: 20 }) }));
    const svg = curveSvg(rows);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg).toContain("Tier 2: Resource awareness");
    const md = reportMarkdown(rows);
    expect(md.split("\n").filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(6);
  });
});

describe("fq demos and fq verify", () => {
  it("writes bot demonstrations that verify, and refuses a tampered file with the line at fault", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const out = join(dir, "demos.jsonl");
    const made = await cli(
      "demos",
      "the-forge",
      "--bot",
      "random",
      "--episodes",
      "3",
      "--seed",
      "5",
      "--out",
      out,
    );
    expect(made.code).toBe(0);
    expect(made.out).toContain("3 episodes");
    expect(made.err).toContain("3/3");
    const ok = await cli("verify", out);
    expect(ok).toMatchObject({ code: 0, out: expect.stringContaining("every state hash matches") });
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    const ep = JSON.parse(lines[2] as string);
    ep.rewards[0] += 1;
    lines[2] = JSON.stringify(ep);
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, `${lines.join("\n")}\n`);
    expect(await cli("verify", bad)).toMatchObject({
      code: 1,
      err: expect.stringContaining("line 3: rewards[0]: step 0"),
    });
  });

  it("writes optimal demonstrations that reach each level's optimum", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const out = join(dir, "opt.jsonl");
    expect(
      (await cli("demos", "escape-the-room", "--bot", "optimal", "--episodes", "1", "--out", out)).code,
    ).toBe(0);
    const ep = JSON.parse(readFileSync(out, "utf8").split("\n")[1] as string);
    expect(ep).toMatchObject({ provenance: "bot", status: "completed", score: { total: 200 } });
    expect(await cli("demos", "escape-the-room", "--bot", "genius", "--out", out)).toMatchObject({
      code: 2,
      err: expect.stringContaining("--bot must be optimal or random"),
    });
  });

  it("streams .jsonl.gz both ways and keeps the events the mode asks for", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const sizes: Record<string, number> = {};
    for (const events of ["full", "compact", "none"]) {
      const file = join(dir, `d-${events}.jsonl.gz`);
      const made = await cli(
        "demos",
        "launch-the-spaceship",
        "--bot",
        "random",
        "--episodes",
        "2",
        "--events",
        events,
        "--out",
        file,
      );
      expect(made.code).toBe(0);
      const raw = readFileSync(file);
      expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
      const lines = gunzipSync(raw).toString("utf8").trimEnd().split("\n");
      sizes[events] = raw.length;
      const header = JSON.parse(lines[0] as string);
      expect(header).toMatchObject({ events, total_episodes: 2, version: 2 });
      const types = new Set(
        lines
          .slice(1)
          .flatMap((l) =>
            JSON.parse(l).infos.flatMap((i: { events: { type: string }[] }) => i.events.map((e) => e.type)),
          ),
      );
      if (events === "full") expect(types.has("FlowPhase")).toBe(true);
      if (events === "compact") {
        expect(types.has("FlowPhase")).toBe(false);
        expect(types.has("ResourceAllocated")).toBe(false);
        expect(types.has("ProgressTracked")).toBe(false);
      }
      if (events === "none") expect(types.size).toBe(0);
      expect(await cli("verify", file)).toMatchObject({
        code: 0,
        out: expect.stringContaining(`events ${events}`),
      });
    }
    expect(sizes.compact).toBeLessThan((sizes.full as number) / 2);
    expect(sizes.none).toBeLessThan(sizes.compact as number);
  });

  it("names a bad output path instead of printing a stack trace, and leaves nothing behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const noDir = await cli("demos", "escape-the-room", "--out", join(dir, "no", "such", "d.jsonl"));
    expect(noDir).toMatchObject({
      code: 2,
      err: expect.stringMatching(/the folder .*no\/such" does not exist/),
    });
    const isDir = await cli("demos", "escape-the-room", "--out", dir);
    expect(isDir).toMatchObject({ code: 2, err: expect.stringContaining("it is a folder") });
    const missing = await cli("verify", join(dir, "nothing.jsonl"));
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining("no such file") });
    const fake = join(dir, "fake.jsonl.gz");
    writeFileSync(fake, "{}\n");
    expect(await cli("verify", fake)).toMatchObject({
      code: 2,
      err: expect.stringContaining("is not gzip data"),
    });
    expect(readdirSync(dir)).toEqual(["fake.jsonl.gz"]);
  });

  it("refuses a format-1 file by its version, not as a hash mismatch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const file = join(dir, "d.jsonl");
    expect((await cli("demos", "escape-the-room", "--out", file)).code).toBe(0);
    const [head, ep] = readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    for (const o of [head, ep]) {
      o.version = 1;
      o.engine_version = "2.0.0";
    }
    writeFileSync(file, `${JSON.stringify(head)}\n${JSON.stringify(ep)}\n`);
    const r = await cli("verify", file);
    expect(r.code).toBe(1);
    expect(r.err).toContain("line 1: version: this is dataset format 1, written by engine 2.0.0");
    expect(r.err).toContain("line 2: version: this is dataset format 1");
  });
});

describe("fq refuses what it cannot honour, naming it (exit 2), and never echoes control characters", () => {
  it("refuses unknown or misspelt options instead of ignoring them", async () => {
    const cases: [string[], string][] = [
      [["demos", "escape-the-room", "--episode", "3", "--out", "/tmp/x.jsonl"], "--episode"],
      [["solve", "escape-the-room", "--sed", "3"], "--sed"],
      [["play", "escape-the-room", "find_key", "--jsn"], "--jsn"],
      [["verify", "x.jsonl", "--fast"], "--fast"],
      [["levels", "--all"], "--all"],
    ];
    for (const [args, flag] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain(`unknown or incomplete option ${flag}`);
      expect(r.err).toContain("usage: fq ");
    }
    expect((await cli("nonsense")).code).toBe(2);
    expect((await cli()).code).toBe(2);
  });

  it("prints --help for every command", async () => {
    for (const cmd of ["play", "solve", "analyze", "verify", "demos", "levels", "serve"]) {
      const r = await cli(cmd, "--help");
      expect(r.code, cmd).toBe(0);
      expect(r.out).toContain(`usage: fq ${cmd}`);
    }
    expect((await cli("--help")).out).toContain("usage: fq demos");
  });

  it("takes seeds as uint32 only: never wrapped, never rounded", async () => {
    for (const bad of [
      "4294967296",
      "18446744073709551616",
      "2^64",
      "-1",
      "1.5",
      "1e3",
      "99999999999999999999",
      "",
    ]) {
      const r = await cli("play", "escape-the-room", "find_key", "--seed", bad);
      expect(r.code, bad).toBe(2);
      expect(r.err).toContain("must be a whole number from 0 to 4294967295");
    }
    const top = await cli("play", "escape-the-room", "find_key", "--seed", "4294967295", "--json");
    expect(top.code).toBe(0);
    expect(JSON.parse(top.out).seed).toBe(4294967295);
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const over = await cli(
      "demos",
      "escape-the-room",
      "--seed",
      "4294967295",
      "--episodes",
      "2",
      "--out",
      join(dir, "d.jsonl"),
    );
    expect(over).toMatchObject({
      code: 2,
      err: expect.stringContaining("would need seeds up to 4294967296"),
    });
    const last = await cli("demos", "escape-the-room", "--seed", "4294967295", "--out", join(dir, "d.jsonl"));
    expect(last.code).toBe(0);
    expect((await cli("verify", join(dir, "d.jsonl"))).code).toBe(0);
  });

  it("shows control characters in a level's text escaped", async () => {
    const raw = rawLevel("escape-the-room");
    raw.title = "Escape\u001b[31m the\u0007 Room";
    const dir = mkdtempSync(join(tmpdir(), "fq-"));
    const file = join(dir, "bell.json");
    writeFileSync(file, JSON.stringify(raw));
    const r = await cli("analyze", file);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Escape\\u001b[31m the\\u0007 Room");
    expect(/[\u0000-\u0009\u000b-\u001f]/.test(r.out + r.err)).toBe(false);
    const missing = await cli("play", join(dir, "no\u001b[2Jfile.json"), "x");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("no\\u001b[2Jfile.json");
  });
});
