/** The words the screen explains (tooltips), loaded by the game after its first screen is up. */

/**
 * Every term the screen shows, in plain words: the tooltips of the flow, the Pit components, the meters
 * and the controls (keys are the words as shown, in lower case).
 */
export const TERMS: Readonly<Record<string, string>> = {
  "chambering flow":
    "The path every call takes through the Pit: request, register, activate, use, return & unload, update.",
  request: "The call asks for its turn; Arbitration decides who goes first.",
  register: "The DAG Tracker records the call and checks that its inputs exist.",
  activate: "The Pool Manager gives the call a slot to run in; a cold slot needs time to start.",
  use: "The function does its work with its inputs.",
  "return & unload": "The slot goes back to its pool, still warm for a while.",
  update: "The results are stored and the DAG marks the function done.",
  done: "The call finished.",
  recover: "The call failed, and a recovery strategy takes over.",
  "your decision":
    "The call failed and waits for you: retry it, hand it to its fallback, or skip it. A permanent failure does not go away on retry.",
  deciding:
    "Choose how to recover: retry it, hand it to its fallback, or skip it. A permanent failure does not go away on retry; skipping loses its results.",
  "fall back": "Another function does the job instead.",
  skip: "The step is skipped gracefully: its result will be missing.",
  reconstruct: "A missing input is rebuilt from what was made from it.",
  rejected: "The call was refused before it ran: something it needs is missing.",
  arbitration: "Decides which call goes first when two want the same thing.",
  "dag tracker": "Knows which function needs which result, and what is done.",
  "pool manager": "Hands out slots (workers) and keeps them warm after use.",
  "artifact store": "Keeps the results functions produce, with their version and quality.",
  "stale manager": "Cleans up slots and results left unused too long; each clean-up costs stability points.",
  ticks: "Game time. Each call takes some ticks; fewer is faster.",
  "time (ticks)": "Game time so far, against the optimal run's.",
  "resource units": "Slot-ticks used so far: one slot held for one tick.",
  "slot-ticks": "One slot held for one tick: what a call costs in resources.",
  undo: "Take back the last step. Each undo costs points.",
  "stale reclaim": "Something left behind was cleaned up by the Stale Manager.",
  warm: "A slot used recently: the next call into it starts at once.",
  cold: "A slot not started: the next call pays a cold start.",
  prewarmed: "A slot started ahead of need (predictive allocation).",
  busy: "A slot a call is running in.",
  heat: "Load on a pool. Past its limit the pool overheats: a stability warning.",
  goal: "Goal items in place, of those the level needs.",
  stability: "How healthy the system stayed: warnings, unhandled failures and clean-ups cost points.",
  "parallel group": "Independent calls run together in one step.",
};

/** The plain-words explanation of a term shown on screen, if it has one. */
export function termHelp(term: string): string | undefined {
  return TERMS[term.toLowerCase()];
}
