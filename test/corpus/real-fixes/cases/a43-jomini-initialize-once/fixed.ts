// nickbabcock/jomini PR #68 "Fix possibility of double initialization" (reduction, fixed):
// the Wasm compilation in progress is kept in a module promise, so concurrent
// Jomini.initialize() calls compile once and all wait for it.
import init, { parse_text } from './pkg/jomini_js';

let initialized: Promise<void> | undefined = undefined;

export class Jomini {
  private constructor() {}

  parseText(data: Uint8Array): Record<string, unknown> {
    return parse_text(data, 'utf8', 'all');
  }

  static initialize = async (wasm?: string) => {
    if (initialized === undefined) {
      initialized = init(wasm).then(() => void 0);
    }
    await initialized;
    return new Jomini();
  };
}
