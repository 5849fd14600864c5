// Declaration of the project's own module this reduction imports (its body is not part of the fix).
export declare function render(ctx: any): void;
export declare function close(ctx: any): void;
