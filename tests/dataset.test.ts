import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  datasetHeader,
  type Episode,
  type Level,
  parseJsonl,
  recordEpisode,
  toJsonl,
  ValidationError,
} from "../src/engine/index.ts";
import { getLevel, LEVELS } from "../src/levels/index.ts";

const escape = getLevel("escape-the-room") as Level;
const ship = getLevel("launch-the-spaceship") as Level;
const good = (): Episode[] => [
  recordEpisode({
    level: escape,
    actions: escape.solutions.reference.steps,
    provenance: "human",
    episodeId: "ep-1",
    thinkMs: [900, 400, 300],
  }),
  recordEpisode({ level: ship, actions: ship.solutions.basic.steps, provenance: "bot", episodeId: "ep-2" }),
];
const file = (eps: Episode[] = good()) => toJsonl(datasetHeader("demo", eps, LEVELS), eps);
const lines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
const join = (objs: unknown[]) => `${objs.map((o) => JSON.stringify(o)).join("\n")}\n`;

function issuesOf(text: string, opts: { existingIds?: Set<string>; maxBytes?: number } = {}): string[] {
  try {
    parseJsonl(text, "demos.jsonl", { levels: LEVELS, ...opts });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    expect(e.message).toContain("demos.jsonl");
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("expected the file to be refused");
}

/** Edits one parsed line (0 is the header) and returns the file text. */
function edit(line: number, change: (o: Record<string, unknown>) => void): string {
  const objs = lines(file());
  change(objs[line] as Record<string, unknown>);
  return join(objs);
}

describe("dataset export and import", () => {
  it("round-trips: what is exported imports and verifies, with Minari/RLDS-shaped fields", () => {
    const text = file();
    const { header, episodes } = parseJsonl(text, "demos.jsonl", { levels: LEVELS });
    expect(header).toMatchObject({
      format: "fq-dataset",
      total_episodes: 2,
      total_steps: 3 + ship.solutions.basic.steps.length,
    });
    expect(header.levels["escape-the-room"]?.action_space.labels).toContain("unlock_door(rusty_key)");
    const ep = episodes[0] as Episode;
    expect(ep.observations).toHaveLength(ep.actions.length + 1);
    expect(ep.is_first).toEqual([true, false, false, false]);
    expect(ep.is_last).toEqual([false, false, false, true]);
    expect(ep.is_terminal).toEqual([false, false, false, true]);
    expect(ep.infos.map((i) => i.think_ms)).toEqual([900, 400, 300]);
    expect(ep.rewards.reduce((a, b) => a + b, 0) * 200).toBeCloseTo(200, 9);
  });

  it("records every level's solutions, groups written in any order included", () => {
    for (const level of LEVELS) {
      for (const steps of [level.solutions.reference.steps, level.solutions.basic.steps]) {
        const ep = recordEpisode({ level, actions: steps, provenance: "bot", episodeId: `${level.id}-x` });
        expect(ep.actions).toHaveLength(steps.length);
        const claimed =
          steps === level.solutions.reference.steps
            ? level.solutions.reference.score
            : level.solutions.basic.score;
        expect(ep.score?.total).toBe(claimed);
      }
    }
  });

  it("records undo as action -1: the rollback's penalty re-simulates, and the env and the store agree", () => {
    const actions = ["search_bookshelf", "undo", ...escape.solutions.reference.steps];
    const ep = recordEpisode({ level: escape, actions, provenance: "human", episodeId: "undo-1" });
    expect(ep.actions[1]).toBe(-1);
    expect(ep.action_labels[1]).toBe("undo");
    expect(ep.score?.total).toBe(200 - escape.undoPenalty);
    // Rewards still sum to the final score over the reward scale.
    expect(ep.rewards.reduce((a, b) => a + b, 0) * 200).toBeCloseTo(200 - escape.undoPenalty, 9);
    // The undo step's state equals the initial state but for the undo count.
    expect(ep.infos[1]?.state_hash).not.toBe(ep.initial_state_hash);
    const text = toJsonl(datasetHeader("u", [ep], LEVELS), [ep]);
    expect(parseJsonl(text, "u.jsonl", { levels: LEVELS }).episodes).toHaveLength(1);
    // An undo with nothing to undo is not a valid episode.
    expect(() =>
      recordEpisode({ level: escape, actions: ["undo"], provenance: "human", episodeId: "u" }),
    ).toThrow(/nothing to undo/);
    const bad = { ...ep, actions: [-1, ...ep.actions.slice(1)] };
    expect(() =>
      parseJsonl(toJsonl(datasetHeader("u", [bad], LEVELS), [bad]), "u.jsonl", { levels: LEVELS }),
    ).toThrow(/line 2: actions: escape-the-room: action 0 is an undo with nothing to undo/);
  });

  it("is all or nothing: one bad episode refuses the whole file", () => {
    const text = edit(2, (o) => {
      o.seed = -1;
    });
    expect(() => parseJsonl(text, "demos.jsonl", { levels: LEVELS })).toThrow(ValidationError);
  });
});

// Each case: a malformed file and the specific message it must produce (line and field named).
const corpus: [string, () => string, RegExp, { existingIds?: Set<string>; maxBytes?: number }?][] = [
  ["truncated line", () => file().slice(0, file().length - 40), /^line 3: not valid JSON .*truncated/],
  ["empty file", () => "", /^line 1: the file is empty/],
  ["garbage text", () => "hello\n", /^line 1: not valid JSON/],
  [
    "header with the wrong format",
    () =>
      edit(0, (o) => {
        o.format = "csv";
      }),
    /^line 1: format: /,
  ],
  [
    "header missing dataset_id",
    () =>
      edit(0, (o) => {
        delete o.dataset_id;
      }),
    /^line 1: dataset_id: missing/,
  ],
  [
    "header from a future version",
    () =>
      edit(0, (o) => {
        o.version = 3;
      }),
    /^line 1: version: /,
  ],
  [
    "header total_episodes wrong",
    () =>
      edit(0, (o) => {
        o.total_episodes = 5;
      }),
    /^line 1: total_episodes: says 5, the file has 2/,
  ],
  [
    "header total_steps wrong",
    () =>
      edit(0, (o) => {
        o.total_steps = 1;
      }),
    /^line 1: total_steps: says 1/,
  ],
  [
    "header total_steps a string",
    () =>
      edit(0, (o) => {
        o.total_steps = "3";
      }),
    /^line 1: total_steps: must be a number \(expected number, received string\)/,
  ],
  [
    "episode with the wrong format",
    () =>
      edit(1, (o) => {
        o.format = "gym";
      }),
    /^line 2: format: /,
  ],
  [
    "episode from a future version",
    () =>
      edit(1, (o) => {
        o.version = 9;
      }),
    /^line 2: version: /,
  ],
  [
    "unknown level",
    () =>
      edit(1, (o) => {
        o.level_id = "escape-the-castle";
      }),
    /^line 2: level_id: unknown level "escape-the-castle"/,
  ],
  [
    "another version of the level",
    () =>
      edit(1, (o) => {
        o.level_hash = "0123456789abcdef";
      }),
    /^line 2: level_hash: recorded by engine \d+\.\d+\.\d+ on another version/,
  ],
  [
    "level hash not hex",
    () =>
      edit(1, (o) => {
        o.level_hash = "xyz";
      }),
    /^line 2: level_hash: must be 16 hex digits/,
  ],
  [
    "duplicate episode in the file",
    () =>
      edit(2, (o) => {
        o.episode_id = "ep-1";
      }),
    /^line 3: episode_id: duplicate episode "ep-1"/,
  ],
  [
    "duplicate of a stored episode",
    () => file(),
    /^line 2: episode_id: episode "ep-1" is already stored/,
    { existingIds: new Set(["ep-1"]) },
  ],
  ["oversized file", () => file(), /file is \d+ bytes; the limit is 1000/, { maxBytes: 1000 }],
  [
    "__proto__ key in an episode",
    () => file().replace('"format":"fq-episode"', '"__proto__":{"x":1},"format":"fq-episode"'),
    /^line 2: __proto__: forbidden key "__proto__"/,
  ],
  [
    "__proto__ key in the header",
    () => file().replace('"format":"fq-dataset"', '"__proto__":{},"format":"fq-dataset"'),
    /^line 1: __proto__: forbidden key/,
  ],
  [
    "constructor key deep inside",
    () =>
      edit(1, (o) => {
        (o.infos as Record<string, unknown>[])[0] = {
          ...(o.infos as Record<string, unknown>[])[0],
          constructor: 1,
        };
      }),
    /^line 2: infos\[0\]\.constructor: forbidden key/,
  ],
  [
    "observations one short",
    () =>
      edit(1, (o) => {
        (o.observations as unknown[]).pop();
      }),
    /^line 2: observations: has 3 entries; 3 actions need 4/,
  ],
  [
    "rewards one short",
    () =>
      edit(1, (o) => {
        (o.rewards as unknown[]).pop();
      }),
    /^line 2: rewards: has 2 entries; 3 actions need 3/,
  ],
  [
    "action masks missing a step",
    () =>
      edit(1, (o) => {
        (o.action_masks as unknown[]).pop();
      }),
    /^line 2: action_masks: has 2 entries/,
  ],
  [
    "infos one short",
    () =>
      edit(1, (o) => {
        (o.infos as unknown[]).pop();
      }),
    /^line 2: infos: has 2 entries/,
  ],
  [
    "is_first too long",
    () =>
      edit(1, (o) => {
        (o.is_first as unknown[]).push(false);
      }),
    /^line 2: is_first: has 5 entries/,
  ],
  [
    "an action that is a string",
    () =>
      edit(1, (o) => {
        (o.actions as unknown[])[0] = "find_key";
      }),
    /^line 2: actions\[0\]: must be a number \(expected number/,
  ],
  [
    "a negative seed",
    () =>
      edit(1, (o) => {
        o.seed = -1;
      }),
    /^line 2: seed: /,
  ],
  [
    "a fractional seed",
    () =>
      edit(1, (o) => {
        o.seed = 1.5;
      }),
    /^line 2: seed: must be a whole number \(expected int/,
  ],
  [
    "unknown provenance",
    () =>
      edit(1, (o) => {
        o.provenance = "alien";
      }),
    /^line 2: provenance: /,
  ],
  [
    "unknown status",
    () =>
      edit(1, (o) => {
        o.status = "paused";
      }),
    /^line 2: status: /,
  ],
  [
    "a mask value of 2",
    () =>
      edit(1, (o) => {
        ((o.action_masks as number[][])[0] as number[])[0] = 2;
      }),
    /^line 2: action_masks\[0\]\[0\]: /,
  ],
  [
    "a tampered state hash",
    () =>
      edit(1, (o) => {
        ((o.infos as Record<string, unknown>[])[1] as Record<string, unknown>).state_hash =
          "0000000000000000";
      }),
    /^line 2: infos\[1\]\.state_hash: step 1: recorded 0000000000000000/,
  ],
  [
    "a tampered initial hash",
    () =>
      edit(1, (o) => {
        o.initial_state_hash = "0000000000000000";
      }),
    /^line 2: initial_state_hash: is 0000000000000000/,
  ],
  [
    "a tampered reward",
    () =>
      edit(1, (o) => {
        (o.rewards as number[])[2] = 1;
      }),
    /^line 2: rewards\[2\]: step 2: recorded 1/,
  ],
  [
    "a tampered observation",
    () =>
      edit(1, (o) => {
        ((o.observations as number[][])[2] as number[])[0] = 0.5;
      }),
    /^line 2: observations\[2\]: step 1: the observation differs/,
  ],
  [
    "an action swapped for another",
    () =>
      edit(1, (o) => {
        (o.actions as number[])[0] = 1;
      }),
    /^line 2: infos\[0\]\.state_hash: step 0: /,
  ],
  [
    "an impossible scenario",
    () =>
      edit(1, (o) => {
        o.scenario = { id: "x", failures: { find_key: { probability: 2, kind: "transient" } } };
      }),
    /^line 2: scenario\.failures\.find_key\.probability: /,
  ],
  [
    "an unknown field",
    () =>
      edit(1, (o) => {
        o.mood = "happy";
      }),
    /^line 2: : Unrecognized key: "mood"|^line 2: .*mood/,
  ],
  [
    "events that are not a list",
    () =>
      edit(1, (o) => {
        ((o.infos as Record<string, unknown>[])[0] as Record<string, unknown>).events = "none";
      }),
    /^line 2: infos\[0\]\.events: must be a list \(expected array/,
  ],
  [
    "a negative think time",
    () =>
      edit(1, (o) => {
        ((o.infos as Record<string, unknown>[])[0] as Record<string, unknown>).think_ms = -5;
      }),
    /^line 2: infos\[0\]\.think_ms: /,
  ],
  // Everything that can be re-derived is checked against re-simulation (header and episode alike).
  [
    "header action_space.n tampered",
    () =>
      edit(0, (o) => {
        (
          (o.levels as Record<string, { action_space: { n: number } }>)["escape-the-room"] as {
            action_space: { n: number };
          }
        ).action_space.n = 3;
      }),
    /^line 1: levels\.escape-the-room\.action_space\.n: says 3/,
  ],
  [
    "header action label tampered",
    () =>
      edit(0, (o) => {
        const s = (o.levels as Record<string, { action_space: { labels: string[] } }>)["escape-the-room"];
        (s as { action_space: { labels: string[] } }).action_space.labels[0] = "win_game";
      }),
    /^line 1: levels\.escape-the-room\.action_space\.labels\[0\]: differs/,
  ],
  [
    "header observation names tampered",
    () =>
      edit(0, (o) => {
        const s = (o.levels as Record<string, { observation_space: { names: string[] } }>)["escape-the-room"];
        (s as { observation_space: { names: string[] } }).observation_space.names.reverse();
      }),
    /^line 1: levels\.escape-the-room\.observation_space\.names\[0\]: differs/,
  ],
  [
    "header observation shape tampered",
    () =>
      edit(0, (o) => {
        const s = (o.levels as Record<string, { observation_space: { shape: number[] } }>)["escape-the-room"];
        (s as { observation_space: { shape: number[] } }).observation_space.shape = [3];
      }),
    /^line 1: levels\.escape-the-room\.observation_space\.shape: says 3/,
  ],
  [
    "header level hash tampered",
    () =>
      edit(0, (o) => {
        const s = (o.levels as Record<string, { level_hash: string }>)["escape-the-room"];
        (s as { level_hash: string }).level_hash = "0123456789abcdef";
      }),
    /^line 1: levels\.escape-the-room\.level_hash: is 0123456789abcdef/,
  ],
  [
    "header with no levels",
    () =>
      edit(0, (o) => {
        o.levels = {};
      }),
    /^line 1: levels: lists no spaces for "escape-the-room"/,
  ],
  [
    "header events mode unknown",
    () =>
      edit(0, (o) => {
        o.events = "most";
      }),
    /^line 1: events: /,
  ],
  [
    "an action label tampered",
    () =>
      edit(1, (o) => {
        (o.action_labels as string[])[0] = "open_door";
      }),
    /^line 2: action_labels\[0\]: step 0: recorded "open_door"/,
  ],
  [
    "an action mask tampered",
    () =>
      edit(1, (o) => {
        const m = (o.action_masks as number[][])[1] as number[];
        m[0] = m[0] ? 0 : 1;
      }),
    /^line 2: action_masks\[1\]: step 1: differs/,
  ],
  [
    "the initial observation tampered",
    () =>
      edit(1, (o) => {
        ((o.observations as number[][])[0] as number[])[3] = 0;
      }),
    /^line 2: observations\[0\]: the initial observation differs/,
  ],
  [
    "a termination flipped",
    () =>
      edit(1, (o) => {
        (o.terminations as boolean[])[2] = false;
      }),
    /^line 2: terminations\[2\]: step 2: recorded false/,
  ],
  [
    "a truncation flipped",
    () =>
      edit(1, (o) => {
        (o.truncations as boolean[])[0] = true;
      }),
    /^line 2: truncations\[0\]: step 0: recorded true/,
  ],
  [
    "is_first flipped",
    () =>
      edit(1, (o) => {
        (o.is_first as boolean[])[1] = true;
      }),
    /^line 2: is_first\[1\]: should be false/,
  ],
  [
    "is_terminal flipped",
    () =>
      edit(1, (o) => {
        (o.is_terminal as boolean[])[3] = false;
      }),
    /^line 2: is_terminal\[3\]: should be true/,
  ],
  [
    "completed though cut short",
    () =>
      edit(1, (o) => {
        for (const k of [
          "actions",
          "action_labels",
          "action_masks",
          "rewards",
          "terminations",
          "truncations",
          "infos",
        ])
          (o[k] as unknown[]).pop();
        for (const k of ["observations", "is_first", "is_last", "is_terminal"]) (o[k] as unknown[]).pop();
        (o.is_last as boolean[])[2] = true;
        o.score = null;
      }),
    /^line 2: status: is "completed", but the episode did not end/,
  ],
  [
    "an inflated score",
    () =>
      edit(2, (o) => {
        o.score = { ...(o.score as object), total: 200, tier: "Grand Maestro" };
      }),
    /^line 3: score: is \{"total":200/,
  ],
  [
    "a null score on a finished episode",
    () =>
      edit(1, (o) => {
        o.score = null;
      }),
    /^line 2: score: is null; re-simulation gives/,
  ],
  [
    "a tier of Demigod",
    () =>
      edit(1, (o) => {
        o.score = { ...(o.score as object), tier: "Demigod" };
      }),
    /^line 2: score: is .*Demigod/,
  ],
  [
    "an event deleted",
    () =>
      edit(1, (o) => {
        ((o.infos as { events: unknown[] }[])[1] as { events: unknown[] }).events.splice(3, 1);
      }),
    /^line 2: infos\[1\]\.events: step 1: the full events differ/,
  ],
];

describe(`a malformed-file corpus of ${corpus.length} cases, each refused with a specific message`, () => {
  it("has at least 30 cases", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });
  it.each(corpus)("%s", (_name, make, message, opts) => {
    const issues = issuesOf(make(), opts);
    expect(
      issues.some((i) => message.test(i)),
      issues.join("\n"),
    ).toBe(true);
  });
});

describe("datasets recorded by engine 2.1 (tests/fixtures)", () => {
  const fixture = (name: string) =>
    readFileSync(new URL(`./fixtures/engine-2.1-${name}.jsonl`, import.meta.url), "utf8");

  it("an automatic level that did not change still verifies hash for hash", () => {
    const { episodes } = parseJsonl(fixture("escape-the-room"), "old.jsonl", { levels: LEVELS });
    expect(episodes).toHaveLength(2);
    expect(episodes.every((e) => e.engine_version === "2.1.0")).toBe(true);
  });

  it("a level whose content changed in 2.2 is refused, naming the engine that recorded it", () => {
    expect(() => parseJsonl(fixture("the-flood-defences"), "old.jsonl", { levels: LEVELS })).toThrow(
      /level_hash: recorded by engine 2\.1\.0 on another version of "the-flood-defences".*re-record/,
    );
  });
});
