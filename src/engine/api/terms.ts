/** The engine for views, second part: the plain-words explanation of every term on screen (loaded lazily). */
export { TERMS, termHelp } from "../terms.ts";
