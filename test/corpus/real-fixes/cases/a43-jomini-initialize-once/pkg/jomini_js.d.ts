// Declaration of the project's own module this reduction imports (its body is not part of the fix).
export default function init(wasm?: string): Promise<unknown>;
export declare function parse_text(data: Uint8Array, encoding: string, narrowing: string): Record<string, unknown>;
