// Declaration of the project's own module this reduction imports (its body is not part of the fix).
export declare const API: string;
export declare const WS: string;
