// Declaration of the project's own module this reduction imports (its body is not part of the fix).
declare function eventEmitter(name: string, ctx: any): void;
export default eventEmitter;
