/**
 * Which tiers' walkthroughs the player has seen (or skipped), in localStorage `fq.tour.v1`. Best effort:
 * an unreadable entry or a full quota only means the walkthrough may show again.
 */
const KEY = "fq.tour.v1";

export function toursSeen(): number[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

export function markTourSeen(tier: number): void {
  try {
    localStorage.setItem(KEY, JSON.stringify([...new Set([...toursSeen(), tier])]));
  } catch {
    // Storage full or blocked: the walkthrough may show again next time, nothing else is lost.
  }
}
