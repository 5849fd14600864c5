// Types of bin/daemon-client.js for the bundle, which inlines it.
export declare const FORMAT: number;
export declare const SOCKET_NAME: string;
export declare const PID_NAME: string;
export declare function daemonWanted(argv: readonly string[], env?: NodeJS.ProcessEnv): boolean;
export declare function socketPathFrom(cacheDir: string, cwd: string): string | undefined;
export declare function askDaemon(bundle: string, argv: readonly string[], cwd?: string): Promise<number | undefined>;
export declare function stopDaemon(cacheDir: string, cwd?: string): Promise<string>;
export declare function livePid(cacheDir: string): number | undefined;
