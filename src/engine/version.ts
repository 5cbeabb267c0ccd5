/** Bumped whenever a rule change could alter the outcome of a recorded trajectory. */
export const ENGINE_VERSION = "2.0.0";
