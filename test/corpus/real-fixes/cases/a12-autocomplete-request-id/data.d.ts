// Declaration of the project's own module this reduction imports (its body is not part of the fix).
export declare function getData(ctx: any, query: string): Promise<any>;
export declare function findMatches(query: string, ctx: any): void;
