/**
 * The tooltips' words, as the views read them. The game loads the engine's TERMS after its first screen
 * is up (they stay out of the first-load bundle) and hands them over with `useTerms`; until then a term
 * simply has no tooltip.
 */
let terms: Readonly<Record<string, string>> = {};

export function useTerms(t: Readonly<Record<string, string>>): void {
  terms = t;
}

/** The plain-words explanation of a term shown on screen, if it has one (and the words have loaded). */
export function termHelp(term: string): string | undefined {
  return terms[term.toLowerCase()];
}
