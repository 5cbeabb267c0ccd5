import { describe, expect, it } from "vitest";

describe("validation without eval (src/app/no-eval.ts)", () => {
  it("zod adopts the settings object that module sets before zod loads", async () => {
    const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
    const before = g.__zod_globalConfig;
    await import("../src/app/no-eval.ts");
    const { globalConfig, config } = await import("zod/v4/core");
    expect(g.__zod_globalConfig?.jitless).toBe(true);
    // The very object zod reads and `z.config` writes.
    expect(globalConfig).toBe(g.__zod_globalConfig);
    expect(config().jitless).toBe(true);
    config({ jitless: before?.jitless ?? false });
  });
});
