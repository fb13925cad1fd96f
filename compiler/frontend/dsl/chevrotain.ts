// chevrotain's values, from the single-file ES module its package ships (lib/chevrotain.mjs,
// lodash-es inlined) rather than from its entry point, which loads lodash-es as some 640 small
// modules: that was most of a cold CLI's start-up, for YAML configs too (npm run bench, "Compile
// time"). Same version, same code; types still come from "chevrotain". Every value import of
// chevrotain goes through here, so there is one copy of its classes (EOF is compared by
// identity).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

type Chevrotain = typeof import("chevrotain");

/** The package's entry is lib/src/api.js; the bundle sits beside lib/src. */
const entry = createRequire(import.meta.url).resolve("chevrotain");
const chevrotain = (await import(pathToFileURL(join(dirname(entry), "..", "chevrotain.mjs")).href)) as Chevrotain;

export const { createToken, CstParser, EOF, Lexer, tokenMatcher } = chevrotain;
