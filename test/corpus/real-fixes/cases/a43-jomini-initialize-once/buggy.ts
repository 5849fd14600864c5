// nickbabcock/jomini before PR #68 (buggy twin): a flag set once the compilation finished;
// Promise.all([Jomini.initialize(), Jomini.initialize()]) compiles the Wasm twice.
import init, { parse_text } from './pkg/jomini_js';

let initialized = false;

export class Jomini {
  private constructor() {}

  parseText(data: Uint8Array): Record<string, unknown> {
    return parse_text(data, 'utf8', 'all');
  }

  static initialize = async (wasm?: string) => {
    if (!initialized) {
      await init(wasm);
      initialized = true;
//    ^ check-then-act
    }
    return new Jomini();
  };
}
