import { it } from "vitest";
import { checkGenerated } from "./generate-properties.ts";

it("1,000 generated tier-3 levels are valid, solved and inside the shipped band", () => {
  checkGenerated(3, 1000, 100);
}, 600_000);
