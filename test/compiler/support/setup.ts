import { loadDslFrontEnd } from "../../../compiler/frontend/parse-config.js";

// The CLI loads the DSL front end when a .hyp file is named (compiler/cli/main.ts); the tests
// read .hyp files through every entry point, so they load it up front.
await loadDslFrontEnd();
